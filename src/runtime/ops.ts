/**
 * The operations rules are made of, shared by the reference interpreter and the
 * generated modules, so both decide and explain in exactly the same way.
 *
 * Every operation takes values that may be unknown and returns a value that may be
 * unknown; conditions record a step (what was compared, with values, units, unit
 * conversions and dates) into the context, which becomes the explanation.
 */
import type { Decimal } from "decimal.js";
import { dec } from "./decimal.js";
import { holds, type Op } from "./compare-op.js";
import { compareQuantities, convert } from "./units.js";
import {
  shift as shiftTime,
  compareTime,
  ageInYears,
  formatTimePoint,
  inClosedWindow,
  type TimePoint,
} from "./time.js";
import {
  bool,
  DataError,
  FALSE,
  limitItem,
  missingOf,
  TRUE,
  unknown,
  tri,
  type Row,
  type Tri,
  type Val,
} from "./values.js";

/** One line of an explanation. */
export interface Step {
  /** The rule text evaluated, as written in the protocol. */
  rule: string;
  /** The verdict of a condition, or "value" for a step that computed a value (an age, a count). */
  result: Tri | "value";
  /** The values, conversions, thresholds and dates used. */
  detail: string;
}

/** Everything an evaluation needs, and where it writes its explanation. */
export interface EvalCtx {
  data: Record<string, Val>;
  anchors: Record<string, TimePoint | undefined>;
  /** Rows being ranged over by quantifiers, innermost last. */
  rows: { record: string; row: Row; path: string }[];
  /** Arguments of the definitions being evaluated, innermost last. */
  args: Record<string, Val>[];
  steps: Step[];
  /** Above zero inside a quantifier's rows: steps are summarised by the quantifier. */
  quiet: number;
}

export function newCtx(data: Record<string, Val>, anchors: Record<string, TimePoint | undefined>): EvalCtx {
  return { data, anchors, rows: [], args: [], steps: [], quiet: 0 };
}

/** Record a step computing a value (an age, a run length), unless inside a quantifier. */
export function noteValue(ctx: EvalCtx, rule: string, detail: string): void {
  if (ctx.quiet === 0) ctx.steps.push({ rule, result: "value", detail });
}

/** Record a step (unless inside a quantifier) and return the value. */
export function note(ctx: EvalCtx, rule: string, v: Val, detail: string): Val {
  if (ctx.quiet === 0)
    ctx.steps.push({
      rule,
      result: tri(v),
      detail: v.t === "unknown" ? `${detail}; missing: ${v.missing.join(", ")}` : detail,
    });
  return v;
}

// --------------------------------------------------------------------------- reading

export function elem(ctx: EvalCtx, name: string): Val {
  return ctx.data[name] ?? unknown(name);
}

export function field(ctx: EvalCtx, name: string): Val {
  const top = ctx.rows[ctx.rows.length - 1];
  if (!top) return unknown(name);
  return top.row[name] ?? unknown(`${top.path}.${name}`);
}

export function anchor(ctx: EvalCtx, name: string): Val {
  const tp = ctx.anchors[name];
  return tp ? { t: "time", tp } : unknown(`anchor ${name}`);
}

export function arg(ctx: EvalCtx, name: string): Val {
  return ctx.args[ctx.args.length - 1]?.[name] ?? unknown(name);
}

// --------------------------------------------------------------------------- constants

export const num = (v: string): Val => ({ t: "num", v: dec(v) });
export const qty = (v: string, unit: string): Val => ({ t: "qty", v: dec(v), unit });
export const dur = (amount: string, unit: "min" | "h" | "d" | "wk" | "mo" | "a"): Val => ({
  t: "dur",
  d: { amount: dec(amount), unit },
});
export const code = (v: string): Val => ({ t: "code", v });
export const str = (v: string): Val => ({ t: "text", v });
export const boolean = (v: boolean): Val => bool(v);

// --------------------------------------------------------------------------- printing

/** A value as an explanation shows it. */
export function show(v: Val): string {
  switch (v.t) {
    case "unknown":
      return "unknown";
    case "bool":
      return v.v ? "yes" : "no";
    case "num":
      return v.v.toString();
    case "qty":
      return `${v.v.toString()} ${v.unit}${v.at ? ` on ${formatTimePoint(v.at)}` : ""}${v.normalised ? ` (${v.normalised})` : ""}`;
    case "code":
    case "text":
      return JSON.stringify(v.v);
    case "time":
      return formatTimePoint(v.tp);
    case "dur":
      return `${v.d.amount.toString()} ${v.d.unit}`;
    case "rows":
      return `${v.rows.length} record${v.rows.length === 1 ? "" : "s"}`;
  }
}

// --------------------------------------------------------------------------- comparisons

export { holds, type Op } from "./compare-op.js";

/** Compare two values; a quantity is converted exactly into the other side's unit first. */
export function compare(ctx: EvalCtx, op: Op, l: Val, r: Val, rule: string): Val {
  if (l.t === "unknown" || r.t === "unknown")
    return note(ctx, rule, unknown(...missingOf(l, r)), `${show(l)} ${op} ${show(r)}`);
  let c: number;
  let detail: string;
  if (l.t === "qty" && r.t === "qty") {
    const lv = l.unit === r.unit ? l.v : convert(l.v, l.unit, r.unit, l.molarMass ?? r.molarMass);
    const conv = l.unit === r.unit ? "" : ` (= ${lv.toString()} ${r.unit})`;
    c = lv.comparedTo(r.v);
    detail = `${show(l)}${conv} ${op} ${show(r)}`;
  } else if ((l.t === "num" || l.t === "qty") && (r.t === "num" || r.t === "qty")) {
    c = l.v.comparedTo(r.v);
    detail = `${show(l)} ${op} ${show(r)}`;
  } else if (l.t === "time" && r.t === "time") {
    c = compareTime(l.tp, r.tp);
    detail = `${show(l)} ${op} ${show(r)}`;
  } else if ((l.t === "code" || l.t === "text") && l.t === r.t) {
    c = l.v === r.v ? 0 : 1;
    detail = `${show(l)} ${op} ${show(r)}`;
  } else if (l.t === "bool" && r.t === "bool") {
    c = l.v === r.v ? 0 : 1;
    detail = `${show(l)} ${op} ${show(r)}`;
  } else {
    throw new TypeError(`cannot compare ${l.t} with ${r.t} in "${rule}"`);
  }
  return note(ctx, rule, bool(holds(op, c)), detail);
}

/** `value op factor x ULN`: compare a laboratory value with a multiple of its own reference limit. */
export function compareRef(
  ctx: EvalCtx,
  op: Op,
  l: Val,
  factor: string,
  limit: "ULN" | "LLN",
  name: string,
  rule: string,
): Val {
  const threshold = refMultiple(l, factor, limit, name);
  if (l.t !== "qty" || threshold.t !== "qty") return compare(ctx, op, l, threshold, rule);
  const ref = (limit === "ULN" ? l.uln : l.lln)!;
  // Exact comparison across the value's and the limit's units (cross-multiplied rationals).
  const c = compareQuantities(l.v, l.unit, threshold.v, threshold.unit, l.molarMass);
  const conv =
    l.unit === ref.unit ? "" : ` (= ${convert(threshold.v, threshold.unit, l.unit, l.molarMass).toString()} ${l.unit})`;
  return note(
    ctx,
    rule,
    bool(holds(op, c)),
    `${show(l)} ${op} ${factor} x ${limit} (${limit} ${ref.v.toString()} ${ref.unit}, so ${threshold.v.toString()} ${threshold.unit}${conv})`,
  );
}

/** A yes/no fact used as a condition: recorded with its value (and who attests it). */
export function fact(ctx: EvalCtx, v: Val, rule: string, attestedBy: "investigator" | "patient" | null): Val {
  const how = attestedBy ? `attested by the ${attestedBy}` : "recorded";
  return note(ctx, rule, v, v.t === "unknown" ? `not ${how}` : `${how} as ${show(v)}`);
}

/** `factor x ULN` of a laboratory value: the threshold, in the value's own unit. */
export function refMultiple(v: Val, factor: string, limit: "ULN" | "LLN", name: string): Val {
  if (v.t === "unknown") return unknown(...v.missing, limitItem(name, limit));
  if (v.t !== "qty") return unknown(limitItem(name, limit));
  const ref = limit === "ULN" ? v.uln : v.lln;
  if (!ref) return unknown(...(v.limitUnknown?.[limit === "ULN" ? "uln" : "lln"] ?? [limitItem(name, limit)]));
  return { t: "qty", v: dec(factor).times(ref.v), unit: ref.unit };
}

export function inSet(ctx: EvalCtx, v: Val, values: readonly string[], rule: string): Val {
  if (v.t === "unknown") return note(ctx, rule, v, `${show(v)} in (${values.join(", ")})`);
  if (v.t !== "code") throw new TypeError(`"in" needs a coded value in "${rule}"`);
  return note(ctx, rule, bool(values.includes(v.v)), `${show(v)} in (${values.join(", ")})`);
}

// --------------------------------------------------------------------------- time

export function shift(base: Val, sign: 1 | -1, d: Val): Val {
  if (base.t === "unknown" || d.t === "unknown") return unknown(...missingOf(base, d));
  if (base.t !== "time" || d.t !== "dur") throw new TypeError("a time point is shifted by a duration");
  return { t: "time", tp: shiftTime(base.tp, d.d, sign) };
}

function timeOf(v: Val): TimePoint {
  if (v.t !== "time") throw new TypeError("expected a time point");
  return v.tp;
}

/** `subject within amount before|after anchor`: the closed window between anchor and anchor ∓ amount. */
export function within(
  ctx: EvalCtx,
  direction: "before" | "after",
  subject: Val,
  amount: Val,
  at: Val,
  rule: string,
): Val {
  if (subject.t === "unknown" || amount.t === "unknown" || at.t === "unknown")
    return note(
      ctx,
      rule,
      unknown(...missingOf(subject, amount, at)),
      `window ${show(amount)} ${direction} ${show(at)}`,
    );
  const edge = shift(at, direction === "before" ? -1 : 1, amount);
  const [low, high] = direction === "before" ? [timeOf(edge), timeOf(at)] : [timeOf(at), timeOf(edge)];
  const ok = inClosedWindow(timeOf(subject), low, high);
  return note(ctx, rule, bool(ok), `${show(subject)} in [${formatTimePoint(low)}, ${formatTimePoint(high)}]`);
}

/** `subject at least amount before|after anchor`: subject <= anchor - amount (or >= anchor + amount). */
export function atLeast(
  ctx: EvalCtx,
  direction: "before" | "after",
  subject: Val,
  amount: Val,
  at: Val,
  rule: string,
): Val {
  if (subject.t === "unknown" || amount.t === "unknown" || at.t === "unknown")
    return note(
      ctx,
      rule,
      unknown(...missingOf(subject, amount, at)),
      `at least ${show(amount)} ${direction} ${show(at)}`,
    );
  const edge = timeOf(shift(at, direction === "before" ? -1 : 1, amount));
  const c = compareTime(timeOf(subject), edge);
  const ok = direction === "before" ? c <= 0 : c >= 0;
  return note(
    ctx,
    rule,
    bool(ok),
    `${show(subject)} ${direction === "before" ? "<=" : ">="} ${formatTimePoint(edge)} (${show(at)} ${direction === "before" ? "-" : "+"} ${show(amount)})`,
  );
}

/** `subject between low and high`, both ends included. */
export function between(ctx: EvalCtx, subject: Val, low: Val, high: Val, rule: string): Val {
  if (subject.t === "unknown" || low.t === "unknown" || high.t === "unknown")
    return note(ctx, rule, unknown(...missingOf(subject, low, high)), `between ${show(low)} and ${show(high)}`);
  const ok = inClosedWindow(timeOf(subject), timeOf(low), timeOf(high));
  return note(ctx, rule, bool(ok), `${show(subject)} in [${show(low)}, ${show(high)}]`);
}

/** `subject before|after anchor`, strictly. */
export function order(ctx: EvalCtx, direction: "before" | "after", subject: Val, at: Val, rule: string): Val {
  if (subject.t === "unknown" || at.t === "unknown")
    return note(ctx, rule, unknown(...missingOf(subject, at)), `${direction} ${show(at)}`);
  const c = compareTime(timeOf(subject), timeOf(at));
  return note(
    ctx,
    rule,
    bool(direction === "before" ? c < 0 : c > 0),
    `${show(subject)} ${direction === "before" ? "<" : ">"} ${show(at)}`,
  );
}

// --------------------------------------------------------------------------- records

/**
 * `any|all|none|count records where …`, in Kleene logic over the rows: `any` is true
 * when one row is true, false when every row is false, unknown otherwise.
 */
export function quantify(
  ctx: EvalCtx,
  q: "any" | "all" | "none" | "count",
  records: Val,
  record: string,
  where: ((ctx: EvalCtx) => Val) | null,
  rule: string,
): Val {
  if (records.t === "unknown") return note(ctx, rule, records, `${record}: not given`);
  if (records.t !== "rows") throw new TypeError(`${record} is not a list of records`);
  const verdicts: Val[] = records.rows.map((row, i) => {
    if (!where) return TRUE;
    ctx.rows.push({ record, row, path: `${records.path}[${i}]` });
    ctx.quiet++;
    try {
      return where(ctx);
    } finally {
      ctx.quiet--;
      ctx.rows.pop();
    }
  });
  const met = verdicts.filter((v) => v.t === "bool" && v.v).length;
  const undecided = verdicts.filter((v) => v.t === "unknown");
  const rows = verdicts
    .map((v, i) => `${records.path}[${i}] ${tri(v) === "true" ? "yes" : tri(v) === "false" ? "no" : "unknown"}`)
    .join(", ");
  const detail = `${records.rows.length} record${records.rows.length === 1 ? "" : "s"}${rows ? `: ${rows}` : ""}`;
  const missing = missingOf(...undecided);
  let v: Val;
  switch (q) {
    case "any":
      v = met > 0 ? TRUE : undecided.length ? unknown(...missing) : FALSE;
      break;
    case "none":
      v = met > 0 ? FALSE : undecided.length ? unknown(...missing) : TRUE;
      break;
    case "all":
      v = verdicts.some((x) => x.t === "bool" && !x.v) ? FALSE : undecided.length ? unknown(...missing) : TRUE;
      break;
    case "count":
      if (undecided.length) return note(ctx, rule, unknown(...missing), detail);
      noteValue(ctx, rule, `${detail}; count ${met}`);
      return { t: "num", v: dec(met) };
  }
  return note(ctx, rule, v, detail);
}

// --------------------------------------------------------------------------- built-ins

/** `age(birth, at)`: completed years, as a quantity in `a`. */
export function age(ctx: EvalCtx, birth: Val, at: Val, rule: string, birthPath: string): Val {
  if (birth.t === "unknown" || at.t === "unknown") return unknown(...missingOf(birth, at));
  const b = timeOf(birth);
  const a = timeOf(at);
  if (b.kind !== "date" || a.kind !== "date") throw new TypeError("age is counted between dates");
  if (compareTime(b, a) > 0)
    throw new DataError(birthPath, `"${rule}": the birth date ${formatTimePoint(b)} is after ${formatTimePoint(a)}`);
  const years = ageInYears(b.date, a.date);
  noteValue(ctx, rule, `born ${formatTimePoint(b)}, ${years} completed years on ${formatTimePoint(a)}`);
  return { t: "qty", v: dec(years), unit: "a" };
}

/**
 * `successive_rises(records, value, group, date)`: the longest run of strictly rising
 * values of one group (marker) in date order, counted in rises. Unknown when any row
 * lacks a value, group or date, since that row could lengthen a run.
 */
export function successiveRises(
  ctx: EvalCtx,
  records: Val,
  valueF: string,
  groupF: string,
  dateF: string,
  rule: string,
  moreGroups: string[] = [],
): Val {
  if (records.t === "unknown") return records;
  if (records.t !== "rows") throw new TypeError("successive_rises needs records");
  const missing: string[] = [];
  const groups = new Map<string, { v: Decimal; tp: TimePoint }[]>();
  records.rows.forEach((row, i) => {
    const v = row[valueF];
    const d = row[dateF];
    // A series is one group: every group field equal (a marker, its name, its unit), so two
    // different "other" markers, or one marker in two units, are never compared raw.
    const keyFields = [groupF, ...moreGroups];
    const keys = keyFields.map((f) => row[f]);
    for (const [name, x] of [[valueF, v], ...keyFields.map((f, k) => [f, keys[k]] as const), [dateF, d]] as const)
      if (!x || x.t === "unknown") missing.push(`${records.path}[${i}].${name}`);
    const texts = keys.map((g) => (g && (g.t === "code" || g.t === "text") ? g.v : null));
    if (v && (v.t === "num" || v.t === "qty") && texts.every((t) => t !== null) && d?.t === "time") {
      const key = texts.join(" / ") + (v.t === "qty" ? ` (${v.unit})` : "");
      const list = groups.get(key) ?? [];
      list.push({ v: v.v, tp: d.tp });
      groups.set(key, list);
    }
  });
  if (missing.length) return unknown(...missing);
  let best = 0;
  let where = "";
  for (const [g, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort((a, b) => compareTime(a.tp, b.tp));
    let run = 0;
    for (let i = 1; i < sorted.length; i++) {
      run =
        sorted[i]!.v.greaterThan(sorted[i - 1]!.v) && compareTime(sorted[i - 1]!.tp, sorted[i]!.tp) < 0 ? run + 1 : 0;
      if (run > best) {
        best = run;
        where = `${g}: ${sorted
          .slice(i - run, i + 1)
          .map((x) => `${x.v.toString()} (${formatTimePoint(x.tp)})`)
          .join(" < ")}`;
      }
    }
  }
  noteValue(ctx, rule, `longest run of successive rises: ${best}${where ? ` (${where})` : ""}`);
  return { t: "num", v: dec(best) };
}
