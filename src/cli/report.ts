/** The readable eligibility report of `trialc eval`. */
import type { CriterionResult, EligibilityResult } from "../runtime/eligibility.js";

const MARK: Record<CriterionResult["verdict"], string> = { met: "MET", not_met: "NOT MET", unknown: "UNKNOWN" };

function criterionLines(c: CriterionResult, depth: number, out: string[]): void {
  const pad = "  ".repeat(depth);
  out.push(`${pad}${c.id.padEnd(6)} ${MARK[c.verdict].padEnd(8)} ${c.text}`);
  if (c.children.length) {
    for (const k of c.children) criterionLines(k, depth + 1, out);
    out.push(`${pad}       ${c.steps[0]?.detail ?? ""} (needs ${c.needed})`);
  } else {
    for (const s of c.steps)
      out.push(
        `${pad}         - ${s.rule}: ${s.detail}${s.result === "value" ? "" : ` → ${s.result === "true" ? "yes" : s.result === "false" ? "no" : "unknown"}`}`,
      );
  }
  if (c.missing.length && depth === 0) out.push(`${pad}         missing: ${c.missing.join(", ")}`);
}

export function formatEligibility(r: EligibilityResult): string {
  const out: string[] = [];
  out.push(`Trial ${r.protocol.id} (${r.protocol.source})`);
  out.push(
    `Reference dates: ${
      Object.entries(r.anchors)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none given"
    }`,
  );
  out.push(`Verdict: ${r.verdict.toUpperCase()}`);
  for (const reason of r.reasons) out.push(`  because ${reason}`);
  if (r.verdict === "indeterminate") out.push(`  to decide, collect: ${r.missing.join(", ")}`);
  out.push("", "Inclusion criteria");
  for (const c of r.inclusion) criterionLines(c, 1, out);
  out.push("", "Exclusion criteria");
  for (const c of r.exclusion) criterionLines(c, 1, out);
  for (const w of r.warnings) out.push(`warning: ${w.path}: ${w.message}`);
  return out.join("\n") + "\n";
}
