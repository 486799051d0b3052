/**
 * Lowering of the schedule: the IR's `schedule` section as the plain data the planner
 * of `src/runtime/schedule.ts` reads (`ScheduleSpec`). The interpreter plans with it and
 * the generated `schedule.ts` embeds it as a constant, so both plan the same calendar.
 *
 * Two semantic choices are made here, not in the checker or the run time:
 * - only the first `treatment` of the section is planned (a note says so when there
 *   are more), and only the first treatment day is shown;
 * - when no visit is `each cycle at cycle`, an injection visit is invented, named
 *   after the treatment, so that every cycle has a row in the calendar.
 */
import type { IrProtocol, IrRelativeTime, IrTreatment, IrVisit } from "../ir/types.js";
import type { ScheduleSpec, SpecTime, SpecVisit } from "../runtime/schedule.js";

const time = (t: IrRelativeTime): SpecTime => ({
  anchor: t.anchor,
  offsets: t.offsets.map((o) => ({ sign: o.sign, duration: { ...o.duration } })),
  text: t.text,
});

function visitOf(v: IrVisit): SpecVisit {
  const timing: SpecVisit["timing"] =
    v.timing.kind === "at"
      ? { kind: "at", at: time(v.timing.at) }
      : { kind: "between", low: time(v.timing.low), high: time(v.timing.high) };
  return { name: v.name, label: v.label, eachCycle: v.eachCycle, timing, procedures: [...v.procedures] };
}

function doseText(t: IrTreatment): string | null {
  if (!t.dose) return null;
  const tol = t.dose.tolerance ? ` (tolerance ${t.dose.tolerance.value} ${t.dose.tolerance.unit})` : "";
  return `${t.dose.value} ${t.dose.unit}${tol}`;
}

/**
 * The planner's view of a protocol's schedule, or null when it has none. The injection
 * visit is the `each cycle at cycle` visit; a protocol without one gets one named after
 * the treatment (a choice of this lowering), so every cycle appears in the calendar.
 */
export function scheduleSpec(ir: IrProtocol): ScheduleSpec | null {
  const s = ir.schedule;
  if (!s) return null;
  const notes: string[] = [];
  const cycleAnchor = ir.anchors.find((a) => a.repeating)?.name ?? null;
  const fixed = ir.anchors.filter((a) => !a.repeating).map((a) => a.name);
  // Semantic choice: only the first treatment is planned (see the notes below).
  const t = s.treatments[0];
  if (s.treatments.length > 1)
    notes.push(
      `only the first treatment (${t!.name}) is planned; ${s.treatments
        .slice(1)
        .map((x) => x.name)
        .join(", ")} ${s.treatments.length > 2 ? "are" : "is"} not`,
    );
  if (s.days.length > 1) notes.push(`only the first treatment day ("${s.days[0]!.label}") is shown`);
  // The start date is the first injection's anchor; without a treatment that says so, D0.
  const fallback = fixed.includes("D0") ? "D0" : (fixed[0] ?? null);
  const firstAt = t?.firstAt ?? fallback;
  if (t && !t.firstAt)
    notes.push(`${t.name} does not say when it starts: cycle 1 is given at ${firstAt ?? "the start date"}`);
  const visits = s.visits.map(visitOf);
  let injectionVisit: string | null = null;
  if (t) {
    const own = visits.find(
      (v) =>
        v.eachCycle && v.timing.kind === "at" && v.timing.at.anchor === cycleAnchor && v.timing.at.offsets.length === 0,
    );
    if (own) injectionVisit = own.name;
    else {
      // Semantic choice: a calendar of cycles needs a row per injection even when the
      // protocol lists none, so the lowering invents one (the protocol text has no such visit).
      injectionVisit = visits.some((v) => v.name === t.name) ? `${t.name}_injection` : t.name;
      const anchor = cycleAnchor ?? "cycle";
      visits.unshift({
        name: injectionVisit,
        label: t.label,
        eachCycle: true,
        timing: { kind: "at", at: { anchor, offsets: [], text: anchor } },
        procedures: [doseText(t) ?? t.label],
      });
    }
  }
  const day = s.days[0];
  return {
    protocol: { id: ir.trial.id, source: ir.source.file, sha256: ir.source.sha256 },
    treatment: t
      ? {
          name: t.name,
          label: t.label,
          dose: doseText(t),
          route: t.route,
          cycles: t.cycles ?? 1,
          firstAt: firstAt ?? "start",
          spacing: t.spacing ? { min: { ...t.spacing.min }, max: { ...t.spacing.max } } : null,
        }
      : null,
    startAnchor: firstAt,
    cycleAnchor,
    injectionVisit,
    visits,
    day: day
      ? {
          label: day.label,
          steps: day.steps.map((x) => ({
            name: x.name,
            label: x.label,
            timing: x.timing.kind === "at" ? { kind: "at", offset: { ...x.timing.offset } } : { ...x.timing },
            lasting: x.lasting ? { min: { ...x.lasting.min }, max: { ...x.lasting.max } } : null,
          })),
          total: day.total ? { min: { ...day.total.min }, max: { ...day.total.max } } : null,
        }
      : null,
    requirements: s.requirements.map((r) => ({
      name: r.name,
      label: r.label,
      eachCycle: r.eachCycle,
      reads: [...r.reads],
    })),
    anchors: fixed.filter((a) => a !== firstAt),
    notes,
  };
}
