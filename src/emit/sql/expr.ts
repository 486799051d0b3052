/**
 * IR expressions to SQL, in three-valued logic written out.
 *
 * A condition compiles to a `Tri`: an integer expression that is 0 (false), 1
 * (unknown) or 2 (true) and never NULL, so Kleene's AND and OR are exactly LEAST and
 * GREATEST over false < unknown < true, and NOT is 2 - x. Every leaf condition turns
 * SQL values into that encoding with an explicit CASE that tests IS NULL first, so no
 * comparison ever meets a NULL. A value compiles to a `Val`: an SQL expression where
 * NULL is unknown. Both carry a mask of what is missing (see missing.ts).
 */
import type { CompareOp, IrDuration, IrElement, IrExpr, IrProtocol } from "../../ir/types.js";
import { dec as decimalOf, ratioDiv, ratioOf, type Ratio } from "../../runtime/decimal.js";
import { conversionRatio } from "../../runtime/units.js";
import type { Bindings } from "./binding.js";
import { maskIfNull, maskIfUnknown, orMasks, type MissingSpace } from "./missing.js";
import { addInterval, DEC, dayOf, LIMIT_DEC, monthOf, str, timeText, yearOf, type Dialect } from "./sql-text.js";

/** A condition: `t` is 0, 1 or 2; `m` the mask of what leaves it unknown. */
export interface Tri {
  t: string;
  m: string;
}

/** A value (NULL = unknown) and what leaves it unknown. */
export interface Val {
  v: string;
  m: string;
  kind: "num" | "time" | "code" | "bool" | "text";
  /** A quantity read from the data: the column of its unit concept and where its unit table entries are. */
  unitCol?: string;
  unitPath?: string;
  /** A quantity whose unit is fixed (a constant, an age in years). */
  unit?: string;
  /** Reference limits in the value's own unit, and their missing items. */
  uln?: { v: string; m: string };
  lln?: { v: string; m: string };
  /** A constant's exact value. */
  exact?: string;
  duration?: IrDuration;
}

/** A quantifier over records, compiled into its own CTE (one row per person). */
export interface QuantCte {
  name: string;
  records: string;
  /** Whether the condition reads a person-level element (else only fields, anchors and constants). */
  readsPerson: boolean;
  quantifier: "any" | "all" | "none" | "count";
  where: Tri | null;
}

/** A successive_rises over records, compiled into its own CTEs. */
export interface RisesCte {
  name: string;
  records: string;
  value: string;
  group: string;
  date: string;
  missing: { value: string; group: string; date: string };
  /** Further group fields (a marker's name, its unit), each with its missing bit. */
  more: { field: string; missing: string }[];
}

export interface Scope {
  d: Dialect;
  ir: IrProtocol;
  bindings: Bindings;
  space: MissingSpace;
  elements: Map<string, IrElement>;
  /** CTEs this criterion needs. */
  quants: QuantCte[];
  rises: RisesCte[];
  /** Numbering of CTE names across the whole query. */
  counter: { n: number };
  /** Definition arguments, innermost last. */
  args: Map<string, Val>[];
  /** Inside a quantifier: the records ranged over (row columns are `r.f_<field>`). */
  row: string | null;
  /** Set when a quantifier's condition reads a person-level element. */
  readsPerson?: boolean;
}

/** A construct the SQL target does not translate (a compile error for `trialc sql`). */
export class SqlUnsupported extends Error {}

const dec = (x: string) => `CAST('${decimalOf(x).toFixed()}' AS ${DEC})`;
/**
 * A rule's factor (`2.5 x ULN`) at its own precision and scale, so that its product with
 * a limit (LIMIT_DEC) is exact in every dialect: DECIMAL(24,9) × DECIMAL(p,s) needs
 * 25 + p digits, within 38 (Spark rounds a product that needs more to 6 decimals).
 */
const factorDec = (x: string) => {
  const text = decimalOf(x).toFixed();
  const [int, frac = ""] = text.replace("-", "").split(".");
  const p = Math.max(1, (int === "0" ? 0 : int!.length) + frac.length);
  return p <= 13 && frac.length <= 9 ? `CAST('${text}' AS DECIMAL(${p},${frac.length}))` : dec(x);
};

/** Scale of every decimal in the SQL (DECIMAL(38,9)). */
const SCALE = 9n;

// ----------------------------------------------------------------------------- conditions

export function tri(s: Scope, e: IrExpr): Tri {
  switch (e.kind) {
    case "bool":
      return { t: e.value ? "2" : "0", m: "0" };
    case "and":
    case "or": {
      const args = e.args.map((a) => tri(s, a));
      return {
        t: `${e.kind === "and" ? "LEAST" : "GREATEST"}(${args.map((a) => a.t).join(", ")})`,
        m: orMasks(args.map((a) => maskIfUnknown(a.t, a.m))),
      };
    }
    case "not": {
      const a = tri(s, e.arg);
      return { t: `(2 - ${a.t})`, m: a.m };
    }
    case "fact":
      return tri(s, e.arg);
    case "if": {
      const c = tri(s, e.cond);
      const a = tri(s, e.then);
      if (!e.otherwise)
        // `if c then a` is (not c) or a: true when c is false.
        return { t: `GREATEST(2 - ${c.t}, ${a.t})`, m: orMasks([maskIfUnknown(c.t, c.m), maskIfUnknown(a.t, a.m)]) };
      const b = tri(s, e.otherwise);
      return {
        // An unknown condition is decided only when both branches agree.
        t: `CASE ${c.t} WHEN 2 THEN ${a.t} WHEN 0 THEN ${b.t} ELSE CASE WHEN ${a.t} = ${b.t} AND ${a.t} <> 1 THEN ${a.t} ELSE 1 END END`,
        m: `CASE ${c.t} WHEN 2 THEN ${a.m} WHEN 0 THEN ${b.m} ELSE ${orMasks([maskIfUnknown(c.t, c.m), maskIfUnknown(a.t, a.m), maskIfUnknown(b.t, b.m)])} END`,
      };
    }
    case "compare":
      return compare(s, e.op, e.left, e.right);
    case "in": {
      const a = val(s, e.arg);
      return known([a], `${a.v} IN (${e.values.map((v) => str(s.d, v)).join(", ")})`);
    }
    case "within": {
      const subj = val(s, e.subject);
      const at = val(s, e.anchor);
      const edge = shiftSql(s, at.v, e.direction === "before" ? -1 : 1, duration(s, e.amount));
      const [lo, hi] = e.direction === "before" ? [edge, at.v] : [at.v, edge];
      return known([subj, at], `${lo} <= ${subj.v} AND ${subj.v} <= ${hi}`);
    }
    case "atLeast": {
      const subj = val(s, e.subject);
      const at = val(s, e.anchor);
      const edge = shiftSql(s, at.v, e.direction === "before" ? -1 : 1, duration(s, e.amount));
      return known([subj, at], e.direction === "before" ? `${subj.v} <= ${edge}` : `${subj.v} >= ${edge}`);
    }
    case "between": {
      const subj = val(s, e.subject);
      const lo = val(s, e.low);
      const hi = val(s, e.high);
      return known([subj, lo, hi], `${lo.v} <= ${subj.v} AND ${subj.v} <= ${hi.v}`);
    }
    case "order": {
      const subj = val(s, e.subject);
      const at = val(s, e.anchor);
      return known([subj, at], `${subj.v} ${e.direction === "before" ? "<" : ">"} ${at.v}`);
    }
    case "quantifier": {
      if (e.quantifier === "count") return fromBool(val(s, e));
      return quantifier(s, e) as Tri;
    }
    case "define":
      return inline(s, e, () => tri(s, defOf(s, e.name).expr));
    default:
      if (e.type === "boolean") return fromBool(val(s, e));
      throw new SqlUnsupported(`"${e.text}" is not a condition the SQL target can translate`);
  }
}

/** A condition on values that is unknown when any of them is NULL. */
function known(vals: Val[], cond: string): Tri {
  const nulls = vals.filter((v) => v.m !== "0" || v.v.includes("NULL"));
  const guard = nulls.map((v) => `${v.v} IS NULL`).join(" OR ");
  return {
    t: guard ? `CASE WHEN ${guard} THEN 1 WHEN ${cond} THEN 2 ELSE 0 END` : `CASE WHEN ${cond} THEN 2 ELSE 0 END`,
    m: orMasks(vals.map((v) => maskIfNull(v.v, v.m))),
  };
}

/** A yes/no value (1/0, NULL unknown) as a condition. */
function fromBool(v: Val): Tri {
  return { t: `CASE WHEN ${v.v} IS NULL THEN 1 WHEN ${v.v} = 1 THEN 2 ELSE 0 END`, m: v.m };
}

function flip(op: CompareOp): CompareOp {
  return op === "<" ? ">" : op === ">" ? "<" : op === "<=" ? ">=" : op === ">=" ? "<=" : op;
}

function compare(s: Scope, op: CompareOp, left: IrExpr, right: IrExpr): Tri {
  if (right.kind === "refMultiple") return compareRef(s, op, val(s, left), right.factor, right.limit, right.of);
  let l = val(s, left);
  let r = val(s, right);
  if (l.exact !== undefined && r.exact === undefined) {
    [l, r] = [r, l];
    op = flip(op);
  }
  if (l.unitCol && r.exact !== undefined && r.unit) return compareMeasured(s, op, l, r.exact, r.unit);
  if (l.unit && r.unit && l.unit !== r.unit && r.exact !== undefined) {
    // A computed quantity (an age in years) against a constant in another unit: convert the constant exactly.
    const q = ratioDiv(ratioOf(r.exact), conversionRatio(l.unit, r.unit));
    return thresholds(l, op, [{ cond: "", q }]);
  }
  const sqlOp = op === "!=" ? "<>" : op;
  return known([l, r], `${l.v} ${sqlOp} ${r.v}`);
}

/**
 * A measured quantity against a constant: for each unit concept the value may come in,
 * the constant converted exactly into that unit (a rational); a unit the table does not
 * know leaves the comparison unknown, naming `<element>.unit`.
 */
function compareMeasured(s: Scope, op: CompareOp, l: Val, exact: string, unit: string): Tri {
  const entries = s.bindings.units.filter((u) => u.element === l.unitPath);
  const el = elementOf(s, l.unitPath!);
  const rows = entries.map((u) => ({
    cond: `${l.unitCol} = ${u.conceptId}`,
    q: ratioDiv(ratioOf(exact), conversionRatio(u.ucum, unit, el?.molarMass)),
  }));
  const unitBit = s.space.bit(`${l.unitPath}.unit`);
  const okUnits = entries.map((u) => u.conceptId).join(", ");
  const badUnit = okUnits ? `${l.unitCol} IS NULL OR ${l.unitCol} NOT IN (${okUnits})` : "1 = 1";
  const inner = thresholds(l, op, rows);
  return {
    t: `CASE WHEN ${l.v} IS NULL THEN 1 WHEN ${badUnit} THEN 1 ELSE ${inner.t} END`,
    m: `CASE WHEN ${l.v} IS NULL THEN ${l.m} WHEN ${badUnit} THEN ${unitBit} ELSE 0 END`,
  };
}

/**
 * `v op q` for an exact rational q and a value with at most 9 decimals: q as a decimal
 * literal when it has at most 9 decimals, otherwise its neighbours at that scale
 * (v >= q ⇔ v >= ceil(q); v <= q ⇔ v <= floor(q); v = q never), so the comparison is
 * exact without binary floats or rounded factors.
 */
function thresholds(l: Val, op: CompareOp, rows: { cond: string; q: Ratio }[]): Tri {
  const scale = 10n ** SCALE;
  const lit = (n: bigint) => {
    const neg = n < 0n;
    const a = (neg ? -n : n).toString().padStart(Number(SCALE) + 1, "0");
    return `CAST('${neg ? "-" : ""}${a.slice(0, -Number(SCALE))}.${a.slice(-Number(SCALE))}' AS ${DEC})`;
  };
  const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  const cases = rows.map(({ cond, q }) => {
    const lo = floorDiv(q.num * scale, q.den);
    const exactAtScale = lo * q.den === q.num * scale;
    const hi = exactAtScale ? lo : lo + 1n;
    let c: string;
    switch (op) {
      case ">=":
      case ">":
        c = exactAtScale ? `${l.v} ${op} ${lit(lo)}` : `${l.v} >= ${lit(hi)}`;
        break;
      case "<=":
      case "<":
        c = exactAtScale ? `${l.v} ${op} ${lit(lo)}` : `${l.v} <= ${lit(lo)}`;
        break;
      case "=":
        c = exactAtScale ? `${l.v} = ${lit(lo)}` : "1 = 0";
        break;
      case "!=":
        c = exactAtScale ? `${l.v} <> ${lit(lo)}` : "1 = 1";
        break;
    }
    return cond ? `WHEN ${cond} AND ${c} THEN 2` : `WHEN ${c} THEN 2`;
  });
  return {
    t: `CASE WHEN ${l.v} IS NULL THEN 1 ${cases.join(" ")} ELSE 0 END`,
    m: maskIfNull(l.v, l.m),
  };
}

/** `value op factor x ULN|LLN`: the limit is in the value's own unit (OMOP's range_low/range_high). */
function compareRef(s: Scope, op: CompareOp, l: Val, factor: string, limit: "ULN" | "LLN", of: string): Tri {
  const ref = limit === "ULN" ? l.uln : l.lln;
  const item = s.space.bit(`${of}.${limit.toLowerCase()}`);
  if (!ref) return { t: "1", m: orMasks([maskIfNull(l.v, l.m), item]) };
  const sqlOp = op === "!=" ? "<>" : op;
  const cmp: Tri = {
    t: `CASE WHEN ${l.v} IS NULL OR ${ref.v} IS NULL THEN 1 WHEN ${l.v} ${sqlOp} ${factorDec(factor)} * CAST(${ref.v} AS ${LIMIT_DEC}) THEN 2 ELSE 0 END`,
    // As the runtime: an unknown value also leaves its limit unknown.
    m: orMasks([maskIfNull(l.v, orMasks([l.m, item])), maskIfNull(ref.v, ref.m)]),
  };
  if (!l.unitCol) return cmp;
  // Value and limit share their unit, but a unit the table does not know is not trusted either.
  const okUnits = s.bindings.units.filter((u) => u.element === l.unitPath).map((u) => u.conceptId);
  const badUnit = okUnits.length ? `${l.unitCol} IS NULL OR ${l.unitCol} NOT IN (${okUnits.join(", ")})` : "1 = 1";
  return {
    t: `CASE WHEN ${l.v} IS NOT NULL AND (${badUnit}) THEN 1 ELSE ${cmp.t} END`,
    m: `CASE WHEN ${l.v} IS NOT NULL AND (${badUnit}) THEN ${s.space.bit(`${l.unitPath}.unit`)} ELSE ${cmp.m} END`,
  };
}

// ----------------------------------------------------------------------------- values

export function val(s: Scope, e: IrExpr): Val {
  switch (e.kind) {
    case "number":
      return { v: dec(e.value), m: "0", kind: "num", exact: e.value };
    case "quantity":
      return { v: dec(e.value), m: "0", kind: "num", exact: e.value, unit: e.unit };
    case "duration":
      return { v: "NULL", m: "0", kind: "num", duration: e.duration };
    case "string":
      return { v: str(s.d, e.value), m: "0", kind: "text" };
    case "code":
      return { v: str(s.d, e.value), m: "0", kind: "code" };
    case "bool":
      return { v: e.value ? "1" : "0", m: "0", kind: "bool" };
    case "element":
      if (s.row) s.readsPerson = true;
      return column(s, "b", e.name, e.name, elementOf(s, e.name));
    case "field": {
      if (s.row !== e.record) throw new SqlUnsupported(`"${e.text}" is read outside a quantifier over ${e.record}`);
      return column(s, "r", e.name, `${e.record}.${e.name}`, elementOf(s, `${e.record}.${e.name}`));
    }
    case "anchor":
      return { v: `b.a_${e.name.toLowerCase()}`, m: s.space.bit(`anchor ${e.name}`), kind: "time" };
    case "arg": {
      const v = s.args[s.args.length - 1]?.get(e.name);
      if (!v) throw new SqlUnsupported(`no argument ${e.name}`);
      return v;
    }
    case "define":
      return inline(s, e, () => val(s, defOf(s, e.name).expr));
    case "shift": {
      const base = val(s, e.base);
      return {
        v: `CASE WHEN ${base.v} IS NULL THEN NULL ELSE ${shiftSql(s, base.v, e.sign, duration(s, e.duration))} END`,
        m: base.m,
        kind: "time",
      };
    }
    case "builtin":
      return e.fn === "age" ? age(s, val(s, e.args[0]!), val(s, e.args[1]!)) : rises(s, e);
    case "quantifier":
      return quantifier(s, e) as Val;
    default: {
      if (e.type === "boolean") {
        const t = tri(s, e);
        return { v: `CASE ${t.t} WHEN 2 THEN 1 WHEN 0 THEN 0 ELSE NULL END`, m: t.m, kind: "bool" };
      }
      throw new SqlUnsupported(`"${e.text}" is not a value the SQL target can translate`);
    }
  }
}

/** An element's (alias b) or a record field's (alias r) column and its companions. */
function column(s: Scope, alias: "b" | "r", name: string, path: string, el: IrElement | undefined): Val {
  const base = `${alias}.${alias === "b" ? "e" : "f"}_${name.toLowerCase()}`;
  const m = s.space.bit(path);
  const kind: Val["kind"] = !el
    ? "text"
    : el.type === "date" || el.type === "datetime"
      ? "time"
      : el.type === "boolean" || el.type === "attestation"
        ? "bool"
        : el.type === "code"
          ? "code"
          : el.type === "text"
            ? "text"
            : "num";
  const out: Val = { v: base, m, kind };
  const bound = s.bindings.sources.get(name);
  if (alias === "b" && el && bound?.how === "number" && bound.measured) out.m = selectionMask(s, el);
  if (el?.type === "decimal" && el.unit) {
    out.unitCol = `${alias}.${alias === "b" ? "u" : "fu"}_${name.toLowerCase()}`;
    out.unitPath = path;
    out.unit = el.unit;
    const measured = alias === "b" && bound?.how === "number" && bound.measured;
    for (const lim of ["uln", "lln"] as const)
      if (alias === "b" && el.reference[lim]) out[lim] = limitColumn(s, name, path, lim, measured);
  }
  return out;
}

/**
 * A reference limit's column and what leaves it unknown: absent, or, for a measured element,
 * results at the latest time that agree on the value but not on it (`uc_` / `lc_`, see
 * query.ts), spelled as the runtime's pickResult spells it.
 */
function limitColumn(s: Scope, name: string, path: string, lim: "uln" | "lln", measured: boolean): Val["uln"] {
  const n = name.toLowerCase();
  const absent = s.space.bit(`${path}.${lim}`);
  if (!measured) return { v: `b.${lim === "uln" ? "uh" : "ul"}_${n}`, m: absent };
  const lit = (x: string) => str(s.d, x);
  const what = ` disagree on the ${lim.toUpperCase()})`;
  const conflict = s.space.spelled(
    `${path}.${lim} (two results on (the latest day)${what}`,
    `CONCAT(${lit(`${path}.${lim} (two results on `)}, SUBSTRING(b.ta_${n}, 1, 10), ${lit(what)})`,
  );
  return {
    v: `b.${lim === "uln" ? "uh" : "ul"}_${n}`,
    m: `CASE WHEN b.${lim === "uln" ? "uc" : "lc"}_${n} = 1 THEN ${conflict} ELSE ${absent} END`,
  };
}

/**
 * What leaves a measured element unknown, by why its selection chose no result
 * (`st_<element>`, see query.ts): the messages are the runtime's (pickResult), with the
 * window's dates and a tie's time spelled per person.
 */
function selectionMask(s: Scope, el: IrElement): string {
  const n = el.name.toLowerCase();
  const sel = el.select;
  const lo = sel?.window?.low;
  const hi = sel?.window?.high;
  const by = sel?.method ? ` by ${sel.method}` : "";
  const anchors = [...new Set([lo?.anchor, hi?.anchor].filter((a): a is string => !!a))];
  const anchorMask = orMasks(
    anchors.map((a) => `CASE WHEN b.a_${a.toLowerCase()} IS NULL THEN ${s.space.bit(`anchor ${a}`)} ELSE 0 END`),
  );
  const when = (l: string, h: string) =>
    lo && hi ? [" (from ", l, " to ", h, ")"] : lo ? [" (on or after ", l, ")"] : hi ? [" (on or before ", h, ")"] : [];
  const key = `a new ${el.name}${by}${when(lo?.text ?? "", hi?.text ?? "").join("")}`;
  const lit = (x: string) => str(s.d, x);
  const spelledNew = when(timeText(s.d, `b.lo_${n}`), timeText(s.d, `b.hi_${n}`));
  const noneQualifies = spelledNew.length
    ? s.space.spelled(
        key,
        `CONCAT(${[lit(`a new ${el.name}${by}`), ...spelledNew.map((x, i) => (i % 2 === 0 ? lit(x) : x))].join(", ")})`,
      )
    : s.space.bit(key);
  const tie = s.space.spelled(
    `one ${el.name} result at (the latest time) (two disagree)`,
    `CONCAT(${lit(`one ${el.name} result at `)}, b.ta_${n}, ${lit(" (two disagree)")})`,
  );
  return `CASE b.st_${n} WHEN 2 THEN ${anchorMask === "0" ? bigintZero : anchorMask} WHEN 3 THEN ${s.space.bit(`the date of every ${el.name} result`)} WHEN 4 THEN ${noneQualifies} WHEN 5 THEN ${tie} WHEN 6 THEN ${s.space.bit(`${el.name}.unit`)} ELSE ${s.space.bit(el.name)} END`;
}

const bigintZero = "CAST(0 AS BIGINT)";

/** An element by name, or a record field as `records.field`. */
export function elementOf(s: Scope, path: string): IrElement | undefined {
  const [top, field] = path.split(".");
  const el = s.elements.get(top!);
  return field ? el?.fields?.find((f) => f.name === field) : el;
}

function defOf(s: Scope, name: string) {
  const def = s.ir.definitions.find((d) => d.name === name);
  if (!def) throw new SqlUnsupported(`no definition ${name}`);
  return def;
}

/** A definition is inlined with its arguments bound (they are evaluated where it is used). */
function inline<T>(s: Scope, e: Extract<IrExpr, { kind: "define" }>, body: () => T): T {
  const def = defOf(s, e.name);
  const bound = new Map(def.params.map((p, i) => [p, val(s, e.args[i]!)]));
  s.args.push(bound);
  try {
    return body();
  } finally {
    s.args.pop();
  }
}

function duration(s: Scope, e: IrExpr): IrDuration {
  const v = val(s, e);
  if (!v.duration) throw new SqlUnsupported(`"${e.text}": only a constant duration can shift a time in SQL`);
  return v.duration;
}

/**
 * `ts ± duration` with the runtime's calendar rules: months and years add calendar
 * months (clamped to the month's end), weeks and whole days add days, anything else
 * adds exact seconds from 00:00.
 */
function shiftSql(s: Scope, ts: string, sign: 1 | -1, d: IrDuration): string {
  return shiftTime(s.d, ts, sign, d);
}

/** `ts ± duration` in dialect `dialect` (see shiftSql). */
export function shiftTime(dialect: Dialect, ts: string, sign: 1 | -1, d: IrDuration): string {
  const s = { d: dialect };
  const n = decimalOf(d.amount);
  const whole = (x: ReturnType<typeof decimalOf>) => {
    if (!x.isInteger())
      throw new SqlUnsupported(`a duration of ${d.amount} ${d.unit} is not a whole number of seconds`);
    return sign * x.toNumber();
  };
  switch (d.unit) {
    case "a":
      return addInterval(s.d, ts, whole(n.times(12)), "MONTH");
    case "mo":
      return addInterval(s.d, ts, whole(n), "MONTH");
    case "wk":
      return addInterval(s.d, ts, whole(n.times(7)), "DAY");
    case "d":
      return n.isInteger()
        ? addInterval(s.d, ts, whole(n), "DAY")
        : addInterval(s.d, ts, whole(n.times(86400)), "SECOND");
    case "h":
      return addInterval(s.d, ts, whole(n.times(3600)), "SECOND");
    case "min":
      return addInterval(s.d, ts, whole(n.times(60)), "SECOND");
  }
}

/** `age(birth, at)`: completed years; a 29 February birthday is reached on 1 March in other years. */
function age(s: Scope, birth: Val, at: Val): Val {
  const y = yearOf(s.d, at.v);
  const leap = `((${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0)`;
  const feb29 = `(${monthOf(s.d, birth.v)} = 2 AND ${dayOf(s.d, birth.v)} = 29 AND NOT ${leap})`;
  const bm = `CASE WHEN ${feb29} THEN 3 ELSE ${monthOf(s.d, birth.v)} END`;
  const bd = `CASE WHEN ${feb29} THEN 1 ELSE ${dayOf(s.d, birth.v)} END`;
  const reached = `(${monthOf(s.d, at.v)} > ${bm} OR (${monthOf(s.d, at.v)} = ${bm} AND ${dayOf(s.d, at.v)} >= ${bd}))`;
  return {
    // A birth after the date counted to is impossible data: unknown, naming the birth date.
    v: `CASE WHEN ${birth.v} IS NULL OR ${at.v} IS NULL OR ${birth.v} > ${at.v} THEN NULL ELSE CAST(${y} - ${yearOf(s.d, birth.v)} - CASE WHEN ${reached} THEN 0 ELSE 1 END AS ${DEC}) END`,
    m: orMasks([
      maskIfNull(birth.v, birth.m),
      maskIfNull(at.v, at.m),
      `CASE WHEN ${birth.v} > ${at.v} THEN ${birth.m} ELSE 0 END`,
    ]),
    kind: "num",
    unit: "a",
  };
}

/** A records element's rows are known when the person is observed; unbound records never are. */
function recordsKnown(s: Scope, records: string): { known: string; m: string } {
  const bound = s.bindings.sources.get(records)?.how === "records";
  return { known: bound ? `b.k_${records.toLowerCase()} = 1` : "1 = 0", m: s.space.bit(records) };
}

function quantifier(s: Scope, e: Extract<IrExpr, { kind: "quantifier" }>): Tri | Val {
  const { known: k, m } = recordsKnown(s, e.records);
  // Records never derived from OMOP: the quantifier is unknown, naming them.
  if (k === "1 = 0") return e.quantifier === "count" ? { v: "NULL", m, kind: "num" } : { t: "1", m };
  const name = `q${++s.counter.n}`;
  const saved = s.row;
  const savedReads = s.readsPerson;
  s.row = e.records;
  s.readsPerson = false;
  let where: Tri | null;
  let readsPerson: boolean;
  try {
    where = e.where ? tri(s, e.where) : null;
  } finally {
    readsPerson = !!s.readsPerson;
    s.row = saved;
    s.readsPerson = savedReads || (saved !== null && readsPerson);
  }
  s.quants.push({ name, records: e.records, quantifier: e.quantifier, where, readsPerson });
  // No row for the person: an empty list (any → false, all/none → true, count → 0).
  const empty = e.quantifier === "any" ? "0" : e.quantifier === "count" ? "0" : "2";
  if (e.quantifier === "count")
    return {
      v: `CASE WHEN NOT (${k}) THEN NULL WHEN ${name}.person_id IS NULL THEN ${dec("0")} ELSE ${name}.v END`,
      m: `CASE WHEN NOT (${k}) THEN ${m} WHEN ${name}.person_id IS NULL THEN 0 ELSE ${name}.m END`,
      kind: "num",
    };
  return {
    t: `CASE WHEN NOT (${k}) THEN 1 WHEN ${name}.person_id IS NULL THEN ${empty} ELSE ${name}.t END`,
    m: `CASE WHEN NOT (${k}) THEN ${m} WHEN ${name}.person_id IS NULL THEN 0 ELSE ${name}.m END`,
  };
}

/** `successive_rises(records, value, group, date)`: the longest run of strict rises of one group, in date order. */
function rises(s: Scope, e: Extract<IrExpr, { kind: "builtin" }>): Val {
  const rec = e.args[0];
  if (!rec || rec.kind !== "element") throw new SqlUnsupported(`"${e.text}": successive_rises needs records`);
  const f = (x: IrExpr | undefined) => (x && x.kind === "field" ? x.name : "");
  const [value, group, date] = [f(e.args[1]), f(e.args[2]), f(e.args[3])];
  const { known: k, m } = recordsKnown(s, rec.name);
  if (k === "1 = 0") return { v: "NULL", m, kind: "num" };
  const name = `s${++s.counter.n}`;
  s.rises.push({
    name,
    records: rec.name,
    value,
    group,
    date,
    missing: {
      value: s.space.bit(`${rec.name}.${value}`),
      group: s.space.bit(`${rec.name}.${group}`),
      date: s.space.bit(`${rec.name}.${date}`),
    },
    more: e.args.slice(4).map((x) => ({ field: f(x), missing: s.space.bit(`${rec.name}.${f(x)}`) })),
  });
  return {
    v: `CASE WHEN NOT (${k}) THEN NULL WHEN ${name}.person_id IS NULL THEN ${dec("0")} ELSE ${name}.v END`,
    m: `CASE WHEN NOT (${k}) THEN ${m} WHEN ${name}.person_id IS NULL THEN 0 ELSE ${name}.m END`,
    kind: "num",
  };
}
