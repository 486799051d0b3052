/**
 * Comparisons with a CTCAE grade known only as a range, in every form the language
 * allows: the grade on either side, `=`/`!=`, two grades, negation and other conditions
 * around them. A small protocol written for the purpose, run through both targets.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { decideCycle } from "../../src/interpret/toxicity.js";
import { lowerGradeTests } from "../../src/lower/grade-tests.js";
import type { IrProtocol } from "../../src/ir/types.js";
import type { CycleDecision } from "../../src/runtime/toxicity.js";
import { compile, expectClean } from "../helpers.js";
import { decided, importToxicity, q, verdicts, type ToxicityModule } from "./helpers.js";

const PROTOCOL = `trial "T-1" { title "Test trial" }
use ctcae "4.03"
source seed "The test protocol" protocol
source lit "A paper" literature
anchor inclusion "Inclusion"
anchor D0 "First dose"
form f "Form"
data {
  platelets: decimal 10*3/uL range 0 to 2000 with LLN "Platelets" form f
  hemoglobin: decimal g/dL range 1 to 25 with LLN "Hb" form f
  ecog: integer range 0 to 5 "ECOG" form f
  dosimetry: records "Dosimetry" form f {
    kidney_dose: decimal Gy range 0 to 100 "Kidney dose"
  }
}
parameter limit "Kidney limit" = 23 Gy { source lit }
toxicity {
  organ kidneys "Kidneys" dose dosimetry.kidney_dose limit limit
  grade platelet_count_decreased "Platelets" from platelets
  grade anemia "Anemia" from hemoglobin
  delay flipped "Grade on the right" when 2 <= grade platelet_count_decreased
  delay exactly_one "Equality" when grade platelet_count_decreased = 1
  delay not_zero "Inequality" when grade platelet_count_decreased != 0
  delay versus "Two grades" when grade platelet_count_decreased > grade anemia
  delay negated "Negation and another element" when ecog >= 3 and not (grade anemia < 2)
}
`;

let ir: IrProtocol;
let compiled: ToxicityModule;

beforeAll(async () => {
  const r = compile(PROTOCOL, "grades.trial");
  expectClean(r);
  ir = r.ir!;
  compiled = await importToxicity(ir, "toxicity-grade-tests");
});

function decide(labs: Record<string, unknown>): CycleDecision {
  const history = { cycles: [{ cycle: 1, dosimetry: { kidney_dose: q(4, "Gy") } }], labs };
  const interpreted = decideCycle(ir, history);
  expect(compiled.decideCycle(history)).toEqual(JSON.parse(JSON.stringify(interpreted)));
  return decided(interpreted);
}

describe("lowering", () => {
  it("puts the grade on the left and keeps the text: '2 <= grade x' is 'grade x >= 2'", () => {
    const when = ir.toxicity!.rules[0]!.when;
    expect(lowerGradeTests(when)).toMatchObject({
      kind: "grade",
      term: "platelet_count_decreased",
      type: "boolean",
      text: when.text,
      test: { op: ">=", right: { value: "2" } },
    });
  });

  it("two grades: the right side is a grade too", () => {
    expect(lowerGradeTests(ir.toxicity!.rules[3]!.when)).toMatchObject({
      test: { op: ">", right: { grade: "anemia" } },
    });
  });
});

describe("grade ranges", () => {
  it("platelets 180 without LLN (grade 0 to 1), Hb 13 with LLN (grade 0)", () => {
    const d = decide({ platelets: q(180, "10*9/L"), hemoglobin: q(13, "g/dL", { lln: 12 }), ecog: 3 });
    expect(verdicts(d)).toEqual({
      flipped: "not_met",
      exactly_one: "unknown",
      not_zero: "unknown",
      versus: "unknown",
      negated: "not_met",
    });
    expect(d.rules.find((r) => r.name === "exactly_one")!.missing).toEqual(["labs.platelets.lln"]);
    expect(d.decision).toBe("unknown");
  });

  it("the same platelets with their LLN: grade 0, every test decided", () => {
    const d = decide({ platelets: q(180, "10*9/L", { lln: 150 }), hemoglobin: q(13, "g/dL", { lln: 12 }), ecog: 0 });
    expect(verdicts(d)).toEqual({
      flipped: "not_met",
      exactly_one: "not_met",
      not_zero: "not_met",
      versus: "not_met",
      negated: "not_met",
    });
    expect(d.decision).toBe("proceed");
  });

  it("Hb 11 without LLN (grade 0 to 1): 'not (grade anemia < 2)' is decided false", () => {
    const d = decide({ platelets: q(100, "10*9/L", { lln: 150 }), hemoglobin: q(11, "g/dL"), ecog: 4 });
    expect(verdicts(d)).toMatchObject({ exactly_one: "met", not_zero: "met", negated: "not_met", versus: "unknown" });
    expect(d.decision).toBe("delay");
  });

  it("a missing value is unknown whatever the comparison", () => {
    const d = decide({ hemoglobin: q(13, "g/dL", { lln: 12 }), ecog: 0 });
    expect(verdicts(d)).toMatchObject({
      flipped: "unknown",
      exactly_one: "unknown",
      versus: "unknown",
      negated: "not_met",
    });
    expect(d.missing).toEqual(["labs.platelets"]);
  });

  it("no 'max cycles': the course never completes by count", () => {
    const history = {
      cycles: Array.from({ length: 9 }, (_, i) => ({ cycle: i + 1, dosimetry: { kidney_dose: q(1, "Gy") } })),
      labs: { platelets: q(180, "10*9/L", { lln: 150 }), hemoglobin: q(13, "g/dL", { lln: 12 }), ecog: 0 },
    };
    expect(decided(decideCycle(ir, history))).toMatchObject({ decision: "proceed", maxCycles: null, nextCycle: 10 });
  });
});
