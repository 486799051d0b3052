/**
 * Differential testing over randomly generated protocols: random criteria (comparisons
 * in random units and operators, ULN multiples, windows, quantifiers, groups,
 * definitions, if/then, not) are compiled, and for random patients the generated
 * module must agree with the interpreter exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { importEligibility, writeGenerated } from "../generated.js";
import { patientFor, thresholdsOf } from "./arbitraries.js";
import { protocolText } from "./random-protocol-text.js";

describe("random protocols", () => {
  it("compile cleanly, and their generated modules agree with the interpreter", async () => {
    const protocols = fc.sample(fc.gen().map(protocolText), { numRuns: 12, seed: 20261127 });
    let k = 0;
    for (const text of protocols) {
      const r = compileText(text, `random-${k}.trial`);
      expect(
        r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
        text,
      ).toEqual([]);
      const ir = r.ir!;
      const mod = await importEligibility(writeGenerated(ir, `random-${k++}`));
      const thresholds = thresholdsOf(ir);
      fc.assert(
        fc.property(fc.gen(), (g) => {
          const p = patientFor(g, fc, ir, thresholds);
          expect(mod.evaluateEligibility(p)).toEqual(JSON.parse(JSON.stringify(evaluateEligibility(ir, p))));
        }),
        { numRuns: 40 },
      );
    }
  }, 120_000);
});
