/**
 * `trialc eval <file.trial> <patients...> [--format text|json] [--summary] [--as-of DATE] [--anchor NAME=DATE]`.
 * One patient gives the full report (or its JSON result); several, or `--summary`,
 * screen a list: a report (or a line) each and a tally, as a coordinator screens a clinic.
 */
import { evaluateEligibility, type EvaluationOutcome } from "../interpret/eligibility.js";
import type { IrProtocol } from "../ir/types.js";
import { EXIT, UserError } from "./io.js";
import { anchorOptions, checkFormat, compileProtocol, printOutcome, readJson } from "./common.js";
import { formatEligibility } from "./report.js";

export interface EvalOptions {
  format: string;
  summary?: boolean;
  asOf?: string;
  anchor?: string[];
}

export function runEval(file: string, patients: string[], opts: EvalOptions): number {
  checkFormat(opts.format, ["text", "json"]);
  const anchors = anchorOptions(opts);
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  if (patients.length === 1 && !opts.summary) {
    return printOutcome(
      evaluateEligibility(ir, readJson(patients[0]!), anchors),
      patients[0]!,
      opts.format,
      formatEligibility,
    );
  }
  const results = patients.map((p) => ({ file: p, outcome: screen(ir, p, anchors) }));
  for (const { file: p, outcome } of results)
    if (!outcome.ok) for (const e of outcome.errors) process.stderr.write(`${p}: ${e.path}: ${e.message}\n`);
  if (opts.format === "json") {
    const out = results.map(({ file: p, outcome }) =>
      outcome.ok ? { file: p, ok: true, result: outcome.result } : { file: p, ok: false, errors: outcome.errors },
    );
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    const width = Math.max(...patients.map((p) => p.length));
    for (const { file: p, outcome } of results) {
      if (!opts.summary) {
        process.stdout.write(
          `\n=== ${p}\n${outcome.ok ? formatEligibility(outcome.result) : "invalid data (see the errors above)\n"}`,
        );
        continue;
      }
      if (!outcome.ok)
        process.stdout.write(
          `${p.padEnd(width)}  INVALID        ${outcome.errors.length} problem${outcome.errors.length === 1 ? "" : "s"} in the data\n`,
        );
      else {
        const r = outcome.result;
        const why =
          r.verdict === "ineligible"
            ? r.reasons.join("; ")
            : r.verdict === "indeterminate"
              ? `collect: ${r.missing.join(", ")}`
              : "";
        process.stdout.write(`${p.padEnd(width)}  ${r.verdict.toUpperCase().padEnd(13)}  ${why}\n`);
      }
    }
    process.stdout.write(`\n${tally(results.map((r) => r.outcome))}\n`);
  }
  return results.some((r) => !r.outcome.ok) ? EXIT.input : EXIT.ok;
}

/** One patient of a list: unreadable JSON counts as invalid data, not as the end of the run. */
function screen(ir: IrProtocol, path: string, anchors: Record<string, string>): EvaluationOutcome {
  try {
    return evaluateEligibility(ir, readJson(path), anchors);
  } catch (e) {
    if (e instanceof UserError) return { ok: false, errors: [{ path: "$", message: e.message }] };
    throw e;
  }
}

function tally(outcomes: EvaluationOutcome[]): string {
  const count = (v: string) => outcomes.filter((o) => (o.ok ? o.result.verdict : "invalid") === v).length;
  const n = outcomes.length;
  return `${n} patient${n === 1 ? "" : "s"}: ${count("eligible")} eligible, ${count("ineligible")} ineligible, ${count("indeterminate")} indeterminate, ${count("invalid")} invalid`;
}
