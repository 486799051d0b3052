/**
 * Window boundaries for the generated tests: for every time window a criterion puts
 * on a date element (`within 4 wk before inclusion`, `at least 48 h before D0`,
 * `between D0 - 4 wk and D0 - 1 d`, `before D0`), the dates exactly on each edge and
 * one step outside it, with the verdict the language's semantics give (windows are
 * closed, `before`/`after` are strict). The edges are worked out here with calendar
 * arithmetic from fixed reference dates; the compiled rules must agree.
 */
import type { IrCriterion, IrExpr, IrProtocol, IrRelativeTime } from "../../ir/types.js";
import { children } from "../../ir/walk.js";
import { dec } from "../../runtime/decimal.js";
import { formatTimePoint, parseDate, shift, type TimePoint } from "../../runtime/time.js";
import { relativeTime } from "../../ir/time.js";

/** The reference date every anchor takes in the generated tests. */
export const TEST_ANCHOR_DATE = "2027-01-04";

export interface WindowCase {
  criterion: string;
  rule: string;
  element: string;
  /** [value of the element, expected step verdict]. */
  cases: [string, boolean][];
}

/** The time point an anchor-relative expression denotes when every anchor is TEST_ANCHOR_DATE. */
function pointOf(e: IrExpr): TimePoint | null {
  const rel = relativeTime(e);
  return rel ? pointOfRelative(rel) : null;
}

/** The time point an anchor-relative time denotes when every anchor is TEST_ANCHOR_DATE. */
export function pointOfRelative(rel: IrRelativeTime): TimePoint {
  let tp: TimePoint = { kind: "date", date: parseDate(TEST_ANCHOR_DATE)! };
  for (const o of rel.offsets) tp = shift(tp, { amount: dec(o.duration.amount), unit: o.duration.unit }, o.sign);
  return tp;
}

/** One step later (`+1`) or earlier (`-1`): a day for a date, a minute for a date-time. */
function nudge(tp: TimePoint, sign: 1 | -1, datetime: boolean): TimePoint {
  const t: TimePoint = datetime && tp.kind === "date" ? shift(tp, { amount: dec(0), unit: "min" }, 1) : tp;
  return shift(t, { amount: dec(1), unit: datetime ? "min" : "d" }, sign);
}

/** The value of a date or date-time element at a time point. */
function asValue(tp: TimePoint, datetime: boolean): string {
  const text = formatTimePoint(tp);
  return datetime && !text.includes("T") ? `${text}T00:00` : text;
}

export function windowCases(ir: IrProtocol): WindowCase[] {
  const out: WindowCase[] = [];
  const types = new Map(ir.elements.map((e) => [e.name, e.type]));
  const visit = (id: string, e: IrExpr) => {
    if (e.kind === "quantifier") return;
    const subject = "subject" in e ? e.subject : null;
    if (subject?.kind === "element" && (types.get(subject.name) === "date" || types.get(subject.name) === "datetime")) {
      const dt = types.get(subject.name) === "datetime";
      const cases = casesFor(e, dt);
      if (cases)
        out.push({
          criterion: id,
          rule: e.text,
          element: subject.name,
          cases: cases.map(([tp, want]) => [asValue(tp, dt), want]),
        });
    }
    children(e).forEach((c) => visit(id, c));
  };
  const walk = (c: IrCriterion) => (c.body.kind === "rule" ? visit(c.id, c.body.expr) : c.body.children.forEach(walk));
  [...ir.eligibility.inclusion, ...ir.eligibility.exclusion].forEach(walk);
  return out;
}

/** Edge cases of one window node, or null when its bounds depend on patient data. */
function casesFor(e: IrExpr, dt: boolean): [TimePoint, boolean][] | null {
  switch (e.kind) {
    case "within": {
      const at = pointOf(e.anchor);
      if (!at || e.amount.kind !== "duration") return null;
      const d = e.amount.duration;
      const edge = shift(at, { amount: dec(d.amount), unit: d.unit }, e.direction === "before" ? -1 : 1);
      const [low, high] = e.direction === "before" ? [edge, at] : [at, edge];
      return [
        [low, true],
        [nudge(low, -1, dt), false],
        [high, true],
        [nudge(high, 1, dt), false],
      ];
    }
    case "atLeast": {
      const at = pointOf(e.anchor);
      if (!at || e.amount.kind !== "duration") return null;
      const d = e.amount.duration;
      const edge = shift(at, { amount: dec(d.amount), unit: d.unit }, e.direction === "before" ? -1 : 1);
      return e.direction === "before"
        ? [
            [edge, true],
            [nudge(edge, 1, dt), false],
          ]
        : [
            [edge, true],
            [nudge(edge, -1, dt), false],
          ];
    }
    case "between": {
      const low = pointOf(e.low);
      const high = pointOf(e.high);
      if (!low || !high) return null;
      return [
        [low, true],
        [nudge(low, -1, dt), false],
        [high, true],
        [nudge(high, 1, dt), false],
      ];
    }
    case "order": {
      const at = pointOf(e.anchor);
      if (!at) return null;
      return [
        [at, false],
        [nudge(at, e.direction === "before" ? -1 : 1, dt), true],
      ];
    }
    default:
      return null;
  }
}
