/**
 * The schedule section: treatments (dose, cycles, spacing), the treatment-day
 * sequence, visits with their windows, and requirements checked before treatment.
 */
import type * as A from "../ast/nodes.js";
import type { IrExpr, IrRelativeTime, IrSchedule, IrStep, IrTreatment, IrVisit } from "../ir/types.js";
import { isDurationUnit } from "../runtime/units.js";
import { CheckContext, lowerTrace, type Scope } from "./context.js";
import { checkCondition, checkExpr } from "./expressions.js";
import { checkRelativeOrder, checkDuration, checkDurationRange, checkTimePoint } from "./time.js";
import { relativeTime } from "../ir/time.js";
import { collectNeeds, sorted } from "../ir/walk.js";

const SCOPE: Scope = { section: "schedule" };

export function checkSchedule(ctx: CheckContext, d: A.ScheduleDecl): IrSchedule {
  const treatments = d.treatments.map((t) => checkTreatment(ctx, t));
  const days = d.days.map((day) => {
    const names = new Set(day.steps.map((s) => s.name.text));
    const steps: IrStep[] = day.steps.map((s) => {
      let timing: IrStep["timing"];
      if (s.timing.kind === "at") {
        const off = checkDuration(ctx, s.timing.offset, SCOPE);
        timing = { kind: "at", offset: off.kind === "duration" ? off.duration : { amount: "0", unit: "min" } };
      } else {
        if (!names.has(s.timing.step.text))
          ctx.unknown("TRC2001", "step", s.timing.step.text, s.timing.step.span, names);
        timing = { kind: s.timing.kind, step: s.timing.step.text };
      }
      return {
        name: s.name.text,
        label: s.label,
        timing,
        lasting: s.lasting ? checkDurationRange(ctx, s.lasting, SCOPE) : null,
      };
    });
    return {
      label: day.label,
      steps,
      total: day.total ? checkDurationRange(ctx, day.total, SCOPE) : null,
      trace: lowerTrace(ctx, day.trace),
    };
  });
  const visitNames = new Map<string, A.Span>();
  const visits: IrVisit[] = [];
  for (const v of d.visits) {
    const prior = visitNames.get(v.name.text);
    if (prior)
      ctx.report("TRC2002", "visitDeclaredTwice", { name: v.name.text }, v.name.span, {
        related: [{ message: "first declared here", span: prior }],
      });
    visitNames.set(v.name.text, v.name.span);
    const timing = checkVisitTiming(ctx, v);
    if (timing)
      visits.push({
        name: v.name.text,
        label: v.label,
        eachCycle: v.eachCycle,
        timing,
        procedures: v.procedures,
        trace: lowerTrace(ctx, v.trace),
      });
  }
  const defs = ctx.checkedDefinitions();
  const requirements = d.requires.map((r) => {
    ctx.currentRule = `schedule.${r.name.text}`;
    const expr = checkCondition(ctx, r.expr, SCOPE);
    return {
      name: r.name.text,
      label: r.label,
      eachCycle: r.eachCycle,
      expr,
      reads: sorted(collectNeeds(expr, defs).elements),
      trace: lowerTrace(ctx, r.trace),
    };
  });
  return { treatments, days, visits, requirements, trace: lowerTrace(ctx, d.trace) };
}

function checkTreatment(ctx: CheckContext, t: A.TreatmentDecl): IrTreatment {
  let dose: IrTreatment["dose"] = null;
  if (t.dose) {
    const amount = checkExpr(ctx, t.dose.amount, SCOPE);
    if (amount.kind !== "quantity") ctx.report("TRC3001", "doseQuantityWithUnit", {}, t.dose.amount.span);
    let tolerance: NonNullable<IrTreatment["dose"]>["tolerance"] = null;
    if (t.dose.tolerance) {
      const tol = checkExpr(ctx, t.dose.tolerance, SCOPE);
      if (tol.kind === "quantity" && (tol.unit === "%" || tol.unit === amount.unit))
        tolerance = { value: tol.value, unit: tol.unit, ...(tol.param ? { param: tol.param } : {}) };
      else if (!ctx.poisoned.has(tol))
        ctx.report("TRC3003", "doseTolerancePercentageQuantity", {}, t.dose.tolerance.span);
    }
    if (amount.kind === "quantity") dose = { value: amount.value, unit: amount.unit, tolerance };
  }
  if (t.cycles && t.cycles.count < 1) ctx.report("TRC5003", "treatmentNeedsAtLeast", {}, t.cycles.span);
  if (t.firstAt && !ctx.anchors.has(t.firstAt.text))
    ctx.unknown("TRC2001", "time anchor", t.firstAt.text, t.firstAt.span, ctx.anchors.keys());
  return {
    name: t.name.text,
    label: t.label,
    dose,
    route: t.route,
    cycles: t.cycles?.count ?? null,
    firstAt: t.firstAt?.text ?? null,
    spacing: t.spacing ? checkDurationRange(ctx, t.spacing, SCOPE) : null,
    trace: lowerTrace(ctx, t.trace),
  };
}

/** A visit's time must hang off an anchor by fixed durations, so it can be planned. */
function checkVisitTiming(ctx: CheckContext, v: A.VisitDecl): IrVisit["timing"] | null {
  const rel = (e: A.Expr): IrRelativeTime | null => {
    const ir: IrExpr = checkTimePoint(ctx, e, SCOPE);
    if (ctx.poisoned.has(ir)) return null;
    const r = relativeTime(ir);
    if (!r) ctx.report("TRC4003", "visitPlannedFromTime", { name: ir.text }, e.span);
    else if (v.eachCycle !== (ctx.anchors.get(r.anchor)?.repeating ?? false) && v.eachCycle)
      ctx.report("TRC5004", "eachCycleVisitsAre", {}, e.span);
    for (const o of r?.offsets ?? []) if (!isDurationUnit(o.duration.unit)) return null;
    return r;
  };
  if (v.timing.kind === "at") {
    const at = rel(v.timing.at);
    return at ? { kind: "at", at } : null;
  }
  const low = rel(v.timing.low);
  const high = rel(v.timing.high);
  if (!low || !high) return null;
  checkRelativeOrder(ctx, low, high, v.span);
  return { kind: "between", low, high };
}
