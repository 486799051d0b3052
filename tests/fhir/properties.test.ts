/**
 * FHIR ≡ native: a patient given as a FHIR R4 bundle and as native JSON gets the same
 * verdict and the same explanation, through the interpreter (`trialc eval --fhir`) and
 * through the generated module's `patientFromFhir`. Random patients of the seed protocol
 * (tests/eligibility/arbitraries.ts) are written as bundles by tests/fhir/to-fhir.ts.
 */
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { fhirSpecOf } from "../../src/lower/fhir.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { patientFromFhirWith, type FhirImport } from "../../src/runtime/fhir.js";
import type { FhirSpec } from "../../src/runtime/fhir-spec.js";
import { importEligibility, writeGenerated, type EligibilityModule } from "../generated.js";
import { patientFor, thresholdsOf } from "../eligibility/arbitraries.js";
import { bundleOf } from "./to-fhir.js";

let ir: IrProtocol;
let spec: FhirSpec;
let thresholds: Map<string, string[]>;
let compiled: EligibilityModule;
let compiledFhir: { patientFromFhir(bundle: unknown): FhirImport };
const RUNS = { numRuns: 120 };

beforeAll(async () => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  spec = fhirSpecOf(ir);
  thresholds = thresholdsOf(ir);
  const dir = writeGenerated(ir, "fhir-properties");
  compiled = await importEligibility(dir);
  compiledFhir = (await import(join(dir, "fhir.ts"))) as typeof compiledFhir;
});

/**
 * FHIR JSON writes decimals as JSON numbers: the patient's decimal strings become the
 * JSON numbers a bundle would carry (so both forms hold the same values), then both are
 * screened.
 */
function asJsonNumbers(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(asJsonNumbers);
  if (x && typeof x === "object")
    return Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, k === "value" && typeof v === "string" ? Number(v) : asJsonNumbers(v)]),
    );
  return x;
}

const patients = () => fc.gen().map((g) => asJsonNumbers(patientFor(g, fc, ir, thresholds)) as Record<string, unknown>);

describe("a FHIR bundle and the same patient as JSON", () => {
  it("interpreter: same verdict and same explanation", () => {
    fc.assert(
      fc.property(patients(), (p) => {
        const imported = patientFromFhirWith(spec, bundleOf(spec, p));
        expect(imported.ok).toBe(true);
        if (!imported.ok) return;
        expect(imported.ambiguous).toEqual([]);
        const native = evaluateEligibility(ir, p);
        const viaFhir = evaluateEligibility(ir, imported.patient);
        expect(viaFhir.ok).toBe(native.ok);
        if (native.ok && viaFhir.ok) expect(viaFhir.result).toEqual(native.result);
      }),
      RUNS,
    );
  });

  it("generated module: patientFromFhir then evaluateEligibility agree with the interpreter on JSON", () => {
    fc.assert(
      fc.property(patients(), (p) => {
        const imported = compiledFhir.patientFromFhir(bundleOf(spec, p));
        if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
        const native = evaluateEligibility(ir, p);
        const viaFhir = compiled.evaluateEligibility(imported.patient);
        expect(viaFhir.ok).toBe(native.ok);
        if (native.ok) expect(viaFhir.result).toEqual(native.result);
      }),
      { numRuns: 60 },
    );
  });
});
