/** `trialc toxicity <file.trial> <history.json> [--format text|json]`: the decision before the next cycle. */
import { decideCycle } from "../interpret/toxicity.js";
import type { CycleDecision, RuleResult } from "../runtime/toxicity.js";
import { dec } from "../runtime/decimal.js";
import { EXIT, UserError } from "./io.js";
import { compileProtocol, printOutcome, readJson } from "./common.js";

export interface ToxicityOptions {
  format: string;
}

const MARK: Record<RuleResult["verdict"], string> = { met: "MET", not_met: "NOT MET", unknown: "UNKNOWN" };

/** Doses with many digits (a mean of 3 cycles) are shown rounded, marked "≈"; decisions use the exact value. */
function dose(x: string | null, unit: string): string {
  if (x === null) return "unknown";
  const [, frac = ""] = x.split(".");
  return frac.length > 6 ? `≈${dec(x).toFixed(4)} ${unit}` : `${x} ${unit}`;
}

/** The readable report: decision and reasons, organ doses against their limits, grades, then every rule. */
export function formatDecision(d: CycleDecision): string {
  const out: string[] = [];
  out.push(`Trial ${d.protocol.id} (${d.protocol.source})`);
  out.push(
    `Cycles given: ${d.cyclesGiven}${d.maxCycles === null ? "" : ` of ${d.maxCycles}`}; deciding cycle ${d.nextCycle}`,
  );
  out.push(`Decision: ${d.decision.toUpperCase()}`);
  for (const r of d.reasons) out.push(`  because ${r}`);
  if (d.decision === "unknown") out.push(`  to decide, collect: ${d.missing.join(", ")}`);
  if (d.organs.length) {
    out.push("", "Organ doses (absorbed dose, post-cycle dosimetry)");
    for (const o of d.organs) {
      const cycles = o.perCycle.map((x, i) => `C${i + 1} ${dose(x, o.unit)}`).join(", ") || "none";
      out.push(`  ${o.label}: ${cycles}`);
      out.push(
        `    cumulative ${dose(o.cumulative, o.unit)}, projected after the next cycle ${dose(o.projected, o.unit)}; limit ${o.limit.value} ${o.limit.unit} (${o.limit.param})`,
      );
      if (o.limit.sources.length)
        out.push(`    limit source: ${o.limit.sources.map((s) => `${s.name} (${s.kind}): ${s.citation}`).join("; ")}`);
      if (o.missing.length) out.push(`    missing: ${o.missing.join(", ")}`);
    }
  }
  if (d.grades.length) {
    out.push("", "Laboratory grades (CTCAE v4.03)");
    for (const g of d.grades) {
      const grade =
        g.range === null
          ? "unknown"
          : g.range[0] === g.range[1]
            ? `grade ${g.range[0]}`
            : `grade ${g.range[0]}-${g.range[1]}`;
      out.push(`  ${g.label.padEnd(32)} ${grade.padEnd(10)} ${g.explanation}`);
    }
  }
  out.push("", "Rules");
  for (const r of d.rules) {
    out.push(`  ${r.action.padEnd(5)} ${r.name.padEnd(24)} ${MARK[r.verdict].padEnd(8)} ${r.label}`);
    for (const s of r.steps)
      out.push(
        `          - ${s.rule}: ${s.detail}${s.result === "value" ? "" : ` → ${s.result === "true" ? "yes" : s.result === "false" ? "no" : "unknown"}`}`,
      );
    if (r.missing.length) out.push(`          missing: ${r.missing.join(", ")}`);
  }
  for (const w of d.warnings) out.push(`warning: ${w.path}: ${w.message}`);
  return out.join("\n") + "\n";
}

/** Run the command; returns the exit code (0 any decision, 1 protocol or history errors, 2 usage). */
export function runToxicity(file: string, historyPath: string, opts: ToxicityOptions): number {
  if (opts.format !== "text" && opts.format !== "json")
    throw new UserError(`--format must be "text" or "json", not "${opts.format}"`, EXIT.usage);
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  if (!ir.toxicity) throw new UserError(`${file} has no toxicity section: there are no rules to decide a cycle with`);
  return printOutcome(decideCycle(ir, readJson(historyPath)), historyPath, opts.format, formatDecision);
}
