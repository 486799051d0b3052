/**
 * Lowering of the FHIR mapping (`FhirSpec`, `src/runtime/fhir-spec.ts`): which FHIR R4
 * resource and which code supply each data element, from the standard codes the
 * protocol binds. The rules are in docs/language.md ("FHIR R4 input"); the semantic
 * choices made here:
 *
 * - a `date` bound to LOINC 21112-8 reads `Patient.birthDate`, a coded element bound to
 *   LOINC 46098-0 reads `Patient.gender` (by the values bound to SNOMED 248152002 /
 *   248153007, or named `female` / `male`);
 * - an element with a LOINC code reads Observations; a yes/no element with an ATC or
 *   RxNorm code reads medications, with another code Conditions and Procedures;
 * - an ATC code is a class: it matches every code under it (`H01CB` matches `H01CB02`);
 * - a records element reads one row per resource coded like a value of its first code
 *   field whose values carry codes; an element no code maps is read only from the
 *   screening questionnaire (`linkId` = its name).
 */
import type { IrCode, IrCodeSystem, IrElement, IrProtocol } from "../ir/types.js";
import type { FhirCoding, FhirElement, FhirGender, FhirSource, FhirSpec } from "../runtime/fhir-spec.js";

/** The FHIR code system URI of each terminology the language knows. */
export const FHIR_SYSTEMS: Readonly<Record<IrCodeSystem, string>> = {
  LOINC: "http://loinc.org",
  SNOMED: "http://snomed.info/sct",
  ATC: "http://www.whocc.no/atc",
  RxNorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  ICD10: "http://hl7.org/fhir/sid/icd-10",
  UCUM: "http://unitsofmeasure.org",
};

/** LOINC 21112-8 "Birth date": an element bound to it reads `Patient.birthDate`. */
export const LOINC_BIRTH_DATE = "21112-8";
/** LOINC 46098-0 "Sex": a coded element bound to it reads `Patient.gender`. */
export const LOINC_SEX = "46098-0";
/** The SNOMED CT findings each `Patient.gender` stands for (female 248152002, male 248153007). */
export const GENDER_SNOMED: Readonly<Partial<Record<FhirGender, string>>> = { female: "248152002", male: "248153007" };

const coding = (c: IrCode): FhirCoding => ({
  system: FHIR_SYSTEMS[c.system],
  code: c.code,
  ...(c.system === "ATC" ? { narrower: true } : {}),
});
const has = (e: IrElement, system: IrCodeSystem, code: string) =>
  e.codes.some((c) => c.system === system && c.code === code);

/** `Patient.gender` → the value of `e` it stands for: by the value's SNOMED code, else by its name. */
function genderValues(e: IrElement): Partial<Record<FhirGender, string>> {
  const out: Partial<Record<FhirGender, string>> = {};
  for (const [gender, snomed] of Object.entries(GENDER_SNOMED) as [FhirGender, string][]) {
    const v =
      (e.values ?? []).find((x) => x.codes.some((c) => c.system === "SNOMED" && c.code === snomed)) ??
      (e.values ?? []).find((x) => x.code === gender);
    if (v) out[gender] = v.code;
  }
  return out;
}

function sourceOf(e: IrElement): FhirSource {
  const codes = e.codes.filter((c) => c.system !== "UCUM").map(coding);
  if (e.type === "date" && has(e, "LOINC", LOINC_BIRTH_DATE)) return { kind: "birthDate" };
  if (e.type === "code" && has(e, "LOINC", LOINC_SEX)) return { kind: "gender", values: genderValues(e) };
  if (e.type === "attestation") return { kind: "attestation", codes };
  if (e.type === "records") {
    const key = (e.fields ?? []).find((f) => f.type === "code" && (f.values ?? []).some((v) => v.codes.length));
    return key ? { kind: "records", keyField: key.name } : { kind: "none" };
  }
  if (codes.length === 0) return { kind: "none" };
  if (e.codes.some((c) => c.system === "LOINC")) return { kind: "observation", codes };
  if (e.type === "boolean" && e.codes.some((c) => c.system === "ATC" || c.system === "RxNorm"))
    return { kind: "medication", codes };
  if (e.type === "boolean") return { kind: "finding", codes };
  return { kind: "observation", codes };
}

function elementOf(e: IrElement): FhirElement {
  return {
    name: e.name,
    type: e.type,
    ...(e.unit ? { unit: e.unit } : {}),
    ...(e.normalise ? { absoluteUnit: e.normalise.from } : {}),
    ...(e.molarMass ? { molarMass: e.molarMass } : {}),
    reference: { ...e.reference },
    ...(e.values ? { values: e.values.map((v) => ({ code: v.code, codings: v.codes.map(coding) })) } : {}),
    source: sourceOf(e),
    ...(e.fields ? { fields: e.fields.map(elementOf) } : {}),
  };
}

/** The FHIR mapping of `ir`. */
export function fhirSpecOf(ir: IrProtocol): FhirSpec {
  return {
    systems: { ...FHIR_SYSTEMS },
    elements: ir.elements.map(elementOf),
    anchors: ir.anchors.map((a) => a.name),
  };
}
