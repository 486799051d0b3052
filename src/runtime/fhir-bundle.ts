/**
 * The shape of a FHIR R4 Bundle, checked before anything is read from it: every problem
 * is reported with its JSON path (`$.entry[3].resource.valueQuantity.value`), and a
 * bundle with any problem is not read at all (bad data is never decided on).
 *
 * Only what the import reads is checked, with zod (field names and types as FHIR R4
 * defines them), and the import is typed by what was checked (`z.infer`), so that no
 * field is read that was not checked. Other fields, and other resource types, pass
 * through unread.
 */
import { z } from "zod";
import { jsonPath, type DataProblem } from "./patient.js";

const coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
const concept = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
const quantity = z.looseObject({
  value: z.number().optional(),
  comparator: z.string().optional(),
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
export type Answer = z.infer<typeof answer>;
/** A QuestionnaireResponse item: an answer, or a group of items (one row of a records element). */
export interface ResponseItem {
  linkId: string;
  answer?: Answer[];
  item?: ResponseItem[];
}
const responseItem: z.ZodType<ResponseItem> = z.lazy(() =>
  z.looseObject({ linkId: z.string(), answer: z.array(answer).optional(), item: z.array(responseItem).optional() }),
);

const patient = z.looseObject({
  resourceType: z.literal("Patient"),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
});
const observation = z.looseObject({
  resourceType: z.literal("Observation"),
  status: z.string(),
  code: concept,
  subject: reference.optional(),
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
  subject: reference.optional(),
  clinicalStatus: concept.optional(),
  verificationStatus: concept.optional(),
  onsetDateTime: z.string().optional(),
  recordedDate: z.string().optional(),
});
const procedure = z.looseObject({
  resourceType: z.literal("Procedure"),
  status: z.string(),
  code: concept.optional(),
  subject: reference.optional(),
  performedDateTime: z.string().optional(),
  performedPeriod: period.optional(),
});
const medication = {
  status: z.string(),
  medicationCodeableConcept: concept.optional(),
  subject: reference.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: period.optional(),
};
const medicationStatement = z.looseObject({ resourceType: z.literal("MedicationStatement"), ...medication });
const medicationAdministration = z.looseObject({
  resourceType: z.literal("MedicationAdministration"),
  ...medication,
});
const questionnaireResponse = z.looseObject({
  resourceType: z.literal("QuestionnaireResponse"),
  status: z.string(),
  item: z.array(responseItem).optional(),
});
const consent = z.looseObject({
  resourceType: z.literal("Consent"),
  status: z.string(),
  category: z.array(concept).optional(),
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

export type CodeableConcept = z.infer<typeof concept>;
export type Quantity = z.infer<typeof quantity>;
export type Patient = z.infer<typeof patient>;
export type Observation = z.infer<typeof observation>;
export type Condition = z.infer<typeof condition>;
export type Consent = z.infer<typeof consent>;
export type QuestionnaireResponse = z.infer<typeof questionnaireResponse>;
export type ResearchSubject = z.infer<typeof researchSubject>;
/** A checked resource of a type the import reads, narrowed by `resourceType`. */
export type Resource = z.infer<(typeof RESOURCES)[keyof typeof RESOURCES]>;

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
