/**
 * The run time of the generated decision-only evaluator (`decide.ts`: `isEligible`,
 * `screen`). It decides exactly what `evaluateEligibility` decides, without building an
 * explanation, and takes the exact path (`evaluateEligibility` itself) for any record it
 * cannot read plainly: the fast path is an optimisation of the common case, never a
 * second semantics.
 *
 * Representation, chosen so that a rule is a few number comparisons:
 * - three-valued logic as small integers, F = 0 < U = 1 < T = 2, so Kleene `and` is
 *   `min`, `or` is `max` and `not` is `2 - x`;
 * - a quantity is a JS number in its element's unit. This is exact, not approximate:
 *   every value kept is the shortest decimal that reads back as the same double (a JSON
 *   number is; a converted value is kept only when it is, otherwise the exact path
 *   decides), and so is every threshold (checked when the module is generated). For two
 *   such numbers, a < b as doubles if and only if a < b as decimals, because rounding
 *   to the nearest double is monotone and two different shortest decimals never share
 *   a double (see `tests/eligibility/decide.test.ts`);
 * - a date is its 00:00 and a date-time its own second, both as seconds since
 *   1970-01-01 (calendar arithmetic on the proleptic Gregorian calendar, no zones), so
 *   a date compares with a date-time as `compareTime` does;
 * - a missing value is `undefined`;
 * - a measured element (a lab value) is the value of the result its selection picks
 *   (`select latest [by M] [between A and B]`, as `observations.ts` picks it): only
 *   dates and local date-times, window bounds of whole days, weeks, months and years;
 *   results at the same time that agree take the exact path (it says whose limits count).
 *
 * Patient data are checked and normalised once per patient by a plan compiled once per
 * module from the data dictionary; no zod, Decimal, Temporal or UCUM call is made for a
 * value already in its element's unit.
 */
import { Decimal, dec, fromJsonNumber } from "./decimal.js";
import { commensurability, convert, unitAlias, validateUnit } from "./units.js";
import type { DictElement } from "./patient.js";
import { PLAUSIBLE_YEARS } from "./time.js";
import type { RelTime } from "./observations.js";

/** F, U or T (a plain number, so that `Math.min` and `Math.max` combine them). */
export type Tri = number;
export const F = 0;
export const U = 1;
export const T = 2;

/** Thrown (never returned) to take the exact path for this patient. */
export const FALLBACK: unique symbol = Symbol("take the exact path");
export function fallback(): never {
  throw FALLBACK;
}

// --------------------------------------------------------------------------- exact numbers

/** True when `text`'s decimal value is the shortest decimal of a double, so doubles compare it exactly. */
export function exactAsDouble(text: string): boolean {
  const n = Number(text);
  return Number.isFinite(n) && fromJsonNumber(n).eq(dec(text));
}

/**
 * The sign of `v - factor × ref`, exactly (`v <op> factor x ULN`). The product of two
 * doubles is rounded, so the doubles decide only when clearly apart (relative margin
 * 1e-9, far above the rounding error of about 1e-16); near the threshold the exact
 * decimals decide.
 */
export function cmpRef(v: number, factor: number, factorText: string, ref: number): number {
  const p = factor * ref;
  const d = v - p;
  if (Math.abs(d) > 1e-9 * Math.max(Math.abs(v), Math.abs(p))) return d < 0 ? -1 : 1;
  return fromJsonNumber(v).comparedTo(dec(factorText).times(fromJsonNumber(ref)));
}

// --------------------------------------------------------------------------- calendar

const DAY = 86400;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The date of a day number as one integer, year × 10,000 + month × 100 + day (for any
 * year, negative ones included: the month and day are the remainder). The hot paths
 * (`age`, printing a date) read it without an array to destructure.
 */
export function civilPacked(z: number): number {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10000 + m * 100 + d;
}

/** The date of a day number: [year, month, day]. */
export function civilFromDays(z: number): [number, number, number] {
  const c = civilPacked(z);
  const y = Math.floor(c / 10000);
  const md = c - y * 10000;
  return [y, Math.floor(md / 100), md % 100];
}

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthDays(y: number, m: number): number {
  return m === 2 ? (leap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The digits at `from`..`from + n` of `t` as a number, or -1 when one is not an ASCII digit. */
function digits(t: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** A year the exact path accepts (its plausible range); any other takes the exact path, which reports it. */
function plausibleYear(y: number): boolean {
  return y >= PLAUSIBLE_YEARS.low && y <= PLAUSIBLE_YEARS.high;
}

/** The text `dayOf` read last and its day: a record's results are often of one day. */
let lastText = "";
let lastDay = -Infinity;

/** The day number of `YYYY-MM-DD` at the start of `t`, or -Infinity when it is not a real, plausible date. */
function dayOf(t: string): number {
  if (t === lastText) return lastDay;
  const day = readDay(t);
  lastText = t;
  lastDay = day;
  return day;
}

function readDay(t: string): number {
  const y = digits(t, 0, 4);
  const mo = digits(t, 5, 2);
  const d = digits(t, 8, 2);
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || y < 0 || mo < 0 || d < 0) return -Infinity;
  if (!plausibleYear(y) || mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo)) return -Infinity;
  return daysFromCivil(y, mo, d);
}

/**
 * `YYYY-MM-DD` as seconds at 00:00; anything else (or an impossible date) takes the exact
 * path. Read character by character (the same texts as time.ts's pattern: a test checks it).
 */
export function parseDate(text: unknown): number {
  if (typeof text !== "string" || text.length !== 10) return fallback();
  const day = dayOf(text);
  return day === -Infinity ? fallback() : day * DAY;
}

/** `YYYY-MM-DDTHH:MM[:SS]` as seconds; anything else takes the exact path. */
export function parseDateTime(text: unknown): number {
  if (typeof text !== "string" || (text.length !== 16 && text.length !== 19)) return fallback();
  const day = dayOf(text);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = text.length === 19 ? digits(text, 17, 2) : 0;
  if (day === -Infinity || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58) return fallback();
  if (text.length === 19 && text.charCodeAt(16) !== 58) return fallback();
  if (h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59) return fallback();
  return day * DAY + h * 3600 + mi * 60 + s;
}

/** `t + months` in calendar months, the day constrained to the month's length (31 Jan + 1 mo = 28/29 Feb), the time kept. */
export function addMonths(t: number | undefined, months: number): number | undefined {
  if (t === undefined) return undefined;
  const days = Math.floor(t / DAY);
  const [y, m, d] = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, monthDays(ny, nm))) * DAY + (t - days * DAY);
}

/** `t + seconds` (whole days, weeks, hours, minutes, seconds). */
export function addSeconds(t: number | undefined, seconds: number): number | undefined {
  return t === undefined ? undefined : t + seconds;
}

/** The start of the day of `t` (a date-time bound placed by its day, for a date subject as `inClosedWindow` does). */
export function day(t: number | undefined): number | undefined {
  return t === undefined ? undefined : Math.floor(t / DAY) * DAY;
}

/** The `at` of the last `age` (a cohort's reference date is the same for every patient), as year and month-day. */
let ageAt = NaN;
let ageAtYear = 0;
let ageAtMonthDay = 0;

/**
 * Completed years from `birth` to `at` (dates); a 29 February birthday is reached on 1
 * March in other years. Month-days compare as month × 100 + day: in a year without 29
 * February, no date falls between 28 February (228) and 1 March (301), so a birthday of
 * 229 is reached on 1 March with no special case.
 */
export function age(birth: number | undefined, at: number | undefined): number | undefined {
  if (birth === undefined || at === undefined) return undefined;
  if (birth > at) return fallback(); // a data error: the exact path reports it
  if (at !== ageAt) {
    const a = civilPacked(Math.floor(at / DAY));
    ageAtYear = Math.floor(a / 10000);
    ageAtMonthDay = a - ageAtYear * 10000;
    ageAt = at;
  }
  const b = civilPacked(Math.floor(birth / DAY));
  const by = Math.floor(b / 10000);
  return ageAtYear - by - (ageAtMonthDay >= b - by * 10000 ? 0 : 1);
}

/** The data error `age` reports, checked up front: early exit must not skip a record the exact path rejects. */
export function ageGuard(birth: number | undefined, at: number | undefined): void {
  if (birth !== undefined && at !== undefined && birth > at) fallback();
}

// --------------------------------------------------------------------------- logic

/** `if c then a else b` with an unknown condition: decided only when both branches agree. */
export function ifUnknown(a: Tri, b: Tri): Tri {
  return a === b && a !== U ? a : U;
}

/** `at least needed of parts` (or `all of`), stopping as soon as the verdict cannot change. */
export function group(needed: number, parts: readonly (() => Tri)[]): Tri {
  let met = 0;
  let open = 0;
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i]!();
    if (t === T) {
      if (++met >= needed) return T;
    } else if (t === U) open++;
    if (met + open + (parts.length - i - 1) < needed) return F;
  }
  return met >= needed ? T : U;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/**
 * `successive_rises(records, value, group, date, ...moreGroups)`: the longest run of
 * strictly rising values of one series in date order (as `rt.successiveRises`). A series
 * is one value of every group field and, for a quantity, one unit as written; unknown
 * when any row lacks a value, group field or date.
 */
export function successiveRises(
  rows: Row[] | undefined,
  valueF: string,
  groupF: string,
  dateF: string,
  ...moreGroups: string[]
) {
  if (rows === undefined) return undefined;
  const groups = new Map<string, { v: number; t: number }[]>();
  for (const row of rows) {
    const v = row[valueF] as number | undefined;
    const t = row[dateF] as number | undefined;
    let g = row[groupF] as string | undefined;
    if (v === undefined || g === undefined || t === undefined) return undefined;
    for (const f of moreGroups) {
      const x = row[f] as string | undefined;
      if (x === undefined) return undefined;
      g += "\u0000" + x;
    }
    const unit = row[valueF + ".unit"] as string | undefined;
    if (unit !== undefined) g += "\u0000" + unit;
    const list = groups.get(g);
    if (list) list.push({ v, t });
    else groups.set(g, [{ v, t }]);
  }
  let best = 0;
  for (const list of groups.values()) {
    const sorted = list.length > 1 ? [...list].sort((a, b) => a.t - b.t) : list;
    let run = 0;
    for (let i = 1; i < sorted.length; i++) {
      run = sorted[i]!.v > sorted[i - 1]!.v && sorted[i - 1]!.t < sorted[i]!.t ? run + 1 : 0;
      if (run > best) best = run;
    }
  }
  return best;
}

// --------------------------------------------------------------------------- patient data

const enum Kind {
  Number,
  Integer,
  Quantity,
  Boolean,
  Text,
  Code,
  Date,
  DateTime,
  Records,
}

/** One element of the data dictionary, compiled for reading a record plainly. */
interface PlanElement {
  name: string;
  kind: Kind;
  /** Plausible range as doubles (exact: checked by `exactAsDouble`), or the exact bounds. */
  low: number;
  high: number;
  exactRange: { low: Decimal; high: Decimal } | null;
  unit: string;
  molarMass: string | undefined;
  uln: boolean;
  lln: boolean;
  codes: ReadonlySet<string> | null;
  fields: PlanElement[];
  /** The names of `fields` (a row's other keys are warned of by the exact path). */
  fieldNames: ReadonlySet<string> | null;
  /** For a unit other than the element's: the unit UCUM reads it as, or null when it cannot express the element. */
  otherUnits: Map<string, string | null>;
  /** Values converted from another unit (`"138 g/L"`), in the element's unit, or NaN when not exactly a double; at most 10,000. */
  converted: Map<string, number>;
  /** A measured element (a top-level decimal with a unit): its results, and which one counts. */
  measured: boolean;
  /** Only results by this method count (trimmed, lower case). */
  method: string | undefined;
  /** The window's bounds, or null for a bound the fast path cannot compute (the exact path decides). */
  window: { low: Bound | undefined | null; high: Bound | undefined | null } | undefined;
}

/** A window bound: an anchor shifted by whole calendar months and whole days. */
interface Bound {
  anchor: string;
  steps: { months: number; days: number }[];
}

/** A bound of a selection window as month and day steps, or null when it is not a whole number of them. */
function boundOf(rt: RelTime | undefined): Bound | undefined | null {
  if (!rt) return undefined;
  const steps: Bound["steps"] = [];
  for (const o of rt.offsets) {
    const n = Number(o.duration.amount);
    if (!Number.isSafeInteger(n) || String(n) !== o.duration.amount) return null;
    const u = o.duration.unit;
    if (u === "mo" || u === "a") steps.push({ months: o.sign * n * (u === "a" ? 12 : 1), days: 0 });
    else if (u === "d" || u === "wk") steps.push({ months: 0, days: o.sign * n * (u === "wk" ? 7 : 1) });
    else return null;
  }
  return { anchor: rt.anchor, steps };
}

export interface Plan {
  elements: PlanElement[];
  anchors: string[];
}

function planElement(el: DictElement): PlanElement {
  const kind =
    el.type === "decimal"
      ? el.unit
        ? Kind.Quantity
        : Kind.Number
      : el.type === "integer"
        ? Kind.Integer
        : el.type === "boolean" || el.type === "attestation"
          ? Kind.Boolean
          : el.type === "text"
            ? Kind.Text
            : el.type === "code"
              ? Kind.Code
              : el.type === "date"
                ? Kind.Date
                : el.type === "datetime"
                  ? Kind.DateTime
                  : Kind.Records;
  const r = el.range;
  const doubles = r !== undefined && exactAsDouble(r.low) && exactAsDouble(r.high);
  return {
    name: el.name,
    kind,
    low: r && doubles ? Number(r.low) : -Infinity,
    high: r && doubles ? Number(r.high) : Infinity,
    exactRange: r && !doubles ? { low: dec(r.low), high: dec(r.high) } : null,
    unit: el.unit ?? "",
    molarMass: el.molarMass,
    uln: el.reference?.uln ?? false,
    lln: el.reference?.lln ?? false,
    codes: el.codes ? new Set(el.codes) : null,
    fields: (el.fields ?? []).map(planElement),
    fieldNames: el.fields ? new Set(el.fields.map((f) => f.name)) : null,
    otherUnits: new Map(),
    converted: new Map(),
    measured: false,
    method: undefined,
    window: undefined,
  };
}

/** A top-level element: a decimal with a unit is measured, with its selection compiled. */
function planTopElement(el: DictElement): PlanElement {
  const out = planElement(el);
  if (out.kind !== Kind.Quantity) return out;
  out.measured = true;
  const sel = el.select;
  if (sel?.window || sel?.method) {
    out.method = sel.method?.trim().toLowerCase();
    if (sel.window) out.window = { low: boundOf(sel.window.low), high: boundOf(sel.window.high) };
  }
  return out;
}

/** Compile the data dictionary once per module. */
export function compilePlan(dict: DictElement[], anchors: string[]): Plan {
  return { elements: dict.map(planTopElement), anchors };
}

function inRange(el: PlanElement, v: number): boolean {
  if (el.exactRange) {
    const d = fromJsonNumber(v);
    return !d.lessThan(el.exactRange.low) && !d.greaterThan(el.exactRange.high);
  }
  return v >= el.low && v <= el.high;
}

/**
 * What the explained fast path (`explain-fast.ts`) needs to know of the record just
 * loaded: `exotic` when something was read that the decision handles but an explanation
 * would show differently (a value or limit converted from another unit, a measured
 * element unknown for want of a result in its window, a field outside the dictionary).
 */
export const state = {
  exotic: false,
  /**
   * Whether a quantity's, a limit's or a result's fields outside its own take the exact
   * path (which warns of them). The explained path needs it (its warnings must be the
   * exact path's); the decision does not: a warning never changes a verdict, so
   * `isEligible` reads such a record plainly.
   */
  keys: true,
};

/**
 * A value given in another unit than its element's, as the exact path shows it (`52 mg/L`,
 * the unit after aliases), set by the last `toElementUnit`; undefined when no conversion was made.
 */
let written: string | undefined;

/** A JSON number in `unit`, in the element's unit, kept only when exactly a shortest double. */
function toElementUnit(el: PlanElement, v: number, unit: string): number {
  written = undefined;
  if (unit === el.unit) return v;
  let as = el.otherUnits.get(unit);
  if (as === undefined) {
    const alias = unitAlias(unit);
    as = validateUnit(alias).ok && commensurability(alias, el.unit, el.molarMass) === "same" ? alias : null;
    el.otherUnits.set(unit, as);
  }
  if (as === null) return fallback();
  if (as !== el.unit) written = `${v === 0 ? "0" : String(v)} ${as}`;
  // The exact conversion, remembered per element, unit and value (a laboratory's values
  // repeat: 138 g/L is converted once); NaN when it is no double (the exact path decides).
  const key = `${v} ${unit}`;
  let n = el.converted.get(key);
  if (n === undefined) {
    const exact = convert(fromJsonNumber(v), as, el.unit, el.molarMass);
    n = exact.toNumber();
    if (!fromJsonNumber(n).eq(exact)) n = NaN;
    if (el.converted.size >= 10_000) el.converted.clear();
    el.converted.set(key, n);
  }
  return Number.isNaN(n) ? fallback() : n;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * A field outside a quantity's, a limit's or a result's (which the exact path warns of)
 * takes the exact path. A `switch` of string constants: keys read from JSON are
 * interned, so each case is one comparison (a `Set` would hash every key).
 */
function quantityKeys(x: Record<string, unknown>): void {
  for (const k in x)
    switch (k) {
      case "value":
      case "unit":
      case "uln":
      case "lln":
        continue;
      default:
        fallback();
    }
}

function limitKeys(x: Record<string, unknown>): void {
  for (const k in x) if (k !== "value" && k !== "unit") fallback();
}

function resultKeys(x: Record<string, unknown>): void {
  for (const k in x)
    switch (k) {
      case "value":
      case "unit":
      case "at":
      case "uln":
      case "lln":
      case "method":
      case "specimen":
        continue;
      default:
        fallback();
    }
}

/** The reference limits of the last quantity `value` read (in its element's unit), for the caller to store. */
export const refs: {
  uln: number | undefined;
  lln: number | undefined;
  unit: string | undefined;
  /** The time of the result a measured element read, as written (a date or a local date-time). */
  at: string | undefined;
  /** The value read, as written when it was in another unit than its element's (`52 mg/L`). */
  written: string | undefined;
} = {
  uln: undefined,
  lln: undefined,
  unit: undefined,
  at: undefined,
  written: undefined,
};

/**
 * A number given as a JSON number, or as a decimal string that a double holds as its
 * shortest form: digits with an optional sign and fraction, no exponent, no spaces, at
 * most 15 significant digits (any such decimal survives decimal → double → shortest
 * decimal unchanged, so the number stands for exactly the decimal written, as a JSON
 * number does). Databases and FHIR converters send decimals as text ("138", "120.0").
 * Anything else takes the exact path.
 */
export function amount(x: unknown): number {
  if (typeof x === "number") return Number.isFinite(x) ? inputRange(x) : fallback();
  if (typeof x !== "string") return fallback();
  const n = x.length;
  let i = n > 0 && x.charCodeAt(0) === 45 ? 1 : 0; // "-"
  let digits = 0;
  let significant = false;
  let point = -1;
  for (; i < n; i++) {
    const c = x.charCodeAt(i);
    if (c === 46) {
      // "." between digits only: "5." and ".5" are not decimals for the exact path.
      if (point >= 0 || i === 0 || x.charCodeAt(i - 1) === 45 || i === n - 1) return fallback();
      point = i;
    } else if (c >= 48 && c <= 57) {
      if (c !== 48) significant = true;
      if (significant) digits++;
    } else return fallback();
  }
  if (digits > 15 || n === 0 || x.charCodeAt(n - 1) === 45) return fallback();
  return inputRange(Number(x));
}

/**
 * A number the exact path accepts as input: 0, or at least 1e-100 and below 1e101 in size
 * (`readDecimal`'s MAX_INPUT_EXPONENT: a decimal's exponent within ±100). The doubles
 * nearest 1e-100 and 1e101 are the bounds; a decimal of at most 17 significant digits on
 * either side of one has its double on the same side. Anything else takes the exact path,
 * which refuses it.
 */
function inputRange(n: number): number {
  const a = n < 0 ? -n : n;
  return n === 0 || (a >= 1e-100 && a < 1e101) ? n : fallback();
}

/** One value read plainly and normalised (undefined when missing; limits of a quantity in `refs`), or take the exact path. */
export function value(el: PlanElement, raw: unknown): unknown {
  if (raw === null || raw === undefined) {
    refs.uln = refs.lln = refs.unit = refs.written = undefined;
    return undefined;
  }
  switch (el.kind) {
    case Kind.Number:
      return decimal(el, raw);
    case Kind.Integer:
      return int(el, raw);
    case Kind.Quantity: {
      if (!isRecord(raw) || typeof raw.unit !== "string") return fallback();
      const v = toElementUnit(el, amount(raw.value), raw.unit);
      const shown = written;
      if (!inRange(el, v)) fallback();
      if (state.keys) quantityKeys(raw);
      refs.uln = limit(el, el.uln, raw.uln);
      refs.lln = limit(el, el.lln, raw.lln);
      // The unit as written: a series (successive_rises) is one unit, never two units converted.
      refs.unit = unitAlias(raw.unit);
      refs.written = shown;
      return v;
    }
    case Kind.Boolean:
      return bool(raw);
    case Kind.Text:
      return text(raw);
    case Kind.Code:
      return code(el, raw);
    case Kind.Date:
      return date(raw);
    case Kind.DateTime:
      return dateTime(raw);
    case Kind.Records: {
      if (!Array.isArray(raw)) return fallback();
      const rows: Row[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const r: unknown = raw[i];
        if (!isRecord(r)) return fallback();
        const row: Row = {};
        for (const k in r) if (!el.fieldNames!.has(k)) state.exotic = true;
        for (const f of el.fields) {
          row[f.name] = value(f, r[f.name]);
          // A row's value in another unit is shown converted by the exact path: not read plainly.
          if (f.kind === Kind.Quantity && refs.written !== undefined) state.exotic = true;
          if (f.uln) row[f.name + ".uln"] = refs.uln;
          if (f.lln) row[f.name + ".lln"] = refs.lln;
          if (f.kind === Kind.Quantity) row[f.name + ".unit"] = refs.unit;
        }
        rows[i] = row;
      }
      return rows;
    }
  }
}

// One reader per kind of element: `value` dispatches to them, and generated loaders
// (`record.ts`) call them directly, each call site reading one kind, so that V8 inlines a
// small function with no `switch` (undefined for a missing value).

export function bool(raw: unknown): number | undefined {
  return raw === undefined || raw === null ? undefined : raw === true ? T : raw === false ? F : fallback();
}

export function code(el: PlanElement, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === "string" && el.codes!.has(raw) ? raw : fallback();
}

export function int(el: PlanElement, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === "number" && Number.isSafeInteger(raw) && inRange(el, raw) ? raw : fallback();
}

export function decimal(el: PlanElement, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const v = amount(raw);
  return inRange(el, v) ? v : fallback();
}

export function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === "string" ? raw : fallback();
}

export function date(raw: unknown): number | undefined {
  return raw === undefined || raw === null ? undefined : parseDate(raw);
}

export function dateTime(raw: unknown): number | undefined {
  return raw === undefined || raw === null ? undefined : parseDateTime(raw);
}

/**
 * A reference limit (ULN/LLN) of a quantity: `{"value", "unit"}` with nothing else, allowed
 * by the protocol, positive, converted like a value and inside the element's plausible range.
 */
function limit(el: PlanElement, allowed: boolean, x: unknown): number | undefined {
  if (x === undefined) return undefined;
  if (!allowed || !isRecord(x) || typeof x.unit !== "string") return fallback();
  const given = amount(x.value);
  if (!(given > 0)) return fallback();
  if (state.keys) limitKeys(x);
  const v = toElementUnit(el, given, x.unit);
  // A limit in another unit than the value's is shown converted by the exact path.
  if (written !== undefined) state.exotic = true;
  return inRange(el, v) ? v : fallback();
}

// --------------------------------------------------------------------------- measured elements

/** One result of a measured element, read plainly: value in the element's unit, time in seconds. */
interface Result {
  v: number;
  t: number | undefined;
  at: string | undefined;
  written: string | undefined;
  uln: number | undefined;
  lln: number | undefined;
  method: string | undefined;
}

/** A result's time: a date (its 00:00) or a local date-time; anything else takes the exact path. */
function stamp(x: unknown): number {
  return typeof x === "string" && x.length > 10 ? parseDateTime(x) : parseDate(x);
}

function optionalText(x: unknown): string | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== "string") return fallback();
  const t = x.trim();
  return t ? t.toLowerCase() : undefined;
}

/** One result object: only a result's fields, each of its type, the value and limits plausible. */
function result(el: PlanElement, r: unknown): Result {
  if (!isRecord(r) || typeof r.unit !== "string") return fallback();
  if (state.keys) resultKeys(r);
  const v = toElementUnit(el, amount(r.value), r.unit);
  const shown = written;
  if (!inRange(el, v)) fallback();
  optionalText(r.specimen);
  return {
    v,
    written: shown,
    t: r.at === undefined ? undefined : stamp(r.at),
    at: r.at as string | undefined,
    uln: limit(el, el.uln, r.uln),
    lln: limit(el, el.lln, r.lln),
    method: optionalText(r.method),
  };
}

/** A window bound in seconds, or undefined when its anchor is missing. */
function boundTime(b: Bound, anchors: Record<string, number | undefined>): number | undefined {
  let t = anchors[b.anchor];
  for (const s of b.steps) t = s.months ? addMonths(t, s.months) : addSeconds(t, s.days * DAY);
  return t;
}

/**
 * A measured element (`{"results": […]}` or one result object): the value of the result
 * its selection picks, as `pickResult` picks it (limits in `refs`), undefined when none
 * qualifies; the anchors must be loaded first. Results at the same time take the exact path.
 */
export function measured(el: PlanElement, raw: unknown, anchors: Record<string, number | undefined>): unknown {
  refs.uln = refs.lln = refs.unit = refs.at = refs.written = undefined;
  if (raw === null || raw === undefined) return undefined;
  if (!isRecord(raw)) return fallback();
  if (raw.results === undefined && el.method === undefined && el.window === undefined) {
    // One result, and nothing to select: it is the value (the common case). The checks
    // of `result`, read into `refs` without building a result: sharing `result` through
    // one reused object was 10 % slower for isEligible (paired runs, CPU time).
    if (typeof raw.unit !== "string") return fallback();
    if (state.keys) resultKeys(raw);
    const v = toElementUnit(el, amount(raw.value), raw.unit);
    const shown = written;
    if (!inRange(el, v)) fallback();
    optionalText(raw.specimen);
    optionalText(raw.method);
    const at = raw.at;
    if (at !== undefined) stamp(at);
    refs.uln = limit(el, el.uln, raw.uln);
    refs.lln = limit(el, el.lln, raw.lln);
    refs.at = at as string | undefined;
    refs.written = shown;
    return v;
  }
  let list: Result[];
  if (raw.results !== undefined) {
    const rs = raw.results;
    if (!Array.isArray(rs)) return fallback();
    for (const k in raw) if (k !== "results") fallback();
    list = new Array(rs.length);
    for (let i = 0; i < rs.length; i++) list[i] = result(el, rs[i]);
  } else list = [result(el, raw)];
  let candidates = list;
  if (el.method !== undefined) candidates = candidates.filter((r) => r.method === el.method);
  let low: number | undefined;
  let high: number | undefined;
  const w = el.window;
  // Below, every `undefined` is an unknown the explanation words its own way (`exotic`).
  const saved = state.exotic;
  state.exotic = true;
  if (w) {
    if (w.low === null || w.high === null) return fallback();
    if (w.low && (low = boundTime(w.low, anchors)) === undefined) return undefined;
    if (w.high && (high = boundTime(w.high, anchors)) === undefined) return undefined;
  }
  if (candidates.length > 1 || w) {
    for (const r of candidates) if (r.t === undefined) return undefined;
    candidates = candidates.filter((r) => (low === undefined || low <= r.t!) && (high === undefined || r.t! <= high));
  }
  if (!candidates.length) return undefined;
  let best = candidates[0]!;
  for (let i = 1; i < candidates.length; i++) if (candidates[i]!.t! > best.t!) best = candidates[i]!;
  let tied = false;
  for (const r of candidates)
    if (r !== best && r.t === best.t) {
      if (r.v !== best.v) return undefined; // two results at one time disagree: unknown
      tied = true;
    }
  // Agreeing results at one time (`agreeing` of observations.ts): the value is theirs; a
  // limit counts when every one gives it and they agree, else it is unknown. Which
  // result the explanation shows, and how it words an unknown limit, is the exact path's.
  if (!tied) state.exotic = saved;
  refs.uln = tied ? tiedLimit(candidates, best.t, "uln") : best.uln;
  refs.lln = tied ? tiedLimit(candidates, best.t, "lln") : best.lln;
  refs.at = best.at;
  refs.written = best.written;
  return best.v;
}

/** A limit of results at time `t` that agree on their value: the one they all give, or undefined when one lacks it or two differ. */
function tiedLimit(rs: Result[], t: number | undefined, lim: "uln" | "lln"): number | undefined {
  let ref: number | undefined;
  let lacking = false;
  for (const r of rs) {
    if (r.t !== t) continue;
    const g = r[lim];
    if (g === undefined) lacking = true;
    else if (ref === undefined) ref = g;
    else if (g !== ref) return undefined;
  }
  return lacking ? undefined : ref;
}

/** The compiled elements by name, for a generated loader that reads each element by its own property. */
export function planElements(plan: Plan): Record<string, PlanElement> {
  return Object.fromEntries(plan.elements.map((e) => [e.name, e]));
}

/** The start of a generated loader: the record must be an object. */
export function record(raw: unknown, keys: boolean): Record<string, unknown> {
  state.exotic = false;
  state.keys = keys;
  return isRecord(raw) ? raw : fallback();
}

/** The reference dates, from the data or from `options` (the same date in both, or the exact path reports the conflict). */
export function loadAnchors(
  plan: Plan,
  raw: Record<string, unknown>,
  options: { readonly [anchor: string]: string | undefined } | object,
  anchors: Record<string, number | undefined>,
): void {
  const fromData = raw.anchors;
  if (fromData !== undefined && !isRecord(fromData)) return fallback();
  for (const a of plan.anchors) {
    const d = fromData?.[a];
    const t = d === null || d === undefined ? undefined : parseDate(d);
    const opt = (options as Record<string, string | undefined>)[a];
    if (opt === undefined) anchors[a] = t;
    else {
      const o = parseDate(opt);
      if (t !== undefined && t !== o) fallback();
      anchors[a] = o;
    }
  }
}
