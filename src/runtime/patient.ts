/**
 * Patient data in, run-time values out: validation against the protocol's data
 * dictionary (types, UCUM units, plausible ranges, codes, real dates) with the JSON
 * path of every problem, then normalisation into values the rules read.
 *
 * Bad data is never decided on: any error rejects the whole record. A field that is
 * absent or null is missing (unknown), never a guess. A field that is not read (the
 * dictionary does not know it, or a record's row, a result, a quantity or a limit has
 * no such field) changes no decision: it is reported as a warning with its JSON path,
 * at any depth, since it is often a typo. Every data file of every command follows
 * this one policy (see {@link unknownField}).
 */
import { z } from "zod";
import { dec, readDecimal } from "./decimal.js";
import { commensurability, convert, validateUnit, unitAlias } from "./units.js";
import { parseDate, parseDateTime, parseTimeStamp, REAL_DATE, REAL_DATE_TIME, type TimePoint } from "./time.js";
import type { Limit, Row, Val } from "./values.js";
import { pickResult, type Selection } from "./observations.js";
import { normaliser, type Normalisation } from "./bsa.js";

/** What the run time needs to know of a data element (a subset of the IR's element). */
export interface DictElement {
  name: string;
  type: "decimal" | "integer" | "boolean" | "date" | "datetime" | "text" | "code" | "attestation" | "records";
  unit?: string;
  range?: { low: string; high: string };
  reference?: { uln: boolean; lln: boolean };
  molarMass?: string;
  codes?: string[];
  fields?: DictElement[];
  /** Which result a rule reads, for a measured element (see `observations.ts`). */
  select?: Selection;
  /** A declared normalisation of the element's absolute values (see `bsa.ts`). */
  normalise?: Normalisation;
}

/** A measured element: a top-level decimal with a unit, holding one or more timed results. */
export function isMeasured(el: DictElement): boolean {
  return el.type === "decimal" && el.unit !== undefined;
}

export interface DataProblem {
  /** JSON path, e.g. `$.lesions[0].longest_diameter.unit`. */
  path: string;
  message: string;
}

/** A measured element's results, each a quantity with its time, limits, method and specimen. */
export type Results = Extract<Val, { t: "qty" }>[];

export type Normalized =
  | {
      ok: true;
      /** Every element's value; a measured element's is the result its selection picks without anchors. */
      data: Record<string, Val>;
      /** Every result of each measured element, in the order given. */
      results: Record<string, Results>;
      anchors: Record<string, TimePoint>;
      warnings: DataProblem[];
    }
  | { ok: false; errors: DataProblem[] };

/** Options of {@link normalizePatient}. */
export interface NormalizeOptions {
  /** The trial's IANA time zone: date-times with a UTC offset are read in it. */
  timeZone?: string;
  /** Put before the name of missing data a normalisation needs (`labs.` for a cycle's labs). */
  missingPrefix?: string;
}

const decimalInput = z.union([z.number(), z.string()]);
/** A reference limit: `{"value", "unit"}`; a bare number passes here and is refused, with a hint, in `normalize`. */
const limitInput = z.union([decimalInput, z.looseObject({ value: decimalInput, unit: z.string() })]);
/** A quantity in a record's field: `{"value", "unit"}` (unknown keys are warned about in `readQuantity`). */
const quantityInput = z.looseObject({
  value: decimalInput,
  unit: z.string(),
  uln: limitInput.optional(),
  lln: limitInput.optional(),
});
/** One result of a measured element. Limits are checked by hand, for clearer messages. */
const resultShape = {
  value: decimalInput,
  unit: z.string(),
  at: z.string().optional(),
  uln: limitInput.optional(),
  lln: limitInput.optional(),
  method: z.string().optional(),
  specimen: z.string().optional(),
};
const resultInput = z.looseObject(resultShape);
/**
 * A measured element: `{"results": [result, …]}`, or one result object as shorthand.
 * Which of the two, and unknown keys, are checked in `normalize` (with JSON paths).
 */
const measuredInput = z
  .looseObject({
    results: z.array(resultInput).optional(),
    ...Object.fromEntries(Object.entries(resultShape).map(([k, t]) => [k, t.optional()])),
  })
  .superRefine((m, ctx) => {
    if (m.results !== undefined) return;
    for (const k of ["value", "unit"])
      if (m[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: `required: the result's ${k}` });
  });
const RESULT_KEYS = new Set(Object.keys(resultShape));
/** The fields of a quantity that is not a measured element's result. */
const QUANTITY_KEYS = new Set(["value", "unit", "uln", "lln"]);

/**
 * The warning for a field that is not read, the same in every data file: its JSON path,
 * and what it is not a field of (with the fields it may have, when they are few).
 */
export function unknownField(path: string, key: string, of: string): DataProblem {
  return { path, message: `"${key}" is not a field of ${of} and was ignored` };
}

/** A warning for each key of `obj` not in `known`, at `path`, sorted by key. */
export function unknownKeys(
  obj: object,
  known: ReadonlySet<string>,
  path: string,
  of: string,
  warnings: DataProblem[],
): void {
  for (const k of Object.keys(obj).sort())
    if (!known.has(k)) warnings.push(unknownField(`${path}${jsonPath([k]).slice(1)}`, k, of));
}

/** The zod schema of one element's JSON form (types only; units and ranges are checked in `normalize`). */
export function elementSchema(el: DictElement, top = true): z.ZodType {
  switch (el.type) {
    case "decimal":
      return (el.unit ? (top ? measuredInput : quantityInput) : decimalInput).nullable().optional();
    case "integer":
      return z.number().int().nullable().optional();
    case "boolean":
    case "attestation":
      return z.boolean().nullable().optional();
    case "date":
    case "datetime":
    case "text":
      return z.string().nullable().optional();
    case "code":
      return z
        .enum((el.codes ?? []) as [string, ...string[]])
        .nullable()
        .optional();
    case "records":
      return z
        .array(z.looseObject(Object.fromEntries((el.fields ?? []).map((f) => [f.name, elementSchema(f, false)]))))
        .nullable()
        .optional();
  }
}

/** The zod schema of a whole patient record. */
export function patientSchema(dict: DictElement[], anchors: string[]): z.ZodType {
  const shape: Record<string, z.ZodType> = Object.fromEntries(dict.map((el) => [el.name, elementSchema(el)]));
  shape.anchors = z
    .looseObject(Object.fromEntries(anchors.map((a) => [a, z.string().nullable().optional()])))
    .optional();
  return z.looseObject(shape);
}

/** What a JSON value is, in words, for messages: `the text "12"`, `the number 3.5`, `an array`. */
function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "number") return Number.isFinite(v) ? `the number ${v}` : "a number out of range";
  return `${typeof v} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

/**
 * A zod issue in the user's words ("expected a whole number, not the number 2.5"),
 * never zod's own ("Invalid input", "expected int, received number").
 */
export function issueMessage(i: z.core.$ZodIssue, raw: unknown): string {
  let value: unknown = raw;
  for (const k of i.path)
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  switch (i.code) {
    case "invalid_type":
      return `expected ${EXPECTED[i.expected] ?? i.expected}, not ${describe(value)}`;
    case "invalid_union":
      return typeof value === "number" && !Number.isFinite(value)
        ? "the number is out of range"
        : `expected a number or a decimal in quotes, not ${describe(value)}`;
    case "invalid_value":
      return `${describe(value)} is not one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return i.origin === "array"
        ? `needs at least ${String(i.minimum)} item${Number(i.minimum) === 1 ? "" : "s"}`
        : i.origin === "string"
          ? "must not be empty"
          : `must be at least ${String(i.minimum)}`;
    case "too_big":
      return `must be at most ${String(i.maximum)}`;
    case "unrecognized_keys":
      return `unknown field${i.keys.length === 1 ? "" : "s"} ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    case "custom":
      // Our own refinements word their message for the user already.
      return i.message;
    default:
      return `${describe(value)} is not valid here`;
  }
}

/** `["lesions", 0, "unit"]` → `$.lesions[0].unit`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return (
    "$" +
    path
      .map((p) =>
        typeof p === "number"
          ? `[${p}]`
          : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(p))
            ? `.${String(p)}`
            : `[${JSON.stringify(String(p))}]`,
      )
      .join("")
  );
}

function toDecimal(x: number | string, path: string, errors: DataProblem[]) {
  const d = readDecimal(x);
  if (typeof d === "string") errors.push({ path, message: d });
  return typeof d === "string" ? null : d;
}

/** Whether `unit` is the absolute unit of `el`'s declared normalisation (normalised when read). */
function isAbsolute(el: DictElement, unit: string): boolean {
  return el.normalise !== undefined && commensurability(unit, el.normalise.from) === "same";
}

/** A unit as given, if UCUM knows it and it can express `el` (else an error at `path`). */
function readUnit(el: DictElement, given: string, path: string, errors: DataProblem[]): string | undefined {
  const unit = unitAlias(given);
  const valid = validateUnit(unit);
  if (!valid.ok) {
    errors.push({ path, message: `unknown unit "${given}": ${valid.message}` });
    return undefined;
  }
  const c = commensurability(unit, el.unit!, el.molarMass);
  if (c !== "same" && isAbsolute(el, unit)) return unit;
  if (c !== "same") {
    errors.push({
      path,
      message: `"${given}" cannot express ${el.name}, which is measured in ${el.unit}${c === "needs-molar-mass" ? " (no molar mass is declared for it)" : ""}`,
    });
    return undefined;
  }
  return unit;
}

const LIMIT_KEYS = new Set(["value", "unit"]);

/** A reference limit: `{"value", "unit"}` in any unit that can express the element; never a bare number. */
function readLimit(
  el: DictElement,
  raw: unknown,
  path: string,
  errors: DataProblem[],
  warnings: DataProblem[],
): Limit | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !("unit" in raw) || !("value" in raw)) {
    errors.push({
      path,
      message: `a reference limit needs its own value and unit, e.g. {"value": ${typeof raw === "number" || typeof raw === "string" ? JSON.stringify(raw) : "…"}, "unit": "${el.unit}"}`,
    });
    return undefined;
  }
  unknownKeys(raw, LIMIT_KEYS, path, "a limit (value, unit)", warnings);
  const { value, unit: given } = raw as { value: unknown; unit: unknown };
  if (typeof given !== "string") {
    errors.push({ path: `${path}.unit`, message: "the unit must be a UCUM text" });
    return undefined;
  }
  if (typeof value !== "number" && typeof value !== "string") {
    errors.push({ path: `${path}.value`, message: "the value must be a number or a decimal string" });
    return undefined;
  }
  const unit = readUnit(el, given, `${path}.unit`, errors);
  const d = toDecimal(value, `${path}.value`, errors);
  if (!unit || !d) return undefined;
  if (d.lessThanOrEqualTo(0)) {
    errors.push({ path: `${path}.value`, message: "a reference limit must be positive" });
    return undefined;
  }
  // A limit is a value of the same measurement: it gets the same plausible range (an
  // absolute one once normalised, with the value: see `bsa.ts`).
  if (el.range && !isAbsolute(el, unit)) {
    const inUnit = convert(d, unit, el.unit!, el.molarMass);
    if (inUnit.lessThan(el.range.low) || inUnit.greaterThan(el.range.high)) {
      errors.push({
        path: `${path}.value`,
        message: `${d.toString()} ${given} is outside the plausible range ${el.range.low} to ${el.range.high} ${el.unit}`,
      });
      return undefined;
    }
  }
  return { v: d, unit };
}

/**
 * One quantity: value, unit, reference limits; for a result of a measured element also
 * its time (`at`), method and specimen.
 */
function readQuantity(
  el: DictElement,
  q: Record<string, unknown>,
  path: string,
  errors: DataProblem[],
  warnings: DataProblem[],
  timeZone: string | undefined,
  result = false,
): Extract<Val, { t: "qty" }> | undefined {
  if (!result) unknownKeys(q, QUANTITY_KEYS, path, "a quantity (value, unit, uln, lln)", warnings);
  const unit = readUnit(el, q.unit as string, `${path}.unit`, errors);
  if (!unit) return undefined;
  const v = toDecimal(q.value as number | string, `${path}.value`, errors);
  if (!v) return undefined;
  const written = `${v.toString()} ${q.unit as string}`;
  if (el.range && !isAbsolute(el, unit)) {
    const inUnit = convert(v, unit, el.unit!, el.molarMass);
    if (inUnit.lessThan(el.range.low) || inUnit.greaterThan(el.range.high))
      errors.push({
        path,
        message: `${written} is outside the plausible range ${el.range.low} to ${el.range.high} ${el.unit}`,
      });
  }
  const out: Extract<Val, { t: "qty" }> = { t: "qty", v, unit, ...(el.molarMass ? { molarMass: el.molarMass } : {}) };
  for (const lim of ["uln", "lln"] as const) {
    if (q[lim] === undefined || q[lim] === null) continue;
    if (!el.reference?.[lim]) {
      errors.push({ path: `${path}.${lim}`, message: `${el.name} has no ${lim.toUpperCase()} in the protocol` });
      continue;
    }
    const l = readLimit(el, q[lim], `${path}.${lim}`, errors, warnings);
    if (l) out[lim] = l;
  }
  if (!result) return out;
  if (typeof q.at === "string") {
    const t = parseTimeStamp(q.at, timeZone);
    if (t.ok) out.at = t.tp;
    else
      errors.push({
        path: `${path}.at`,
        message:
          t.reason === "no-zone"
            ? `"${q.at}" has a UTC offset, but the protocol declares no time zone to read it in: give the local date-time (YYYY-MM-DDTHH:MM)`
            : `"${q.at}" is not a real date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS], optionally with a UTC offset)`,
      });
  }
  if (typeof q.method === "string" && q.method.trim()) out.method = q.method.trim();
  if (typeof q.specimen === "string" && q.specimen.trim()) out.specimen = q.specimen.trim();
  return out;
}

/** Every result of a measured element (`{"results": […]}` or one result object), in the order given. */
function readResults(
  el: DictElement,
  raw: Record<string, unknown>,
  path: string,
  errors: DataProblem[],
  warnings: DataProblem[],
  timeZone: string | undefined,
): Results {
  const hasResults = raw.results !== undefined;
  const single = Object.keys(raw).filter((k) => RESULT_KEYS.has(k));
  if (hasResults) unknownKeys(raw, new Set([...RESULT_KEYS, "results"]), path, "a measured value", warnings);
  if (hasResults && single.length) {
    errors.push({
      path: `${path}.${single.sort()[0]}`,
      message: `give either "results" (a list) or one result's fields, not both`,
    });
    return [];
  }
  const list = hasResults ? (raw.results as Record<string, unknown>[]) : [raw];
  const out: Results = [];
  list.forEach((r, i) => {
    const at = hasResults ? `${path}.results[${i}]` : path;
    unknownKeys(r, RESULT_KEYS, at, "a result (value, unit, at, uln, lln, method, specimen)", warnings);
    for (const k of ["value", "unit"])
      if (r[k] === undefined) errors.push({ path: `${at}.${k}`, message: `required: the result's ${k}` });
    if (r.value === undefined || r.unit === undefined) return;
    const q = readQuantity(el, r, at, errors, warnings, timeZone, true);
    if (q) out.push(q);
  });
  return out;
}

/** Validate and normalise one element's JSON value. Returns undefined when missing. */
function normalizeValue(
  el: DictElement,
  raw: unknown,
  path: string,
  errors: DataProblem[],
  warnings: DataProblem[],
  timeZone?: string,
): Val | undefined {
  if (raw === null || raw === undefined) return undefined;
  const plausible = (v: ReturnType<typeof dec>) =>
    !el.range || !(v.lessThan(el.range.low) || v.greaterThan(el.range.high));
  const range = (v: ReturnType<typeof dec>, shown: string) => {
    if (!plausible(v))
      errors.push({
        path,
        message: `${shown} is outside the plausible range ${el.range!.low} to ${el.range!.high}${el.unit ? " " + el.unit : ""}`,
      });
  };
  switch (el.type) {
    case "decimal": {
      if (!el.unit) {
        const d = toDecimal(raw as number | string, path, errors);
        if (d) range(d, d.toString());
        return d ? { t: "num", v: d } : undefined;
      }
      return readQuantity(el, raw as Record<string, unknown>, path, errors, warnings, undefined);
    }
    case "integer": {
      const d = dec(raw as number);
      range(d, d.toString());
      return { t: "num", v: d };
    }
    case "boolean":
    case "attestation":
      return { t: "bool", v: raw as boolean };
    case "text":
      return { t: "text", v: raw as string };
    case "code":
      return { t: "code", v: raw as string };
    case "date": {
      const d = parseDate(raw as string);
      if (!d) errors.push({ path, message: `"${String(raw)}" is not ${REAL_DATE}` });
      return d ? { t: "time", tp: { kind: "date", date: d } } : undefined;
    }
    case "datetime": {
      const d = parseDateTime(raw as string);
      if (d && timeZone) return { t: "time", tp: { kind: "datetime", dateTime: d, zone: timeZone } };
      if (!d)
        errors.push({
          path,
          message: `"${String(raw)}" is not ${REAL_DATE_TIME}`,
        });
      return d ? { t: "time", tp: { kind: "datetime", dateTime: d } } : undefined;
    }
    case "records": {
      const fields = new Set((el.fields ?? []).map((f) => f.name));
      const rows: Row[] = (raw as Record<string, unknown>[]).map((r, i) => {
        const row: Row = {};
        unknownKeys(r, fields, `${path}[${i}]`, `a row of ${el.name}`, warnings);
        for (const f of el.fields ?? []) {
          const v = normalizeValue(f, r[f.name], `${path}[${i}].${f.name}`, errors, warnings, timeZone);
          if (v) row[f.name] = v;
        }
        return row;
      });
      return { t: "rows", rows, path: path.replace(/^\$\./, "") };
    }
  }
}

/** A warning for each top-level key that is neither an element of the dictionary (`known`) nor `anchors`, sorted. */
export function topLevelWarnings(obj: object, known: ReadonlySet<string>, warnings: DataProblem[]): void {
  for (const key of Object.keys(obj).sort())
    if (!known.has(key) && key !== "anchors")
      warnings.push({
        path: jsonPath([key]),
        message: `"${key}" is not in the protocol's data dictionary and was ignored`,
      });
}

/** A warning for each reference date in the data that is not one of the protocol's anchors, sorted. */
export function anchorWarnings(rawAnchors: object, anchorNames: readonly string[], warnings: DataProblem[]): void {
  for (const k of Object.keys(rawAnchors).sort())
    if (!anchorNames.includes(k))
      warnings.push({
        path: jsonPath(["anchors", k]),
        message: `"${k}" is not one of the protocol's anchors (${anchorNames.join(", ") || "none"}) and was ignored`,
      });
}

/** Schemas built once per dictionary: building one costs more than validating with it. */
const schemas = new WeakMap<DictElement[], z.ZodType>();

/** Validate `raw` against the dictionary and normalise it; every problem is reported with its JSON path. */
export function normalizePatient(
  dict: DictElement[],
  anchorNames: string[],
  raw: unknown,
  options: NormalizeOptions = {},
): Normalized {
  let schema = schemas.get(dict);
  if (!schema) schemas.set(dict, (schema = patientSchema(dict, anchorNames)));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: issueMessage(i, raw) })),
    };
  }
  const obj = raw as Record<string, unknown>;
  const errors: DataProblem[] = [];
  const warnings: DataProblem[] = [];
  const data: Record<string, Val> = {};
  const results: Record<string, Results> = {};
  topLevelWarnings(obj, new Set(dict.map((d) => d.name)), warnings);
  for (const el of dict) {
    const raw = obj[el.name];
    if (isMeasured(el)) {
      if (raw === null || raw === undefined) continue;
      const list = readResults(
        el,
        raw as Record<string, unknown>,
        jsonPath([el.name]),
        errors,
        warnings,
        options.timeZone,
      );
      if (!list.length) continue;
      results[el.name] = list;
      if (!el.normalise) data[el.name] = pickResult(el.name, list, el.select, null);
      continue;
    }
    const v = normalizeValue(el, raw, jsonPath([el.name]), errors, warnings, options.timeZone);
    if (v) data[el.name] = v;
  }
  // Normalised elements last: their BSA (or height and weight) is read first.
  for (const el of dict) {
    const list = results[el.name];
    if (list && el.normalise)
      data[el.name] = pickResult(el.name, list, el.select, null, normaliser(el, data, options.missingPrefix));
  }
  const anchors: Record<string, TimePoint> = {};
  const rawAnchors = (obj.anchors ?? {}) as Record<string, unknown>;
  anchorWarnings(rawAnchors, anchorNames, warnings);
  for (const a of anchorNames) {
    const text = rawAnchors[a];
    if (text === null || text === undefined) continue;
    // A reference date, or a date-time (an injection at a time of day).
    const t = parseTimeStamp(text as string, options.timeZone);
    if (!t.ok)
      errors.push({
        path: jsonPath(["anchors", a]),
        message:
          t.reason === "no-zone"
            ? `"${String(text)}" has a UTC offset, but the protocol declares no time zone to read it in`
            : `"${String(text)}" is not a real date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)`,
      });
    else anchors[a] = t.tp;
  }
  return errors.length ? { ok: false, errors } : { ok: true, data, results, anchors, warnings };
}
