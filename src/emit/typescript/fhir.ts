/**
 * The generated `fhir.ts`: the protocol's FHIR mapping (`FHIR_SPEC`, from its standard
 * codes) and `patientFromFhir(bundle)`, which reads a FHIR R4 Bundle into the `Patient`
 * record `evaluateEligibility` takes, by the same run-time code as `trialc eval --fhir`.
 */
import type { IrProtocol } from "../../ir/types.js";
import { lower } from "../../lower/index.js";
import { Lines } from "./code.js";
import { header } from "./modules.js";

export function emitFhirModule(ir: IrProtocol): string {
  const L = new Lines();
  L.line(header(ir, "FHIR R4 input: patientFromFhir(bundle) reads a Bundle into this protocol's Patient record."));
  L.line('import type { FhirSpec } from "./runtime/fhir-spec.js";');
  L.line('import { patientFromFhirWith, type FhirImport } from "./runtime/fhir.js";');
  L.line();
  L.line('export type { FhirImport, UnusedResource, Ambiguity } from "./runtime/fhir.js";');
  L.line();
  L.line("/** Which resource and code supply each data element (see docs/language.md, FHIR R4 input). */");
  L.line(`export const FHIR_SPEC: FhirSpec = ${JSON.stringify(lower(ir).fhir, null, 2)};`);
  L.line();
  L.line("/**");
  L.line(" * Read a FHIR R4 Bundle (one patient) into the native patient record, with the resources");
  L.line(" * no element used, the elements the bundle does not supply, and ambiguous mappings; or the");
  L.line(" * problems in the bundle's shape, with their JSON paths.");
  L.line(" */");
  L.line("export function patientFromFhir(bundle: unknown): FhirImport {").indent(() =>
    L.line("return patientFromFhirWith(FHIR_SPEC, bundle);"),
  );
  L.line("}");
  return L.toString();
}
