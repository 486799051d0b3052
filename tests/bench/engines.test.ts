/**
 * `npm run bench` compares trialc with other engines on one cohort, and stops at the first
 * disagreement. It is not part of `npm test`, so a change to the patient record could
 * break it unseen (limits gaining units once did): this runs the same agreement check on
 * a small cohort, for every implementation the bench times.
 */
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { cohort } from "../../bench/cohort.js";
import { cqlEngine, handWritten, jsonLogicVerdict, rulesEngine } from "../../bench/engines.js";
import { importDecide, importEligibility, writeGenerated } from "../generated.js";

describe("the bench's implementations agree on its cohort", () => {
  it("15 criteria: hand-written, json-logic, json-rules-engine, CQL, and trialc's four", async () => {
    const ir = compileFile("bench/criteria15.trial").ir!;
    const dir = writeGenerated(ir, "bench-agree");
    const decide = await importDecide(dir);
    const explained = await importEligibility(dir);
    const engine = rulesEngine();
    const cql = cqlEngine();
    const patients = cohort(300);
    const tally = new Map<string, number>();
    for (const p of patients) {
      const ref = evaluateEligibility(ir, p);
      expect(ref.ok, JSON.stringify(ref)).toBe(true);
      const want = ref.ok ? ref.result.verdict : "";
      tally.set(want, (tally.get(want) ?? 0) + 1);
      const got = {
        hand: handWritten(p),
        jsonLogic: jsonLogicVerdict(p),
        rulesEngine: await engine.verdict(p),
        cql: await cql.verdict(p),
        decide: decide.isEligible(p),
        explained: (explained.evaluateEligibility(p) as { result: { verdict: string } }).result.verdict,
      };
      expect(got, JSON.stringify(p)).toEqual({
        hand: want,
        jsonLogic: want,
        rulesEngine: want,
        cql: want,
        decide: want,
        explained: want,
      });
    }
    // The cohort reaches every verdict (the comparison is not between constant answers).
    expect([...tally.keys()].sort()).toEqual(["eligible", "indeterminate", "ineligible"]);
  }, 120_000);
});
