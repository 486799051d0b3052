/**
 * The schedule by interpretation of the IR: `planSchedule` plans with the lowered spec
 * (`src/lower/schedule.ts`, the same data the generated `schedule.ts` embeds) and the
 * requirement conditions evaluated by the reference interpreter. The generated module
 * is tested against this.
 */
import type { IrProtocol } from "../ir/types.js";
import { planWithSpec, type ScheduleOptions, type ScheduleOutcome, type RequirementRule } from "../runtime/schedule.js";
import { lower } from "../lower/index.js";
import { evalExpr, type Env } from "./expr.js";

/** The requirement conditions, evaluated by the reference interpreter. */
export function requirementRules(ir: IrProtocol): RequirementRule[] {
  const env: Env = { defs: new Map(ir.definitions.map((d) => [d.name, d])) };
  return (ir.schedule?.requirements ?? []).map((r) => ({ name: r.name, rule: (ctx) => evalExpr(ctx, r.expr, env) }));
}

/** Plan a patient's schedule from the start date and the events recorded so far (see `src/runtime/schedule.ts`). */
export function planSchedule(
  ir: IrProtocol,
  start: unknown,
  events?: unknown,
  options: ScheduleOptions = {},
): ScheduleOutcome {
  const { schedule: spec, dictionary } = lower(ir);
  if (!spec)
    return {
      ok: false,
      errors: [{ input: "protocol", path: "schedule", message: `${ir.source.file} has no schedule` }],
    };
  return planWithSpec(
    spec,
    requirementRules(ir),
    dictionary,
    ir.anchors.map((a) => a.name),
    start,
    events,
    options,
  );
}
