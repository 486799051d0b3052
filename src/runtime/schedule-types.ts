/**
 * The types of the schedule: what a protocol's schedule is at run time (the spec,
 * plain data taken from the IR), what the caller records (events), and what a plan
 * returns. Shared by the reference interpreter and the generated `schedule.ts`, so the
 * two return identical, JSON-serialisable results.
 */
import type { EvalCtx, Step } from "./ops.js";
import type { Val } from "./values.js";
import type { DurationUnit } from "./time.js";

/** A duration as the IR writes it: an exact decimal string and a unit (never pre-converted). */
export interface SpecDuration {
  amount: string;
  unit: DurationUnit;
}

/** A time relative to an anchor: `cycle + 1 d` is anchor `cycle` with offsets [+1 d]. */
export interface SpecTime {
  anchor: string;
  offsets: { sign: 1 | -1; duration: SpecDuration }[];
  text: string;
}

/** One visit of the schedule; `eachCycle` visits are planned once per cycle, from that cycle's injection. */
export interface SpecVisit {
  name: string;
  label: string;
  eachCycle: boolean;
  timing: { kind: "at"; at: SpecTime } | { kind: "between"; low: SpecTime; high: SpecTime };
  procedures: string[];
}

/** One step of the treatment day, as the protocol times it. */
export interface SpecStep {
  name: string;
  label: string;
  timing: { kind: "at"; offset: SpecDuration } | { kind: "before" | "after"; step: string };
  lasting: { min: SpecDuration; max: SpecDuration } | null;
}

/** A protocol's schedule, as the planner needs it (built from the IR by `scheduleSpec`). */
export interface ScheduleSpec {
  protocol: { id: string; source: string; sha256: string };
  /** The cycled treatment; null when the schedule gives none (then only one-off visits are planned). */
  treatment: {
    name: string;
    label: string;
    /** The dose per cycle as written, e.g. "7.4 GBq (tolerance 10 %)". */
    dose: string | null;
    route: string | null;
    cycles: number;
    /** The anchor the first cycle is given at; the plan's `start` is its date. */
    firstAt: string;
    /** Injection to injection, both bounds included. */
    spacing: { min: SpecDuration; max: SpecDuration } | null;
  } | null;
  /** The anchor the plan's start date is bound to: the treatment's `first at`, else D0. */
  startAnchor: string | null;
  /** The repeating anchor bound to each cycle's injection date (`cycle`). */
  cycleAnchor: string | null;
  /** The visit that is the injection itself (`each cycle at cycle`); its window is the spacing window. */
  injectionVisit: string | null;
  visits: SpecVisit[];
  day: { label: string; steps: SpecStep[]; total: { min: SpecDuration; max: SpecDuration } | null } | null;
  requirements: { name: string; label: string; eachCycle: boolean; reads: string[] }[];
  /** Non-repeating anchors other than the start anchor that visits or requirements may need. */
  anchors: string[];
  /** What the planner had to leave out of the protocol, said once (e.g. a second treatment). */
  notes: string[];
}

/** A requirement's condition, compiled (generated code) or interpreted (reference interpreter). */
export interface RequirementRule {
  name: string;
  rule: (ctx: EvalCtx) => Val;
}

/**
 * One recorded event. `status` is `done` (the default: the visit took place on `date`),
 * `not_done` (it will not take place: it counts as missed), `not_applicable` (the
 * visit's procedures do not apply to this patient, with the reason: a pregnancy test for
 * a man; never a deviation) or, for the injection visit
 * only, `stopped` (treatment stopped: this cycle and every later one are not given).
 * `data` on an injection holds the patient data recorded for that cycle (the
 * requirements of that cycle read it).
 */
export interface EventInput {
  visit: string;
  cycle?: number;
  date?: string;
  status?: "done" | "not_done" | "not_applicable" | "stopped";
  reason?: string;
  data?: Record<string, unknown>;
}

/** Options of a plan: the as-of date ("today"), patient data for the requirements, other anchors. */
export interface ScheduleOptions {
  /** YYYY-MM-DD; default: the date of the last recorded event (none: nothing is counted missed). */
  asOf?: string;
  /** Patient data (the eligibility JSON form): what the requirements before the first cycle read. */
  patient?: unknown;
  /** Dates of anchors other than the start (e.g. `inclusion`), YYYY-MM-DD. */
  anchors?: Record<string, string>;
}

/** A problem in the input, with where it is: the start date, the events, the patient data, the options. */
export interface ScheduleProblem {
  input: "start" | "events" | "patient" | "options" | "protocol";
  /** JSON path inside that input (`$[2].date`), or the option's name. */
  path: string;
  message: string;
}

/** `done` in window; `early` / `late` outside it (a protocol deviation); `missed`; `upcoming`. */
export type VisitStatus = "done" | "early" | "late" | "missed" | "not_applicable" | "upcoming";

/** A closed window of calendar days, ISO dates. */
export interface DayWindow {
  low: string;
  high: string;
}

/** One planned visit (or injection) with its window and status. */
export interface PlannedVisit {
  visit: string;
  label: string;
  /** The cycle, for `each cycle` visits; null for one-off visits. */
  cycle: number | null;
  /** What the window is measured from, and whether that date is recorded or only planned. */
  from: { anchor: string; date: string; recorded: boolean };
  target: string;
  window: DayWindow;
  procedures: string[];
  status: VisitStatus;
  /** The recorded date (done, early or late). */
  date: string | null;
  /** Days before (early) or after (late) the window. */
  deviationDays: number | null;
  /** The reason given for a visit recorded as not done. */
  note: string | null;
}

/** One cycle of the treatment: its spacing window from the previous injection, and what happened. */
export interface PlannedCycle {
  cycle: number;
  /** The injection the spacing counts from (null for the first cycle, given at the start). */
  after: { cycle: number; date: string; recorded: boolean } | null;
  target: string;
  window: DayWindow;
  date: string | null;
  status: VisitStatus;
}

/** The treatment-day sequence; times are minutes from the day's time 0, as exact decimal strings. */
export interface TreatmentDay {
  label: string;
  steps: {
    name: string;
    label: string;
    /** Start, as a range of minutes; null when only its order is known (`before X`). */
    start: { min: string; max: string } | null;
    /** How it is ordered when it has no time: "before amino_acids". */
    order: string | null;
    lasting: { min: string; max: string } | null;
    end: { min: string; max: string } | null;
  }[];
  /** The total the protocol states, and what the timed steps add up to. */
  stated: { min: string; max: string } | null;
  computed: { min: string; max: string } | null;
  /** Set when the steps do not fit in the stated total. */
  note: string | null;
}

/** A requirement checked before treatment, for one cycle (or once, before the first). */
export interface RequirementCheck {
  name: string;
  label: string;
  cycle: number | null;
  /** The date the requirement is measured against (that cycle's injection, recorded or planned). */
  before: string;
  verdict: "met" | "not_met" | "unknown";
  steps: Step[];
  missing: string[];
}

/** The treatment as a plan shows it: the spacing as text ("11 wk to 13 wk"). */
export type TreatmentSummary = Omit<NonNullable<ScheduleSpec["treatment"]>, "spacing"> & {
  spacing: string | null;
  /** The visit that is the injection itself. */
  visit: string;
};

/** A whole plan. */
export interface ScheduleResult {
  protocol: { id: string; source: string; sha256: string };
  start: string;
  asOf: { date: string; from: "option" | "last event" } | null;
  treatment: TreatmentSummary | null;
  stop: { beforeCycle: number; date: string | null; reason: string | null } | null;
  cycles: PlannedCycle[];
  visits: PlannedVisit[];
  next: (Pick<PlannedVisit, "visit" | "label" | "cycle" | "target" | "window"> & { dueNow: boolean }) | null;
  deviations: string[];
  day: TreatmentDay | null;
  requirements: RequirementCheck[];
  notes: string[];
  warnings: ScheduleProblem[];
}

/** The plan, or every problem in the input: never a plan made on bad input. */
export type ScheduleOutcome = { ok: true; result: ScheduleResult } | { ok: false; errors: ScheduleProblem[] };
