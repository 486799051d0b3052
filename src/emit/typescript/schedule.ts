/**
 * The generated `schedule.ts`: `planSchedule(start, events?, options?)` with typed
 * inputs (the protocol's visit names and cycle numbers), the schedule as data
 * (`SCHEDULE`, the lowered spec the interpreter plans with) and the requirements before
 * treatment compiled to run-time calls. Planning itself is `runtime/schedule.ts`,
 * shared with the interpreter, so the two agree by construction; the differential
 * tests check the requirement translation.
 */
import type { IrExpr, IrProtocol } from "../../ir/types.js";
import { lower } from "../../lower/index.js";
import { commentText, definitionsUsed, ident, json, Lines, lit } from "./code.js";
import { emitExpr } from "./expr.js";
import { header } from "./modules.js";

const union = (xs: string[]) => (xs.length ? xs.map(lit).join(" | ") : "never");

/** The module, or null when the protocol has no schedule. */
export function emitScheduleModule(ir: IrProtocol): string | null {
  const spec = lower(ir).schedule;
  if (!spec || !ir.schedule) return null;
  const reqs = ir.schedule.requirements;
  const defs = definitionsUsed(reqs.map((r) => r.expr));
  const cycles = spec.treatment ? Array.from({ length: spec.treatment.cycles }, (_, i) => String(i + 1)) : [];
  const oneOff = spec.visits.filter((v) => !v.eachCycle).map((v) => v.name);
  const perCycle = spec.visits.filter((v) => v.eachCycle && v.name !== spec.injectionVisit).map((v) => v.name);
  const L = new Lines();
  L.line(
    header(ir, "Schedule: planSchedule(start, events, options), the treatment calendar with windows and statuses."),
  );
  L.line('import * as rt from "./runtime/ops.js";');
  L.line('import * as v from "./runtime/values.js";');
  L.line(
    'import { planWithSpec, type RequirementRule, type ScheduleOutcome, type ScheduleSpec } from "./runtime/schedule.js";',
  );
  L.line('import { ANCHORS, DICTIONARY, type Patient } from "./patient.js";');
  if (defs.length) L.line(`import { ${defs.map((d) => ident("def_", d)).join(", ")} } from "./definitions.js";`);
  L.line();
  L.line(
    'export type { PlannedCycle, PlannedVisit, RequirementCheck, ScheduleOutcome, ScheduleProblem, ScheduleResult, TreatmentDay, VisitStatus } from "./runtime/schedule.js";',
  );
  L.line();
  L.line("/** A cycle number the protocol plans. */");
  L.line(`export type CycleNumber = ${cycles.length ? cycles.join(" | ") : "never"};`);
  L.line();
  L.line(
    "/** What an event says happened: the visit took place (`done`, the default), will not (`not_done`), does not apply to this patient (`not_applicable`, with the reason), or treatment stopped. */",
  );
  L.line("interface EventBase { date?: string; reason?: string }");
  L.line();
  L.line("/** One recorded event; events may come in any order. */");
  L.line("export type ScheduleEvent =").indent(() => {
    const alts: string[] = [];
    if (oneOff.length)
      alts.push(`(EventBase & { visit: ${union(oneOff)}; status?: "done" | "not_done" | "not_applicable" })`);
    if (spec.injectionVisit)
      alts.push(
        `(EventBase & { visit: ${lit(spec.injectionVisit)}; cycle: CycleNumber; status?: "done" | "stopped"; /** Patient data recorded for this cycle (its requirements read it). */ data?: Patient })`,
      );
    if (perCycle.length)
      alts.push(
        `(EventBase & { visit: ${union(perCycle)}; cycle: CycleNumber; status?: "done" | "not_done" | "not_applicable" })`,
      );
    if (!alts.length) alts.push("never");
    alts.forEach((a, i) => L.line(`| ${a}${i === alts.length - 1 ? ";" : ""}`));
  });
  L.line();
  L.line(
    "/** The as-of date (default: the last event's date), patient data for the requirements, and other reference dates. */",
  );
  L.line(
    `export interface ScheduleOptions { asOf?: string; patient?: Patient; anchors?: { ${spec.anchors.map((a) => `${a}?: string`).join("; ")} } }`,
  );
  L.line();
  L.line("/** The schedule of the protocol, as data. */");
  L.line(`export const SCHEDULE: ScheduleSpec = ${json(spec)};`);
  L.line();
  L.line("/** The requirements checked before treatment. */");
  L.line("const REQUIREMENTS: RequirementRule[] = [").indent(() => {
    for (const r of reqs) {
      L.line(`// ${commentText(`${r.name}: ${r.label}`)}`);
      L.line(`{ name: ${lit(r.name)}, rule: (ctx: rt.EvalCtx): v.Val => ${emitExpr(r.expr)} },`);
    }
  });
  L.line("];");
  L.line();
  L.line("/**");
  L.line(" * Plan the treatment from `start` (the first injection date, YYYY-MM-DD) with the events");
  L.line(" * recorded so far: every visit with its target date, window and status, the next due");
  L.line(" * window, the treatment day and the requirements per cycle; or every problem in the input.");
  L.line(" */");
  L.line(
    "export function planSchedule(start: string, events: readonly ScheduleEvent[] = [], options: ScheduleOptions = {}): ScheduleOutcome {",
  ).indent(() => {
    L.line("return planWithSpec(SCHEDULE, REQUIREMENTS, DICTIONARY, ANCHORS, start, events, options);");
  });
  L.line("}");
  return L.toString();
}
