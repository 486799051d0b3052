/**
 * The sample assessment series of the seed protocol (protocols/assessments/) give their
 * expected responses (reviewed by hand in expected/responses.json: per time point, the sums, the
 * nadirs, the best overall response confirmed and unconfirmed, each lesion's category),
 * with the interpreter and with the compiled module, which agree exactly.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { IrProtocol } from "../../src/ir/types.js";
import { both, compiledResponse, errorPaths, ok, SAMPLES, seedIr, type ResponseModule } from "./helpers.js";

interface Expected {
  responses?: string[];
  table1?: string[];
  sums?: (string | null)[];
  nadirs?: string[];
  targets?: string[];
  notRecorded?: string[];
  bor?: { confirmed: string; unconfirmed: string; firstPd: string | null };
  lesions?: Record<string, string | null>[];
  invalid?: string[];
}

const expected = JSON.parse(readFileSync(`${SAMPLES}/expected/responses.json`, "utf8")) as Record<string, Expected>;
let ir: IrProtocol;
let mod: ResponseModule;

beforeAll(async () => {
  ir = seedIr();
  mod = await compiledResponse(ir, "response-samples");
});

describe("sample assessment series of the seed protocol", () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.responses?.join(", ") ?? "invalid data"}`, () => {
      const data = JSON.parse(readFileSync(`${SAMPLES}/${file}`, "utf8"));
      const outcome = both(ir, mod, data);
      if (want.invalid) {
        expect(errorPaths(outcome)).toEqual(want.invalid);
        return;
      }
      const r = ok(outcome);
      const recist = r.timePoints.map((t) => t.recist!);
      expect(recist.map((t) => t.response)).toEqual(want.responses);
      if (want.table1) expect(recist.map((t) => t.table1Response)).toEqual(want.table1);
      if (want.sums) expect(recist.map((t) => t.sumMm)).toEqual(want.sums);
      if (want.nadirs) expect(recist.map((t) => t.nadirMm)).toEqual(want.nadirs);
      if (want.targets)
        expect(r.baseline!.lesions.filter((l) => l.role === "target").map((l) => l.id)).toEqual(want.targets);
      if (want.notRecorded)
        expect(r.baseline!.lesions.filter((l) => l.role === "not_recorded").map((l) => l.id)).toEqual(want.notRecorded);
      expect({
        confirmed: r.bor!.confirmedBor,
        unconfirmed: r.bor!.unconfirmedBor,
        firstPd: r.bor!.firstPdDate,
      }).toEqual(want.bor);
      expect(r.bor!.bor).toBe(r.bor!.confirmedBor); // the seed requires confirmation
      if (want.lesions) {
        expect(r.timePoints.map((t) => Object.fromEntries(t.lesions.map((l) => [l.id, l.category])))).toEqual(
          want.lesions,
        );
      }
      expect(r.warnings).toEqual([]);
    });
  }

  it("every sample is listed in expected/responses.json", async () => {
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(SAMPLES)
      .filter((f) => f.endsWith(".json") && f !== "expected.json")
      .sort();
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it("explains a boundary decision with the exact numbers: PD at exactly +20 % and +14 mm over the nadir", () => {
    const r = ok(both(ir, mod, JSON.parse(readFileSync(`${SAMPLES}/pd-nadir.json`, "utf8"))));
    const t = r.timePoints[1]!.recist!;
    expect(t.decidedBy).toBe("Table 1: target PD | any | any → PD");
    expect(t.target.rule).toBe("PD: sum >= 1.2 × nadir and sum − nadir >= 5 mm");
    expect(t.target.explanation).toContain("84 >= 1.2 × 70 = 84, increase 14 mm >= 5 mm → PD");
    // Against the baseline alone it would be SD (-27 %): the nadir decides.
    expect(t.target.explanation).toContain("baseline 115 mm, -27%");
  });

  it("explains a lesion's category with the change and the protocol's condition", () => {
    const r = ok(both(ir, mod, JSON.parse(readFileSync(`${SAMPLES}/pr.json`, "utf8"))));
    const p1 = r.timePoints[0]!.lesions.find((l) => l.id === "P1")!;
    // 25 → 17.5 mm is exactly -30 %: "change <= -30 %" holds.
    expect(p1).toMatchObject({
      value: "17.5",
      referenceValue: "25",
      change: "-30",
      category: "decrease",
      label: "Decrease",
    });
    expect(p1.steps).toEqual([{ rule: "change <= -30 %", result: "true", detail: "-30 % <= -30 %" }]);
    const l1 = r.timePoints[1]!.lesions.find((l) => l.id === "L1")!;
    expect(l1.category).toBe("stable");
    expect(l1.explanation).toBe("L1: 31 mm vs baseline 42 mm: change ≈ -26.19 %; otherwise → Stable");
    expect(l1.steps.map((s) => `${s.rule} ${s.result}`)).toEqual(["change <= -30 % false", "change >= 20 % false"]);
  });

  it("converts lengths in cm exactly (sd.json is all in cm)", () => {
    const r = ok(both(ir, mod, JSON.parse(readFileSync(`${SAMPLES}/sd.json`, "utf8"))));
    expect(r.baseline!.sumMm).toBe("115");
    expect(r.timePoints[0]!.lesions.map((l) => l.value)).toEqual(["40", "29", "24", "25", "15"]);
    expect(r.baseline!.explanation).toContain("RECIST 1.1 default selection");
  });
});
