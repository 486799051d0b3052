/**
 * Random treatment histories for the seed protocol: 0 to 4 cycles with doses near the
 * kidney and marrow limits (in Gy or mGy, sometimes missing), laboratory values at and
 * next to the CTCAE thresholds in several units, references (LLN, ULN, baseline)
 * sometimes missing. Every value is a decimal string, so no float enters the data.
 */
import fc from "fast-check";
import { dec } from "../../src/runtime/decimal.js";

/** A decimal string k / 100 for k in [lo, hi] (hundredths). */
const hundredths = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((k) => dec(k).div(100).toString());

/** Values of a lab: mostly normal (so that every decision occurs), else at a threshold or anywhere in range. */
const typical = (normal: string, boundaries: fc.Arbitrary<string>, anywhere: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: fc.constant(normal), weight: 4 },
    { arbitrary: boundaries, weight: 1 },
    { arbitrary: anywhere, weight: 1 },
  );

/** Per-cycle doses around the limits: 23 Gy over 2 to 4 cycles, 2 Gy of marrow, and the float hazards. */
const kidneyGy = fc.oneof(
  fc.constantFrom("5.75", "6.7", "7.6", "7.7", "8.1", "8.2", "11.5", "11.49", "11.51", "23", "0"),
  hundredths(0, 1200),
);
const marrowGy = fc.oneof(fc.constantFrom("0.5", "0.6666", "1", "0.25", "0"), hundredths(0, 80));

/** A dose in Gy or, exactly converted, in mGy. */
const dose = (gy: fc.Arbitrary<string>) =>
  fc
    .tuple(gy, fc.boolean())
    .map(([v, milli]) => (milli ? { value: dec(v).times(1000).toString(), unit: "mGy" } : { value: v, unit: "Gy" }));

/** One cycle: its dosimetry (1 time in 8 not done yet). */
const cycleDoses = fc.option(fc.tuple(dose(kidneyGy), dose(marrowGy)), { freq: 8, nil: null });

/** What a lab element's generator needs: its unit, values (boundaries and random), references. */
interface LabSpec {
  unit: string;
  /** Other units with the exact factor from `unit`. */
  alt?: [string, string];
  values: fc.Arbitrary<string>;
  ref?: { key: "uln" | "lln"; value: string };
  /** Whether a higher value is worse (the worsening property needs it). */
  increasing: boolean;
}

/** The graded elements of the seed, with values around their CTCAE thresholds. */
export const LABS: Record<string, LabSpec> = {
  hemoglobin: {
    unit: "g/dL",
    alt: ["g/L", "10"],
    values: typical("13.2", fc.constantFrom("12", "11.99", "10", "9.99", "8", "7.99"), hundredths(300, 1700)),
    ref: { key: "lln", value: "12" },
    increasing: false,
  },
  neutrophils: {
    unit: "10*3/uL",
    alt: ["/uL", "1000"],
    values: typical("3.4", fc.constantFrom("1.8", "1.5", "1.49", "1", "0.99", "0.5", "0.49"), hundredths(10, 800)),
    ref: { key: "lln", value: "1.8" },
    increasing: false,
  },
  platelets: {
    unit: "10*9/L",
    alt: ["10*3/uL", "1"],
    values: typical("210", fc.constantFrom("150", "75", "74.9", "50", "49.9", "25", "24.9"), hundredths(500, 40000)),
    ref: { key: "lln", value: "150" },
    increasing: false,
  },
  lymphocytes: {
    unit: "10*3/uL",
    values: typical("1.2", fc.constantFrom("0.8", "0.79", "0.5", "0.2"), hundredths(5, 400)),
    ref: { key: "lln", value: "1" },
    increasing: false,
  },
  white_cells: {
    unit: "10*3/uL",
    values: typical("5.8", fc.constantFrom("3", "2.99", "2", "1"), hundredths(50, 1200)),
    ref: { key: "lln", value: "4" },
    increasing: false,
  },
  creatinine: {
    unit: "mg/dL",
    values: typical("0.9", fc.constantFrom("1.2", "1.8", "1.81", "3.6", "7.2", "7.21"), hundredths(40, 500)),
    ref: { key: "uln", value: "1.2" },
    increasing: true,
  },
  total_bilirubin: {
    unit: "mg/dL",
    values: typical("0.7", fc.constantFrom("1.2", "1.8", "1.81", "3.6", "3.61", "12"), hundredths(20, 600)),
    ref: { key: "uln", value: "1.2" },
    increasing: true,
  },
  ast: {
    unit: "U/L",
    values: typical("25", fc.constantFrom("120", "200", "200.1", "800", "800.1"), hundredths(1000, 150000)),
    ref: { key: "uln", value: "40" },
    increasing: true,
  },
  alt: {
    unit: "U/L",
    values: typical("22", fc.constantFrom("120", "200", "200.1", "800"), hundredths(1000, 150000)),
    ref: { key: "uln", value: "40" },
    increasing: true,
  },
  albumin: {
    unit: "g/dL",
    values: typical("4.2", fc.constantFrom("3.5", "3", "2.99", "2", "1.99"), hundredths(120, 500)),
    ref: { key: "lln", value: "3.5" },
    increasing: false,
  },
  gfr: {
    unit: "mL/min/{1.73_m2}",
    values: typical("88", fc.constantFrom("60", "59.5", "30", "29.5", "15", "14.9"), hundredths(500, 12000)),
    increasing: false,
  },
};

/** One lab value: absent (1 in 10), in its unit or an alternative, its reference sometimes missing. */
function lab(spec: LabSpec) {
  return fc.option(
    fc.record({ value: spec.values, alt: fc.boolean(), withRef: fc.boolean() }).map(({ value, alt, withRef }) => {
      const [unit, f] = alt && spec.alt ? spec.alt : [spec.unit, "1"];
      const out: Record<string, unknown> = { value: dec(value).times(f).toString(), unit };
      if (spec.ref && (withRef || spec.ref.key === "uln"))
        out[spec.ref.key] = { value: dec(spec.ref.value).times(f).toString(), unit };
      return out;
    }),
    { freq: 20, nil: undefined },
  );
}

/** Labs before the next cycle. */
export const labs = fc.record(Object.fromEntries(Object.entries(LABS).map(([k, s]) => [k, lab(s)])));

/** A whole history of 0 to 4 cycles. */
export const histories: fc.Arbitrary<History> = fc
  .record({
    doses: fc.array(cycleDoses, { minLength: 0, maxLength: 4 }),
    labs,
    baseline: fc.option(hundredths(50, 130), { freq: 6, nil: null }),
  })
  .map(({ doses, labs, baseline }) => ({
    cycles: doses.map((d, i) => ({
      cycle: i + 1,
      ...(d ? { dosimetry: { kidney_dose: d[0], marrow_dose: d[1] } } : {}),
    })),
    labs: Object.fromEntries(Object.entries(labs).filter((e): e is [string, Q] => e[1] !== undefined)),
    ...(baseline ? { baseline: { creatinine: { value: baseline, unit: "mg/dL" } } } : {}),
  }));

/** A quantity of the generated data. */
export type Q = Record<string, string>;

/** A generated history. */
export interface History {
  cycles: { cycle: number; dosimetry?: { kidney_dose: Q; marrow_dose: Q } }[];
  labs: Record<string, Q>;
  baseline?: { creatinine: Q };
}

/** Severity of a decision, for monotonicity: unknown is not ordered. */
export const SEVERITY: Record<string, number> = { proceed: 0, delay: 1, stop: 2 };
