/**
 * The FHIR mapping of a protocol, as plain data: which FHIR R4 resource and which code
 * supply each data element. Lowered from the IR's standard codes (`src/lower/fhir.ts`)
 * and embedded in the generated module, so that the interpreter and the generated
 * `patientFromFhir` read bundles by the same rules (`fhir.ts`).
 */
import type * as fhir4 from "fhir/r4.js";

/** `Patient.gender`'s codes (FHIR R4's required binding, from `@types/fhir`). */
export type FhirGender = NonNullable<fhir4.Patient["gender"]>;

/** A standard code as FHIR writes it: a code system URI and a code. */
export interface FhirCoding {
  system: string;
  code: string;
  /** A class (ATC): it also matches every code under it, i.e. that starts with it. */
  narrower?: boolean;
}

/**
 * Where an element's value comes from:
 * - `birthDate`: `Patient.birthDate`;
 * - `gender`: `Patient.gender`, through `values` (FHIR gender → the element's value);
 * - `observation`: Observations with one of `codes` (value[x], effective[x], referenceRange, method);
 * - `finding`: Conditions or Procedures with one of `codes` (a yes/no element);
 * - `medication`: MedicationStatement / MedicationAdministration with one of `codes` (yes/no);
 * - `attestation`: a QuestionnaireResponse answer whose `linkId` is the element's name, or a
 *   Consent whose category carries one of `codes`;
 * - `records`: one row per resource whose code matches a value of the `keyField` code field;
 * - `none`: no code maps it: only a questionnaire answer named after it supplies it.
 */
export type FhirSource =
  | { kind: "birthDate" }
  | { kind: "gender"; values: Partial<Record<FhirGender, string>> }
  | { kind: "observation"; codes: FhirCoding[] }
  | { kind: "finding"; codes: FhirCoding[] }
  | { kind: "medication"; codes: FhirCoding[] }
  | { kind: "attestation"; codes: FhirCoding[] }
  | { kind: "records"; keyField: string }
  | { kind: "none" };

/** One element (or record field) of the mapping. */
export interface FhirElement {
  name: string;
  type: "decimal" | "integer" | "boolean" | "date" | "datetime" | "text" | "code" | "attestation" | "records";
  /** The element's UCUM unit: the element holds timed results (`{"results": [...]}`). */
  unit?: string;
  /**
   * The absolute unit of a declared normalisation (`mL/min` for a GFR in
   * `mL/min/{1.73_m2}`): a result in it is read as given, and normalised like native data.
   */
  absoluteUnit?: string;
  /** Molar mass in g/mol, so that a result in a substance unit can express a mass unit. */
  molarMass?: string;
  reference?: { uln: boolean; lln: boolean };
  /** Values of a code element, each with the standard codes that stand for it. */
  values?: { code: string; codings: FhirCoding[] }[];
  source: FhirSource;
  fields?: FhirElement[];
}

/** The mapping of a whole protocol. */
export interface FhirSpec {
  /** The code system URI of each terminology by its name in the language (`LOINC` → `http://loinc.org`). */
  systems: Record<string, string>;
  elements: FhirElement[];
  /** The protocol's anchors (`inclusion`, `D0`): the dates a ResearchSubject may carry. */
  anchors: string[];
}

/** The extension on ResearchSubject that carries an anchor's date (`…/anchor/D0`). */
export const ANCHOR_EXTENSION = "https://trialc.dev/fhir/StructureDefinition/anchor/";
