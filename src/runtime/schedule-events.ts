/**
 * Reading recorded events (a JSON array) for a plan: every problem is reported with
 * its JSON path (`$[3].date`), and a plan is never made on events that contradict
 * each other or the protocol: unknown visits, cycles the protocol does not
 * plan, injections out of order, visits of a cycle recorded before its injection,
 * dates before D0 for visits planned after it, dates after the as-of date, events
 * after a stop, and the same visit recorded twice.
 */
import type { Temporal } from "temporal-polyfill";
import { parseDate, REAL_DATE } from "./time.js";
import { jsonPath, normalizePatient, unknownField, type DictElement } from "./patient.js";
import type { Val } from "./values.js";
import type { EventInput, PlannedVisit, ScheduleProblem, ScheduleSpec } from "./schedule-types.js";

/** One event after validation. `index` is its position in the input, for error paths. */
export interface RecordedEvent {
  index: number;
  visit: string;
  cycle: number | null;
  date: Temporal.PlainDate | null;
  status: "done" | "not_done" | "not_applicable" | "stopped";
  reason: string | null;
  /** Normalised patient data recorded with an injection. */
  data: Record<string, Val> | null;
}

/** Validated events, keyed by visit and cycle. */
export interface Events {
  byKey: Map<string, RecordedEvent>;
  /** The stop, if treatment was stopped (`stopped` on the injection visit). */
  stop: RecordedEvent | null;
  /** The latest date of any event (the default as-of date). */
  lastDate: Temporal.PlainDate | null;
}

/** The key of a visit occurrence: `dosimetry#2`, `screening#`. */
export const keyOf = (visit: string, cycle: number | null): string => `${visit}#${cycle ?? ""}`;

const FIELDS = ["visit", "cycle", "date", "status", "reason", "data"];
const STATUSES = ["done", "not_done", "not_applicable", "stopped"];

/** Phase 1: the events one by one, then the injections and the stop against each other. */
export function readEvents(
  spec: ScheduleSpec,
  raw: unknown,
  ctx: { start: Temporal.PlainDate; asOf: Temporal.PlainDate | null; dict: DictElement[] },
): { ok: true; events: Events; warnings: ScheduleProblem[] } | { ok: false; errors: ScheduleProblem[] } {
  const errors: ScheduleProblem[] = [];
  const warnings: ScheduleProblem[] = [];
  const err = (path: string, message: string) => errors.push({ input: "events", path, message });
  const events: Events = { byKey: new Map(), stop: null, lastDate: null };
  if (raw === undefined || raw === null) return { ok: true, events, warnings };
  if (!Array.isArray(raw))
    return { ok: false, errors: [{ input: "events", path: "$", message: "events must be a JSON array of objects" }] };
  const visits = new Map(spec.visits.map((v) => [v.name, v]));
  const cycles = spec.treatment?.cycles ?? 0;
  raw.forEach((item: unknown, i) => {
    const at = `$[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return err(at, "an event is an object with a visit and a date");
    const e = item as Record<string, unknown> & EventInput;
    // A field that is not read is a warning, as in every data file; a misspelt one
    // ("dat") still fails below, as the field it was meant to be is then missing.
    for (const k of Object.keys(e).sort())
      if (!FIELDS.includes(k))
        warnings.push({
          input: "events",
          ...unknownField(`${at}${jsonPath([k]).slice(1)}`, k, `an event (${FIELDS.join(", ")})`),
        });
    // Errors in the visit, status, cycle or date keep the event out of the cross-checks
    // (which would only repeat them); errors in its reason or data do not.
    const before = errors.length;
    const visit = typeof e.visit === "string" ? visits.get(e.visit) : undefined;
    if (typeof e.visit !== "string") err(`${at}.visit`, "the visit's name is required (a string)");
    else if (!visit)
      err(`${at}.visit`, `unknown visit "${e.visit}"; the protocol's visits are ${[...visits.keys()].join(", ")}`);
    const status = e.status ?? "done";
    if (!STATUSES.includes(status))
      err(
        `${at}.status`,
        `status must be "done", "not_done", "not_applicable" or "stopped", not ${JSON.stringify(e.status)}`,
      );
    const injection = visit !== undefined && visit.name === spec.injectionVisit;
    if (visit && status === "stopped" && !injection)
      err(`${at}.status`, `only the injection visit "${spec.injectionVisit}" can be "stopped"`);
    if (visit && (status === "not_done" || status === "not_applicable") && injection)
      err(`${at}.status`, `an injection that will not be given stops the treatment: write "stopped"`);
    if (status === "not_applicable" && (typeof e.reason !== "string" || !e.reason.trim()))
      err(`${at}.reason`, `say why the visit does not apply to this patient (e.g. "male patient")`);
    if (status === "not_applicable" && e.date !== undefined)
      err(`${at}.date`, "a visit that does not apply has no date");
    let cycle: number | null = null;
    if (visit?.eachCycle) {
      if (e.cycle === undefined) err(`${at}.cycle`, `"${visit.name}" is planned each cycle: give its cycle number`);
      else if (typeof e.cycle !== "number" || !Number.isInteger(e.cycle) || e.cycle < 1)
        err(`${at}.cycle`, `a cycle number is a whole number from 1, not ${JSON.stringify(e.cycle)}`);
      else if (e.cycle > cycles)
        err(
          `${at}.cycle`,
          `cycle ${e.cycle} is beyond the plan: the protocol plans ${cycles} cycle${cycles === 1 ? "" : "s"}`,
        );
      else cycle = e.cycle;
    } else if (visit && e.cycle !== undefined)
      err(`${at}.cycle`, `"${visit.name}" is a one-off visit: it has no cycle number`);
    let date: Temporal.PlainDate | null = null;
    if (e.date === undefined) {
      if (status === "done") err(`${at}.date`, "the date the visit took place is required (YYYY-MM-DD)");
    } else if (typeof e.date !== "string" || !(date = parseDate(e.date)))
      err(`${at}.date`, `${JSON.stringify(e.date)} is not ${REAL_DATE}`);
    else if (ctx.asOf && date.since(ctx.asOf).sign > 0)
      err(`${at}.date`, `${e.date} is after the as-of date ${ctx.asOf.toString()}`);
    const coreOk = errors.length === before;
    if (e.reason !== undefined && typeof e.reason !== "string") err(`${at}.reason`, "a reason is a string");
    let data: Record<string, Val> | null = null;
    if (e.data !== undefined) {
      if (!injection)
        err(`${at}.data`, `patient data is recorded with the injection visit "${spec.injectionVisit ?? "(none)"}"`);
      else {
        const norm = normalizePatient(ctx.dict, [], e.data);
        const relocate = (p: { path: string; message: string }) => ({
          input: "events" as const,
          path: p.path.replace(/^\$/, `${at}.data`),
          message: p.message,
        });
        if (!norm.ok) errors.push(...norm.errors.map(relocate));
        else ((data = norm.data), warnings.push(...norm.warnings.map(relocate)));
      }
    }
    if (!coreOk || !visit) return;
    const key = keyOf(visit.name, cycle);
    const prior = events.byKey.get(key);
    if (prior)
      return err(
        at,
        `${visit.name}${cycle ? ` of cycle ${cycle}` : ""} is recorded twice (first at $[${prior.index}])`,
      );
    const rec: RecordedEvent = {
      index: i,
      visit: visit.name,
      cycle,
      date,
      status: status as RecordedEvent["status"],
      reason: typeof e.reason === "string" ? e.reason : null,
      data,
    };
    if (rec.status === "stopped") {
      if (events.stop)
        return err(`${at}.status`, `treatment is already recorded as stopped at $[${events.stop.index}]`);
      events.stop = rec;
    }
    events.byKey.set(key, rec);
    if (date && (!events.lastDate || date.since(events.lastDate).sign > 0)) events.lastDate = date;
  });
  // The injections are checked against each other even when other events are wrong,
  // so one run reports every problem; each check only reads events that passed.
  checkInjections(spec, events, ctx.start, err);
  // In the order of the events, so a long file reads top to bottom.
  const indexOf = (p: ScheduleProblem) => Number(/^\$\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  errors.sort((a, b) => indexOf(a) - indexOf(b));
  return errors.length ? { ok: false, errors } : { ok: true, events, warnings };
}

/** Injections in cycle order and in time; the first on the start date; nothing given after a stop. */
function checkInjections(
  spec: ScheduleSpec,
  events: Events,
  start: Temporal.PlainDate,
  err: (path: string, message: string) => void,
): void {
  const inj = spec.injectionVisit;
  if (!inj || !spec.treatment) return;
  const given = (k: number) => {
    const e = events.byKey.get(keyOf(inj, k));
    return e && e.status === "done" ? e : undefined;
  };
  const stopAt = events.stop?.cycle ?? Infinity;
  for (let k = 1; k <= spec.treatment.cycles; k++) {
    const e = given(k);
    if (!e) continue;
    const at = `$[${e.index}]`;
    if (k >= stopAt)
      err(
        `${at}.cycle`,
        `cycle ${k} is recorded as given, but treatment was stopped before cycle ${stopAt} ($[${events.stop!.index}])`,
      );
    else if (k === 1 && !e.date!.equals(start))
      err(
        `${at}.date`,
        `cycle 1 is given at ${spec.treatment.firstAt}, the start date ${start.toString()}, but is recorded on ${e.date!.toString()}: plan from --start ${e.date!.toString()}`,
      );
    else if (k > 1) {
      const prev = given(k - 1);
      if (!prev) err(`${at}.cycle`, `cycle ${k} is recorded but cycle ${k - 1}'s injection is not`);
      else if (e.date!.since(prev.date!).sign <= 0)
        err(
          `${at}.date`,
          `out of order: cycle ${k} is dated ${e.date!.toString()}, not after cycle ${k - 1} (${prev.date!.toString()})`,
        );
    }
  }
  const stop = events.stop;
  if (stop && stop.cycle! > 1) {
    const prev = given(stop.cycle! - 1);
    if (!prev)
      err(
        `$[${stop.index}].cycle`,
        `treatment is stopped before cycle ${stop.cycle}, but cycle ${stop.cycle! - 1}'s injection is not recorded`,
      );
    else if (stop.date && stop.date.since(prev.date!).sign < 0)
      err(
        `$[${stop.index}].date`,
        `out of order: the stop is dated ${stop.date.toString()}, before cycle ${stop.cycle! - 1}'s injection (${prev.date!.toString()})`,
      );
  }
  if (stop)
    for (const e of events.byKey.values())
      if (e !== stop && e.cycle !== null && e.cycle >= stop.cycle! && e.visit !== inj)
        err(
          `$[${e.index}].cycle`,
          `${e.visit} of cycle ${e.cycle} is recorded, but treatment was stopped before cycle ${stop.cycle} ($[${stop.index}])`,
        );
}

/**
 * Phase 2, against the plan: a visit planned on or after D0 cannot be dated before it,
 * and a visit planned after its cycle's injection needs that injection, recorded
 * earlier.
 */
export function checkAgainstPlan(
  spec: ScheduleSpec,
  events: Events,
  rows: PlannedVisit[],
  start: Temporal.PlainDate,
): ScheduleProblem[] {
  const errors: ScheduleProblem[] = [];
  const s = start.toString();
  for (const row of rows) {
    const e = events.byKey.get(keyOf(row.visit, row.cycle));
    if (!e?.date) continue;
    const d = e.date.toString();
    const at = `$[${e.index}].date`;
    if (d < s && row.window.low >= s)
      errors.push({
        input: "events",
        path: at,
        message: `${d} is before D0 (the start, ${s}), but ${row.visit} is planned on or after it`,
      });
    else if (row.cycle !== null && row.visit !== spec.injectionVisit && row.window.low >= row.from.date) {
      if (!row.from.recorded)
        errors.push({
          input: "events",
          path: `$[${e.index}].cycle`,
          message: `out of order: ${row.visit} of cycle ${row.cycle} is recorded, but the cycle ${row.cycle} injection is not`,
        });
      else if (d < row.from.date)
        errors.push({
          input: "events",
          path: at,
          message: `out of order: ${row.visit} of cycle ${row.cycle} is dated ${d}, before the cycle ${row.cycle} injection (${row.from.date})`,
        });
    }
  }
  return errors;
}
