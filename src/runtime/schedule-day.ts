/**
 * The treatment-day sequence: when each step starts and ends, in exact minutes from
 * the day's time 0, and whether the timed steps fit in the total the protocol states.
 *
 * The seed's day is the example: amino acids at 0 min, 177Lu at 30 min for 15 to 30
 * min, amino acids continued after it for 3 to 5 h. The parts add up to 3 h 45 min to
 * 6 h while the protocol says 4 to 6 h; the plan keeps the stated total and says so,
 * rather than silently adopting either number.
 */
import { Decimal } from "./decimal.js";
import type { SpecDuration, SpecStep, ScheduleSpec, TreatmentDay } from "./schedule-types.js";

type Range = { min: Decimal; max: Decimal };

const FIXED_MINUTES: Readonly<Record<string, number>> = { min: 1, h: 60, d: 1440, wk: 10080 };

/** Exact minutes of a fixed-length duration; null for months and years (no fixed length). */
export function minutesOf(d: SpecDuration): Decimal | null {
  const f = FIXED_MINUTES[d.unit];
  return f === undefined ? null : new Decimal(d.amount).times(f);
}

/** Minutes as people read them: "0 min", "45 min", "3 h 45 min", "6 h". */
export function formatMinutes(text: string): string {
  const m = new Decimal(text);
  if (m.isZero()) return "0 min";
  const sign = m.isNegative() ? "-" : "";
  const abs = m.abs();
  const h = abs.dividedToIntegerBy(60);
  const rest = abs.minus(h.times(60));
  const parts = [h.isZero() ? "" : `${h.toString()} h`, rest.isZero() ? "" : `${rest.toString()} min`].filter(Boolean);
  return sign + parts.join(" ");
}

/** "15 min to 30 min", or one value when both ends agree. */
export function formatRange(r: { min: string; max: string }): string {
  return r.min === r.max ? formatMinutes(r.min) : `${formatMinutes(r.min)} to ${formatMinutes(r.max)}`;
}

const shown = (r: Range | null) => (r ? { min: r.min.toString(), max: r.max.toString() } : null);

function rangeOf(r: { min: SpecDuration; max: SpecDuration } | null): Range | null {
  if (!r) return null;
  const min = minutesOf(r.min);
  const max = minutesOf(r.max);
  return min && max ? { min, max } : null;
}

/**
 * Start ranges of every step. `at` is fixed; `after X` starts when X ends (which needs
 * X's start and duration); `before X` has no time, only an order. A chain of steps
 * that refers back to itself gets no time instead of looping.
 */
function starts(steps: SpecStep[]): Map<string, Range | null> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const out = new Map<string, Range | null>();
  const visiting = new Set<string>();
  const startOf = (name: string): Range | null => {
    if (out.has(name)) return out.get(name)!;
    const s = byName.get(name);
    if (!s || visiting.has(name)) return null;
    visiting.add(name);
    let r: Range | null = null;
    if (s.timing.kind === "at") {
      const m = minutesOf(s.timing.offset);
      r = m ? { min: m, max: m } : null;
    } else if (s.timing.kind === "after") {
      const prev = byName.get(s.timing.step);
      const ps = startOf(s.timing.step);
      const pl = prev ? rangeOf(prev.lasting) : null;
      r = ps && pl ? { min: ps.min.plus(pl.min), max: ps.max.plus(pl.max) } : null;
    }
    visiting.delete(name);
    out.set(name, r);
    return r;
  };
  for (const s of steps) startOf(s.name);
  return out;
}

/** The treatment day of a schedule, with every step's start and end and the totals. */
export function treatmentDay(day: NonNullable<ScheduleSpec["day"]>): TreatmentDay {
  const st = starts(day.steps);
  const rows = day.steps.map((s) => {
    const start = st.get(s.name) ?? null;
    const lasting = rangeOf(s.lasting);
    const end = start && lasting ? { min: start.min.plus(lasting.min), max: start.max.plus(lasting.max) } : null;
    const order =
      s.timing.kind === "before"
        ? `before ${s.timing.step}`
        : start
          ? null
          : s.timing.kind === "after"
            ? `after ${s.timing.step}`
            : null;
    return { name: s.name, label: s.label, start, order, lasting, end };
  });
  const timed = rows.filter((r) => r.start);
  let computed: Range | null = null;
  if (timed.length) {
    const first = Decimal.min(...timed.map((r) => r.start!.min));
    const ends = timed.map((r) => r.end ?? r.start!);
    computed = {
      min: Decimal.max(...ends.map((e) => e.min)).minus(first),
      max: Decimal.max(...ends.map((e) => e.max)).minus(first),
    };
  }
  const stated = rangeOf(day.total);
  let note: string | null = null;
  if (stated && computed && (computed.min.lessThan(stated.min) || computed.max.greaterThan(stated.max)))
    note = `the timed steps add up to ${formatRange(shown(computed)!)}, outside the stated total of ${formatRange(shown(stated)!)}; the stated total is kept`;
  return {
    label: day.label,
    steps: rows.map((r) => ({
      name: r.name,
      label: r.label,
      start: shown(r.start),
      order: r.order,
      lasting: shown(r.lasting),
      end: shown(r.end),
    })),
    stated: shown(stated),
    computed: shown(computed),
    note,
  };
}
