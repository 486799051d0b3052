/**
 * Test support: the other direction, a native patient record written as a FHIR R4 Bundle
 * the way an EHR would export it, by the same `FhirSpec`. Coded elements become Patient
 * fields, Observations (UCUM quantities, effective time, reference range, method),
 * Conditions (refuted for "no") and MedicationStatements; everything else, and every
 * record row, is an answer of a screening QuestionnaireResponse (linkId = element name);
 * anchors go on a ResearchSubject. Written from the FHIR R4 specification, not from the
 * importer, so that the round trip checks one against the other.
 */
import { FHIR_SYSTEMS } from "../../src/lower/fhir.js";
import { ANCHOR_EXTENSION, type FhirElement, type FhirSpec } from "../../src/runtime/fhir-spec.js";

type Json = Record<string, unknown>;
/** FHIR resources as plain JSON: the importer checks their shape, not this writer's types. */
type Resource = Json & { resourceType: string; id?: string };
interface QuestionnaireResponseItem {
  linkId: string;
  answer?: Json[];
  item?: QuestionnaireResponseItem[];
}
const UCUM = FHIR_SYSTEMS.UCUM;

const quantity = (q: { value: unknown; unit: string }) => ({
  value: Number(q.value),
  unit: q.unit,
  system: UCUM,
  code: q.unit,
});

/** The answer of a questionnaire item for a value of `el`. */
function answer(el: FhirElement, v: unknown): Json {
  switch (el.type) {
    case "boolean":
    case "attestation":
      return { valueBoolean: v };
    case "integer":
      return { valueInteger: v };
    case "decimal":
      return el.unit ? { valueQuantity: quantity(v as { value: unknown; unit: string }) } : { valueDecimal: Number(v) };
    case "date":
      return { valueDate: v };
    case "datetime":
      return { valueDateTime: v };
    case "text":
      return { valueString: v };
    case "code":
      return { valueCoding: { code: v } };
    default:
      throw new Error(`no answer for ${el.type}`);
  }
}

/** The bundle of a native record (values must be JSON numbers, not decimal strings). */
export function bundleOf(spec: FhirSpec, patient: Json): Json {
  const resources: Resource[] = [];
  const items: QuestionnaireResponseItem[] = [];
  const pat: Json = { resourceType: "Patient", id: "p1" };
  const subject = { reference: "Patient/p1" };
  let n = 0;
  const id = () => `r${++n}`;
  const ask = (el: FhirElement, v: unknown) =>
    items.push({ linkId: el.name, answer: [answer(el, v)] } as QuestionnaireResponseItem);

  for (const el of spec.elements) {
    const v = patient[el.name];
    if (v === undefined || v === null) continue;
    const src = el.source;
    if (src.kind === "birthDate") pat.birthDate = v;
    else if (src.kind === "gender") {
      const g = Object.entries(src.values).find(([, value]) => value === v)?.[0];
      if (g) pat.gender = g;
      else ask(el, v);
    } else if (src.kind === "observation" && el.unit) {
      const results = (v as Json).results ? ((v as Json).results as Json[]) : [v as Json];
      for (const r of results) {
        const range: Json = {};
        if (r.lln) range.low = quantity(r.lln as { value: unknown; unit: string });
        if (r.uln) range.high = quantity(r.uln as { value: unknown; unit: string });
        resources.push({
          resourceType: "Observation",
          id: id(),
          status: "final",
          code: { coding: [{ system: src.codes[0]!.system, code: src.codes[0]!.code }] },
          subject,
          ...(r.at !== undefined ? { effectiveDateTime: r.at } : {}),
          valueQuantity: quantity(r as { value: unknown; unit: string }),
          ...(Object.keys(range).length ? { referenceRange: [range] } : {}),
          ...(r.method !== undefined ? { method: { text: r.method } } : {}),
          ...(r.specimen !== undefined ? { specimen: { display: r.specimen } } : {}),
        } as Resource);
      }
    } else if (src.kind === "observation" && (el.type === "integer" || el.type === "boolean")) {
      resources.push({
        resourceType: "Observation",
        id: id(),
        status: "final",
        code: { coding: [{ system: src.codes[0]!.system, code: src.codes[0]!.code }] },
        subject,
        ...(el.type === "integer" ? { valueInteger: v } : { valueBoolean: v }),
      } as Resource);
    } else if (src.kind === "finding" && typeof v === "boolean") {
      resources.push({
        resourceType: "Condition",
        id: id(),
        code: { coding: [{ system: src.codes[0]!.system, code: src.codes[0]!.code }] },
        subject,
        ...(v
          ? {
              clinicalStatus: {
                coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
              },
            }
          : {
              verificationStatus: {
                coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "refuted" }],
              },
            }),
      } as Resource);
    } else if (el.unit && el.type === "decimal") {
      // An uncoded measured element: one questionnaire group per result.
      for (const r of ((v as Json).results ?? [v]) as Json[]) {
        const sub: QuestionnaireResponseItem[] = [
          { linkId: "value", answer: [{ valueQuantity: quantity(r as { value: unknown; unit: string }) }] },
        ];
        if (r.at !== undefined) sub.push({ linkId: "at", answer: [{ valueDateTime: r.at as string }] });
        for (const k of ["lln", "uln"])
          if (r[k])
            sub.push({ linkId: k, answer: [{ valueQuantity: quantity(r[k] as { value: unknown; unit: string }) }] });
        for (const k of ["method", "specimen"])
          if (r[k] !== undefined) sub.push({ linkId: k, answer: [{ valueString: r[k] as string }] });
        items.push({ linkId: el.name, item: sub });
      }
    } else if (el.type === "records") {
      if ((v as Json[]).length === 0) items.push({ linkId: el.name, answer: [{ valueBoolean: false }] });
      for (const row of v as Json[])
        items.push({
          linkId: el.name,
          item: (el.fields ?? [])
            .filter((f) => row[f.name] !== undefined && row[f.name] !== null)
            .map((f) => ({ linkId: f.name, answer: [answer(f, row[f.name])] }) as QuestionnaireResponseItem),
        });
    } else ask(el, v);
  }
  resources.unshift(pat as unknown as Resource);
  if (items.length)
    resources.push({
      resourceType: "QuestionnaireResponse",
      id: id(),
      status: "completed",
      subject,
      item: items,
    } as Resource);
  const anchors = patient.anchors as Record<string, string> | undefined;
  if (anchors) {
    const { inclusion, ...others } = anchors;
    resources.push({
      resourceType: "ResearchSubject",
      id: id(),
      status: "on-study",
      individual: subject,
      study: { display: "the trial" },
      ...(inclusion ? { period: { start: inclusion } } : {}),
      ...(Object.keys(others).length
        ? { extension: Object.entries(others).map(([k, d]) => ({ url: ANCHOR_EXTENSION + k, valueDate: d })) }
        : {}),
    } as Resource);
  }
  return {
    resourceType: "Bundle",
    type: "collection",
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
