/**
 * Time: dates and anchors shifted by durations (`D0 - 4 wk`), and windows
 * (`within 12 mo before inclusion`, `at least 48 h before D0`, `between … and …`).
 * Checks that amounts are durations, subjects and anchors are time points, and that
 * a window's bounds are not reversed.
 */
import type * as A from "../ast/nodes.js";
import type { DurationUnit, IrDuration, IrExpr, IrRelativeTime } from "../ir/types.js";
import { dec } from "../runtime/decimal.js";
import { CheckContext, errorExpr, irSpan, type Scope } from "./context.js";
import { checkExpr, describeType } from "./expressions.js";
import { relativeTime } from "../ir/time.js";

/** Units a duration may be written in (after aliases such as `yr` → `a`). */
export const DURATION_UNITS: ReadonlySet<string> = new Set<DurationUnit>(["min", "h", "d", "wk", "mo", "a"]);

/** Approximate length in days, used only to order two bounds, never to decide a rule. */
const APPROX_DAYS: Record<DurationUnit, number> = { min: 1 / 1440, h: 1 / 24, d: 1, wk: 7, mo: 30.436875, a: 365.2425 };

const isTime = (ir: IrExpr) => ir.type === "date" || ir.type === "datetime";

/** Check that an expression is a duration (`4 wk`, or a parameter holding one). */
export function checkDuration(ctx: CheckContext, e: A.Expr, scope: Scope): IrExpr {
  const ir = checkExpr(ctx, e, scope);
  if (ctx.poisoned.has(ir) || ir.type === "duration") {
    if (ir.kind === "duration" && dec(ir.duration.amount).isNegative())
      ctx.report("TRC4004", "durationCannotNegativeUse", { name: ir.text }, e.span);
    return ir;
  }
  ctx.report("TRC4002", "expectedDurationSuchAs", { name: ir.text, type: describeType(ir) }, e.span);
  return errorExpr(ctx, e.span, "duration");
}

/** Check that an expression is a time point: a date, a date-time, an anchor, or one shifted. */
export function checkTimePoint(ctx: CheckContext, e: A.Expr, scope: Scope): IrExpr {
  const ir = checkExpr(ctx, e, scope);
  if (ctx.poisoned.has(ir) || isTime(ir)) return ir;
  ctx.report("TRC4003", "expectedDateDateTime", { name: ir.text, type: describeType(ir) }, e.span);
  return errorExpr(ctx, e.span, "date");
}

/** `D0 - 4 wk`: a time point shifted by a duration. */
export function checkShift(ctx: CheckContext, e: A.Arith, scope: Scope): IrExpr {
  const base = checkTimePoint(ctx, e.left, scope);
  const duration = checkDuration(ctx, e.right, scope);
  const fine = duration.kind === "duration" && (duration.duration.unit === "h" || duration.duration.unit === "min");
  return {
    kind: "shift",
    base,
    sign: e.op === "+" ? 1 : -1,
    duration,
    type: base.type === "datetime" || fine ? "datetime" : "date",
    text: ctx.textOf(e.span),
    span: irSpan(e.span),
  };
}

/** Windows and order tests on time points. */
export function checkWindow(
  ctx: CheckContext,
  e: A.Within | A.AtLeast | A.Between | A.BeforeAfter,
  scope: Scope,
): IrExpr {
  const text = ctx.textOf(e.span);
  const span = irSpan(e.span);
  switch (e.kind) {
    case "Within":
    case "AtLeast":
      return {
        text,
        span,
        type: "boolean",
        kind: e.kind === "Within" ? "within" : "atLeast",
        direction: e.direction,
        subject: checkTimePoint(ctx, e.subject, scope),
        amount: checkDuration(ctx, e.amount, scope),
        anchor: checkTimePoint(ctx, e.anchor, scope),
      };
    case "BeforeAfter":
      return {
        text,
        span,
        type: "boolean",
        kind: "order",
        direction: e.direction,
        subject: checkTimePoint(ctx, e.subject, scope),
        anchor: checkTimePoint(ctx, e.anchor, scope),
      };
    case "Between": {
      const low = checkTimePoint(ctx, e.low, scope);
      const high = checkTimePoint(ctx, e.high, scope);
      checkBoundsOrder(ctx, low, high, e.span);
      return {
        text,
        span,
        type: "boolean",
        kind: "between",
        subject: checkTimePoint(ctx, e.subject, scope),
        low,
        high,
      };
    }
  }
}

/** Approximate days of an anchor's offset, for ordering bounds only. */
function approxOffset(t: IrRelativeTime): number {
  return t.offsets.reduce(
    (sum, o) => sum + o.sign * dec(o.duration.amount).toNumber() * APPROX_DAYS[o.duration.unit],
    0,
  );
}

/** Report `between D0 - 1 d and D0 - 4 wk` (bounds reversed) when both bounds hang off the same anchor. */
export function checkBoundsOrder(ctx: CheckContext, low: IrExpr, high: IrExpr, span: A.Span): void {
  const l = relativeTime(low);
  const h = relativeTime(high);
  if (l && h) checkRelativeOrder(ctx, l, h, span);
}

/** Report a window whose low bound comes after its high bound (same anchor only). */
export function checkRelativeOrder(ctx: CheckContext, l: IrRelativeTime, h: IrRelativeTime, span: A.Span): void {
  if (l.anchor !== h.anchor) return;
  if (approxOffset(l) > approxOffset(h))
    ctx.report("TRC4001", "windowBoundsAreReversed", { low: l.text, high: h.text }, span, {
      hint: `write "between ${h.text} and ${l.text}"`,
    });
}

/** The fewest and most days a duration can span on the calendar (months 28–31 days, years 365–366). */
function dayBounds(d: IrDuration): [number, number] {
  const n = dec(d.amount).toNumber();
  if (d.unit === "mo") return [n * 28, n * 31];
  if (d.unit === "a") return [n * 365, n * 366];
  const days = n * APPROX_DAYS[d.unit];
  return [days, days];
}

/** Check a `MIN to MAX` duration range; both are durations and MIN <= MAX. */
export function checkDurationRange(
  ctx: CheckContext,
  r: A.DurationRange,
  scope: Scope,
): { min: IrDuration; max: IrDuration } | null {
  const min = checkDuration(ctx, r.min, scope);
  const max = checkDuration(ctx, r.max, scope);
  if (min.kind !== "duration" || max.kind !== "duration") return null;
  const a = dec(min.duration.amount).toNumber() * APPROX_DAYS[min.duration.unit];
  const b = dec(max.duration.amount).toNumber() * APPROX_DAYS[max.duration.unit];
  if (a > b) {
    ctx.report("TRC4001", "rangeReversedLongerThan", { min: min.text, max: max.text }, r.span);
    return null;
  }
  // Months and years vary in length: "29 d to 1 mo" has no room after a 28-day month.
  const [shortest, longest] = [dayBounds(min.duration)[1], dayBounds(max.duration)[0]];
  if (shortest > longest)
    ctx.report("TRC4005", "canEmptyMayAs", { min: min.text, max: max.text, longest, shortest }, r.span, {
      hint: "give both bounds in the same kind of unit (days and weeks, or months)",
    });
  return { min: min.duration, max: max.duration };
}
