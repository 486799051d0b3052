/**
 * Bad histories are rejected with the JSON path of every problem, never decided on;
 * harmless oddities (unknown fields) are warnings. The compiled module rejects the
 * same data with the same paths.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { decideCycle } from "../../src/interpret/toxicity.js";
import type { IrProtocol } from "../../src/ir/types.js";
import {
  cycle,
  decided,
  importToxicity,
  kidneyHistory,
  normalLabs,
  q,
  seedIr,
  verdicts,
  type ToxicityModule,
} from "./helpers.js";

let ir: IrProtocol;
let compiled: ToxicityModule;

beforeAll(async () => {
  ir = seedIr();
  compiled = await importToxicity(ir, "toxicity-history");
});

/** The errors of a rejected history, as "path: message" lines (both targets agree). */
function errors(history: unknown): string[] {
  const r = decideCycle(ir, history);
  expect(compiled.decideCycle(history)).toEqual(JSON.parse(JSON.stringify(r)));
  if (r.ok) throw new Error("the history was accepted");
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

const dosimetry = (kidney: unknown, marrow: unknown = q(0.2, "Gy")) => ({
  cycles: [{ cycle: 1, dosimetry: { kidney_dose: kidney, marrow_dose: marrow } }],
  labs: normalLabs(),
});

describe("rejected histories", () => {
  it.each([
    ["not an object", [], /^\$: a treatment history is a JSON object/],
    ["no cycles", { labs: normalLabs() }, /^\$\.cycles: required: the cycles given so far/],
    ["cycles not a list", { cycles: { cycle: 1 } }, /^\$\.cycles: must be a list/],
    ["a cycle not an object", { cycles: [1] }, /^\$\.cycles\[0\]: a cycle is an object/],
    [
      "a cycle without its number",
      { cycles: [{ date: "2027-01-18" }] },
      /^\$\.cycles\[0\]\.cycle: required: the cycle number \(1 here\)/,
    ],
    ["cycle number 0", { cycles: [{ cycle: 0 }] }, /^\$\.cycles\[0\]\.cycle: 0 is not a cycle number/],
    ["cycle number 1.5", { cycles: [{ cycle: 1.5 }] }, /^\$\.cycles\[0\]\.cycle: 1\.5 is not a cycle number/],
    [
      "cycles out of order",
      { cycles: [cycle(2, null), cycle(1, null)] },
      /^\$\.cycles\[0\]\.cycle: cycles out of order: cycle 2 is listed at position 1/,
    ],
    ["a skipped cycle", { cycles: [cycle(1, null), cycle(3, null)] }, /^\$\.cycles\[1\]\.cycle: cycles out of order/],
    [
      "dates out of order",
      { cycles: [cycle(1, null, "2027-04-12"), cycle(2, null, "2027-01-18")] },
      /^\$\.cycles\[1\]\.date: cycles out of order: 2027-01-18 is not after/,
    ],
    [
      "two cycles the same day",
      { cycles: [cycle(1, null, "2027-01-18"), cycle(2, null, "2027-01-18")] },
      /^\$\.cycles\[1\]\.date: cycles out of order/,
    ],
    [
      "an impossible date",
      { cycles: [cycle(1, null, "2027-02-30")] },
      /^\$\.cycles\[0\]\.date: "2027-02-30" is not a real date/,
    ],
    [
      "a negative dose",
      dosimetry(q(-0.1, "Gy")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose\.value: kidney_dose cannot be negative \(-0\.1 Gy\)/,
    ],
    [
      "a negative dose as text",
      dosimetry(q("-4", "mGy")),
      /kidney_dose\.value: kidney_dose cannot be negative \(-4 mGy\)/,
    ],
    [
      "a dose without unit",
      dosimetry(4.1),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose: kidney_dose is a quantity: give its unit, e\.g\. \{"value": 4\.1, "unit": "Gy"\}/,
    ],
    [
      "a dose object without unit",
      dosimetry({ value: 4.1 }),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose: kidney_dose is a quantity: give its unit/,
    ],
    [
      "an unknown unit",
      dosimetry(q(4.1, "Gray")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose\.unit: unknown unit "Gray"/,
    ],
    [
      "a unit of another kind",
      dosimetry(q(4.1, "mL")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose\.unit: "mL" cannot express kidney_dose/,
    ],
    [
      "an equivalent dose (Sv)",
      dosimetry(q(4.1, "Sv")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose\.unit: "Sv" measures an equivalent dose/,
    ],
    [
      "a dose that is not a number",
      dosimetry(q("4,1", "Gy")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose\.value: "4,1" is not a decimal number/,
    ],
    [
      "an implausible dose",
      dosimetry(q(150, "Gy")),
      /^\$\.cycles\[0\]\.dosimetry\.kidney_dose: 150 Gy is outside the plausible range 0 to 100 Gy/,
    ],
    [
      "dosimetry not an object",
      { cycles: [{ cycle: 1, dosimetry: [4.1] }] },
      /^\$\.cycles\[0\]\.dosimetry: must be an object/,
    ],
    [
      "a row naming another cycle",
      { cycles: [{ cycle: 1, dosimetry: { cycle_number: 2, kidney_dose: q(4, "Gy") } }] },
      /^\$\.cycles\[0\]\.dosimetry\.cycle_number: says cycle 2, but it belongs to cycle 1/,
    ],
    ["labs not an object", { cycles: [], labs: "normal" }, /^\$\.labs: must be an object of laboratory values/],
    [
      "a lab value without unit",
      { cycles: [], labs: normalLabs({ platelets: 180 }) },
      /^\$\.labs\.platelets: platelets is a quantity: give its unit/,
    ],
    [
      "a negative ULN",
      { cycles: [], labs: normalLabs({ ast: q(30, "U/L", { uln: -40 }) }) },
      /^\$\.labs\.ast\.uln\.value: a reference limit must be positive/,
    ],
    [
      "a ULN the protocol does not define",
      { cycles: [], labs: normalLabs({ platelets: q(180, "10*9/L", { uln: 400 }) }) },
      /^\$\.labs\.platelets\.uln: platelets has no ULN in the protocol/,
    ],
    [
      "a zero baseline",
      { cycles: [], labs: normalLabs(), baseline: { creatinine: q(0, "mg/dL") } },
      /^\$\.baseline\.creatinine\.value: a baseline must be positive/,
    ],
    [
      "labs dated before the last cycle",
      { cycles: [cycle(1, null, "2027-01-18")], labs: { ...normalLabs(), date: "2027-01-18" } },
      /^\$\.labs\.date: the labs are dated 2027-01-18, not after the last cycle given/,
    ],
    [
      "a lab date that is not a date",
      { cycles: [], labs: { ...normalLabs(), date: "18/01/2027" } },
      /^\$\.labs\.date: "18\/01\/2027" is not a real date/,
    ],
  ] as const)("%s", (_, history, message) => {
    expect(errors(history)).toContainEqual(expect.stringMatching(message));
  });

  it("every problem is reported in one run", () => {
    const e = errors({
      cycles: [{ cycle: 1, dosimetry: { kidney_dose: q(-1, "Gy"), marrow_dose: 0.2 } }, { cycle: 3 }],
      labs: normalLabs({ platelets: 180 }),
    });
    expect(e.map((x) => x.split(":")[0])).toEqual([
      "$.cycles[0].dosimetry.kidney_dose.value",
      "$.cycles[0].dosimetry.marrow_dose",
      "$.cycles[1].cycle",
      "$.labs.platelets",
    ]);
  });
});

describe("accepted oddities are warnings", () => {
  it("unknown fields at every level are named and ignored", () => {
    const h = {
      ...kidneyHistory([4]),
      patient: "P-001",
      labs: normalLabs({ ecog: 1, creatinine: { ...q(0.92, "mg/dL", { uln: 1.2 }), baseline: 0.8 } }),
    };
    (h.cycles[0] as Record<string, unknown>).activity = q(7.4, "GBq");
    const d = decided(decideCycle(ir, h));
    expect(d.warnings.map((w) => w.path)).toEqual([
      "$.patient",
      "$.cycles[0].activity",
      "$.labs.ecog",
      "$.labs.creatinine.baseline",
    ]);
    expect(d.warnings[3]!.message).toMatch(/give pre-treatment values in "baseline" at the top level/);
    expect(d.decision).toBe("proceed");
  });

  it("a null dosimetry, lab or baseline is missing, not an error", () => {
    const d = decided(
      decideCycle(ir, {
        cycles: [{ cycle: 1, dosimetry: null }],
        labs: normalLabs({ platelets: null }),
        baseline: null,
      }),
    );
    expect(d.decision).toBe("unknown");
    expect(d.missing).toEqual(
      expect.arrayContaining(["cycles[0].dosimetry.kidney_dose", "labs.platelets", "baseline.creatinine"]),
    );
  });

  it("an absolute GFR in the labs is normalised with the BSA of the same labs, as the seed declares", () => {
    const renal = (labs: Record<string, unknown>) => {
      const h = kidneyHistory([4], normalLabs(labs));
      const r = decideCycle(ir, h);
      expect(compiled.decideCycle(h)).toEqual(JSON.parse(JSON.stringify(r)));
      return decided(r).rules.find((x) => x.name === "renal")!;
    };
    // 55 mL/min x 1.73 / 2.1 m2 = 45.309… mL/min/{1.73_m2} < 50: delay, though 55 >= 50.
    const met = renal({ gfr: q(55, "mL/min"), bsa: q("2.1", "m2") });
    expect(met.verdict).toBe("met");
    expect(met.steps[0]!.detail).toMatch(
      /^45\.309\d* mL\/min\/\{1\.73_m2\} \(55 mL\/min × 1\.73 m2 \/ BSA 2\.1 m2\) < 50/,
    );
    const open = renal({ gfr: q(55, "mL/min") });
    expect(open.verdict).toBe("unknown");
    expect(open.missing).toEqual(["labs.bsa"]);
  });

  it("an LLN in the absolute unit is normalised with the same BSA; without it only the LLN is unknown", () => {
    const ckd = (labs: Record<string, unknown>) => {
      const h = kidneyHistory([4], normalLabs(labs));
      const r = decideCycle(ir, h);
      expect(compiled.decideCycle(h)).toEqual(JSON.parse(JSON.stringify(r)));
      const d = decided(r);
      return { grade: d.grades.find((g) => g.term === "chronic_kidney_disease")!, renal: verdicts(d).renal };
    };
    const gfr = { value: 70, unit: "mL/min/{1.73_m2}", lln: { value: 100, unit: "mL/min" } };
    // LLN 100 mL/min x 1.73 / 2 m2 = 86.5 mL/min/{1.73_m2}: an eGFR of 70 is below it, CKD grade 1.
    const known = ckd({ gfr, bsa: q(2, "m2") });
    expect(known.grade).toMatchObject({ grade: 1 });
    expect(known.renal).toBe("not_met");
    // Without the BSA the LLN is unknown (grade 0 or 1, naming the BSA); the renal rule reads the value alone.
    const open = ckd({ gfr });
    expect(open.grade).toMatchObject({ grade: null, range: [0, 1] });
    expect(open.grade.missing).toContain("labs.bsa");
    expect(open.renal).toBe("not_met");
  });
});
