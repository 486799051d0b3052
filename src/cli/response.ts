/**
 * `trialc response <file.trial> <assessments.json> [--format text|json] [--anchor NAME=DATE]`:
 * each time point's RECIST 1.1 response with the sums, the nadir and the rule that decided
 * it, the best overall response confirmed and unconfirmed, and every lesion's change and
 * category. Exit 0 with a result, 1 for protocol errors or invalid assessments, 2 for usage.
 */
import { evaluateResponse } from "../interpret/response.js";
import { dec } from "../runtime/decimal.js";
import { showPercent, type LesionChange, type ResponseResult, type TimePointReport } from "../runtime/response.js";
import { anchorOptions, compileProtocol, printOutcome, readJson } from "./common.js";
import { EXIT, UserError } from "./io.js";

/** Options of `trialc response`. */
export interface ResponseCliOptions {
  format: string;
  anchor?: string[];
}

/** Run the command; returns the exit code. */
export function runResponse(file: string, assessmentsPath: string, opts: ResponseCliOptions): number {
  if (opts.format !== "text" && opts.format !== "json")
    throw new UserError(`--format must be "text" or "json", not "${opts.format}"`, EXIT.usage);
  anchorOptions({ anchor: opts.anchor ?? [] }); // dates checked before the protocol is compiled
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const anchors = anchorOptions({ anchor: opts.anchor ?? [] }, ir);
  if (!ir.response) throw new UserError(`${file} has no response section: nothing to evaluate`);
  return printOutcome(
    evaluateResponse(ir, readJson(assessmentsPath), anchors),
    assessmentsPath,
    opts.format,
    formatResponse,
  );
}

/** `value` against `ref` in %, for the sum lines. */
function pct(value: string, ref: string): string {
  const r = dec(ref);
  return r.isZero() ? "n/a" : showPercent(dec(value).minus(r).times(100).div(r));
}

function lesionLine(l: LesionChange, unit: string): string {
  const value =
    l.value === null ? "not measured" : `${l.value} ${unit}${l.source === "too_small_default" ? " (too small)" : ""}`;
  const change = l.change === null ? "" : showPercent(dec(l.change));
  const category =
    l.label === null
      ? l.missing.length
        ? `undecided (missing: ${l.missing.join(", ")})`
        : l.value === null
          ? ""
          : "undecided"
      : l.label;
  const rule = l.category === null ? "" : `  (${l.steps.find((s) => s.result === "true")?.rule ?? "otherwise"})`;
  return `    ${l.id.padEnd(6)} ${`${l.referenceValue} ${unit}`.padStart(8)} → ${value.padEnd(14)} ${change.padEnd(12)} ${category}${rule}`.trimEnd();
}

function timePointLines(t: TimePointReport, r: ResponseResult, out: string[]): void {
  const rc = t.recist;
  out.push("", `${t.date}${t.cycle === null ? "" : ` (after cycle ${t.cycle})`}: ${rc ? rc.response : "—"}`);
  if (rc) {
    const sum = rc.sumMm === null ? `${rc.measuredSumMm} mm (measured targets only)` : `${rc.sumMm} mm`;
    out.push(
      `  sum ${sum}; baseline ${rc.baselineSumMm} mm (${pct(rc.measuredSumMm, rc.baselineSumMm)}); nadir ${rc.nadirMm} mm (${pct(rc.measuredSumMm, rc.nadirMm)})`,
    );
    out.push(`  decided by ${rc.decidedBy}`);
    out.push(`  targets ${rc.target.response} by ${rc.target.rule}`, `    ${rc.target.explanation}`);
    out.push(`  non-targets ${rc.nonTarget.response}: ${rc.nonTarget.explanation}`);
    out.push(`  new lesions ${rc.newLesions.status}: ${rc.newLesions.explanation}`);
    if (rc.bor)
      out.push(
        `  best overall response reads it as ${rc.bor.effective}${rc.bor.counted ? "" : " (not counted)"}${rc.bor.note ? `: ${rc.bor.note}` : ""}`,
      );
  }
  const lr = r.lesionResponse;
  if (lr && t.lesions.length) {
    out.push(`  lesions: change of ${lr.field} from ${lr.reference} (${lr.reference} → now, change, category)`);
    for (const l of t.lesions) out.push(lesionLine(l, lr.unit));
  }
}

/** An explanation without the response it starts with ("SD: SD on …" → "SD on …"). */
function because(response: string, explanation: string): string {
  return explanation.startsWith(`${response}: `) ? explanation.slice(response.length + 2) : explanation;
}

/** The readable report of `trialc response`. */
export function formatResponse(r: ResponseResult): string {
  const out: string[] = [];
  out.push(`Trial ${r.protocol.id} (${r.protocol.source})`);
  out.push(
    `Reference dates: ${
      Object.entries(r.anchors)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none given"
    }`,
  );
  const b = r.baseline;
  if (b) {
    out.push(
      `Baseline ${b.date}: sum of diameters ${b.sumMm} mm (${b.selection === "given" ? "targets as given" : "targets chosen by RECIST's default selection"})`,
    );
    for (const l of b.lesions) {
      const d =
        l.diameterMm === null ? "not measured" : `${l.diameterMm} mm ${l.node ? "short axis" : "longest diameter"}`;
      out.push(`  ${l.role.replace("_", "-").padEnd(12)} ${l.id.padEnd(6)} ${d.padEnd(26)} ${l.organ}`);
    }
  }
  if (r.bor) {
    const s = r.bor;
    out.push(
      `Best overall response: ${s.bor} (${s.confirmationRequired ? "confirmation required" : "confirmation not required"})`,
    );
    out.push(`  confirmed:   ${s.confirmedBor} — ${because(s.confirmedBor, s.confirmedExplanation)}`);
    out.push(`  unconfirmed: ${s.unconfirmedBor} — ${because(s.unconfirmedBor, s.unconfirmedExplanation)}`);
    const ref = s.referenceAnchor ? `${s.referenceAnchor} ${s.referenceDate}` : `the baseline ${s.referenceDate}`;
    out.push(
      `  rules: confirmation at least ${s.minIntervalDays} days later, at most ${s.maxNotEvaluableBetween} NE between; SD from ${s.sdMinimumDays} days after ${ref}`,
    );
    if (s.firstPdDate) out.push(`  first progression: ${s.firstPdDate}`);
    for (const w of s.warnings) out.push(`  note: ${w}`);
  } else if (b) {
    out.push(`Best overall response: unknown; to decide, give: ${r.missing.join(", ")}`);
  }
  for (const t of r.timePoints) timePointLines(t, r, out);
  if (r.timePoints.length === 0) out.push("", "No time point after baseline.");
  for (const w of r.warnings) out.push(`warning: ${w.path}: ${w.message}`);
  return out.join("\n") + "\n";
}
