/**
 * FHIR R4 in, a patient record out: `patientFromFhirWith(spec, bundle)` turns a Bundle
 * (an EHR export, Synthea output) into exactly the native JSON record `trialc eval`
 * reads, driven by the protocol's standard codes (`FhirSpec`). Then a patient given as
 * a bundle and the same patient given as JSON get the same verdict and explanation.
 *
 * Nothing is guessed: a resource no element uses is listed as unused (with why), an
 * element the bundle does not supply is listed as missing, and two resources that give
 * a single-valued element different values are reported as ambiguous and the element is
 * left out (so rules reading it are unknown), never silently picked. A measured element
 * keeps every result, as its JSON would: its selection makes it unknown, saying why,
 * when two results at one time disagree. A quantity whose
 * unit is not UCUM that can express its element, or that is only a bound (`< 0.5`),
 * is an error at its JSON path: the bundle is not screened.
 *
 * The resources are FHIR R4's types (`@types/fhir`) cut down to the fields
 * `fhir-bundle.ts` checked: a field that was not checked cannot be read.
 */
import {
  readBundle,
  type Answer,
  type CodeableConcept,
  type Condition,
  type Located,
  type Observation,
  type Quantity,
  type Resource,
} from "./fhir-bundle.js";
import { ANCHOR_EXTENSION, type FhirCoding, type FhirElement, type FhirSpec } from "./fhir-spec.js";
import type { DataProblem } from "./patient.js";
import { commensurability, unitAlias, validateUnit } from "./units.js";

/** A resource no element read, and why. */
export interface UnusedResource {
  path: string;
  resource: string;
  reason: string;
}

/** Two or more resources giving one element different values at once. */
export interface Ambiguity {
  element: string;
  paths: string[];
  message: string;
}

export type FhirImport =
  | {
      ok: true;
      /** The native patient record (what `trialc eval` reads as JSON). */
      patient: Record<string, unknown>;
      unused: UnusedResource[];
      /** Elements (top level) the bundle does not supply, in dictionary order. */
      missing: string[];
      ambiguous: Ambiguity[];
      warnings: DataProblem[];
    }
  | { ok: false; errors: DataProblem[] };

/** What one resource says for one element, and where it is. */
interface Found {
  value: unknown;
  /** Time the value holds for (a result's `at`), if any. */
  at?: string;
  path: string;
}

const OBSERVATION_OK = new Set(["final", "amended", "corrected"]);
const PROCEDURE_OK = new Set(["completed"]);
const MEDICATION_OK = new Set(["active", "completed", "in-progress"]);
const RESPONSE_OK = new Set(["completed", "amended"]);
const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The codes a resource is about (its code, medication, or consent category). */
function conceptsOf(r: Resource | null): CodeableConcept[] {
  if (!r) return [];
  switch (r.resourceType) {
    case "Observation":
    case "Condition":
    case "Procedure":
      return r.code ? [r.code] : [];
    case "MedicationStatement":
    case "MedicationAdministration":
      return r.medicationCodeableConcept ? [r.medicationCodeableConcept] : [];
    case "Consent":
      return r.category ?? [];
    default:
      return [];
  }
}

/** Whether a concept carries one of `codes` (an ATC class also matches the drugs under it). */
function matches(concepts: CodeableConcept[], codes: FhirCoding[]): boolean {
  return concepts.some((c) =>
    (c.coding ?? []).some((k) =>
      codes.some(
        (x) =>
          k.system === x.system &&
          k.code !== undefined &&
          (k.code === x.code || (x.narrower === true && k.code.startsWith(x.code))),
      ),
    ),
  );
}

/** Why a resource's status keeps it out, or null when it may be read. */
function statusProblem(r: Resource): string | null {
  const bad = (s: string | undefined, ok: Set<string>) => (s !== undefined && !ok.has(s) ? `status "${s}"` : null);
  switch (r.resourceType) {
    case "Observation":
      return bad(r.status, OBSERVATION_OK);
    case "Procedure":
      return bad(r.status, PROCEDURE_OK);
    case "MedicationStatement":
    case "MedicationAdministration":
      return bad(r.status, MEDICATION_OK);
    case "QuestionnaireResponse":
      return bad(r.status, RESPONSE_OK);
    case "Consent":
      return r.status === "active" || r.status === "rejected" ? null : `status "${r.status}"`;
    case "Condition":
      return statusCode(r.verificationStatus) === "entered-in-error" ? 'verification status "entered-in-error"' : null;
    default:
      return null;
  }
}

const statusCode = (c: CodeableConcept | undefined): string | undefined => c?.coding?.[0]?.code;

/** The clinical time of a resource, as written (date or date-time with offset). */
function timeOf(r: Resource): string | undefined {
  switch (r.resourceType) {
    case "Observation":
      return r.effectiveDateTime ?? r.effectiveInstant ?? r.effectivePeriod?.start;
    case "Procedure":
      return r.performedDateTime ?? r.performedPeriod?.end ?? r.performedPeriod?.start;
    case "Condition":
      return r.onsetDateTime ?? r.recordedDate;
    case "MedicationStatement":
    case "MedicationAdministration":
      return r.effectiveDateTime ?? r.effectivePeriod?.end ?? r.effectivePeriod?.start;
    default:
      return undefined;
  }
}

/** A quantity as the native record writes one, before its unit is checked against an element. */
type Qty = { value: number; unit: string };

/**
 * The unit of a quantity as UCUM: its `code` when `system` is UCUM (or absent), else its
 * display `unit`. Whether that is UCUM at all, and can express the element, is checked
 * by the caller (`Reader.quantity`), never assumed.
 */
function unitOf(q: Quantity, ucum: string | undefined): string | undefined {
  if (q.code !== undefined && (q.system === undefined || q.system === ucum)) return q.code;
  return q.unit;
}

/** An observation's value for a non-measured element of the given type, or undefined. */
function observationValue(o: Observation, el: FhirElement): unknown {
  switch (el.type) {
    case "decimal":
      return o.valueQuantity?.comparator === undefined ? o.valueQuantity?.value : undefined;
    case "integer":
      return o.valueInteger ?? (o.valueQuantity?.comparator === undefined ? o.valueQuantity?.value : undefined);
    case "boolean":
    case "attestation":
      return o.valueBoolean;
    case "text":
      return o.valueString;
    case "code":
      return codeValue(el, o.valueCodeableConcept ? [o.valueCodeableConcept] : []);
    default:
      return undefined;
  }
}

/** The code value of `el` that a concept stands for (by its standard codes). */
function codeValue(el: FhirElement, concepts: CodeableConcept[]): string | undefined {
  const hits = (el.values ?? []).filter((v) => v.codings.length && matches(concepts, v.codings));
  return hits.length === 1 ? hits[0]!.code : undefined;
}

/** Convert a bundle into the native patient record of the protocol described by `spec`. */
export function patientFromFhirWith(spec: FhirSpec, raw: unknown): FhirImport {
  const read = readBundle(raw);
  if (!read.ok) return read;
  const errors: DataProblem[] = [];
  const warnings: DataProblem[] = [];
  const ambiguous: Ambiguity[] = [];
  const used = new Set<string>();
  const skipped = new Map<string, string>();
  const live: { resource: Resource; path: string }[] = [];
  for (const r of read.resources) {
    const why = r.resource ? statusProblem(r.resource) : `trialc reads no ${r.resourceType} resources`;
    if (why) skipped.set(r.path, r.resource ? `${why}: not read` : why);
    else if (r.resource) live.push({ resource: r.resource, path: r.path });
  }
  const of = <T extends Resource["resourceType"]>(t: T) =>
    live.filter((r) => r.resource.resourceType === t) as {
      resource: Extract<Resource, { resourceType: T }>;
      path: string;
    }[];
  const patientRes = of("Patient")[0];
  const patient: Record<string, unknown> = {};

  /**
   * A quantity of `el` at `path` in the native form, its unit checked: UCUM that can
   * express the element (through its molar mass if need be). Anything else is an error
   * at the FHIR path, never a converted or guessed value; a quantity with no value is
   * undefined (the caller says what that means).
   */
  const quantity = (el: FhirElement, q: Quantity | undefined, path: string): Qty | undefined => {
    if (q?.value === undefined) return undefined;
    if (q.comparator !== undefined) {
      errors.push({
        path: `${path}.comparator`,
        message: `"${q.comparator} ${q.value}" is a bound, not a value of ${el.name}: not read as one`,
      });
      return undefined;
    }
    const given = unitOf(q, spec.systems.UCUM);
    if (given === undefined) {
      errors.push({ path, message: `no unit: a value of ${el.name} needs one (it is measured in ${el.unit})` });
      return undefined;
    }
    const at = given === q.code ? `${path}.code` : `${path}.unit`;
    const unit = unitAlias(given);
    const valid = validateUnit(unit);
    if (!valid.ok) {
      errors.push({
        path: at,
        message: `"${given}" is not a UCUM unit (${valid.message}): ${el.name} is not read from it`,
      });
      return undefined;
    }
    const c = el.unit === undefined ? "same" : commensurability(unit, el.unit, el.molarMass);
    const absolute = el.absoluteUnit !== undefined && commensurability(unit, el.absoluteUnit) === "same";
    if (c !== "same" && !absolute) {
      errors.push({
        path: at,
        message: `"${given}" cannot express ${el.name}, which is measured in ${el.unit}${c === "needs-molar-mass" ? " (no molar mass is declared for it)" : ""}`,
      });
      return undefined;
    }
    return { value: q.value, unit: given };
  };

  /** The reference limits of an observation (the first range with no type, or typed "normal"), each in its own unit. */
  const limitsOf = (o: Observation, el: FhirElement, path: string): Record<string, unknown> => {
    const i = (o.referenceRange ?? []).findIndex((r) => !r.type || statusCode(r.type) === "normal");
    const range = o.referenceRange?.[i];
    const out: Record<string, unknown> = {};
    if (!range) return out;
    const lln = el.reference?.lln ? quantity(el, range.low, `${path}.referenceRange[${i}].low`) : undefined;
    const uln = el.reference?.uln ? quantity(el, range.high, `${path}.referenceRange[${i}].high`) : undefined;
    if (lln) out.lln = lln;
    if (uln) out.uln = uln;
    return out;
  };

  /** Agree on one value or report the element as ambiguous. */
  const single = (el: FhirElement, found: Found[]): unknown => {
    const distinct = new Set(found.map((f) => JSON.stringify(f.value)));
    for (const f of found) used.add(f.path);
    if (distinct.size <= 1) return found[0]?.value;
    ambiguous.push({
      element: el.name,
      paths: found.map((f) => f.path),
      message: `${found.length} resources give "${el.name}" different values (${[...distinct].join(", ")}); none is picked`,
    });
    return undefined;
  };

  for (const el of spec.elements) {
    const value = elementValue(el);
    if (value !== undefined) patient[el.name] = value;
  }

  function elementValue(el: FhirElement): unknown {
    const src = el.source;
    switch (src.kind) {
      case "birthDate": {
        const d = patientRes?.resource.birthDate;
        if (!patientRes || d === undefined) return undefined;
        used.add(patientRes.path);
        if (!FULL_DATE.test(d)) {
          warnings.push({
            path: `${patientRes.path}.birthDate`,
            message: `"${d}" is not a full date: ${el.name} is missing`,
          });
          return undefined;
        }
        return d;
      }
      case "gender": {
        const g = patientRes?.resource.gender;
        if (!patientRes || g === undefined) return undefined;
        used.add(patientRes.path);
        const v = Object.hasOwn(src.values, g) ? src.values[g] : undefined;
        if (v === undefined)
          warnings.push({
            path: `${patientRes.path}.gender`,
            message: `gender "${g}" is none of ${el.name}'s values: missing`,
          });
        return v;
      }
      case "observation": {
        const obs = of("Observation").filter((o) => matches(conceptsOf(o.resource), src.codes));
        if (el.unit) return results(el, obs);
        const found: Found[] = [];
        for (const o of obs) {
          const value = observationValue(o.resource, el);
          if (value === undefined) {
            used.add(o.path);
            warnings.push({ path: o.path, message: `no value of the kind "${el.name}" needs (${el.type}): not read` });
          } else found.push({ value, path: o.path });
        }
        return single(el, [...found, ...answers(el)]);
      }
      case "finding": {
        const found: Found[] = [];
        for (const c of of("Condition").filter((x) => matches(conceptsOf(x.resource), src.codes))) {
          const value = conditionValue(c.resource);
          used.add(c.path);
          if (value === undefined)
            warnings.push({
              path: c.path,
              message: `clinical status "${statusCode(c.resource.clinicalStatus)}" does not say whether "${el.name}" holds now: not read`,
            });
          else found.push({ value, path: c.path });
        }
        for (const p of of("Procedure").filter((x) => matches(conceptsOf(x.resource), src.codes)))
          found.push({ value: true, path: p.path });
        return single(el, [...found, ...answers(el)]);
      }
      case "medication": {
        const meds = [...of("MedicationStatement"), ...of("MedicationAdministration")];
        return single(el, [
          ...meds.filter((m) => matches(conceptsOf(m.resource), src.codes)).map((m) => ({ value: true, path: m.path })),
          ...answers(el),
        ]);
      }
      case "attestation": {
        const found = answers(el);
        if (src.codes.length)
          for (const c of of("Consent").filter((x) => matches(conceptsOf(x.resource), src.codes)))
            found.push({ value: c.resource.status === "active", path: c.path });
        return single(el, found);
      }
      case "records":
        return joinRows(records(el, src.keyField), answeredRecords(el));
      case "none":
        if (el.type === "records") return answeredRecords(el);
        return el.unit ? answeredResults(el) : single(el, answers(el));
    }
  }

  /**
   * A measured element no code maps, from the questionnaire: each item named after it with
   * sub-items `value` (valueQuantity), `at`, `lln`, `uln`, `method`, `specimen` is one result.
   */
  function answeredResults(el: FhirElement): unknown {
    const results: Record<string, unknown>[] = [];
    for (const q of of("QuestionnaireResponse"))
      (q.resource.item ?? []).forEach((item, i) => {
        if (item.linkId !== el.name || !item.item?.length) return;
        used.add(q.path);
        const sub = (k: string) => item.item?.find((x) => x.linkId === k)?.answer?.[0];
        const qty = (k: string) => {
          const j = item.item?.findIndex((x) => x.linkId === k) ?? -1;
          return quantity(el, sub(k)?.valueQuantity, `${q.path}.item[${i}].item[${j}].answer[0].valueQuantity`);
        };
        const value = qty("value");
        if (!value) return;
        const at = sub("at")?.valueDateTime ?? sub("at")?.valueDate;
        const lln = qty("lln");
        const uln = qty("uln");
        const method = sub("method")?.valueString;
        const specimen = sub("specimen")?.valueString;
        results.push(
          Object.assign(
            {},
            value,
            at !== undefined ? { at } : {},
            lln ? { lln } : {},
            uln ? { uln } : {},
            method !== undefined ? { method } : {},
            specimen !== undefined ? { specimen } : {},
          ),
        );
      });
    return results.length ? { results } : single(el, answers(el));
  }

  /** The screening questionnaire's answers to `el` (items whose `linkId` is its name). */
  function answers(el: FhirElement): Found[] {
    const found: Found[] = [];
    for (const q of of("QuestionnaireResponse"))
      q.resource.item?.forEach((item, i) => {
        if (item.linkId !== el.name) return;
        used.add(q.path);
        const value = answerValue(el, item.answer?.[0], `${q.path}.item[${i}].answer[0]`);
        if (value === undefined)
          warnings.push({
            path: `${q.path}.item[${i}]`,
            message: `no answer of the kind "${el.name}" needs (${el.type})`,
          });
        else found.push({ value, path: `${q.path}.item[${i}]` });
      });
    return found;
  }

  /**
   * A records element from the questionnaire: each item named after it is one row of its
   * fields; an item answered `false` ("any …? no") says there is none.
   */
  function answeredRecords(el: FhirElement): unknown {
    const rows: Record<string, unknown>[] = [];
    let none = false;
    for (const q of of("QuestionnaireResponse"))
      (q.resource.item ?? []).forEach((item, i) => {
        if (item.linkId !== el.name) return;
        used.add(q.path);
        if (item.answer?.[0]?.valueBoolean === false && !item.item?.length) {
          none = true;
          return;
        }
        const row: Record<string, unknown> = {};
        for (const f of el.fields ?? []) {
          const j = item.item?.findIndex((x) => x.linkId === f.name) ?? -1;
          const sub = item.item?.[j];
          const v = sub ? answerValue(f, sub.answer?.[0], `${q.path}.item[${i}].item[${j}].answer[0]`) : undefined;
          if (v !== undefined) row[f.name] = v;
        }
        rows.push(row);
      });
    if (none && rows.length) {
      ambiguous.push({ element: el.name, paths: [], message: `"${el.name}" is answered both "none" and with rows` });
      return undefined;
    }
    return rows.length || none ? rows : undefined;
  }

  /** A measured element's timed results, all of them: the selection chooses (and says when two at one time disagree). */
  function results(el: FhirElement, obs: { resource: Observation; path: string }[]): unknown {
    const rows: Found[] = [];
    for (const o of obs) {
      used.add(o.path);
      if (o.resource.valueQuantity?.value === undefined) {
        warnings.push({ path: o.path, message: `no valueQuantity with a value: not a result of "${el.name}"` });
        continue;
      }
      const q = quantity(el, o.resource.valueQuantity, `${o.path}.valueQuantity`);
      if (!q) continue;
      const at = timeOf(o.resource);
      const method = o.resource.method?.text ?? o.resource.method?.coding?.[0]?.display;
      const specimen = o.resource.specimen?.display;
      rows.push({
        value: Object.assign(
          {},
          q,
          at !== undefined ? { at } : {},
          limitsOf(o.resource, el, o.path),
          method !== undefined ? { method } : {},
          specimen !== undefined ? { specimen } : {},
        ),
        ...(at !== undefined ? { at } : {}),
        path: o.path,
      });
    }
    if (rows.length === 0) return undefined;
    const byTime = new Map<string, Found[]>();
    for (const r of rows) byTime.set(r.at ?? "", [...(byTime.get(r.at ?? "") ?? []), r]);
    const unique: Found[] = [];
    for (const [at, same] of byTime) {
      // Identical duplicates collapse; every other result is kept, as the patient's JSON
      // would hold it: the protocol's selection chooses among results at one time, and
      // makes the value unknown, saying so, when they disagree (never a silent pick).
      const distinct = [...new Map(same.map((r) => [JSON.stringify(r.value), r])).values()];
      unique.push(...distinct);
    }
    // In time order as written.
    unique.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? ""));
    return { results: unique.map((r) => r.value) };
  }

  /** One row per resource whose code is one of the key field's values. */
  function records(el: FhirElement, keyField: string): unknown {
    const fields = el.fields ?? [];
    const key = fields.find((f) => f.name === keyField)!;
    const dateField = fields.find((f) => f.type === "date" || f.type === "datetime");
    const valueField = fields.find((f) => f.type === "decimal" || f.type === "integer");
    const rows: Record<string, unknown>[] = [];
    const units = new Map<string, Set<string>>();
    for (const r of live) {
      const code = codeValue(key, conceptsOf(r.resource));
      if (code === undefined) continue;
      used.add(r.path);
      const row: Record<string, unknown> = { [keyField]: code };
      const at = timeOf(r.resource);
      if (dateField && at !== undefined) row[dateField.name] = dateField.type === "date" ? at.slice(0, 10) : at;
      const vq = r.resource.resourceType === "Observation" ? r.resource.valueQuantity : undefined;
      if (valueField && vq?.value !== undefined) {
        if (valueField.unit) {
          const q = quantity(valueField, vq, `${r.path}.valueQuantity`);
          if (q) row[valueField.name] = q;
        } else if (vq.comparator !== undefined)
          errors.push({
            path: `${r.path}.valueQuantity.comparator`,
            message: `"${vq.comparator} ${vq.value}" is a bound, not a value of ${el.name}.${valueField.name}: not read as one`,
          });
        else {
          // A field without a unit takes the number; its unit is compared across rows below.
          row[valueField.name] = vq.value;
          const unit = unitOf(vq, spec.systems.UCUM) ?? "(no unit)";
          units.set(code, new Set([...(units.get(code) ?? []), unit]));
        }
      }
      rows.push(row);
    }
    for (const [code, set] of units)
      if (set.size > 1) {
        ambiguous.push({
          element: el.name,
          paths: [],
          message: `"${el.name}" values for ${code} come in different units (${[...set].join(", ")}) and "${valueField!.name}" has no unit to convert them to; none is picked`,
        });
        return undefined;
      }
    return rows.length ? rows : undefined;
  }

  // Anchors: the inclusion date from ResearchSubject.period.start, any anchor from its extension.
  const anchors: Record<string, string> = {};
  for (const s of of("ResearchSubject")) {
    const rs = s.resource;
    if (rs.period?.start && spec.anchors.includes("inclusion")) anchors.inclusion = rs.period.start;
    for (const x of rs.extension ?? []) {
      const name = x.url.startsWith(ANCHOR_EXTENSION) ? x.url.slice(ANCHOR_EXTENSION.length) : undefined;
      const when = x.valueDate ?? x.valueDateTime;
      if (name && spec.anchors.includes(name) && when) anchors[name] = when;
    }
    used.add(s.path);
  }
  if (Object.keys(anchors).length) patient.anchors = anchors;

  if (errors.length) return { ok: false, errors };
  const unused: UnusedResource[] = read.resources
    .filter((r) => !used.has(r.path))
    .map((r) => ({
      path: r.path,
      resource: describe(r, spec.systems),
      reason: skipped.get(r.path) ?? "no data element has its code",
    }));
  const missing = spec.elements.filter((e) => !(e.name in patient)).map((e) => e.name);
  return { ok: true, patient, unused, missing, ambiguous, warnings };

  /** A questionnaire answer (at `path`) as the native value of `el`, or undefined when it is of another kind. */
  function answerValue(el: FhirElement, a: Answer | undefined, path: string): unknown {
    if (!a) return undefined;
    switch (el.type) {
      case "boolean":
      case "attestation":
        return a.valueBoolean;
      case "integer":
        return a.valueInteger;
      case "decimal":
        return el.unit ? quantity(el, a.valueQuantity, `${path}.valueQuantity`) : (a.valueDecimal ?? a.valueInteger);
      case "date":
        return a.valueDate;
      case "datetime":
        return a.valueDateTime;
      case "text":
        return a.valueString;
      case "code": {
        const c = a.valueCoding;
        if (!c) return undefined;
        return (el.values ?? []).some((v) => v.code === c.code && !c.system)
          ? c.code
          : codeValue(el, [{ coding: [c] }]);
      }
      default:
        return undefined;
    }
  }
}

/** Rows from coded resources, then rows from the questionnaire, in bundle order. */
function joinRows(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  return [...(a as unknown[]), ...((b as unknown[] | undefined) ?? [])];
}

/** A condition's yes/no for "does it hold now": refuted is no; resolved or inactive says nothing. */
function conditionValue(c: Condition): boolean | undefined {
  if (statusCode(c.verificationStatus) === "refuted") return false;
  const clinical = statusCode(c.clinicalStatus);
  if (clinical === undefined || clinical === "active" || clinical === "recurrence" || clinical === "relapse")
    return true;
  return undefined;
}

/** `Observation/hb-1 (LOINC 718-7)`: a resource by its type, id and first code (its system by name when known). */
function describe(r: Located, systems: Record<string, string>): string {
  const coding = conceptsOf(r.resource)[0]?.coding?.[0];
  const system = Object.entries(systems).find(([, uri]) => uri === coding?.system)?.[0] ?? coding?.system;
  return `${r.resourceType}${r.id ? `/${r.id}` : ""}${coding?.code ? ` (${system} ${coding.code})` : ""}`;
}
