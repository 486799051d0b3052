/**
 * The sample patients of the seed protocol give their expected verdicts, with the
 * interpreter and with the compiled module, and both give identical results
 * (explanations included).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { CriterionResult, EligibilityResult } from "../../src/runtime/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { importEligibility, writeGenerated, type EligibilityModule } from "../generated.js";

const SEED = "protocols/lu177-octreotate.trial";
const DIR = "protocols/patients";
const expected = JSON.parse(readFileSync(`${DIR}/expected/verdicts.json`, "utf8")) as Record<
  string,
  { verdict?: string; criteria?: Record<string, string>; missing?: string[]; invalid?: string[] }
>;

function flatten(cs: CriterionResult[]): Map<string, CriterionResult> {
  const out = new Map<string, CriterionResult>();
  const walk = (c: CriterionResult) => {
    out.set(c.id, c);
    c.children.forEach(walk);
  };
  cs.forEach(walk);
  return out;
}

let ir: IrProtocol;
let compiled: EligibilityModule;

beforeAll(async () => {
  const r = compileFile(SEED);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  ir = r.ir!;
  compiled = await importEligibility(writeGenerated(ir, "samples"));
});

describe("sample patients of the seed protocol", () => {
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.verdict ?? "invalid data"}`, () => {
      const data = JSON.parse(readFileSync(`${DIR}/${file}`, "utf8"));
      const interpreted = evaluateEligibility(ir, data);
      const generated = compiled.evaluateEligibility(data);
      expect(generated).toEqual(JSON.parse(JSON.stringify(interpreted)));
      if (want.invalid) {
        expect(interpreted.ok).toBe(false);
        if (interpreted.ok) return;
        expect([...new Set(interpreted.errors.map((e) => e.path))].sort()).toEqual(want.invalid);
        return;
      }
      expect(interpreted.ok).toBe(true);
      if (!interpreted.ok) return;
      const result: EligibilityResult = interpreted.result;
      expect(result.verdict).toBe(want.verdict);
      const all = flatten([...result.inclusion, ...result.exclusion]);
      for (const [id, verdict] of Object.entries(want.criteria ?? {})) expect(all.get(id)?.verdict, id).toBe(verdict);
      if (want.verdict === "eligible") {
        expect([...all.values()].filter((c) => c.role === "inclusion" && c.verdict !== "met").map((c) => c.id)).toEqual(
          [],
        );
        expect(result.exclusion.filter((c) => c.verdict !== "not_met").map((c) => c.id)).toEqual([]);
      }
      if (want.missing) expect(result.missing).toEqual(want.missing);
    });
  }

  it("explains a boundary decision with the values, units and conversion used", () => {
    const data = JSON.parse(readFileSync(`${DIR}/eligible.json`, "utf8"));
    const r = evaluateEligibility(ir, data);
    if (!r.ok) throw new Error("invalid");
    const hb = flatten(r.result.inclusion).get("I7a")!;
    expect(hb.verdict).toBe("met");
    expect(hb.steps).toEqual([
      { rule: "hemoglobin >= 9 g/dL", result: "true", detail: "90 g/L on 2027-01-13 (= 9 g/dL) >= 9 g/dL" },
    ]);
    const bili = flatten(r.result.inclusion).get("I8a")!;
    expect(bili.steps[0]!.detail).toBe("2.4 mg/dL on 2027-01-13 <= 2 x ULN (ULN 1.2 mg/dL, so 2.4 mg/dL)");
  });
});
