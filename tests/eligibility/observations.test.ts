/**
 * Measured elements hold timed results (issue 10): the selection a rule reads, what to
 * collect when no result qualifies, reference limits with their own unit, annotated
 * units, the GFR method. Every case runs through the interpreter and the compiled
 * module, which must agree, explanations included.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { CriterionResult, EligibilityResult } from "../../src/runtime/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { importEligibility, writeGenerated, type EligibilityModule } from "../generated.js";

const SEED = "protocols/lu177-octreotate.trial";
const base = JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8")) as Record<string, unknown>;

let ir: IrProtocol;
let compiled: EligibilityModule;

beforeAll(async () => {
  const r = compileFile(SEED);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  ir = r.ir!;
  compiled = await importEligibility(writeGenerated(ir, "observations"));
});

/** Evaluate with both evaluators; they must agree. */
function both(patient: unknown) {
  const interpreted = evaluateEligibility(ir, patient);
  expect(compiled.evaluateEligibility(patient)).toEqual(JSON.parse(JSON.stringify(interpreted)));
  return interpreted;
}

function result(patient: unknown): EligibilityResult {
  const r = both(patient);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return r.result;
}

function criterion(r: EligibilityResult, id: string): CriterionResult {
  const walk = (cs: CriterionResult[]): CriterionResult | undefined => {
    for (const c of cs) {
      if (c.id === id) return c;
      const k = walk(c.children);
      if (k) return k;
    }
    return undefined;
  };
  return walk([...r.inclusion, ...r.exclusion])!;
}

const errorsOf = (patient: unknown) => {
  const r = both(patient);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe("result selection (latest within [D0 - 4 wk, D0 - 1 d])", () => {
  it("reads the latest result in the window and names it with its date", () => {
    const r = result({
      ...base,
      hemoglobin: {
        results: [
          { value: 8.5, unit: "g/dL", at: "2027-01-05" },
          { value: 9.5, unit: "g/dL", at: "2027-01-12" },
          { value: 7, unit: "g/dL", at: "2027-01-18" }, // on D0: outside the window
          { value: 6, unit: "g/dL", at: "2026-11-30" }, // too old
        ],
      },
    });
    const hb = criterion(r, "I7a");
    expect(hb.verdict).toBe("met");
    expect(hb.steps[0]!.detail).toBe("9.5 g/dL on 2027-01-12 >= 9 g/dL");
  });

  it("results only outside the window: unknown, collect a new one in the window", () => {
    const r = result({ ...base, hemoglobin: { results: [{ value: 12, unit: "g/dL", at: "2026-12-01" }] } });
    const hb = criterion(r, "I7a");
    expect(hb.verdict).toBe("unknown");
    expect(hb.missing).toEqual(["a new hemoglobin (from 2026-12-21 to 2027-01-17)"]);
    expect(r.verdict).toBe("indeterminate");
  });

  it("an undated result cannot be placed in the window: unknown", () => {
    const r = result({ ...base, hemoglobin: { value: 12, unit: "g/dL" } });
    expect(criterion(r, "I7a").verdict).toBe("unknown");
    expect(criterion(r, "I7a").missing).toEqual(["the date of every hemoglobin result"]);
  });

  it("two results at the same time that disagree: unknown, whatever their order", () => {
    const a = { value: 8, unit: "g/dL", at: "2027-01-12" };
    const b = { value: 10, unit: "g/dL", at: "2027-01-12" };
    for (const results of [
      [a, b],
      [b, a],
    ])
      expect(criterion(result({ ...base, hemoglobin: { results } }), "I7a").verdict).toBe("unknown");
    // The same value in two units is one result.
    const same = { value: 100, unit: "g/L", at: "2027-01-12" };
    expect(criterion(result({ ...base, hemoglobin: { results: [same, b] } }), "I7a").verdict).toBe("met");
  });

  it("a result time must be a real date or date-time", () => {
    expect(errorsOf({ ...base, hemoglobin: { value: 12, unit: "g/dL", at: "2027-02-30" } })).toEqual([
      '$.hemoglobin.at: "2027-02-30" is not a real date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS], optionally with a UTC offset)',
    ]);
  });

  it("refuses a result with both forms or no unit, and warns of unknown fields, with JSON paths", () => {
    expect(errorsOf({ ...base, hemoglobin: { results: [], value: 1, unit: "g/dL" } })).toEqual([
      '$.hemoglobin.unit: give either "results" (a list) or one result\'s fields, not both',
    ]);
    // An unknown field is a warning, as in every data file: "date" is not read, so the
    // result has no time and the rule that needs one is unknown.
    const undated = result({ ...base, hemoglobin: { results: [{ value: 12, unit: "g/dL", date: "2027-01-12" }] } });
    expect(undated.warnings).toEqual([
      {
        path: "$.hemoglobin.results[0].date",
        message: '"date" is not a field of a result (value, unit, at, uln, lln, method, specimen) and was ignored',
      },
    ]);
    expect(errorsOf({ ...base, hemoglobin: { value: 12 } })).toEqual([
      "$.hemoglobin.unit: required: the result's unit",
    ]);
  });
});

describe("results at one time that agree on the value but not on their limits", () => {
  /** A total bilirubin of 1 mg/dL on 2027-01-12 with the given ULN (omitted when null). */
  const bili = (uln: { value: string; unit: string } | null, unit = "mg/dL", value = "1") => ({
    value,
    unit,
    at: "2027-01-12",
    ...(uln ? { uln } : {}),
  });
  const i8a = (...results: object[]) => criterion(result({ ...base, total_bilirubin: { results } }), "I8a");

  it("two ULNs that differ: the ULN rule is unknown and says so, whatever the order", () => {
    // With a ULN of 0.4 the value is above 2 x ULN, with 1.2 it is below: the first listed decided.
    const a = bili({ value: "0.4", unit: "mg/dL" });
    const b = bili({ value: "1.2", unit: "mg/dL" });
    for (const c of [i8a(a, b), i8a(b, a)]) {
      expect(c.verdict).toBe("unknown");
      expect(c.missing).toEqual(["total_bilirubin.uln (two results on 2027-01-12 disagree on the ULN)"]);
    }
  });

  it("one gives a ULN and the other none: unknown too, never the first listed", () => {
    const a = bili({ value: "1.2", unit: "mg/dL" });
    const b = bili(null);
    for (const c of [i8a(a, b), i8a(b, a)]) {
      expect(c.verdict).toBe("unknown");
      expect(c.missing).toEqual(["total_bilirubin.uln (two results on 2027-01-12 disagree on the ULN)"]);
    }
  });

  it("the same ULN in two units, or beside the value in another unit, agrees: decided, explained alike in any order", () => {
    // 1.2 mg/dL is 20.52… umol/L at 584.66 g/mol; 1 mg/dL is 17.1039… umol/L: compare exactly.
    const a = bili({ value: "1.2", unit: "mg/dL" });
    const b = bili({ value: "12", unit: "mg/L" });
    const c = bili({ value: "12", unit: "mg/L" }, "mg/L", "10");
    const runs = [i8a(a, b, c), i8a(c, b, a), i8a(b, c, a)];
    for (const r of runs) expect(r.verdict).toBe("met");
    expect(runs[1]!.steps).toEqual(runs[0]!.steps);
    expect(runs[2]!.steps).toEqual(runs[0]!.steps);
  });

  it("a rule that reads only the value is decided when the limits disagree", () => {
    const hb = (lln: string) => ({ value: 10, unit: "g/dL", at: "2027-01-12", lln: { value: lln, unit: "g/dL" } });
    const r = result({ ...base, hemoglobin: { results: [hb("12"), hb("13.5")] } });
    expect(criterion(r, "I7a").verdict).toBe("met");
  });
});

describe("issue 10 defects", () => {
  it("defect 1: a GFR per the patient's own BSA is not a normalised GFR", () => {
    expect(
      errorsOf({ ...base, gfr: { value: 52, unit: "mL/min/{BSA}", at: "2027-01-13", method: "51Cr-EDTA" } }),
    ).toEqual(['$.gfr.unit: "mL/min/{BSA}" cannot express gfr, which is measured in mL/min/{1.73_m2}']);
  });

  it("defect 1: an absolute GFR (mL/min) is normalised with the BSA, as the seed declares, never read 1:1", () => {
    const gfr = { value: 52, unit: "mL/min", at: "2027-01-13", method: "51Cr-EDTA" };
    // Without a BSA, I6 is unknown and names it; 52 mL/min is not 52 mL/min/{1.73_m2}.
    const without = criterion(result({ ...base, gfr }), "I6");
    expect(without.verdict).toBe("unknown");
    expect(without.missing).toEqual(["bsa"]);
    // 52 mL/min x 1.73 / 2.1 m2 = 42.838… < 50: not met, though 52 >= 50.
    const i6 = criterion(result({ ...base, gfr, bsa: { value: "2.1", unit: "m2", at: "2027-01-12" } }), "I6");
    expect(i6.verdict).toBe("not_met");
    expect(i6.steps[0]!.detail).toBe(
      "42.83809523809523809523809523809523809524 mL/min/{1.73_m2} on 2027-01-13 (52 mL/min × 1.73 m2 / BSA 2.1 m2 on 2027-01-12) >= 50 mL/min/{1.73_m2}",
    );
  });

  it("defect 2: a ULN in another unit than the value is converted exactly", () => {
    // 2 x 1.2 mg/dL = 2.4 mg/dL = 41.0497… umol/L (584.66 g/mol): 41 umol/L is within, 41.1 is not.
    const bili = (value: string) => ({
      ...base,
      total_bilirubin: { value, unit: "umol/L", uln: { value: "1.2", unit: "mg/dL" }, at: "2027-01-13" },
    });
    const met = criterion(result(bili("41")), "I8a");
    expect(met.verdict).toBe("met");
    expect(met.steps[0]!.detail).toMatch(
      /^41 umol\/L on 2027-01-13 <= 2 x ULN \(ULN 1\.2 mg\/dL, so 2\.4 mg\/dL \(= 41\.04/,
    );
    expect(criterion(result(bili("41.1")), "I8a").verdict).toBe("not_met");
  });

  it("defect 2: a reference limit without its own unit is an error, not a guess", () => {
    expect(errorsOf({ ...base, total_bilirubin: { value: 41, unit: "umol/L", uln: 1.2, at: "2027-01-13" } })).toEqual([
      '$.total_bilirubin.uln: a reference limit needs its own value and unit, e.g. {"value": 1.2, "unit": "mg/dL"}',
    ]);
  });

  it("defect 4: a GFR by another method leaves I6 unknown and names the 51Cr-EDTA GFR to collect", () => {
    const r = result({
      ...base,
      gfr: { value: 80, unit: "mL/min/{1.73_m2}", at: "2027-01-13", method: "CKD-EPI estimate" },
    });
    const i6 = criterion(r, "I6");
    expect(i6.verdict).toBe("unknown");
    expect(i6.missing).toEqual(["a new gfr by 51Cr-EDTA (from 2026-12-21 to 2027-01-17)"]);
    expect(r.verdict).toBe("indeterminate");
  });
});

describe("properties", () => {
  const LABS = ["hemoglobin", "platelets", "neutrophils", "albumin", "gfr"] as const;
  const verdicts = (r: EligibilityResult) => {
    const out: Record<string, string> = {};
    const walk = (c: CriterionResult) => {
      out[c.id] = c.verdict;
      c.children.forEach(walk);
    };
    [...r.inclusion, ...r.exclusion].forEach(walk);
    return out;
  };
  /** A dated result outside [2026-12-21, 2027-01-17]. */
  const outside = fc
    .oneof(
      fc.integer({ min: 1, max: 400 }).map((n) => -n),
      fc.integer({ min: 0, max: 400 }),
    )
    .map((n) => {
      const d = new Date(Date.UTC(2026, 11, 21));
      d.setUTCDate(d.getUTCDate() + (n < 0 ? n : 28 + n));
      return d.toISOString().slice(0, 10);
    });

  it("adding a result outside the window changes no decision; the order of results never matters", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LABS),
        outside,
        fc.integer({ min: 500, max: 2000 }),
        fc.boolean(),
        (name, at, n, first) => {
          const own = base[name] as Record<string, unknown>;
          // Anywhere from half to twice the in-window value: plausible, and on either side of every threshold.
          const extra = { ...own, value: String((Number(own.value) * n) / 1000), at };
          const before = verdicts(result(base));
          const results = first ? [extra, own] : [own, extra];
          const after = verdicts(result({ ...base, [name]: { results } }));
          expect(after).toEqual(before);
          const reversed = verdicts(result({ ...base, [name]: { results: [...results].reverse() } }));
          expect(reversed).toEqual(after);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("the order of results never matters (property)", () => {
  /** Every criterion's verdict, missing data and explanation, by id. */
  const everything = (r: EligibilityResult) => {
    const out: Record<string, unknown> = {};
    const walk = (c: CriterionResult) => {
      out[c.id] = { verdict: c.verdict, missing: c.missing, steps: c.steps };
      c.children.forEach(walk);
    };
    [...r.inclusion, ...r.exclusion].forEach(walk);
    return { out, verdict: r.verdict, missing: r.missing };
  };
  /**
   * A bilirubin result near the I8a boundary (1 mg/dL against 2 x ULN of 0.4 or 1.2 mg/dL):
   * few times and quantities, each in two units, so that ties that agree on the value are common.
   */
  const limit = fc.option(
    fc.constantFrom(
      { value: "0.4", unit: "mg/dL" },
      { value: "4", unit: "mg/L" },
      { value: "1.2", unit: "mg/dL" },
      { value: "12", unit: "mg/L" },
    ),
    { nil: undefined },
  );
  const one = fc
    .record({
      q: fc.constantFrom({ value: "1", unit: "mg/dL" }, { value: "10", unit: "mg/L" }, { value: "2.4", unit: "mg/dL" }),
      at: fc.constantFrom("2027-01-10", "2027-01-12"),
      uln: limit,
      method: fc.constantFrom("diazo", "DIAZO", "enzymatic"),
    })
    .map(({ q, at, uln, method }) => ({ ...q, at, method, ...(uln ? { uln } : {}) }));

  it("permuting a measured element's results never changes a decision, the missing data or an explanation", () => {
    fc.assert(
      fc.property(
        fc
          .array(one, { minLength: 1, maxLength: 5 })
          .chain((rs) =>
            fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length })),
          ),
        ([results, shuffled]) => {
          const a = result({ ...base, total_bilirubin: { results } });
          const b = result({ ...base, total_bilirubin: { results: shuffled } });
          expect(everything(b)).toEqual(everything(a));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("date-time anchors in the trial's time zone (Europe/Brussels)", () => {
  // D0 is the injection on Monday 2027-03-29 at 09:00 CEST, the day after the spring change:
  // 48 elapsed hours earlier is Saturday 2027-03-27 at 08:00 CET, not 09:00.
  const dst = (lastDose: string, d0 = "2027-03-29T09:00") =>
    criterion(
      result({
        ...base,
        anchors: { inclusion: "2027-03-15", D0: d0 },
        long_acting_ssa_used: false,
        short_acting_ssa_used: true,
        last_short_acting_ssa: lastDose,
      }),
      "I5",
    );

  it("I5: 48 h before the injection counts elapsed hours across the DST change", () => {
    expect(dst("2027-03-27T08:00").verdict).toBe("met");
    expect(dst("2027-03-27T08:01").verdict).toBe("not_met");
    const details = dst("2027-03-27T08:00").steps.map((x) => x.detail);
    expect(details).toContain("2027-03-27T08:00 <= 2027-03-27T08:00 (2027-03-29T09:00 - 48 h)");
  });

  it("I5 with D0 only a date: 00:00 two days before it, on the wall clock, as its interpretation says", () => {
    // 2027-03-27T00:00 to 2027-03-29T00:00 is 47 elapsed hours (the clocks go forward on the 28th).
    expect(dst("2027-03-27T00:00", "2027-03-29").verdict).toBe("met");
    expect(dst("2027-03-27T00:01", "2027-03-29").verdict).toBe("not_met");
  });

  it("an anchor with a UTC offset is read in the trial's zone", () => {
    expect(dst("2027-03-27T08:00", "2027-03-29T07:00:00Z").verdict).toBe("met");
    expect(dst("2027-03-27T08:01", "2027-03-29T09:00:00+02:00").verdict).toBe("not_met");
  });

  it("with D0 at a time of day, a baseline result dated on the window's first day is inside it", () => {
    const r = result({
      ...base,
      anchors: { inclusion: "2027-01-04", D0: "2027-01-18T09:00" },
      hemoglobin: { value: 10, unit: "g/dL", at: "2026-12-21" },
    });
    expect(criterion(r, "I7a").verdict).toBe("met");
  });

  it("a result time with a UTC offset is converted to the trial's zone", () => {
    const r = result({ ...base, hemoglobin: { value: 10, unit: "g/dL", at: "2027-01-17T23:30:00Z" } });
    // 23:30 UTC on 17 January is 00:30 on the 18th in Brussels: D0, outside [D0 - 4 wk, D0 - 1 d].
    expect(criterion(r, "I7a").verdict).toBe("unknown");
  });
});
