/**
 * JSON Schema (draft 2020-12) case report forms: one schema per form of the data
 * dictionary, a shared definitions schema, and a patient-record schema that joins
 * every form (the object `trialc eval` reads).
 *
 * Ids are stable: `https://trialc.dev/<trial id>/forms/<form>.schema.json` (the trial
 * id percent-encoded), so the same protocol always yields the same ids and schemas
 * refer to each other by relative `$ref`. The shared files are named with a hyphen
 * (`common-defs`, `patient-record`), which no form name can contain.
 *
 * What a schema checks, and what only the evaluator can (the honest split is tested
 * in tests/forms/agreement.test.ts): types, codes, integers, real calendar dates and
 * times (an offset only when the protocol has a time zone), decimal text, a measured
 * element's shape (one result or a `results` list, with only a result's own fields),
 * ULN/LLN only where declared, positive and with their own unit, plausible ranges for
 * values and limits given in a unit whose bounds are exact short decimals, and
 * `required when`. UCUM validity and conversion, and ranges in other units, are the
 * evaluator's alone.
 */
import { basename } from "node:path";
import type { IrCode, IrElement, IrProtocol } from "../../ir/types.js";
import { dec } from "../../runtime/decimal.js";
import { quantityDefs } from "./quantity-defs.js";
import {
  conditionElements,
  conditionText,
  elementNotes,
  exactRanges,
  ownUnits,
  elementsByName,
  formCondition,
  type FormCondition,
} from "./model.js";

/**
 * The annotation keyword carrying standard codes (`[{ "system": "LOINC", "code": "718-7" }]`)
 * on an element's property and on each value of a code list. It asserts nothing; a strict
 * validator must be told it is an annotation (ajv: `ajv.addKeyword(CODES_KEYWORD)`).
 */
export const CODES_KEYWORD = "x-codes";

/** `{ "x-codes": [...] }`, or nothing when no code is bound. */
function codesKeyword(codes: readonly IrCode[]): Schema {
  return codes.length ? { [CODES_KEYWORD]: codes.map((c) => ({ ...c })) } : {};
}

/** A JSON Schema, as plain data. */
export type Schema = { [key: string]: unknown };

/** The JSON Schema dialect every schema declares. */
export const DIALECT = "https://json-schema.org/draft/2020-12/schema";
/** File of the shared `$defs`. */
export const COMMON_FILE = "common-defs.schema.json";
/** File of the whole patient record (every form, plus the reference dates). */
export const PATIENT_FILE = "patient-record.schema.json";
/** File of one form's schema. */
export const formFile = (form: string): string => `${form}.schema.json`;

/** The stable base URI of a trial's form schemas. */
export function schemaBase(ir: IrProtocol): string {
  return `https://trialc.dev/${encodeURIComponent(ir.trial.id)}/forms/`;
}

// Real calendar dates (leap years included) as a regular expression, so that a validator
// without format assertion still rejects 2027-02-30, exactly as the evaluator does.
const MONTH_DAY =
  "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))";
const LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
// Years 1900 to 2200 only, as the evaluator's parsers (PLAUSIBLE_YEARS in src/runtime/time.ts).
const DATE = `(?=(?:19[0-9]{2}|2[01][0-9]{2}|2200)-)(?:[0-9]{4}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
/** `YYYY-MM-DD`. */
export const DATE_PATTERN = `^${DATE}$`;
/** `YYYY-MM-DDTHH:MM[:SS]`, local time: what the evaluator reads (RFC 3339 `date-time` would demand an offset). */
export const DATETIME_PATTERN = `^${DATE}T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$`;
/** Decimal text as the evaluator parses it (surrounding white space is trimmed there). */
export const DECIMAL_PATTERN = "^\\s*-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\\s*$";
// Local times have whole seconds (parseDateTime); fractions come only with a UTC offset (parseTimeStamp).
const HOUR_MINUTE = "T(?:[01][0-9]|2[0-3]):[0-5][0-9]";
const LOCAL_TIME = `${HOUR_MINUTE}(?::[0-5][0-9])?`;
const OFFSET_TIME = `${HOUR_MINUTE}(?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])`;
/**
 * A result's time or a reference date: a date, a local date-time, or (only when the
 * protocol declares a time zone to read it in, as the evaluator requires) a date-time
 * with a UTC offset.
 */
export const TIMESTAMP_PATTERN = `^${DATE}(?:${LOCAL_TIME}|${OFFSET_TIME})?$`;
/** {@link TIMESTAMP_PATTERN} without UTC offsets, for a protocol without a time zone. */
export const LOCAL_TIMESTAMP_PATTERN = `^${DATE}(?:${LOCAL_TIME})?$`;
/** Decimal text greater than zero: no sign, and a non-zero digit before any exponent. */
export const POSITIVE_DECIMAL_PATTERN = "^\\s*(?=[0-9.]*[1-9])[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\\s*$";
/** zod's `int()` accepts safe integers only; the schema says the same. */
const MAX_SAFE = "9007199254740991";

/** The shared definitions every form refers to. */
export function commonSchema(ir: IrProtocol): Schema {
  return {
    $schema: DIALECT,
    $id: schemaBase(ir) + COMMON_FILE,
    title: `Shared definitions of the case report forms of trial ${ir.trial.id}`,
    $defs: {
      decimalText: {
        type: "string",
        pattern: DECIMAL_PATTERN,
        description: 'A decimal written as text, kept exactly (e.g. "1.50").',
      },
      decimal: {
        description: "A decimal: a JSON number or decimal text.",
        anyOf: [{ type: "number" }, { $ref: "#/$defs/decimalText" }],
      },
      positiveDecimal: {
        description: "A decimal greater than zero (a reference limit).",
        anyOf: [
          { type: "number", exclusiveMinimum: 0 },
          { type: "string", pattern: POSITIVE_DECIMAL_PATTERN },
        ],
      },
      quantity: {
        description:
          "A measured value and its UCUM unit. Any UCUM unit of the same kind is accepted and converted exactly by the evaluator; " +
          "JSON Schema cannot check UCUM, so an unknown or incompatible unit is caught by the evaluator only.",
        type: "object",
        required: ["value", "unit"],
        properties: {
          value: { $ref: "#/$defs/decimal" },
          unit: { type: "string", description: "UCUM code, e.g. g/dL or 10*9/L." },
          uln: { $ref: "#/$defs/limit", description: "Upper limit of normal, with its own unit." },
          lln: { $ref: "#/$defs/limit", description: "Lower limit of normal, with its own unit." },
        },
      },
      limit: {
        description:
          "A reference limit (ULN, LLN) with its own UCUM unit, converted exactly by the evaluator; a bare number is refused. Other fields change nothing (the evaluator warns of them).",
        type: "object",
        required: ["value", "unit"],
        properties: { value: { $ref: "#/$defs/positiveDecimal" }, unit: { type: "string" } },
      },
      timestamp: ir.timeZone
        ? {
            type: "string",
            pattern: TIMESTAMP_PATTERN,
            description: `A date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH:MM[:SS]) or a date-time with a UTC offset (…+01:00, …Z; read in the trial's time zone ${ir.timeZone}).`,
          }
        : {
            type: "string",
            pattern: LOCAL_TIMESTAMP_PATTERN,
            description:
              "A date (YYYY-MM-DD) or a local date-time (YYYY-MM-DDTHH:MM[:SS]). No UTC offset: the protocol declares no time zone to read it in.",
          },
      date: { type: "string", format: "date", pattern: DATE_PATTERN, description: "A real calendar date, YYYY-MM-DD." },
      datetime: {
        type: "string",
        pattern: DATETIME_PATTERN,
        description: "Local date and time, YYYY-MM-DDTHH:MM (seconds optional, no time zone).",
      },
      // The measured values of this protocol's elements, one definition per shape.
      ...quantityDefs(ir).defs,
    },
  };
}

const ref = (def: string) => ({ $ref: `${COMMON_FILE}#/$defs/${def}` });
const nullable = (s: Schema): Schema => ({ anyOf: [{ type: "null" }, s] });
const num = (text: string) => Number(dec(text).toString());

/** Integer bounds: the range, clamped to what zod's `int()` accepts. */
function integerBounds(el: IrElement): Schema {
  const low = el.range && dec(el.range.low).gt(`-${MAX_SAFE}`) ? el.range.low : `-${MAX_SAFE}`;
  const high = el.range && dec(el.range.high).lt(MAX_SAFE) ? el.range.high : MAX_SAFE;
  return { minimum: num(low), maximum: num(high) };
}

/** The schema of one element's value (absent or null always allowed: missing data). */
function valueSchema(ir: IrProtocol, el: IrElement): Schema {
  switch (el.type) {
    case "boolean":
    case "attestation":
      return { type: ["boolean", "null"] };
    case "integer":
      return { type: ["integer", "null"], ...integerBounds(el) };
    case "text":
      return { type: ["string", "null"] };
    case "date":
    case "datetime":
      return nullable(ref(el.type));
    case "code":
      return nullable({
        oneOf: (el.values ?? []).map((c) => ({ const: c.code, title: c.label, ...codesKeyword(c.codes) })),
      });
    case "records":
      return {
        type: ["array", "null"],
        items: { type: "object", title: `${el.label} (one row)`, properties: propertiesOf(ir, el.fields ?? []) },
      };
    case "decimal": {
      if (!el.unit) {
        const r = exactRanges(el)[0];
        return {
          anyOf: [
            { type: "null" },
            ref("decimalText"),
            { type: "number", ...(r ? { minimum: num(r.low), maximum: num(r.high) } : {}) },
          ],
        };
      }
      // Shared by every element of the same unit and range (quantity-defs.ts).
      return nullable(ref(quantityDefs(ir).nameOf.get(el)!));
    }
  }
}

/** The description of an element: its unit and range (and what this schema checks of them), codes, notes. */
function describe(ir: IrProtocol, el: IrElement): string {
  const bits: string[] = [];
  if (el.unit) {
    const alt = ownUnits(el).slice(1); // the normalised ones are in the element's notes
    bits.push(
      `Unit: ${el.unit} (UCUM).${alt.length ? ` Also accepted: ${alt.join(", ")}.` : ""} Any UCUM unit of the same kind is converted exactly by the evaluator; JSON Schema cannot check UCUM units.`,
    );
  }
  if (el.range) {
    const checked = exactRanges(el).map((r) => r.unit);
    bits.push(
      `Plausible range: ${el.range.low} to ${el.range.high}${el.unit ? ` ${el.unit}` : ""}` +
        (el.unit
          ? ` (checked here for numbers in ${checked.join(", ") || "no unit"}; otherwise by the evaluator after exact conversion).`
          : "."),
    );
  }
  if (el.values) bits.push(`Codes: ${el.values.map((c) => `${c.code} = ${c.label}`).join("; ")}.`);
  bits.push(...elementNotes(ir, el));
  return bits.join(" ");
}

function propertiesOf(ir: IrProtocol, elements: readonly IrElement[]): Schema {
  const out: Schema = {};
  for (const el of elements) {
    const description = describe(ir, el);
    out[el.name] = {
      title: el.label,
      ...(description ? { description } : {}),
      ...codesKeyword(el.codes),
      ...valueSchema(ir, el),
    };
  }
  return out;
}

/** JSON Schema for a condition: each test needs the element present with one of its values. */
function conditionSchema(c: FormCondition): Schema {
  if (c.kind === "is") {
    const test = c.values.length === 1 ? { const: c.values[0] } : { enum: c.values };
    return { properties: { [c.element]: test }, required: [c.element] };
  }
  return { [c.kind === "all" ? "allOf" : "anyOf"]: c.args.map(conditionSchema) };
}

/** `if`/`then` rules for elements required under a condition, or a `$comment` when the condition is not simple. */
function requirements(ir: IrProtocol, elements: IrElement[]): Schema[] {
  return elements.flatMap((el): Schema[] => {
    if (!el.requiredWhen) return [];
    const c = formCondition(ir, el.requiredWhen);
    if (!c)
      return [
        {
          $comment: `${el.name} is required when ${el.requiredWhen.text}: not a simple test on other fields, so the form does not enforce it.`,
        },
      ];
    return [
      {
        $comment: `${el.name} is required when ${conditionText(ir, c)}.`,
        if: conditionSchema(c),
        then: { required: [el.name], properties: { [el.name]: { not: { type: "null" } } } },
      },
    ];
  });
}

/** Does the condition of `el` only read elements of the same form (so the form schema can state it)? */
function sameForm(ir: IrProtocol, el: IrElement): boolean {
  const c = el.requiredWhen ? formCondition(ir, el.requiredWhen) : null;
  if (c === null || el.form === null) return false;
  const byName = elementsByName(ir);
  return conditionElements(c).every((n) => byName.get(n)?.form === el.form);
}

const provenance = (ir: IrProtocol) =>
  `Generated by trialc from ${basename(ir.source.file)} (sha256 ${ir.source.sha256}). Do not edit: change the protocol and rebuild.`;

/** The schema of one form. */
export function formSchema(ir: IrProtocol, form: IrProtocol["forms"][number]): Schema {
  const elements = ir.elements.filter((e) => e.form === form.name);
  const here = elements.filter((e) => sameForm(ir, e));
  const schema: Schema = {
    $schema: DIALECT,
    $id: schemaBase(ir) + formFile(form.name),
    $comment: provenance(ir),
    title: form.label,
    description:
      `Case report form "${form.name}" of trial ${ir.trial.id} (${ir.trial.title}). One object per patient; a field that is absent or null ` +
      `is not collected yet, and rules that need it give unknown.` +
      (elements.length ? "" : " The protocol declares no data elements on this form yet.") +
      (elements.some((e) => e.requiredWhen && !sameForm(ir, e))
        ? ` Conditions that read other forms are stated in ${PATIENT_FILE}.`
        : ""),
    type: "object",
    properties: propertiesOf(ir, elements),
  };
  const rules = requirements(ir, here);
  if (rules.length) schema.allOf = rules;
  return schema;
}

/** The schema of a whole patient record: every form, the elements on no form, and the reference dates. */
export function patientSchema(ir: IrProtocol): Schema {
  const loose = ir.elements.filter((e) => e.form === null);
  const across = ir.elements.filter((e) => e.requiredWhen && !sameForm(ir, e));
  const anchors: Schema = {};
  // A reference date, or a date-time (an injection at a time of day), as the evaluator reads it.
  for (const a of ir.anchors) anchors[a.name] = { title: a.label, ...nullable(ref("timestamp")) };
  const allOf = [...ir.forms.map((f) => ({ $ref: formFile(f.name) })), ...requirements(ir, across)];
  return {
    $schema: DIALECT,
    $id: schemaBase(ir) + PATIENT_FILE,
    $comment: provenance(ir),
    title: `Patient record of trial ${ir.trial.id}`,
    description: `Every form of trial ${ir.trial.id} in one object, with the reference dates: the record the evaluator reads.`,
    type: "object",
    properties: {
      anchors: {
        type: "object",
        title: "Reference dates",
        description: "Dates rules are measured from; the caller may supply them instead.",
        properties: anchors,
      },
      ...propertiesOf(ir, loose),
    },
    ...(allOf.length ? { allOf } : {}),
  };
}

/** One line of JSON with a space after `,` and `:` (strings escaped by JSON.stringify). */
/**
 * `v` on one line (`{ "a": 1, "b": [2, 3] }`) when that takes at most `width`
 * characters, else null. It stops as soon as the width is exceeded, so asking at every
 * depth costs at most `width` characters per node: pretty-printing stays linear in the
 * document's size.
 */
function inline(v: unknown, width: number): string | null {
  if (!v || typeof v !== "object") {
    // A string's JSON is at least its length and two quotes: a long description is known not to fit unread.
    if (typeof v === "string" && v.length + 2 > width) return null;
    const t = JSON.stringify(v);
    return t.length <= width ? t : null;
  }
  // Entries are read one at a time, so that an object of a thousand properties that does
  // not fit (a form's `properties`) costs its first few, not a copy of all of them.
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      const sep = i ? ", " : "";
      const part = inline(v[i], width - out.length - sep.length - 1);
      if (part === null) return null;
      out += sep + part;
    }
    out += "]";
    return out.length <= width ? out : null;
  }
  const keys = Object.keys(v);
  if (!keys.length) return "{}";
  let out = "{ ";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const key = `${JSON.stringify(k)}: `;
    const sep = i ? ", " : "";
    const part = inline((v as Record<string, unknown>)[k], width - out.length - sep.length - key.length - 2);
    if (part === null) return null;
    out += sep + key + part;
  }
  out += " }";
  return out.length <= width ? out : null;
}

/**
 * JSON indented by two spaces, with any value that fits in 100 columns kept on one
 * line, for people reading the schema. `prefix` is the width already used on the line.
 */
export function prettyJson(v: unknown, indent = "", prefix = 0): string {
  // One string grown as the document is walked (no array of lines joined at each depth).
  let out = "";
  const write = (x: unknown, ind: string, pre: number): void => {
    if (!x || typeof x !== "object") {
      out += JSON.stringify(x); // on its line, however long
      return;
    }
    const one = inline(x, Math.max(0, 100 - ind.length - pre));
    if (one !== null) {
      out += one;
      return;
    }
    const inner = ind + "  ";
    if (Array.isArray(x)) {
      out += "[\n";
      for (let i = 0; i < x.length; i++) {
        out += i ? ",\n" + inner : inner;
        write(x[i], inner, 0);
      }
      out += "\n" + ind + "]";
      return;
    }
    out += "{\n";
    const keys = Object.keys(x);
    for (let i = 0; i < keys.length; i++) {
      const key = `${JSON.stringify(keys[i])}: `;
      out += (i ? ",\n" + inner : inner) + key;
      write((x as Record<string, unknown>)[keys[i]!], inner, key.length);
    }
    out += "\n" + ind + "}";
  };
  write(v, indent, prefix);
  return out;
}

/** Every schema file, by file name, as pretty-printed JSON (deterministic: same IR, same bytes). */
export function jsonSchemaFiles(ir: IrProtocol): Map<string, string> {
  const text = (s: Schema) => prettyJson(s) + "\n";
  const files = new Map<string, string>([[COMMON_FILE, text(commonSchema(ir))]]);
  for (const f of ir.forms) files.set(formFile(f.name), text(formSchema(ir, f)));
  files.set(PATIENT_FILE, text(patientSchema(ir)));
  return files;
}
