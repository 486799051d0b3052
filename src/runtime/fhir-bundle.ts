/**
 * The shape of a FHIR R4 Bundle, checked before anything is read from it: every problem
 * is reported with its JSON path (`$.entry[3].resource.valueQuantity.value`), and a
 * bundle with any problem is not read at all (bad data is never decided on).
 *
 * Only what the import reads is checked, with zod, and the import reads only what was
 * checked: its types are FHIR R4's own (`@types/fhir`, the `fhir4` namespace), cut down
 * to the checked fields (`Narrow`). The schemas cannot drift from FHIR R4: a compile-time
 * check (`Conforms`, below each schema) fails when a schema checks a field FHIR R4 does
 * not have, or lets through a value FHIR R4's type does not allow (a required field made
 * optional, a code outside a required binding). Other fields, and other resource types,
 * pass through unread.
 */
import { z } from "zod";
import type * as fhir4 from "fhir/r4.js";
import { jsonPath, type DataProblem } from "./patient.js";

// ---------------------------------------------------------------------------------------
// Keeping the schemas and FHIR R4's types together (types only: nothing runs)

/** An object type's named fields, without the index signature of zod's loose objects. */
type Fields<S> = { [K in keyof S as string extends K ? never : number extends K ? never : K]: S[K] };

/**
 * The fields of `S` (a schema's output) that the FHIR R4 type `F` does not have, at any
 * depth (`D` counts the levels: a recursive item is looked into a few levels deep).
 */
type Extra<S, F, D extends 0[] = []> = D["length"] extends 8
  ? never
  : S extends readonly (infer SE)[]
    ? NonNullable<F> extends readonly (infer FE)[]
      ? Extra<SE, FE, [...D, 0]>
      : "(a list where FHIR R4 has none)"
    : S extends object
      ? {
          [K in keyof Fields<S>]-?: K extends keyof NonNullable<F>
            ? Extra<Fields<S>[K], NonNullable<F>[K], [...D, 0]>
            : K;
        }[keyof Fields<S>]
      : never;

/**
 * `true` when what a schema checks (`S`, its output) is a part of FHIR R4's `F`: every
 * field one that `F` has, each of a type `F` allows, at every depth. Otherwise an object
 * naming the fields FHIR R4 does not have, or the FHIR type the schema does not fit.
 */
export type Conforms<S, F> = [Extra<S, F>] extends [never]
  ? [Fields<S>] extends [Pick<F, keyof Fields<S> & keyof F>]
    ? true
    : { doesNotFit: F }
  : { notInFhirR4: Extra<S, F> };

/** Compiles only for `true`: `Assert<Conforms<…>>` fails the build when a schema drifts from FHIR R4. */
type Assert<T extends true> = T;

/** `true` when two unions of codes are the same (a required binding copied whole). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The FHIR R4 type `F`, cut down to the fields a schema checked (`S`, its output), at
 * every depth: what the import may read.
 */
export type Narrow<F, S> = S extends undefined
  ? undefined
  : S extends readonly (infer SE)[]
    ? Narrow<NonNullable<F> extends readonly (infer FE)[] ? FE : never, SE>[]
    : S extends object
      ? {
          [K in keyof Pick<NonNullable<F>, keyof Fields<S> & keyof NonNullable<F>>]: Narrow<
            NonNullable<F>[K],
            S[K & keyof S]
          >;
        }
      : NonNullable<F>;

/** A schema's checked type, as FHIR R4 types it. */
type Read<F, Schema extends z.ZodType> = Narrow<F, z.output<Schema>>;

// ---------------------------------------------------------------------------------------
// Data types

const coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
const concept = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
const quantity = z.looseObject({
  value: z.number().optional(),
  comparator: z.enum(["<", "<=", ">=", ">"]).optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});
const period = z.looseObject({ start: z.string().optional(), end: z.string().optional() });
const reference = z.looseObject({ reference: z.string().optional(), display: z.string().optional() });
const extension = z.looseObject({
  url: z.string(),
  valueDate: z.string().optional(),
  valueDateTime: z.string().optional(),
});
export type Coding = Read<fhir4.Coding, typeof coding>;
export type CodeableConcept = Read<fhir4.CodeableConcept, typeof concept>;
export type Quantity = Read<fhir4.Quantity, typeof quantity>;

const answer = z.looseObject({
  valueBoolean: z.boolean().optional(),
  valueInteger: z.number().int().optional(),
  valueDecimal: z.number().optional(),
  valueDate: z.string().optional(),
  valueDateTime: z.string().optional(),
  valueString: z.string().optional(),
  valueCoding: coding.optional(),
  valueQuantity: quantity.optional(),
});
/** A QuestionnaireResponse answer: the value[x] the import reads. */
export type Answer = Read<fhir4.QuestionnaireResponseItemAnswer, typeof answer>;
/** A QuestionnaireResponse item: an answer, or a group of items (one row of a records element). */
export type ResponseItem = Pick<fhir4.QuestionnaireResponseItem, "linkId"> & {
  answer?: Answer[] | undefined;
  item?: ResponseItem[] | undefined;
};
const responseItem: z.ZodType<ResponseItem> = z.lazy(() =>
  z.looseObject({ linkId: z.string(), answer: z.array(answer).optional(), item: z.array(responseItem).optional() }),
);

// ---------------------------------------------------------------------------------------
// Resources (each status is FHIR R4's required binding, whole)

const patient = z.looseObject({
  resourceType: z.literal("Patient"),
  birthDate: z.string().optional(),
  gender: z.enum(["male", "female", "other", "unknown"]).optional(),
});
const observation = z.looseObject({
  resourceType: z.literal("Observation"),
  status: z.enum([
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
  ]),
  code: concept,
  effectiveDateTime: z.string().optional(),
  effectiveInstant: z.string().optional(),
  effectivePeriod: period.optional(),
  valueQuantity: quantity.optional(),
  valueInteger: z.number().int().optional(),
  valueBoolean: z.boolean().optional(),
  valueCodeableConcept: concept.optional(),
  valueString: z.string().optional(),
  referenceRange: z
    .array(z.looseObject({ low: quantity.optional(), high: quantity.optional(), type: concept.optional() }))
    .optional(),
  method: concept.optional(),
  specimen: reference.optional(),
});
const condition = z.looseObject({
  resourceType: z.literal("Condition"),
  code: concept.optional(),
  clinicalStatus: concept.optional(),
  verificationStatus: concept.optional(),
  onsetDateTime: z.string().optional(),
  recordedDate: z.string().optional(),
});
const procedure = z.looseObject({
  resourceType: z.literal("Procedure"),
  status: z.enum([
    "preparation",
    "in-progress",
    "not-done",
    "on-hold",
    "stopped",
    "completed",
    "entered-in-error",
    "unknown",
  ]),
  code: concept.optional(),
  performedDateTime: z.string().optional(),
  performedPeriod: period.optional(),
});
const medication = {
  medicationCodeableConcept: concept.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: period.optional(),
};
const medicationStatement = z.looseObject({
  resourceType: z.literal("MedicationStatement"),
  status: z.enum(["active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"]),
  ...medication,
});
const medicationAdministration = z.looseObject({
  resourceType: z.literal("MedicationAdministration"),
  status: z.enum(["in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"]),
  ...medication,
});
const questionnaireResponse = z.looseObject({
  resourceType: z.literal("QuestionnaireResponse"),
  status: z.enum(["in-progress", "completed", "amended", "entered-in-error", "stopped"]),
  item: z.array(responseItem).optional(),
});
const consent = z.looseObject({
  resourceType: z.literal("Consent"),
  status: z.enum(["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"]),
  category: z.array(concept),
});
const researchSubject = z.looseObject({
  resourceType: z.literal("ResearchSubject"),
  period: period.optional(),
  extension: z.array(extension).optional(),
});

/** What the import reads of each resource type it reads. */
const RESOURCES = {
  Patient: patient,
  Observation: observation,
  Condition: condition,
  Procedure: procedure,
  MedicationStatement: medicationStatement,
  MedicationAdministration: medicationAdministration,
  QuestionnaireResponse: questionnaireResponse,
  Consent: consent,
  ResearchSubject: researchSubject,
} as const;

export type Patient = Read<fhir4.Patient, typeof patient>;
export type Observation = Read<fhir4.Observation, typeof observation>;
export type Condition = Read<fhir4.Condition, typeof condition>;
export type Procedure = Read<fhir4.Procedure, typeof procedure>;
export type MedicationStatement = Read<fhir4.MedicationStatement, typeof medicationStatement>;
export type MedicationAdministration = Read<fhir4.MedicationAdministration, typeof medicationAdministration>;
export type QuestionnaireResponse = Read<fhir4.QuestionnaireResponse, typeof questionnaireResponse>;
export type Consent = Read<fhir4.Consent, typeof consent>;
export type ResearchSubject = Read<fhir4.ResearchSubject, typeof researchSubject>;
/** A checked resource of a type the import reads, narrowed by `resourceType`. */
export type Resource =
  | Patient
  | Observation
  | Condition
  | Procedure
  | MedicationStatement
  | MedicationAdministration
  | QuestionnaireResponse
  | Consent
  | ResearchSubject;

/**
 * The compile-time check that the schemas are FHIR R4: each line fails the build when its
 * schema checks a field FHIR R4 does not have, or accepts what FHIR R4's type does not
 * (an optional field that FHIR requires, a code outside a required binding, a list where
 * FHIR has one value); and each status enumerates its binding whole.
 */
export type SchemasConformToFhirR4 = [
  Assert<Conforms<z.output<typeof patient>, fhir4.Patient>>,
  Assert<Conforms<z.output<typeof observation>, fhir4.Observation>>,
  Assert<Conforms<z.output<typeof condition>, fhir4.Condition>>,
  Assert<Conforms<z.output<typeof procedure>, fhir4.Procedure>>,
  Assert<Conforms<z.output<typeof medicationStatement>, fhir4.MedicationStatement>>,
  Assert<Conforms<z.output<typeof medicationAdministration>, fhir4.MedicationAdministration>>,
  Assert<Conforms<z.output<typeof questionnaireResponse>, fhir4.QuestionnaireResponse>>,
  Assert<Conforms<z.output<typeof consent>, fhir4.Consent>>,
  Assert<Conforms<z.output<typeof researchSubject>, fhir4.ResearchSubject>>,
  Assert<Conforms<ResponseItem, fhir4.QuestionnaireResponseItem>>,
  Assert<Conforms<z.output<typeof extension>, fhir4.Extension>>,
  Assert<Same<z.output<typeof patient>["gender"], fhir4.Patient["gender"]>>,
  Assert<Same<z.output<typeof observation>["status"], fhir4.Observation["status"]>>,
  Assert<Same<z.output<typeof procedure>["status"], fhir4.Procedure["status"]>>,
  Assert<Same<z.output<typeof medicationStatement>["status"], fhir4.MedicationStatement["status"]>>,
  Assert<Same<z.output<typeof medicationAdministration>["status"], fhir4.MedicationAdministration["status"]>>,
  Assert<Same<z.output<typeof questionnaireResponse>["status"], fhir4.QuestionnaireResponse["status"]>>,
  Assert<Same<z.output<typeof consent>["status"], fhir4.Consent["status"]>>,
  Assert<Same<z.output<typeof quantity>["comparator"], fhir4.Quantity["comparator"]>>,
];

const bundleShape = z.looseObject({
  resourceType: z.literal("Bundle", { error: 'expected "Bundle"' }),
  entry: z.array(z.unknown()).optional(),
});
const resourceShape = z.looseObject({ resourceType: z.string(), id: z.string().optional() });
const entryShape = z.looseObject({ resource: resourceShape });

/** Zod's issues as problems under `prefix`, with plainer words for a missing field. */
function problems(issues: z.core.$ZodIssue[], prefix: PropertyKey[]): DataProblem[] {
  return issues.map((i) => ({
    path: jsonPath([...prefix, ...i.path]),
    message: /received undefined/.test(i.message) ? "required, but absent" : i.message,
  }));
}

/**
 * A resource of the bundle with the JSON path of its place; `resource` is null for a
 * type the import does not read (listed as unused by its type and id).
 */
export interface Located {
  resourceType: string;
  id?: string;
  resource: Resource | null;
  path: string;
}

export type BundleRead = { ok: true; resources: Located[] } | { ok: false; errors: DataProblem[] };

/** Check the bundle's shape; return its resources in order, or every problem with its path. */
export function readBundle(raw: unknown): BundleRead {
  const errors: DataProblem[] = [];
  const top = bundleShape.safeParse(raw);
  if (!top.success) return { ok: false, errors: problems(top.error.issues, []) };
  const resources: Located[] = [];
  // Each entry on its own, so that every problem of the bundle is reported at once.
  (top.data.entry ?? []).forEach((entry, n) => {
    const e = entryShape.safeParse(entry);
    if (!e.success) {
      errors.push(...problems(e.error.issues, ["entry", n]));
      return;
    }
    const { resourceType, id } = e.data.resource;
    const prefix = ["entry", n, "resource"];
    const path = jsonPath(prefix);
    const shape = Object.hasOwn(RESOURCES, resourceType)
      ? RESOURCES[resourceType as keyof typeof RESOURCES]
      : undefined;
    if (!shape) {
      resources.push({ resourceType, ...(id !== undefined ? { id } : {}), resource: null, path });
      return;
    }
    const r = shape.safeParse(e.data.resource);
    if (!r.success) errors.push(...problems(r.error.issues, prefix));
    resources.push({ resourceType, ...(id !== undefined ? { id } : {}), resource: r.success ? r.data : null, path });
  });
  const patients = resources.filter((r) => r.resourceType === "Patient");
  if (patients.length > 1)
    errors.push({
      path: patients[1]!.path,
      message: `a bundle holds one patient's record; this is a second Patient (the first is at ${patients[0]!.path})`,
    });
  return errors.length ? { ok: false, errors } : { ok: true, resources };
}
