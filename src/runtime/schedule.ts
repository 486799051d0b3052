/**
 * Planning a patient's treatment calendar from the first injection date, shared by
 * the reference interpreter and the generated `schedule.ts`.
 *
 * - Cycle 1 is given at the start (`first at D0`). Cycle k is due in the spacing window
 *   measured from cycle k-1's injection: its recorded date when there is one, its
 *   planned (target) date otherwise, so a late injection moves every later cycle.
 * - Each visit's window is computed from its anchor with calendar arithmetic (weeks are
 *   7 days, months are calendar months); `each cycle` visits hang off that cycle's
 *   injection, recorded or planned. A window is a closed range of calendar days; a
 *   bound that falls inside a day (an offset in hours) covers that whole day, since
 *   visits are recorded by date. The target is the window's middle day (the earlier
 *   of two).
 * - Statuses: `done` in the window, `early` / `late` outside it (a deviation, with how
 *   many days), `missed` (recorded as not done, or the window ended before the as-of
 *   date with nothing recorded), `upcoming`. Nothing after a stop is planned.
 * - Requirements are conditions checked before treatment, evaluated with the same
 *   operations as eligibility: once before cycle 1, and per cycle for `each cycle`
 *   ones, with the cycle anchor bound to that cycle's injection date.
 */
import { Temporal } from "temporal-polyfill";
import { dec } from "./decimal.js";
import { parseDate, REAL_DATE, shift, daysBetween, type TimePoint } from "./time.js";
import { newCtx } from "./ops.js";
import { catchDataErrors, ruleCriterion } from "./eligibility.js";
import { normalizePatient, type DictElement } from "./patient.js";
import { resolveAnchors } from "./anchors.js";
import type { Val } from "./values.js";
import { checkAgainstPlan, keyOf, readEvents, type Events } from "./schedule-events.js";
import { treatmentDay } from "./schedule-day.js";
import type * as S from "./schedule-types.js";

export type * from "./schedule-types.js";

type Day = Temporal.PlainDate;

/** A plan that cannot be made: a window that comes out empty, an anchor date not given. */
class PlanError extends Error {
  constructor(
    readonly input: S.ScheduleProblem["input"],
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
const iso = (d: Day) => d.toString();
const asTime = (d: Day): TimePoint => ({ kind: "date", date: d });

/** A time relative to an anchor, as a calendar day (a time of day counts as its whole day). */
function dayAt(base: Day, t: S.SpecTime): Day {
  let tp = asTime(base);
  for (const o of t.offsets) tp = shift(tp, { amount: dec(o.duration.amount), unit: o.duration.unit }, o.sign);
  return tp.kind === "date" ? tp.date : tp.dateTime.toPlainDate();
}

/** The middle day of a window (the earlier of the two middle days). */
function middle(low: Day, high: Day): Day {
  return low.add({ days: Math.floor(daysBetween(low, high) / 2) });
}

const spacingText = (s: { min: S.SpecDuration; max: S.SpecDuration }) =>
  `${s.min.amount} ${s.min.unit} to ${s.max.amount} ${s.max.unit}`;

/** The cycles' windows: cycle 1 at the start, each later one from the previous injection. */
function planCycles(spec: S.ScheduleSpec, start: Day, events: Events, asOf: Day | null): S.PlannedCycle[] {
  const t = spec.treatment;
  if (!t) return [];
  const last = Math.min(t.cycles, (events.stop?.cycle ?? Infinity) - 1);
  const out: S.PlannedCycle[] = [];
  for (let k = 1; k <= last; k++) {
    const ev = spec.injectionVisit ? events.byKey.get(keyOf(spec.injectionVisit, k)) : undefined;
    let low = start;
    let high = start;
    let after: S.PlannedCycle["after"] = null;
    if (k > 1) {
      if (!t.spacing)
        throw new PlanError(
          "protocol",
          `treatments.${t.name}`,
          `${t.name} has ${t.cycles} cycles but no spacing between them`,
        );
      const prev = out[k - 2]!;
      const base = parseDate(prev.date ?? prev.target)!;
      after = { cycle: k - 1, date: iso(base), recorded: prev.date !== null };
      low = dayAt(base, { anchor: "", offsets: [{ sign: 1, duration: t.spacing.min }], text: "" });
      high = dayAt(base, { anchor: "", offsets: [{ sign: 1, duration: t.spacing.max }], text: "" });
      // Possible when months meet days: 29 d after 31 Jan is 1 Mar, 1 mo after it 28 Feb.
      if (Temporal.PlainDate.compare(low, high) > 0)
        throw new PlanError(
          "protocol",
          `treatments.${t.name}`,
          `the spacing window of cycle ${k} is empty: ${spacingText(t.spacing)} after ${iso(base)} gives ${iso(low)} to ${iso(high)}`,
        );
    }
    const window = { low: iso(low), high: iso(high) };
    const s = statusOf(window, ev?.status === "done" ? ev : undefined, asOf);
    out.push({ cycle: k, after, target: iso(middle(low, high)), window, date: s.date, status: s.status });
  }
  return out;
}

/** Status of a planned occurrence, given what was recorded and the as-of date. */
function statusOf(
  window: S.DayWindow,
  ev: { date: Day | null; status: string } | undefined,
  asOf: Day | null,
): { status: S.VisitStatus; date: string | null; deviationDays: number | null } {
  if (ev?.status === "not_done") return { status: "missed", date: null, deviationDays: null };
  if (ev?.status === "not_applicable") return { status: "not_applicable", date: null, deviationDays: null };
  if (ev?.date) {
    const d = iso(ev.date);
    if (d < window.low)
      return { status: "early", date: d, deviationDays: daysBetween(ev.date, parseDate(window.low)!) };
    if (d > window.high)
      return { status: "late", date: d, deviationDays: daysBetween(parseDate(window.high)!, ev.date) };
    return { status: "done", date: d, deviationDays: null };
  }
  if (asOf && iso(asOf) > window.high) return { status: "missed", date: null, deviationDays: null };
  return { status: "upcoming", date: null, deviationDays: null };
}

/**
 * Every visit occurrence of the plan, in calendar order. A one-off visit counted from a
 * reference date that was not given (a pregnancy test before inclusion, when only D0 is
 * known) is left out of the plan with a warning that asks for the date, never placed by a guess.
 */
function planVisits(
  spec: S.ScheduleSpec,
  cycles: S.PlannedCycle[],
  anchors: Record<string, Day>,
  events: Events,
  asOf: Day | null,
  unplanned: S.ScheduleProblem[],
): S.PlannedVisit[] {
  const rows: (S.PlannedVisit & { order: number })[] = [];
  spec.visits.forEach((v, order) => {
    if (!v.eachCycle && v.name !== spec.injectionVisit) {
      const times = v.timing.kind === "at" ? [v.timing.at] : [v.timing.low, v.timing.high];
      const absent = times.map((t) => t.anchor).find((a) => a !== spec.cycleAnchor && !anchors[a]);
      if (absent) {
        unplanned.push({
          input: "options",
          path: `anchors.${absent}`,
          message: `visit ${v.name} (${v.label}) is not planned: it is counted from ${absent}; give that date (YYYY-MM-DD) to plan it`,
        });
        return;
      }
    }
    const occurrences = v.eachCycle ? cycles.map((c) => c.cycle) : [null];
    for (const cycle of occurrences) {
      const c = cycle === null ? undefined : cycles[cycle - 1]!;
      const ev = events.byKey.get(keyOf(v.name, cycle));
      const anchorDate = (name: string): { date: Day; recorded: boolean; label: string } => {
        if (name === spec.cycleAnchor) {
          const cc = c ?? cycles[0];
          if (!cc)
            throw new PlanError(
              "protocol",
              `visits.${v.name}`,
              `visit ${v.name} is planned from ${name}, but no cycle is planned`,
            );
          return { date: parseDate(cc.date ?? cc.target)!, recorded: cc.date !== null, label: `${name} ${cc.cycle}` };
        }
        const d = anchors[name];
        if (!d)
          throw new PlanError(
            "options",
            `anchors.${name}`,
            `visit ${v.name} is planned from ${name}: give its date (YYYY-MM-DD)`,
          );
        return { date: d, recorded: true, label: name };
      };
      let from: S.PlannedVisit["from"];
      let window: S.DayWindow;
      let target: string;
      if (v.name === spec.injectionVisit && c) {
        window = c.window;
        target = c.target;
        from = c.after
          ? {
              anchor: `${spec.cycleAnchor ?? "cycle"} ${c.after.cycle}`,
              date: c.after.date,
              recorded: c.after.recorded,
            }
          : { anchor: spec.treatment!.firstAt, date: c.window.low, recorded: true };
      } else {
        const lowT = v.timing.kind === "at" ? v.timing.at : v.timing.low;
        const highT = v.timing.kind === "at" ? v.timing.at : v.timing.high;
        const a = anchorDate(lowT.anchor);
        const low = dayAt(a.date, lowT);
        const high = dayAt(anchorDate(highT.anchor).date, highT);
        window = { low: iso(low), high: iso(high) };
        target = iso(middle(low, high));
        from = { anchor: a.label, date: iso(a.date), recorded: a.recorded };
      }
      if (window.low > window.high)
        throw new PlanError(
          "protocol",
          `visits.${v.name}`,
          `the window of ${v.name}${cycle ? ` (cycle ${cycle})` : ""} is empty: ${window.low} is after ${window.high}`,
        );
      const s = statusOf(window, ev, asOf);
      rows.push({
        visit: v.name,
        label: v.label,
        cycle,
        from,
        target,
        window,
        procedures: v.procedures,
        ...s,
        note:
          ev?.status === "not_done"
            ? (ev.reason ?? "recorded as not done")
            : ev?.status === "not_applicable"
              ? ev.reason
              : null,
        order,
      });
    }
  });
  const when = (r: S.PlannedVisit) => r.date ?? r.target;
  rows.sort((a, b) =>
    when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : a.order - b.order || (a.cycle ?? 0) - (b.cycle ?? 0),
  );
  return rows.map(({ order: _order, ...r }) => r);
}

/** One line per deviation: early, late (with days) and missed visits. */
function deviationsOf(rows: S.PlannedVisit[]): string[] {
  return rows.flatMap((r) => {
    const what = `${r.visit}${r.cycle === null ? "" : ` cycle ${r.cycle}`} (${r.label})`;
    const win = `window ${r.window.low} to ${r.window.high}`;
    const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
    if (r.status === "early") return [`${what}: early by ${days(r.deviationDays!)}, done ${r.date}, ${win}`];
    if (r.status === "late") return [`${what}: late by ${days(r.deviationDays!)}, done ${r.date}, ${win}`];
    if (r.status === "missed") return [`${what}: missed, ${r.note ?? "nothing recorded"}, ${win}`];
    return [];
  });
}

/** The requirements before treatment: one-off ones once before cycle 1, `each cycle` ones for every planned cycle. */
function checkRequirements(
  spec: S.ScheduleSpec,
  rules: S.RequirementRule[],
  patient: Record<string, Val>,
  anchors: Record<string, Day>,
  cycles: S.PlannedCycle[],
  events: Events,
  start: Day,
): S.RequirementCheck[] {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const dataOf = (k: number): Record<string, Val> => {
    const ev = spec.injectionVisit ? events.byKey.get(keyOf(spec.injectionVisit, k)) : undefined;
    // Before cycle 1 the patient's data is current; before a later cycle it is stale
    // (an SSA dose recorded at screening says nothing about the week before cycle 3),
    // so only that cycle's own recorded data count.
    // leading spread kept: the data are the user's, and Object.assign would run a "__proto__" key's setter.
    return k === 1 ? { ...patient, ...(ev?.data ?? {}) } : { ...(ev?.data ?? {}) };
  };
  const run = (req: S.ScheduleSpec["requirements"][number], cycle: number | null, date: Day): S.RequirementCheck => {
    const tps: Record<string, TimePoint> = Object.fromEntries(Object.entries(anchors).map(([k, d]) => [k, asTime(d)]));
    if (spec.cycleAnchor) tps[spec.cycleAnchor] = asTime(date);
    const ctx = newCtx(dataOf(cycle ?? 1), tps);
    const rule = byName.get(req.name);
    if (!rule) throw new Error(`no rule for requirement ${req.name}`);
    const r = ruleCriterion(ctx, req.name, "criterion", req.label, rule.rule);
    return {
      name: req.name,
      label: req.label,
      cycle,
      before: iso(date),
      verdict: r.verdict,
      steps: r.steps,
      missing: r.missing,
    };
  };
  const first = cycles[0] ? parseDate(cycles[0].date ?? cycles[0].target)! : start;
  const out = spec.requirements.filter((r) => !r.eachCycle).map((r) => run(r, null, first));
  for (const c of cycles)
    for (const r of spec.requirements) if (r.eachCycle) out.push(run(r, c.cycle, parseDate(c.date ?? c.target)!));
  return out;
}

/**
 * Plan a patient's schedule from the start date (the first injection, `first at`
 * anchor), with the events recorded so far. Returns every problem in the input
 * instead of a plan when there is one.
 */
export function planWithSpec(
  spec: S.ScheduleSpec,
  rules: S.RequirementRule[],
  dict: DictElement[],
  anchorNames: string[],
  start: unknown,
  rawEvents?: unknown,
  options: S.ScheduleOptions = {},
): S.ScheduleOutcome {
  const errors: S.ScheduleProblem[] = [];
  const startDay = typeof start === "string" ? parseDate(start) : null;
  if (!startDay)
    errors.push({
      input: "start",
      path: "start",
      message: `${JSON.stringify(start)} is not ${REAL_DATE}`,
    });
  const asOfOpt = options.asOf === undefined ? null : typeof options.asOf === "string" ? parseDate(options.asOf) : null;
  if (options.asOf !== undefined && !asOfOpt)
    errors.push({
      input: "options",
      path: "asOf",
      message: `${JSON.stringify(options.asOf)} is not ${REAL_DATE}`,
    });
  const firstAt = spec.startAnchor;
  if (firstAt && options.anchors?.[firstAt] !== undefined)
    errors.push({
      input: "options",
      path: `anchors.${firstAt}`,
      message: `${firstAt} is the start date: give it as the start`,
    });
  const warnings: S.ScheduleProblem[] = [];
  let patient: Record<string, Val> = {};
  let patientAnchors: Record<string, TimePoint> = {};
  if (options.patient !== undefined) {
    const norm = normalizePatient(dict, anchorNames, options.patient);
    if (!norm.ok) errors.push(...norm.errors.map((e) => ({ input: "patient" as const, ...e })));
    else
      ((patient = norm.data),
        (patientAnchors = norm.anchors),
        warnings.push(...norm.warnings.map((e) => ({ input: "patient" as const, ...e }))));
  }
  if (errors.length || !startDay) return { ok: false, errors };
  const fixedNames = [...new Set([...(firstAt ? [firstAt] : []), ...spec.anchors])];
  // leading spread kept: the anchors' names are the user's, and Object.assign would run a "__proto__" key's setter.
  const resolved = resolveAnchors(fixedNames, patientAnchors, {
    ...(options.anchors ?? {}),
    ...(firstAt ? { [firstAt]: iso(startDay) } : {}),
  });
  if (!resolved.ok)
    return {
      ok: false,
      errors: resolved.errors.map((e) =>
        e.path.startsWith("options.")
          ? { input: "options" as const, path: `anchors.${e.path.slice(8)}`, message: e.message }
          : { input: "patient" as const, ...e },
      ),
    };
  const anchors: Record<string, Day> = {};
  for (const [k, tp] of Object.entries(resolved.anchors))
    anchors[k] = tp.kind === "date" ? tp.date : tp.dateTime.toPlainDate();
  const read = readEvents(spec, rawEvents, { start: startDay, asOf: asOfOpt, dict });
  if (!read.ok) return read;
  const events = read.events;
  const asOf = asOfOpt ?? events.lastDate;
  try {
    const cycles = planCycles(spec, startDay, events, asOf);
    const unplanned: S.ScheduleProblem[] = [];
    const visits = planVisits(spec, cycles, anchors, events, asOf, unplanned);
    for (const v of visits)
      for (const d of [v.window.low, v.window.high])
        if (!/^\d{4}-/.test(d) || d < "0001")
          throw new PlanError("start", "start", `the plan runs outside the years 1 to 9999 (${d})`);
    const bad = checkAgainstPlan(spec, events, visits, startDay);
    if (bad.length) return { ok: false, errors: bad };
    const outcome = catchDataErrors(() => {
      const requirements = checkRequirements(spec, rules, patient, anchors, cycles, events, startDay);
      const upcoming = visits
        .filter((v) => v.status === "upcoming")
        .sort((a, b) =>
          a.window.low < b.window.low
            ? -1
            : a.window.low > b.window.low
              ? 1
              : a.window.high < b.window.high
                ? -1
                : a.window.high > b.window.high
                  ? 1
                  : 0,
        );
      const n = upcoming[0];
      const t = spec.treatment;
      const result: S.ScheduleResult = {
        protocol: spec.protocol,
        start: iso(startDay),
        asOf: asOf ? { date: iso(asOf), from: asOfOpt ? "option" : "last event" } : null,
        treatment: t
          ? {
              name: t.name,
              label: t.label,
              dose: t.dose,
              route: t.route,
              cycles: t.cycles,
              firstAt: t.firstAt,
              spacing: t.spacing ? spacingText(t.spacing) : null,
              visit: spec.injectionVisit!,
            }
          : null,
        stop: events.stop
          ? {
              beforeCycle: events.stop.cycle!,
              date: events.stop.date ? iso(events.stop.date) : null,
              reason: events.stop.reason,
            }
          : null,
        cycles,
        visits,
        next: n
          ? {
              visit: n.visit,
              label: n.label,
              cycle: n.cycle,
              target: n.target,
              window: n.window,
              dueNow: asOf !== null && n.window.low <= iso(asOf) && iso(asOf) <= n.window.high,
            }
          : null,
        deviations: deviationsOf(visits),
        day: spec.day ? treatmentDay(spec.day) : null,
        requirements,
        notes: spec.notes,
        warnings: [...unplanned, ...warnings, ...read.warnings],
      };
      return { ok: true as const, result };
    });
    return outcome.ok
      ? outcome
      : { ok: false, errors: outcome.errors.map((e) => ({ input: "patient" as const, ...e })) };
  } catch (e) {
    if (e instanceof PlanError) return { ok: false, errors: [{ input: e.input, path: e.path, message: e.message }] };
    // Calendar arithmetic refuses what has no calendar meaning (1.5 wk, 1.5 mo) or runs off the calendar.
    if (e instanceof RangeError)
      return { ok: false, errors: [{ input: "protocol", path: "schedule", message: e.message }] };
    throw e;
  }
}
