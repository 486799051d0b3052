/**
 * Where each data element of the protocol comes from in an OMOP CDM v5.4 database,
 * decided from the concept map (and the standard codes the `.trial` file binds).
 *
 * - A measured number (lab, score): the latest `measurement` or `observation` row of
 *   its concepts on or before the as-of date: `value_as_number` in its `unit_concept_id`,
 *   `range_low`/`range_high` as LLN/ULN.
 * - A yes/no element: an observation answered Yes (4188539) or No (4188540), or, for a
 *   condition, procedure, drug or visit concept, true when such an event is recorded
 *   (and unknown otherwise: absence from an EHR is not evidence of absence).
 * - A coded element: `person.gender_concept_id` (Gender concepts); a question concept
 *   with its answers in `value_as_concept_id`; or the latest event among the values'
 *   own concepts.
 * - A date or date-time: the latest event's date (or `person`'s birth fields).
 * - A measured number (a decimal with a unit) is chosen among its results by the
 *   element's selection (`select latest by "M" between …`): see query.ts.
 * - Records: one row per event of their concepts; the coded field names the concept,
 *   the first date field is the event date, a numeric field is `value_as_number`,
 *   and text fields named by `Field` rows the source value or the unit's UCUM code.
 * - Attestations, free text and anything the concept map does not bind: never derived
 *   from OMOP, so always unknown (and named as missing).
 */
import type { IrElement, IrProtocol } from "../../ir/types.js";
import { commensurability, conversionRatio, unitAlias } from "../../runtime/units.js";
import type { Ratio } from "../../runtime/decimal.js";
import type { ConceptMap, ConceptRow } from "./concept-map.js";

export type EventTable =
  | "measurement"
  | "observation"
  | "condition_occurrence"
  | "procedure_occurrence"
  | "drug_exposure"
  | "visit_occurrence";

const TABLE_OF: Record<string, EventTable> = {
  Measurement: "measurement",
  Observation: "observation",
  Condition: "condition_occurrence",
  Procedure: "procedure_occurrence",
  Drug: "drug_exposure",
  Visit: "visit_occurrence",
};

/** OMOP's standard answer concepts for yes/no questions. */
export const YES_CONCEPT = 4188539;
export const NO_CONCEPT = 4188540;

/** An event concept and what it stands for. */
export interface EventConcept {
  conceptId: number;
  table: EventTable;
  /** The element (or records element) it feeds. */
  element: string;
  /** The code value it means (`mri`, `pancreas`), if any. */
  value: string | null;
  /** The method the concept implies (the concept map's `method` column), if any. */
  method: string | null;
}

/** How one element is read. */
export type ElementSource =
  | { how: "none"; reason: string }
  | { how: "gender"; values: { conceptId: number; value: string }[] }
  | { how: "birth" }
  /** `measured`: a decimal with a unit, whose results the element's selection chooses among. */
  | { how: "number"; measured: boolean }
  | { how: "yesno"; presence: boolean }
  | { how: "answer"; answers: { conceptId: number; value: string }[] }
  | { how: "value" }
  | { how: "time"; datetime: boolean }
  | {
      how: "records";
      codeField: string | null;
      dateField: string | null;
      numField: string | null;
      /** Text fields filled from the event (the concept map's `Field` rows). */
      texts: { field: string; from: "source_value" | "unit" }[];
      /** The UCUM code of each unit concept of the map, for a text field filled with the unit. */
      unitCodes: { conceptId: number; code: string }[];
    };

/** A unit concept an element's values may come in, with the exact factor into the element's unit. */
export interface UnitEntry {
  /** `hemoglobin` or `records.field`. */
  element: string;
  conceptId: number;
  ucum: string;
  /** value in the element's unit = value × ratio. */
  ratio: Ratio;
}

export interface Bindings {
  events: EventConcept[];
  sources: Map<string, ElementSource>;
  units: UnitEntry[];
}

/** Standard codes (issue 10's `codes: {system, code}[]`) on an IR node, if it has any. */
export function standardCodes(x: unknown): { system: string; code: string }[] {
  const codes = (x as { codes?: unknown } | null)?.codes;
  if (!Array.isArray(codes)) return [];
  return codes.filter(
    (c): c is { system: string; code: string } =>
      typeof c === "object" && c !== null && typeof c.system === "string" && typeof c.code === "string",
  );
}

/**
 * The values of a coded element, each with its standard codes: `values` in the IR with
 * standard codes (issue 10's `IrCodeValue`), or `codes` entries without a `system` in
 * the IR before it.
 */
function codeValues(el: IrElement): { value: string; codes: { system: string; code: string }[] }[] {
  const vals = ((el as { values?: unknown[] }).values ?? el.codes ?? []) as unknown[];
  return vals
    .filter((v): v is { code: string } => typeof (v as { code?: unknown })?.code === "string")
    .filter((v) => !("system" in (v as object)))
    .map((v) => ({ value: v.code, codes: standardCodes(v) }));
}

export function bind(ir: IrProtocol, map: ConceptMap): Bindings {
  const byCode = (codes: { system: string; code: string }[]): ConceptRow[] =>
    map.rows.filter((r) => r.system && r.code && codes.some((c) => c.system === r.system && c.code === r.code));
  const byPath = (path: string) => map.rows.filter((r) => r.element === path);
  const events: EventConcept[] = [];
  const sources = new Map<string, ElementSource>();
  const units: UnitEntry[] = [];
  const unitRows = map.rows.filter((r) => r.domain === "Unit" && r.code);
  // Field rows bind no concept: they say which OMOP column fills a records text field.

  const addUnits = (path: string, unit: string | undefined, molarMass?: string) => {
    if (!unit) return;
    for (const u of unitRows) {
      const ucum = unitAlias(u.code!);
      if (commensurability(ucum, unit, molarMass) !== "same") continue;
      units.push({ element: path, conceptId: u.conceptId, ucum, ratio: conversionRatio(ucum, unit, molarMass) });
    }
  };
  const addEvents = (rows: ConceptRow[], element: string, value: string | null) => {
    for (const r of rows) {
      const table = TABLE_OF[r.domain];
      // A concept bound both by path and by code is one binding, not two rows per event.
      if (
        table &&
        !events.some(
          (e) => e.conceptId === r.conceptId && e.table === table && e.element === element && e.value === value,
        )
      )
        events.push({ conceptId: r.conceptId, table, element, value, method: r.method });
    }
  };

  for (const el of ir.elements) {
    const own = [...byPath(el.name), ...byCode(standardCodes(el))].filter((r) => r.domain !== "Unit");
    const values = el.type === "code" ? codeValues(el) : [];
    const valueRows = values.map((v) => ({
      value: v.value,
      rows: [...byPath(`${el.name}=${v.value}`), ...byCode(v.codes)],
    }));
    const src = ((): ElementSource => {
      if (el.type === "attestation")
        return { how: "none", reason: `attested by the ${el.attestedBy ?? "investigator"}: not in OMOP` };
      if (el.type === "records") {
        const fieldRows = (el.fields ?? []).flatMap((f) =>
          f.type !== "code"
            ? []
            : codeValues(f).map((v) => ({
                field: f.name,
                value: v.value,
                rows: [...byPath(`${el.name}.${f.name}=${v.value}`), ...byCode(v.codes)],
              })),
        );
        const used = fieldRows.filter((f) => f.rows.length);
        if (!own.length && !used.length) return { how: "none", reason: "no concept in the concept map" };
        addEvents(own, el.name, null);
        for (const f of used) addEvents(f.rows, el.name, f.value);
        const fields = el.fields ?? [];
        const dateField = fields.find((f) => f.type === "date" || f.type === "datetime")?.name ?? null;
        const nums = fields.filter((f) => f.type === "decimal" || f.type === "integer");
        const numField = nums.length === 1 ? nums[0]!.name : null;
        if (numField) addUnits(`${el.name}.${numField}`, nums[0]!.unit, nums[0]!.molarMass);
        const texts = fields
          .filter((f) => f.type === "text" || f.type === "code")
          .flatMap((f) => {
            const row = map.rows.find((r) => r.domain === "Field" && r.element === `${el.name}.${f.name}`);
            return row && f.name !== used[0]?.field
              ? [{ field: f.name, from: row.code === "unit" ? ("unit" as const) : ("source_value" as const) }]
              : [];
          });
        const unitCodes = unitRows.map((u) => ({ conceptId: u.conceptId, code: u.code! }));
        return { how: "records", codeField: used[0]?.field ?? null, dateField, numField, texts, unitCodes };
      }
      if (el.type === "code" && valueRows.some((v) => v.rows.some((r) => r.domain === "Gender")))
        return {
          how: "gender",
          values: valueRows.flatMap((v) =>
            v.rows.filter((r) => r.domain === "Gender").map((r) => ({ conceptId: r.conceptId, value: v.value })),
          ),
        };
      if ((el.type === "date" || el.type === "datetime") && own.some((r) => r.domain === "Person"))
        return { how: "birth" };
      const ev = own.filter((r) => TABLE_OF[r.domain]);
      switch (el.type) {
        case "decimal":
        case "integer":
          if (!ev.some((r) => r.domain === "Measurement" || r.domain === "Observation"))
            return { how: "none", reason: "no measurement or observation concept in the concept map" };
          addEvents(
            ev.filter((r) => r.domain === "Measurement" || r.domain === "Observation"),
            el.name,
            null,
          );
          addUnits(el.name, el.unit, el.molarMass);
          return { how: "number", measured: el.type === "decimal" && el.unit !== undefined };
        case "boolean": {
          if (!ev.length) return { how: "none", reason: "no concept in the concept map" };
          const asked = ev.filter((r) => r.domain === "Measurement" || r.domain === "Observation");
          addEvents(asked.length ? asked : ev, el.name, null);
          return { how: "yesno", presence: asked.length === 0 };
        }
        case "code": {
          if (ev.length) {
            addEvents(ev, el.name, null);
            const answers = valueRows.flatMap((v) =>
              v.rows.filter((r) => r.domain === "Meas Value").map((r) => ({ conceptId: r.conceptId, value: v.value })),
            );
            return { how: "answer", answers };
          }
          const used = valueRows.filter((v) => v.rows.some((r) => TABLE_OF[r.domain]));
          if (!used.length) return { how: "none", reason: "no concept in the concept map" };
          for (const v of used) addEvents(v.rows, el.name, v.value);
          return { how: "value" };
        }
        case "date":
        case "datetime":
          if (!ev.length) return { how: "none", reason: "no concept in the concept map" };
          addEvents(ev, el.name, null);
          return { how: "time", datetime: el.type === "datetime" };
        default:
          return { how: "none", reason: `a ${el.type} element is not derived from OMOP` };
      }
    })();
    sources.set(el.name, src);
  }
  return { events, sources, units };
}
