/**
 * Patient data in, run-time values out: validation against the protocol's data
 * dictionary (types, UCUM units, plausible ranges, codes, real dates) with the JSON
 * path of every problem, then normalisation into values the rules read.
 *
 * Bad data is never decided on: any error rejects the whole record. A field that is
 * absent or null is missing (unknown), never a guess. Fields the dictionary does not
 * know change no decision; they are reported as warnings, since they are often typos.
 */
import { z } from "zod";
import { dec, readDecimal } from "./decimal.js";
import { commensurability, convert, validateUnit, unitAlias } from "./units.js";
import { parseDate, parseDateTime, REAL_DATE, REAL_DATE_TIME, type TimePoint } from "./time.js";
import type { Row, Val } from "./values.js";

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
}

export interface DataProblem {
  /** JSON path, e.g. `$.lesions[0].longest_diameter.unit`. */
  path: string;
  message: string;
}

export type Normalized =
  | { ok: true; data: Record<string, Val>; anchors: Record<string, TimePoint>; warnings: DataProblem[] }
  | { ok: false; errors: DataProblem[] };

const decimalInput = z.union([z.number(), z.string()]);
const quantityInput = z.object({
  value: decimalInput,
  unit: z.string(),
  uln: decimalInput.optional(),
  lln: decimalInput.optional(),
});

/** The zod schema of one element's JSON form (types only; units and ranges are checked in `normalize`). */
export function elementSchema(el: DictElement): z.ZodType {
  switch (el.type) {
    case "decimal":
      return (el.unit ? quantityInput : decimalInput).nullable().optional();
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
        .array(z.looseObject(Object.fromEntries((el.fields ?? []).map((f) => [f.name, elementSchema(f)]))))
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

/** Validate and normalise one element's JSON value. Returns undefined when missing. */
function normalizeValue(el: DictElement, raw: unknown, path: string, errors: DataProblem[]): Val | undefined {
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
      const q = raw as { value: number | string; unit: string; uln?: number | string; lln?: number | string };
      const unit = unitAlias(q.unit);
      const valid = validateUnit(unit);
      if (!valid.ok) {
        errors.push({ path: `${path}.unit`, message: `unknown unit "${q.unit}": ${valid.message}` });
        return undefined;
      }
      const c = commensurability(unit, el.unit, el.molarMass);
      if (c !== "same") {
        errors.push({
          path: `${path}.unit`,
          message: `"${q.unit}" cannot express ${el.name}, which is measured in ${el.unit}${c === "needs-molar-mass" ? " (no molar mass is declared for it)" : ""}`,
        });
        return undefined;
      }
      const v = toDecimal(q.value, `${path}.value`, errors);
      if (!v) return undefined;
      range(convert(v, unit, el.unit, el.molarMass), `${v.toString()} ${q.unit}`);
      const out: Val = { t: "qty", v, unit, ...(el.molarMass ? { molarMass: el.molarMass } : {}) };
      for (const lim of ["uln", "lln"] as const) {
        if (q[lim] === undefined) continue;
        if (!el.reference?.[lim])
          errors.push({ path: `${path}.${lim}`, message: `${el.name} has no ${lim.toUpperCase()} in the protocol` });
        const d = toDecimal(q[lim]!, `${path}.${lim}`, errors);
        if (d && d.lessThanOrEqualTo(0))
          errors.push({ path: `${path}.${lim}`, message: `a reference limit must be positive` });
        else if (d && !plausible(convert(d, unit, el.unit, el.molarMass)))
          // A limit is a value of the same measurement: it gets the same plausible range.
          errors.push({
            path: `${path}.${lim}`,
            message: `${lim.toUpperCase()} ${d.toString()} ${q.unit} is outside the plausible range ${el.range!.low} to ${el.range!.high} ${el.unit}`,
          });
        else if (d) (out as { uln?: typeof d; lln?: typeof d })[lim] = d;
      }
      return out;
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
      if (!d)
        errors.push({
          path,
          message: `"${String(raw)}" is not ${REAL_DATE_TIME}`,
        });
      return d ? { t: "time", tp: { kind: "datetime", dateTime: d } } : undefined;
    }
    case "records": {
      const rows: Row[] = (raw as Record<string, unknown>[]).map((r, i) => {
        const row: Row = {};
        for (const f of el.fields ?? []) {
          const v = normalizeValue(f, r[f.name], `${path}[${i}].${f.name}`, errors);
          if (v) row[f.name] = v;
        }
        return row;
      });
      return { t: "rows", rows, path: path.replace(/^\$\./, "") };
    }
  }
}

/** Schemas built once per dictionary: building one costs more than validating with it. */
const schemas = new WeakMap<DictElement[], z.ZodType>();

/** Validate `raw` against the dictionary and normalise it; every problem is reported with its JSON path. */
export function normalizePatient(dict: DictElement[], anchorNames: string[], raw: unknown): Normalized {
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
  const known = new Set(dict.map((d) => d.name));
  for (const key of Object.keys(obj).sort())
    if (!known.has(key) && key !== "anchors")
      warnings.push({
        path: jsonPath([key]),
        message: `"${key}" is not in the protocol's data dictionary and was ignored`,
      });
  for (const el of dict) {
    const v = normalizeValue(el, obj[el.name], jsonPath([el.name]), errors);
    if (v) data[el.name] = v;
  }
  const anchors: Record<string, TimePoint> = {};
  const rawAnchors = (obj.anchors ?? {}) as Record<string, unknown>;
  for (const a of anchorNames) {
    const text = rawAnchors[a];
    if (text === null || text === undefined) continue;
    const d = parseDate(text as string);
    if (!d)
      errors.push({
        path: jsonPath(["anchors", a]),
        message: `"${String(text)}" is not ${REAL_DATE}`,
      });
    else anchors[a] = { kind: "date", date: d };
  }
  return errors.length ? { ok: false, errors } : { ok: true, data, anchors, warnings };
}
