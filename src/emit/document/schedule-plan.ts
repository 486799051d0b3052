/**
 * The planned visits of a schedule, expanded per cycle and placed in days from the
 * first treatment: the common ground of the schedule-of-activities table and the
 * timeline drawing.
 *
 * Cycle k is given at first + (k − 1) × spacing, so its earliest date uses the
 * minimum spacing for every gap and its latest the maximum. Weeks, days, hours and
 * minutes are exact; months and years are calendar units and are placed
 * approximately (marked `approx`): this placement is for printing only, it never
 * decides anything.
 */
import type { IrSchedule, IrTreatment, IrVisit } from "../../ir/types.js";
import { approxDays, approxOffsetDays } from "./format.js";

/** One planned occurrence of a visit. */
export interface VisitOccurrence {
  visit: IrVisit;
  /** The cycle number for `each cycle` visits; null for one-off visits. */
  cycle: number | null;
  /** Earliest and latest day from the first treatment; null when the visit hangs off another anchor. */
  low: number | null;
  high: number | null;
  approx: boolean;
  /** Before, during or after the cycles: decides the column group. */
  phase: "before" | "cycles" | "after";
}

/** The plan of a schedule: the cycle count used and every visit occurrence, in column order. */
export interface SchedulePlan {
  treatment: IrTreatment | null;
  /** Cycles expanded; null when the protocol gives no count (cycle visits then appear once). */
  cycles: number | null;
  firstAt: string | null;
  occurrences: VisitOccurrence[];
}

const EXACT_UNITS = new Set(["min", "h", "d", "wk"]);

/**
 * Expand the visits of a schedule. `maxCycles` (from toxicity) is used when no treatment
 * gives a count; `anchorOrder` (the protocol's anchors, in order) orders one-off visits
 * that hang off different anchors (before inclusion, then before D0).
 */
export function planSchedule(
  s: IrSchedule,
  maxCycles: number | null,
  anchorOrder: readonly string[] = [],
): SchedulePlan {
  const treatment = s.treatments.find((t) => t.cycles !== null) ?? s.treatments[0] ?? null;
  const cycles = treatment?.cycles ?? maxCycles;
  const firstAt = treatment?.firstAt ?? null;
  const spacing = treatment?.spacing ?? null;
  const spacingApprox = spacing ? !EXACT_UNITS.has(spacing.min.unit) || !EXACT_UNITS.has(spacing.max.unit) : false;

  const window = (v: IrVisit) => (v.timing.kind === "at" ? [v.timing.at, v.timing.at] : [v.timing.low, v.timing.high]);
  const offsets = (v: IrVisit) => window(v).map(approxOffsetDays) as [number, number];
  const approxVisit = (v: IrVisit) => window(v).some((t) => t.offsets.some((o) => !EXACT_UNITS.has(o.duration.unit)));

  const oneOff = s.visits.filter((v) => !v.eachCycle);
  const place = (v: IrVisit, phase: "before" | "after"): VisitOccurrence => {
    const [low, high] = offsets(v);
    const anchored = firstAt !== null && window(v)[0]!.anchor === firstAt;
    return {
      visit: v,
      cycle: null,
      low: anchored ? low : null,
      high: anchored ? high : null,
      approx: approxVisit(v),
      phase,
    };
  };
  const anchorRank = (v: IrVisit) => anchorOrder.indexOf(window(v)[0]!.anchor);
  const byStart = (a: IrVisit, b: IrVisit) => anchorRank(a) - anchorRank(b) || offsets(a)[0] - offsets(b)[0];
  const before = oneOff
    .filter((v) => offsets(v)[0] < 0)
    .sort(byStart)
    .map((v) => place(v, "before"));
  const after = oneOff
    .filter((v) => offsets(v)[0] >= 0)
    .sort(byStart)
    .map((v) => place(v, "after"));

  const perCycle = s.visits.filter((v) => v.eachCycle).sort(byStart);
  const during: VisitOccurrence[] = [];
  for (let k = 1; k <= (cycles ?? 1); k++) {
    const gapMin = spacing ? (k - 1) * approxDays(spacing.min) : null;
    const gapMax = spacing ? (k - 1) * approxDays(spacing.max) : null;
    for (const v of perCycle) {
      const [low, high] = offsets(v);
      const known = cycles !== null && firstAt !== null && (k === 1 || (gapMin !== null && gapMax !== null));
      during.push({
        visit: v,
        cycle: cycles === null ? null : k,
        low: known ? (gapMin ?? 0) + low : null,
        high: known ? (gapMax ?? 0) + high : null,
        approx: approxVisit(v) || (k > 1 && spacingApprox),
        phase: "cycles",
      });
    }
  }
  return { treatment, cycles, firstAt, occurrences: [...before, ...during, ...after] };
}

/** Days as printed: exact values as they are, approximate ones rounded to a whole day with "≈". */
export function dayText(days: number, approx: boolean): string {
  const n = approx ? Math.round(days) : Math.round(days * 100) / 100;
  const s = Number.isInteger(n) ? String(Math.abs(n)) : Math.abs(n).toFixed(2).replace(/0+$/, "");
  return `${approx ? "≈" : ""}${n < 0 ? "−" : ""}${s}`;
}

/** A visit's window in days from its own anchor (the cycle's injection for a cycle visit). */
export function ownDays(v: IrVisit): { low: number; high: number; approx: boolean; anchor: string } {
  const [a, b] = v.timing.kind === "at" ? [v.timing.at, v.timing.at] : [v.timing.low, v.timing.high];
  return {
    low: approxOffsetDays(a),
    high: approxOffsetDays(b),
    approx: [a, b].some((t) => t.offsets.some((o) => !EXACT_UNITS.has(o.duration.unit))),
    anchor: a.anchor,
  };
}

/** "Day 77 to 91", "Day 0", or "" when the occurrence cannot be placed. */
export function dayRangeText(o: VisitOccurrence): string {
  if (o.low === null || o.high === null) return "";
  const low = dayText(o.low, o.approx);
  return o.low === o.high ? `Day ${low}` : `Day ${low} to ${dayText(o.high, o.approx)}`;
}
