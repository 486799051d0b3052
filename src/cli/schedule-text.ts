/**
 * A plan as a readable calendar: one row per visit (cycle, visit, target date, window,
 * status), then the next due window, the deviations, the treatment-day sequence, what
 * each visit involves and the requirements before treatment with their reasons.
 */
import type { PlannedVisit, RequirementCheck, ScheduleResult } from "../runtime/schedule.js";
import { formatRange } from "../runtime/schedule-day.js";

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** A visit's status in words: "done 2027-01-08", "late by 3 days (2027-04-12)", "missed", "upcoming". */
export function statusText(v: PlannedVisit): string {
  switch (v.status) {
    case "done":
      return `done ${v.date}`;
    case "early":
    case "late":
      return `${v.status} by ${days(v.deviationDays!)} (${v.date})`;
    case "missed":
      return v.note ? `missed: ${v.note}` : "missed";
    case "not_applicable":
      return `not applicable: ${v.note ?? ""}`;
    case "upcoming":
      return "upcoming";
  }
}

const windowText = (w: { low: string; high: string }) => (w.low === w.high ? w.low : `${w.low} to ${w.high}`);

/** Lay out rows in columns, each as wide as its widest cell (the last is not padded). */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + " ".repeat(widths[i]! - [...c].length)))
      .join("  ")
      .trimEnd(),
  );
}

function requirementLines(checks: RequirementCheck[]): string[] {
  const out: string[] = [];
  for (const c of checks) {
    const when = c.cycle === null ? `before cycle 1 (${c.before})` : `cycle ${c.cycle} (${c.before})`;
    out.push(`  ${when}  ${c.name}  ${c.verdict.toUpperCase().replace("_", " ")}  ${c.label}`);
    for (const s of c.steps) out.push(`      - ${s.rule}: ${s.detail}`);
    if (c.missing.length) out.push(`      missing: ${c.missing.join(", ")}`);
  }
  return out;
}

/** The whole report. */
export function formatSchedule(r: ScheduleResult): string {
  const out: string[] = [`Schedule of trial ${r.protocol.id} (${r.protocol.source})`];
  const t = r.treatment;
  if (t) {
    out.push(
      `Treatment: ${t.label} (${t.name})${t.dose ? `, ${t.dose} per cycle` : ""}${t.route ? `, ${t.route}` : ""}`,
    );
    out.push(
      `  ${t.cycles} cycle${t.cycles === 1 ? "" : "s"}${t.spacing ? `, ${t.spacing} apart (injection to injection)` : ""}; cycle 1 at ${t.firstAt} = ${r.start}`,
    );
  } else out.push(`Start: ${r.start}`);
  out.push(
    r.asOf
      ? `As of ${r.asOf.date}${r.asOf.from === "last event" ? " (the last recorded event)" : ""}`
      : "No as-of date: no visit is counted missed",
  );
  if (r.stop)
    out.push(
      `Treatment stopped before cycle ${r.stop.beforeCycle}${r.stop.date ? ` on ${r.stop.date}` : ""}${r.stop.reason ? `: ${r.stop.reason}` : ""}; no later cycle is planned`,
    );
  out.push("");
  const next = r.next;
  const isNext = (v: PlannedVisit) => next !== null && v.visit === next.visit && v.cycle === next.cycle;
  const rows = [["Cycle", "Visit", "Target", "Window", "Status"]];
  for (const v of r.visits)
    rows.push([
      v.cycle === null ? "-" : String(v.cycle),
      v.label,
      v.target,
      windowText(v.window),
      statusText(v) + (isNext(v) ? (next!.dueNow ? "  <- due now" : "  <- next") : ""),
    ]);
  out.push(...table(rows));
  out.push("");
  out.push(
    next
      ? `Next due: ${next.label}${next.cycle === null ? "" : `, cycle ${next.cycle}`}: ${windowText(next.window)} (target ${next.target})${next.dueNow ? ", due now" : ""}`
      : "Next due: nothing left to plan",
  );
  if (r.deviations.length) out.push("", "Deviations:", ...r.deviations.map((d) => `  - ${d}`));
  if (r.day) {
    out.push("", `${r.day.label} (each injection; times from the day's time 0):`);
    const steps = r.day.steps.map((s) => [
      `  ${s.start ? formatRange(s.start) : (s.order ?? "untimed")}`,
      s.lasting ? `for ${formatRange(s.lasting)}` : "",
      s.end ? `ends ${formatRange(s.end)}` : "",
      s.label,
    ]);
    out.push(...table(steps));
    if (r.day.stated)
      out.push(`  Total: ${formatRange(r.day.stated)} as the protocol states${r.day.note ? ` (${r.day.note})` : ""}`);
  }
  const seen = new Set<string>();
  const procs = r.visits.filter((v) => v.procedures.length && !seen.has(v.visit) && seen.add(v.visit));
  if (procs.length) out.push("", "Procedures:", ...procs.map((v) => `  ${v.label}: ${v.procedures.join("; ")}`));
  if (r.requirements.length) out.push("", "Requirements before treatment:", ...requirementLines(r.requirements));
  if (r.notes.length) out.push("", "Notes:", ...r.notes.map((n) => `  - ${n}`));
  if (r.warnings.length) out.push("", "Warnings:", ...r.warnings.map((w) => `  - ${w.input} ${w.path}: ${w.message}`));
  return out.join("\n") + "\n";
}
