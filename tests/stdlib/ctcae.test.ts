/**
 * CTCAE v4.03 grading: every boundary of the domain README §3.2, the float hazards
 * of §3.3, missing references, and a monotonicity property over the whole table.
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradeCtcae, type CtcaeInput, type CtcaeResult } from "../../src/runtime/ctcae.js";
import {
  CTCAE_V403,
  ctcaeTerm,
  ctcaeV403Json,
  gradeCtcaeTerm,
  type CtcaeV403TermId,
} from "../../src/stdlib/ctcae-v4.03.js";

const g = (id: CtcaeV403TermId, input: CtcaeInput): CtcaeResult["grade"] => gradeCtcaeTerm(id, input).grade;

describe("decreasing terms: the lower printed number belongs to the grade (§3.2)", () => {
  it.each([
    ["10.0", "12.0", 1],
    ["11.9", "12.0", 1],
    ["12.0", "12.0", 0],
    ["9.99", "12.0", 2],
    ["8.0", "12.0", 2],
    ["7.99", "12.0", 3],
    ["3.0", "12.0", 3], // never 4: grade 4 is clinical only
  ] as const)("hemoglobin %s g/dL with LLN %s → %i", (value, lln, grade) => {
    expect(g("anemia", { value, lln })).toBe(grade);
  });

  it.each([
    ["75", 1],
    ["75.0", 1],
    ["74.99", 2],
    ["50", 2],
    ["49.9", 3],
    ["25", 3],
    ["24.9", 4],
    ["0", 4],
    ["150", 0],
  ] as const)("platelets %s 10*9/L with LLN 150 → %i", (value, grade) => {
    expect(g("platelet_count_decreased", { value, lln: "150" })).toBe(grade);
  });

  it("explains the numbers compared", () => {
    expect(gradeCtcaeTerm("platelet_count_decreased", { value: "74.9" })).toEqual({
      grade: 2,
      explanation: "platelets 74.9 10*9/L: 50.0 <= x < 75.0 → grade 2",
      criterion: "50.0 <= x < 75.0",
    });
  });

  it.each([
    ["neutrophil_count_decreased", "1.5", "1.0", "0.5"],
    ["lymphocyte_count_decreased", "0.8", "0.5", "0.2"],
    ["white_blood_cell_decreased", "3.0", "2.0", "1.0"],
  ] as const)("%s: thresholds %s / %s / %s", (id, t1, t2, t3) => {
    const lln = "100";
    expect(g(id, { value: t1, lln })).toBe(1);
    expect(g(id, { value: new Decimal(t1).minus("0.01").toString(), lln })).toBe(2);
    expect(g(id, { value: t2, lln })).toBe(2);
    expect(g(id, { value: new Decimal(t2).minus("0.01").toString(), lln })).toBe(3);
    expect(g(id, { value: t3, lln })).toBe(3);
    expect(g(id, { value: new Decimal(t3).minus("0.01").toString(), lln })).toBe(4);
  });

  it("hypoalbuminemia: 3 → 1, 2.99 → 2, 2 → 2, 1.99 → 3, never 4", () => {
    expect(g("hypoalbuminemia", { value: "3", lln: "3.5" })).toBe(1);
    expect(g("hypoalbuminemia", { value: "2.99" })).toBe(2);
    expect(g("hypoalbuminemia", { value: "2" })).toBe(2);
    expect(g("hypoalbuminemia", { value: "1.99" })).toBe(3);
    expect(g("hypoalbuminemia", { value: "0.5" })).toBe(3);
  });
});

describe("grade 1 of decreasing terms needs the LLN (§3.2)", () => {
  it("without LLN, a value above the grade-2 threshold is 0 or 1", () => {
    const r = gradeCtcaeTerm("anemia", { value: "10.0" });
    expect(r.grade).toBeNull();
    expect(r.atLeast).toBe(0);
    expect(r.atMost).toBe(1);
    expect(r.explanation).toContain("needs LLN");
  });
  it("without LLN, a value below the grade-2 threshold is graded", () => {
    expect(g("anemia", { value: "9.9" })).toBe(2);
  });
  it("a value at or above the LLN is grade 0", () => {
    expect(g("platelet_count_decreased", { value: "150", lln: "150" })).toBe(0);
  });
  it("an LLN below the grade-1 floor leaves grade 1 empty, not grade 2", () => {
    expect(g("anemia", { value: "10.0", lln: "9.5" })).toBe(0);
  });
});

describe("increasing terms: the upper printed number belongs to the grade (§3.2)", () => {
  it("AST exactly 3 × ULN → 1, just above → 2", () => {
    expect(g("aspartate_aminotransferase_increased", { value: "120", uln: "40" })).toBe(1);
    expect(g("aspartate_aminotransferase_increased", { value: "120.01", uln: "40" })).toBe(2);
    expect(g("alanine_aminotransferase_increased", { value: "200", uln: "40" })).toBe(2);
    expect(g("alanine_aminotransferase_increased", { value: "800", uln: "40" })).toBe(3);
    expect(g("alanine_aminotransferase_increased", { value: "800.1", uln: "40" })).toBe(4);
  });
  it("at the ULN is grade 0", () => {
    expect(g("aspartate_aminotransferase_increased", { value: "40", uln: "40" })).toBe(0);
  });
  it("bilirubin 1.8 with ULN 1.2 is exactly 1.5 × ULN → 1 (1.5 * 1.2 = 1.7999999999999998 in floats)", () => {
    expect(1.5 * 1.2).not.toBe(1.8); // the hazard is real
    const r = gradeCtcaeTerm("blood_bilirubin_increased", { value: "1.8", uln: "1.2" });
    expect(r.grade).toBe(1);
    expect(r.explanation).toBe("bilirubin 1.8 (ULN 1.2): 1.2 < x <= 1.8 [ULN < x <= 1.5 × ULN] → grade 1");
  });
  it("bilirubin 3.6 with ULN 1.2 is exactly 3 × ULN → 2; 12 is exactly 10 × ULN → 3", () => {
    expect(g("blood_bilirubin_increased", { value: "3.6", uln: "1.2" })).toBe(2);
    expect(g("blood_bilirubin_increased", { value: "12", uln: "1.2" })).toBe(3);
    expect(g("blood_bilirubin_increased", { value: "12.0001", uln: "1.2" })).toBe(4);
  });
  it("needs the ULN", () => {
    const r = gradeCtcaeTerm("blood_bilirubin_increased", { value: "1.8" });
    expect(r).toMatchObject({ grade: null, atLeast: 0, atMost: 4 });
  });
  it("accepts Decimal inputs from any clone", () => {
    const D = Decimal.clone({ precision: 20 });
    expect(g("blood_bilirubin_increased", { value: new D("1.8"), uln: new Decimal("1.2") })).toBe(1);
  });
  it("rejects non-decimal text and non-positive references", () => {
    expect(() => gradeCtcaeTerm("anemia", { value: "NaN" })).toThrow(TypeError);
    expect(() => gradeCtcaeTerm("anemia", { value: "0x10" })).toThrow(TypeError);
    expect(() => gradeCtcaeTerm("anemia", { value: "9", lln: "0" })).toThrow(RangeError);
  });
});

describe("creatinine: ULN and baseline alternatives, the highest grade wins (§3.2)", () => {
  it("1.05 with ULN 0.7 is exactly 1.5 × ULN → 1 (1.05 / 0.7 = 1.5000000000000002 in floats)", () => {
    expect(g("creatinine_increased", { value: "1.05", uln: "0.7", baseline: "1.05" })).toBe(1);
  });
  it("1.6 × baseline within the ULN → 2 by the baseline alternative", () => {
    const r = gradeCtcaeTerm("creatinine_increased", { value: "0.8", uln: "1.1", baseline: "0.5" });
    expect(r.grade).toBe(2);
    expect(r.criterion).toBe("1.5 × baseline < x <= 3.0 × baseline");
  });
  it("2.1 with baseline 0.7 is exactly 3 × baseline → 2; above → 3 (no upper bound)", () => {
    expect(g("creatinine_increased", { value: "2.1", uln: "5", baseline: "0.7" })).toBe(2);
    expect(g("creatinine_increased", { value: "2.11", uln: "5", baseline: "0.7" })).toBe(3);
  });
  it("grade 4 only by ULN: > 6.0 × ULN", () => {
    expect(g("creatinine_increased", { value: "6", uln: "1", baseline: "1" })).toBe(3);
    expect(g("creatinine_increased", { value: "6.01", uln: "1", baseline: "1" })).toBe(4);
  });
  it("without baseline the grade stays open unless the ULN alternative decides it", () => {
    expect(gradeCtcaeTerm("creatinine_increased", { value: "1.2", uln: "1" })).toMatchObject({
      grade: null,
      atLeast: 1,
      atMost: 3,
    });
    expect(g("creatinine_increased", { value: "3.5", uln: "1" })).toBe(3);
    expect(g("creatinine_increased", { value: "7", uln: "1" })).toBe(4);
  });
});

describe("chronic kidney disease: continuous intervals over the printed integers (§3.2)", () => {
  it.each([
    ["60", "90", 1],
    ["59.5", "90", 2],
    ["30", "90", 2],
    ["29.5", "90", 3],
    ["15", "90", 3],
    ["14.9", "90", 4],
  ] as const)("eGFR %s with LLN %s → %i", (value, lln, grade) => {
    expect(g("chronic_kidney_disease", { value, lln })).toBe(grade);
  });
  it("eGFR 90 with LLN 90: 0 or 1, since proteinuria 2+ or a UPCR > 0.5 is grade 1 too (issue 10, defect 5)", () => {
    expect(gradeCtcaeTerm("chronic_kidney_disease", { value: "90", lln: "90" })).toMatchObject({
      grade: null,
      atLeast: 0,
      atMost: 1,
      needs: ["proteinuria 2+ present (dipstick)", "urine protein/creatinine ratio > 0.5"],
    });
  });
  it("eGFR 75 without LLN: 0 or 1", () => {
    expect(gradeCtcaeTerm("chronic_kidney_disease", { value: "75" })).toMatchObject({ grade: null, atMost: 1 });
  });
});

describe("the table as data", () => {
  it("holds the eleven terms, each with a UCUM unit and grade texts 1–5", () => {
    expect(CTCAE_V403.map((e) => e.term)).toHaveLength(11);
    for (const e of CTCAE_V403) {
      expect(e.version).toBe("4.03");
      expect(e.unit).toMatch(/^(1|g\/dL|10\*9\/L|mL\/min\/\{1\.73_m2\})$/);
      expect(e.unit === "1").toBe(e.relativeTo !== undefined);
      expect(Object.keys(e.gradeTexts)).toEqual(["1", "2", "3", "4", "5"]);
      expect(e.grades.map((r) => r.grade)).toEqual([1, 2, 3, 4]);
      expect(e.source).toContain("2010-06-14");
    }
    expect(ctcaeTerm("no_such_term")).toBeUndefined();
  });
  it("is frozen", () => {
    expect(Object.isFrozen(CTCAE_V403[0]?.grades[0]?.criteria[0])).toBe(true);
  });
  it("grades identically from its JSON form", () => {
    const json = JSON.parse(JSON.stringify(ctcaeV403Json())) as ReturnType<typeof ctcaeV403Json>;
    expect(json.terms).toEqual(CTCAE_V403);
    const platelets = json.terms.find((t) => t.term === "platelet_count_decreased");
    expect(platelets && gradeCtcae(platelets, { value: "74.9" }).grade).toBe(2);
  });
});

/** A decimal string with up to two decimals in [0, max). */
const decimalText = (max: number) =>
  fc.integer({ min: 0, max: max * 100 }).map((n) => new Decimal(n).div(100).toString());
const positiveText = (max: number) =>
  fc.integer({ min: 1, max: max * 100 }).map((n) => new Decimal(n).div(100).toString());

/** The grades still possible, as [low, high]. */
function range(r: CtcaeResult): [number, number] {
  return r.grade === null ? [r.atLeast ?? 0, r.atMost ?? 4] : [r.grade, r.grade];
}

describe("property: the grade never improves as the value worsens", () => {
  for (const entry of CTCAE_V403) {
    it(`${entry.term} (${entry.direction})`, () => {
      fc.assert(
        fc.property(
          decimalText(500),
          decimalText(500),
          fc.record({
            uln: fc.option(positiveText(100), { nil: undefined }),
            lln: fc.option(positiveText(200), { nil: undefined }),
            baseline: fc.option(positiveText(100), { nil: undefined }),
          }),
          (a, b, refs) => {
            const [better, worse] = (entry.direction === "decreasing") === new Decimal(a).gte(b) ? [a, b] : [b, a];
            const rb = range(gradeCtcae(entry, { value: better, ...refs }));
            const rw = range(gradeCtcae(entry, { value: worse, ...refs }));
            expect(rw[0]).toBeGreaterThanOrEqual(rb[0]);
            expect(rw[1]).toBeGreaterThanOrEqual(rb[1]);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
  it("with every reference present the grade is decided or names the other measurement", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CTCAE_V403),
        decimalText(500),
        positiveText(100),
        positiveText(100),
        (e, v, r1, r2) => {
          // Decided, unless a grade stays reachable through another measurement, which it then names.
          const r = gradeCtcae(e, { value: v, uln: r1, lln: r2, baseline: r1 });
          if (r.grade === null) expect(r.needs?.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
