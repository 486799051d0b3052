/**
 * The run time of the explained fast path (`evaluateEligibility` in a generated
 * `eligibility.ts`): the operations of `ops.ts`, on the plain values `fast.ts` loads
 * (numbers in their element's unit, dates as seconds, Kleene logic as small integers),
 * writing the same explanation, step for step and character for character. The
 * generated module takes the exact path (`ops.ts` on `normalizePatient`'s values) for
 * any record that `fast.ts` cannot read plainly or marks `exotic`; the property tests
 * check that both paths give the same result on random protocols and patients.
 *
 * Representation:
 * - a condition is F (0), T (2) or an unknown `M`, which names the missing data;
 * - a value is a number (a count, a quantity in its element's unit, seconds since
 *   1970-01-01 for a time), a string (a code or a text), an array of rows, or an `M`;
 * - how a value is shown is known when the module is generated: each operation gets
 *   the kind (`Show`), the unit and, for a measured element, the time of its result.
 * Steps are written to `s`, or not at all when `s` is null (inside a quantifier's rows,
 * where the exact path is quiet): then no explanation text is built either.
 */
import type { Step } from "./ops.js";
import { limitItem } from "./values.js";
import type { CriterionResult } from "./eligibility.js";
import { anchorWarnings, topLevelWarnings, type DataProblem } from "./patient.js";
import { Decimal, dec, fromJsonNumber } from "./decimal.js";
import { F, T, age as completedYears, civilPacked, cmpRef, fallback, type Row } from "./fast.js";

/** An unknown value or condition, naming the data that would decide it (no duplicates, in order). */
export class M {
  constructor(readonly missing: string[]) {}
}

/** A condition: F, T or unknown. */
export type C = number | M;
/** A value: number, string, rows, or unknown. */
export type V = number | string | Row[] | M;

/** How a value is shown (`show` in ops.ts), decided when the module is generated. */
export const Show = { Num: 0, Qty: 1, Code: 2, Bool: 3, Date: 4, DateTime: 5, Rows: 6, Fixed: 7 } as const;
export type Show = (typeof Show)[keyof typeof Show];

/** `unknown(...missing)` of values.ts: the names, without duplicates, in order. */
export function miss(...names: string[]): M {
  return new M(names.length > 1 ? [...new Set(names)] : names);
}

/** `missingOf` of values.ts over the unknowns among `vals`. */
export function missingOf(...vals: unknown[]): M {
  const out = new Set<string>();
  for (const v of vals) if (v instanceof M) for (const m of v.missing) out.add(m);
  return new M([...out]);
}

/** A data element's value, or unknown naming it. */
export function el<X>(v: X | undefined, name: string): X | M {
  return v === undefined ? new M([name]) : v;
}

/** A field of row `i` of `record`, or unknown naming its path (`ssr_scans[2].date`). */
export function fld<X>(v: X | undefined, record: string, i: number, name: string): X | M {
  return v === undefined ? new M([`${record}[${i}].${name}`]) : v;
}

// --------------------------------------------------------------------------- printing

/**
 * A JS number as Decimal prints it (`fromJsonNumber(n).toString()`): the same text as
 * `String(n)` for every double (both switch to exponent notation below 1e-7 and from
 * 1e21), except that Decimal keeps no sign on zero; `tests/eligibility/explain-fast.test.ts`
 * checks it on random doubles. Values with one or two decimals (most laboratory values)
 * are printed from their integer hundredths: when `k / 100` is exactly `n`, `n` is the
 * double nearest that decimal, and no shorter decimal is (two decimals 0.01 apart never
 * round to one double below 1e13), so it is `String(n)`.
 */
export function num(n: number): string {
  if (n === 0) return "0";
  if (Number.isInteger(n) || !(n > -1e13 && n < 1e13)) return String(n);
  const k = Math.round(n * 100);
  if (k / 100 !== n) return String(n);
  const a = k < 0 ? -k : k;
  const frac = a % 100;
  const whole = `${k < 0 ? "-" : ""}${(a - frac) / 100}`;
  return frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${frac < 10 ? "0" : ""}${frac}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return n < 1000 ? String(n).padStart(4, "0") : String(n);
}

/** The time `time` printed last, and how: a patient's reference dates are printed more than once. */
let lastTime = NaN;
let lastDateTime = false;
let lastPrinted = "";

/** A time in seconds as `formatTimePoint` prints it: `YYYY-MM-DD`, or with `THH:MM[:SS]`. */
export function time(t: number, dateTime: boolean): string {
  if (t === lastTime && dateTime === lastDateTime) return lastPrinted;
  lastPrinted = printTime(t, dateTime);
  lastTime = t;
  lastDateTime = dateTime;
  return lastPrinted;
}

function printTime(t: number, dateTime: boolean): string {
  const days = Math.floor(t / 86400);
  const c = civilPacked(days);
  const y = Math.floor(c / 10000);
  const md = c - y * 10000;
  const date = `${pad4(y)}-${pad2(Math.floor(md / 100))}-${pad2(md % 100)}`;
  if (!dateTime) return date;
  const s = t - days * 86400;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${date}T${pad2(hh)}:${pad2(mm)}${ss ? `:${pad2(ss)}` : ""}`;
}

/** The time of a result as written (fast.ts accepts only `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM[:SS]`), as printed. */
function stamp(at: string): string {
  return at.length === 19 && at.endsWith(":00") ? at.slice(0, 16) : at;
}

/**
 * `show` of ops.ts: a known value of kind `k`; `unit` for a quantity, `at` for a measured
 * element's result. A constant is shown as the generator printed it (`Fixed`, in `unit`).
 */
export function show(v: V, k: Show, unit: string, at: string | undefined): string {
  if (v instanceof M) return "unknown";
  switch (k) {
    case Show.Fixed:
      return unit;
    case Show.Num:
      return num(v as number);
    case Show.Qty:
      return `${num(v as number)} ${unit}${at === undefined ? "" : ` on ${stamp(at)}`}`;
    case Show.Code:
      return JSON.stringify(v);
    case Show.Bool:
      return v === T ? "yes" : "no";
    case Show.Date:
      return time(v as number, false);
    case Show.DateTime:
      return time(v as number, true);
    case Show.Rows: {
      const n = (v as Row[]).length;
      return `${n} record${n === 1 ? "" : "s"}`;
    }
  }
}

// --------------------------------------------------------------------------- steps

function tri(v: C): "true" | "false" | "unknown" {
  return v === T ? "true" : v === F ? "false" : "unknown";
}

/** Record a step (`note` of ops.ts) and return the condition. */
export function note(s: Step[] | null, rule: string, v: C, detail: string | null): C {
  if (s !== null)
    s.push({
      rule,
      result: tri(v),
      detail: v instanceof M ? `${detail}; missing: ${v.missing.join(", ")}` : detail!,
    });
  return v;
}

/** Record a step computing a value (`noteValue` of ops.ts). */
export function noteValue(s: Step[] | null, rule: string, detail: string | null): void {
  if (s !== null) s.push({ rule, result: "value", detail: detail! });
}

// --------------------------------------------------------------------------- logic

export function and(vals: C[]): C {
  let open = false;
  for (const v of vals) {
    if (v === F) return F;
    if (v instanceof M) open = true;
  }
  return open ? missingOf(...vals) : T;
}

export function or(vals: C[]): C {
  let open = false;
  for (const v of vals) {
    if (v === T) return T;
    if (v instanceof M) open = true;
  }
  return open ? missingOf(...vals) : F;
}

export function not(v: C): C {
  return v instanceof M ? v : T - v;
}

/** `if c then a else b` with an unknown condition (`ifThen` of values.ts): both branches already evaluated. */
export function ifUnknown(c: M, then: C, otherwise: C): C {
  if (!(then instanceof M) && then === otherwise) return then;
  return missingOf(c, then, otherwise);
}

// --------------------------------------------------------------------------- comparisons

/** The comparison operators, by their place in `OP_TEXT`. */
export const Op = { Lt: 0, Le: 1, Gt: 2, Ge: 3, Eq: 4, Ne: 5 } as const;
export type Op = (typeof Op)[keyof typeof Op];
const OP_TEXT = ["<", "<=", ">", ">=", "=", "!="];

function holds(op: Op, c: number): C {
  switch (op) {
    case Op.Lt:
      return c < 0 ? T : F;
    case Op.Le:
      return c <= 0 ? T : F;
    case Op.Gt:
      return c > 0 ? T : F;
    case Op.Ge:
      return c >= 0 ? T : F;
    case Op.Eq:
      return c === 0 ? T : F;
    case Op.Ne:
      return c !== 0 ? T : F;
  }
}

/**
 * `compare` of ops.ts, for two values of one kind and unit (the generator checks it):
 * numbers and times are ordered (both exact: see fast.ts), codes, texts and yes/no
 * values are equal or not.
 */
export function compare(
  s: Step[] | null,
  rule: string,
  op: Op,
  l: V | C,
  lk: Show,
  lu: string,
  la: string | undefined,
  lw: string | undefined,
  r: V | C,
  rk: Show,
  ru: string,
  ra: string | undefined,
  rw: string | undefined,
): C {
  const opText = OP_TEXT[op]!;
  if (l instanceof M || r instanceof M)
    return note(
      s,
      rule,
      missingOf(l, r),
      s &&
        `${l instanceof M ? "unknown" : shown(l, lk, lu, la, lw)} ${opText} ${r instanceof M ? "unknown" : shown(r, rk, ru, ra, rw)}`,
    );
  // The exact path would convert the left value into the right one's unit as written.
  if (rw !== undefined) fallback();
  const c =
    typeof l !== "number" || lk === Show.Bool
      ? l === r
        ? 0
        : 1
      : (l as number) < (r as number)
        ? -1
        : l === r
          ? 0
          : 1;
  const conv = lw === undefined ? "" : ` (= ${num(l as number)} ${lu})`;
  return note(s, rule, holds(op, c), s && `${shown(l, lk, lu, la, lw)}${conv} ${opText} ${show(r, rk, ru, ra)}`);
}

/** `show`, for a quantity given in another unit (`written`) as it was written. */
function shown(v: V, k: Show, unit: string, at: string | undefined, written: string | undefined): string {
  if (written === undefined) return show(v, k, unit, at);
  return `${written}${at === undefined ? "" : ` on ${stamp(at)}`}`;
}

/**
 * Exact decimal products `factor x limit`, by factor, then by limit (a laboratory's limits
 * repeat). Keyed by the number itself: a key string built from it cost a number-to-text
 * conversion on every call (0.5 µs a patient in the benchmark's profile).
 */
const products = new Map<string, Map<number, string>>();
let productCount = 0;

function product(factor: string, limit: number): string {
  let byLimit = products.get(factor);
  let out = byLimit?.get(limit);
  if (out === undefined) {
    if (productCount >= 10_000) {
      products.clear();
      productCount = 0;
      byLimit = undefined;
    }
    if (byLimit === undefined) products.set(factor, (byLimit = new Map()));
    out = (dec(factor) as Decimal).times(fromJsonNumber(limit)).toString();
    byLimit.set(limit, out);
    productCount++;
  }
  return out;
}

/**
 * `compareRef` of ops.ts (`value op factor x ULN`), for a value and a limit both in the
 * element's unit: exact near the threshold (`cmpRef` of fast.ts).
 */
export function compareRef(
  s: Step[] | null,
  rule: string,
  op: Op,
  l: V,
  unit: string,
  at: string | undefined,
  written: string | undefined,
  factor: number,
  factorText: string,
  limit: "ULN" | "LLN",
  name: string,
  ref: number | undefined,
): C {
  const opText = OP_TEXT[op]!;
  if (l instanceof M) {
    const t = miss(...l.missing, limitItem(name, limit));
    return note(s, rule, missingOf(l, t), s && `unknown ${opText} unknown`);
  }
  if (ref === undefined)
    return note(
      s,
      rule,
      new M([limitItem(name, limit)]),
      s && `${shown(l, Show.Qty, unit, at, written)} ${opText} unknown`,
    );
  // The exact path would show the threshold converted into the value's unit as written.
  if (written !== undefined) fallback();
  const c = cmpRef(l as number, factor, factorText, ref);
  return note(
    s,
    rule,
    holds(op, c),
    s &&
      `${show(l, Show.Qty, unit, at)} ${opText} ${factorText} x ${limit} (${limit} ${num(ref)} ${unit}, so ${product(factorText, ref)} ${unit})`,
  );
}

/** `fact` of ops.ts: a yes/no used as a condition; its three details are written when the module is generated. */
export function fact(s: Step[] | null, v: C, rule: string, yes: string, no: string, unknown: string): C {
  return note(s, rule, v, v instanceof M ? unknown : v === T ? yes : no);
}

/** `inSet` of ops.ts; `list` is `"(a, b, c)"`. */
export function inSet(s: Step[] | null, v: V, values: readonly string[], list: string, rule: string): C {
  if (v instanceof M) return note(s, rule, v, s && `unknown in ${list}`);
  return note(s, rule, values.includes(v as string) ? T : F, s && `${JSON.stringify(v)} in ${list}`);
}

// --------------------------------------------------------------------------- time

/** A time kind: false for a date, true for a date-time. */
type TK = boolean;

/** `low <= subject <= high`, a date subject placing a date-time bound by its day (`inClosedWindow`). */
function inWindow(subject: number, sk: TK, low: number, lk: TK, high: number, hk: TK): boolean {
  const lo = !sk && lk ? Math.floor(low / 86400) * 86400 : low;
  const hi = !sk && hk ? Math.floor(high / 86400) * 86400 : high;
  return lo <= subject && subject <= hi;
}

/** `within` of ops.ts: `edge` is `at ∓ amount`, computed by the caller; `amount` as shown. */
export function within(
  s: Step[] | null,
  before: boolean,
  subject: V,
  sk: TK,
  amount: string,
  at: V,
  ak: TK,
  edge: V,
  ek: TK,
  rule: string,
): C {
  const dir = before ? "before" : "after";
  if (subject instanceof M || at instanceof M)
    return note(
      s,
      rule,
      missingOf(subject, at),
      s && `window ${amount} ${dir} ${show(at, ak ? Show.DateTime : Show.Date, "", undefined)}`,
    );
  const [low, lk, high, hk] = before ? [edge as number, ek, at as number, ak] : [at as number, ak, edge as number, ek];
  return note(
    s,
    rule,
    inWindow(subject as number, sk, low, lk, high, hk) ? T : F,
    s && `${time(subject as number, sk)} in [${time(low, lk)}, ${time(high, hk)}]`,
  );
}

/** `atLeast` of ops.ts. */
export function atLeast(
  s: Step[] | null,
  before: boolean,
  subject: V,
  sk: TK,
  amount: string,
  at: V,
  ak: TK,
  edge: V,
  ek: TK,
  rule: string,
): C {
  const dir = before ? "before" : "after";
  if (subject instanceof M || at instanceof M)
    return note(s, rule, missingOf(subject, at), s && `at least ${amount} ${dir} ${time2(at, ak)}`);
  const e = edge as number;
  const ok = before ? (subject as number) <= e : (subject as number) >= e;
  return note(
    s,
    rule,
    ok ? T : F,
    s &&
      `${time(subject as number, sk)} ${before ? "<=" : ">="} ${time(e, ek)} (${time(at as number, ak)} ${before ? "-" : "+"} ${amount})`,
  );
}

function time2(v: V, k: TK): string {
  return v instanceof M ? "unknown" : time(v as number, k);
}

/** `between` of ops.ts. */
export function between(s: Step[] | null, subject: V, sk: TK, low: V, lk: TK, high: V, hk: TK, rule: string): C {
  if (subject instanceof M || low instanceof M || high instanceof M)
    return note(s, rule, missingOf(subject, low, high), s && `between ${time2(low, lk)} and ${time2(high, hk)}`);
  return note(
    s,
    rule,
    inWindow(subject as number, sk, low as number, lk, high as number, hk) ? T : F,
    s && `${time(subject as number, sk)} in [${time(low as number, lk)}, ${time(high as number, hk)}]`,
  );
}

/** `order` of ops.ts. */
export function order(s: Step[] | null, before: boolean, subject: V, sk: TK, at: V, ak: TK, rule: string): C {
  const dir = before ? "before" : "after";
  if (subject instanceof M || at instanceof M)
    return note(s, rule, missingOf(subject, at), s && `${dir} ${time2(at, ak)}`);
  const ok = before ? (subject as number) < (at as number) : (subject as number) > (at as number);
  return note(
    s,
    rule,
    ok ? T : F,
    s && `${time(subject as number, sk)} ${before ? "<" : ">"} ${time(at as number, ak)}`,
  );
}

/** A shift of a time by calendar months or seconds (`K.addMonths`, `K.addSeconds`), unknown kept. */
export function shift(base: V, shifted: number | undefined): V {
  return base instanceof M ? base : (shifted as number);
}

// --------------------------------------------------------------------------- records

/** `quantify` of ops.ts: `where(row, i, s)` is evaluated quietly (no steps) for every row. */
export function quantify(
  s: Step[] | null,
  q: "any" | "all" | "none" | "count",
  rows: V,
  record: string,
  where: ((row: Row, i: number) => C) | null,
  rule: string,
): C | number {
  if (rows instanceof M) return note(s, rule, rows, s && `${record}: not given`);
  const list = rows as Row[];
  let met = 0;
  let anyFalse = false;
  let open: M[] | null = null;
  let detail = s && `${list.length} record${list.length === 1 ? "" : "s"}`;
  for (let i = 0; i < list.length; i++) {
    const v = where ? where(list[i]!, i) : T;
    if (v === T) met++;
    else if (v === F) anyFalse = true;
    else (open ??= []).push(v as M);
    if (detail !== null) detail += `${i ? ", " : ": "}${record}[${i}] ${v === T ? "yes" : v === F ? "no" : "unknown"}`;
  }
  const unknownRows = open ? missingOf(...open) : null;
  let v: C;
  switch (q) {
    case "any":
      v = met > 0 ? T : (unknownRows ?? F);
      break;
    case "none":
      v = met > 0 ? F : (unknownRows ?? T);
      break;
    case "all":
      v = anyFalse ? F : (unknownRows ?? T);
      break;
    case "count":
      if (unknownRows) return note(s, rule, unknownRows, detail!);
      noteValue(s, rule, `${detail}; count ${met}`);
      return met;
  }
  return note(s, rule, v, detail!);
}

// --------------------------------------------------------------------------- built-ins

/** `age` of ops.ts, on dates in seconds (a birth after the date takes the exact path before any rule runs). */
export function age(s: Step[] | null, birth: V, at: V, rule: string): V {
  if (birth instanceof M || at instanceof M) return missingOf(birth, at);
  const years = completedYears(birth as number, at as number)!;
  noteValue(
    s,
    rule,
    s && `born ${time(birth as number, false)}, ${years} completed years on ${time(at as number, false)}`,
  );
  return years;
}

/**
 * `successiveRises` of ops.ts on loaded rows: values in their element's unit (as written,
 * or the record is exotic), dates in seconds.
 */
export function successiveRises(
  s: Step[] | null,
  rows: V,
  valueF: string,
  groupF: string,
  dateF: string,
  dateTime: boolean,
  quantity: boolean,
  rule: string,
  record: string,
  moreGroups: string[],
): V {
  if (rows instanceof M) return rows;
  const missing: string[] = [];
  const groups = new Map<string, { v: number; t: number }[]>();
  const keyFields = [groupF, ...moreGroups];
  (rows as Row[]).forEach((row, i) => {
    const v = row[valueF] as number | undefined;
    const d = row[dateF] as number | undefined;
    if (v === undefined) missing.push(`${record}[${i}].${valueF}`);
    for (const f of keyFields) if (row[f] === undefined) missing.push(`${record}[${i}].${f}`);
    if (d === undefined) missing.push(`${record}[${i}].${dateF}`);
    if (v !== undefined && d !== undefined && keyFields.every((f) => row[f] !== undefined)) {
      const key = keyFields.map((f) => row[f] as string).join(" / ") + (quantity ? ` (${row[valueF + ".unit"]})` : "");
      const list = groups.get(key);
      if (list) list.push({ v, t: d });
      else groups.set(key, [{ v, t: d }]);
    }
  });
  if (missing.length) return miss(...missing);
  let best = 0;
  let where = "";
  for (const [g, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort((a, b) => a.t - b.t);
    let run = 0;
    for (let i = 1; i < sorted.length; i++) {
      run = sorted[i]!.v > sorted[i - 1]!.v && sorted[i - 1]!.t < sorted[i]!.t ? run + 1 : 0;
      if (run > best) {
        best = run;
        if (s)
          where = `${g}: ${sorted
            .slice(i - run, i + 1)
            .map((x) => `${num(x.v)} (${time(x.t, dateTime)})`)
            .join(" < ")}`;
      }
    }
  }
  noteValue(s, rule, s && `longest run of successive rises: ${best}${where ? ` (${where})` : ""}`);
  return best;
}

// --------------------------------------------------------------------------- results

/** `ruleCriterion` of eligibility.ts: a criterion with a rule of its own, from its steps and its condition. */
export function criterion(
  id: string,
  role: CriterionResult["role"],
  text: string,
  steps: Step[],
  v: C,
): CriterionResult {
  return {
    id,
    role,
    text,
    verdict: v === T ? "met" : v === F ? "not_met" : "unknown",
    steps,
    missing: v instanceof M ? [...v.missing].sort() : [],
    children: [],
  };
}

/** The reference dates as the result shows them (`resolveAnchors`), in the protocol's order. */
export function shownAnchors(
  names: readonly string[],
  anchors: Record<string, number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of names) {
    const t = anchors[a];
    if (t !== undefined) out[a] = time(t, false);
  }
  return out;
}

// --------------------------------------------------------------------------- warnings

/**
 * A tree of the key sequences seen (a record's keys in their order, then its reference
 * dates' keys), each node's children in two parallel arrays searched by identity (keys
 * read from JSON are interned strings, and a node rarely has more than two children).
 */
interface KeyNode {
  keys: string[];
  kids: KeyNode[];
  /** Where the reference dates' keys start (a record with `anchors`). */
  anchors: KeyNode | undefined;
  warnings: DataProblem[] | undefined;
}
const node0 = (): KeyNode => ({ keys: [], kids: [], anchors: undefined, warnings: undefined });
let seen: KeyNode = node0();
/** The dictionary `seen` was built for (a module has one; another starts the tree again). */
let seenFor: ReadonlySet<string> | undefined;
/** Nodes in `seen`: the tree starts again beyond 50,000 (records with ever new fields must not fill memory). */
let nodes = 0;

function child(node: KeyNode, k: string): KeyNode {
  const keys = node.keys;
  for (let i = 0; i < keys.length; i++) if (keys[i] === k) return node.kids[i]!;
  const n = node0();
  keys.push(k);
  node.kids.push(n);
  nodes++;
  return n;
}

/**
 * The warnings `normalizePatient` gives a record read plainly: its fields outside the
 * dictionary and its reference dates that are not anchors (`topLevelWarnings`,
 * `anchorWarnings`, which sort them), computed once for each sequence of keys (records
 * of one source have the same fields, in the same order), then copied.
 */
export function recordWarnings(
  r: Record<string, unknown>,
  elements: ReadonlySet<string>,
  anchorNames: readonly string[],
): DataProblem[] {
  if (nodes > 50_000 || seenFor !== elements) {
    seen = node0();
    seenFor = elements;
    nodes = 0;
  }
  let node = seen;
  for (const k in r) node = child(node, k);
  const anchors = r.anchors;
  if (anchors != null) {
    if (node.anchors === undefined) {
      node.anchors = node0();
      nodes++;
    }
    node = node.anchors;
    for (const k in anchors as object) node = child(node, k);
  }
  let warnings = node.warnings;
  if (warnings === undefined) {
    node.warnings = warnings = [];
    topLevelWarnings(r, elements, warnings);
    if (anchors != null) anchorWarnings(anchors, anchorNames, warnings);
  }
  return copy(warnings);
}

/** Each result gets warnings of its own, as the exact path gives. */
function copy(warnings: DataProblem[]): DataProblem[] {
  const out: DataProblem[] = new Array(warnings.length);
  for (let i = 0; i < warnings.length; i++) out[i] = { path: warnings[i]!.path, message: warnings[i]!.message };
  return out;
}

// --------------------------------------------------------------------------- definitions

/** `useDefinition` of eligibility.ts for a yes/no definition: the body's steps, then a summary. */
export function definition(s: Step[] | null, name: string, rule: string, v: C): C {
  return note(s, rule, v, s && `definition ${name}`);
}

/** ... and for a definition of a value (a count, a date): its summary step says "unknown", as `tri` does. */
export function definitionValue(s: Step[] | null, name: string, rule: string, v: V): V {
  if (s !== null)
    s.push({
      rule,
      result: "unknown",
      detail: v instanceof M ? `definition ${name}; missing: ${v.missing.join(", ")}` : `definition ${name}`,
    });
  return v;
}
