/**
 * The schedule as view models: the treatment, the treatment day, the schedule of
 * activities (visits as columns, procedures as rows, windows in the header, as ICH
 * M11 protocols print it) and the conditions checked before treatment.
 */
import type { IrDay, IrRelativeTime, IrSchedule, IrTreatment, IrVisit } from "../../ir/types.js";
import { durationRangeText, durationText, inSentence, quantityText, relativeTimeText } from "./format.js";
import { plainRule } from "./plain-language.js";
import { parameterFlags, traceModel, type DocContext } from "./model-common.js";
import { comparators } from "./model-eligibility.js";
import { dayRangeText, dayText, ownDays, planSchedule, type SchedulePlan } from "./schedule-plan.js";
import type {
  DayModel,
  FlagModel,
  MetaModel,
  RuleModel,
  ScheduleModel,
  SoaModel,
  TreatmentModel,
} from "./model-types.js";

/** The schedule section; `plan` is shared with the timeline. */
export function scheduleModel(ctx: DocContext, s: IrSchedule, plan: SchedulePlan): ScheduleModel {
  return {
    treatments: s.treatments.map((t) => treatmentModel(ctx, t)),
    days: s.days.map((d) => dayModel(ctx, d)),
    soa: soaModel(ctx, s, plan),
    requirements: s.requirements.map((r): RuleModel => ({
      name: r.name,
      label: r.label,
      rule: comparators(plainRule(r.expr, ctx.plain)),
      ruleSource: r.expr.text,
      when: r.eachCycle ? "Before each cycle" : "Once, before the first treatment",
      trace: traceModel(ctx, r.trace),
    })),
    trace: traceModel(ctx, s.trace),
  };
}

/** The plan for a protocol's schedule (cycle count from the treatment, else from toxicity). */
export function schedulePlan(ctx: DocContext, s: IrSchedule): SchedulePlan {
  return planSchedule(
    s,
    ctx.ir.toxicity?.maxCycles ?? null,
    ctx.ir.anchors.map((a) => a.name),
  );
}

function treatmentModel(ctx: DocContext, t: IrTreatment): TreatmentModel {
  const facts: MetaModel[] = [];
  if (t.dose) {
    const tol = t.dose.tolerance;
    const tolText = tol
      ? ` ± ${quantityText(tol.value, tol.unit)}${tol.param ? ` (${inSentence(ctx.params.get(tol.param)?.label ?? tol.param)})` : ""}`
      : "";
    facts.push({ key: "Dose", value: `${quantityText(t.dose.value, t.dose.unit)}${tolText}` });
  }
  if (t.route) facts.push({ key: "Route", value: t.route });
  if (t.cycles !== null) facts.push({ key: "Cycles", value: String(t.cycles) });
  if (t.firstAt) facts.push({ key: "First treatment", value: anchorLabel(ctx, t.firstAt) });
  if (t.spacing)
    facts.push({
      key: "Spacing",
      value: `${durationRangeText(t.spacing)}, treatment to treatment (both bounds included)`,
    });
  const tolParam = t.dose?.tolerance?.param;
  return {
    label: t.label,
    facts,
    flags: tolParam ? parameterFlags(ctx, tolParam) : [],
    trace: traceModel(ctx, t.trace),
  };
}

function anchorLabel(ctx: DocContext, name: string): string {
  const a = ctx.ir.anchors.find((x) => x.name === name);
  return a ? `${name}: ${a.label}` : name;
}

function dayModel(ctx: DocContext, d: IrDay): DayModel {
  const label = (name: string) => inSentence(d.steps.find((s) => s.name === name)?.label ?? name);
  return {
    label: d.label,
    steps: d.steps.map((s) => ({
      label: s.label,
      timing:
        s.timing.kind === "at" ? `at ${durationText(s.timing.offset)}` : `${s.timing.kind} ${label(s.timing.step)}`,
      lasting: s.lasting ? durationRangeText(s.lasting) : "",
    })),
    total: d.total ? durationRangeText(d.total) : null,
    trace: traceModel(ctx, d.trace),
  };
}

/** A visit's window as the protocol states it: "cycle + 1 to 7 days", "D0 − 4 weeks to D0 − 1 day". */
export function visitWindowText(v: IrVisit): string {
  if (v.timing.kind === "at") return relativeTimeText(v.timing.at);
  const { low, high } = v.timing;
  const short = sameShape(low, high);
  if (short) return `${low.anchor} ${short.sign < 0 ? "−" : "+"} ${short.low} to ${short.high}`;
  return `${relativeTimeText(low)} to ${relativeTimeText(high)}`;
}

/** "cycle + 1 d … cycle + 7 d" shares anchor, sign and unit: print it once. */
function sameShape(a: IrRelativeTime, b: IrRelativeTime) {
  const [x, y] = [a.offsets, b.offsets];
  if (a.anchor !== b.anchor || x.length !== 1 || y.length !== 1) return null;
  if (x[0]!.sign !== y[0]!.sign || x[0]!.duration.unit !== y[0]!.duration.unit) return null;
  // "− 4 to 1 weeks" would read backwards; only increasing positive windows are shortened.
  if (x[0]!.sign < 0) return null;
  return { sign: x[0]!.sign, low: x[0]!.duration.amount, high: durationText(y[0]!.duration) };
}

/**
 * The table a site works from: one column per visit, a cycle's visits once (they repeat in
 * every cycle), each placed in days from its own anchor so that windows never add up
 * across cycles; the days from D0 of every occurrence are in the treatment timeline.
 */
function soaModel(ctx: DocContext, s: IrSchedule, plan: SchedulePlan): SoaModel {
  const occ = plan.occurrences.filter((o) => o.cycle === null || o.cycle === 1);
  const columns = occ.map((o) => ({
    heading: o.visit.label,
    eachCycle: o.visit.eachCycle,
    visit: o.visit.name,
    window: visitWindowText(o.visit),
    days: o.phase === "cycles" ? ownDayText(o.visit, "Cycle day") : placedDayText(o, plan),
    flags: visitFlags(o.visit),
  }));
  const groups: { label: string; span: number }[] = [];
  const spacing = plan.treatment?.spacing ?? null;
  for (const o of occ) {
    const label =
      o.phase === "before"
        ? "Before treatment"
        : o.phase === "after"
          ? "After treatment"
          : plan.cycles === null
            ? "Each cycle"
            : `Each cycle: C1 to C${plan.cycles}${spacing ? `, ${durationRangeText(spacing)} apart` : ""}`;
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.span++;
    else groups.push({ label, span: 1 });
  }
  const procedures: string[] = [];
  for (const o of occ) for (const p of o.visit.procedures) if (!procedures.includes(p)) procedures.push(p);
  const rows = procedures.map((p) => ({
    procedure: p,
    cells: occ.map((o) => ({ mark: o.visit.procedures.includes(p) })),
  }));
  const notes = s.visits.map((v) => ({
    visit: v.label,
    window: visitWindowText(v) + (v.eachCycle ? ", every cycle" : ""),
    trace: traceModel(ctx, v.trace),
  }));
  return { groups, columns, rows, notes, caption: caption(plan), afterTreatment: afterTreatment(plan) };
}

/**
 * What happens after the last cycle, said plainly when the protocol defines no visit
 * after treatment: no end-of-treatment or follow-up column is ever made up, and a site
 * still learns which visits close the schedule (those after each cycle, for the last one).
 */
function afterTreatment(plan: SchedulePlan): string | null {
  if (plan.occurrences.some((o) => o.phase === "after")) return null;
  const none = "the protocol defines no end-of-treatment or follow-up visit.";
  const closing = plan.occurrences.filter((o) => o.cycle === 1 && ownDays(o.visit).low > 0).map((o) => o.visit.label);
  if (closing.length === 0) return none;
  const last =
    plan.cycles === null
      ? "the last cycle given"
      : `the last cycle given (C${plan.cycles}, or the cycle after which treatment stops)`;
  const list =
    closing.length === 1 ? closing[0]! : `${closing.slice(0, -1).join(", ")} and ${closing[closing.length - 1]}`;
  return `${none} The visits after each cycle (${list}) are also done after ${last}, and are the last visits of the schedule.`;
}

/** A visit's window in days from its own anchor: "Cycle day 1 to 7". */
function ownDayText(v: IrVisit, prefix: string): string {
  const d = ownDays(v);
  const low = dayText(d.low, d.approx);
  return d.low === d.high ? `${prefix} ${low}` : `${prefix} ${low} to ${dayText(d.high, d.approx)}`;
}

/** A one-off visit: days from the first treatment, or from its own anchor ("Day −28 to 0 from inclusion"). */
function placedDayText(o: SchedulePlan["occurrences"][number], plan: SchedulePlan): string {
  const placed = dayRangeText(o);
  if (placed) return placed;
  const anchor = ownDays(o.visit).anchor;
  return anchor === plan.firstAt ? "" : `${ownDayText(o.visit, "Day")} from ${anchor}`;
}

/** A visit whose window or procedures are an adopted reading is flagged in the table itself. */
function visitFlags(v: IrVisit): FlagModel[] {
  return v.trace.interpretations.map((i) => ({
    kind: "interpretation",
    source: i.ref ?? "see Visit windows",
    citation: i.text,
  }));
}

function caption(plan: SchedulePlan): string {
  const cycleVisits = plan.occurrences.some((o) => o.phase === "cycles");
  const parts = [
    plan.cycles === null
      ? "The protocol gives no number of cycles."
      : cycleVisits
        ? `${plan.cycles} cycles: a cycle's visits are shown once and repeat in every cycle, counted in cycle days from that cycle's treatment (cycle day 0).`
        : `${plan.cycles} cycles.`,
  ];
  if (plan.firstAt)
    parts.push(
      `Other days are counted from ${plan.firstAt} (day 0); the earliest and latest day of every cycle's visits from ${plan.firstAt} are in the treatment timeline.`,
    );
  if (plan.occurrences.some((o) => o.approx))
    parts.push("≈ marks days placed approximately, because a window is in calendar months or years.");
  return parts.join(" ");
}
