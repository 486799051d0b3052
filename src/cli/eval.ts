/**
 * `trialc eval <file.trial> <patients...> [--format text|json] [--summary] [--as-of DATE] [--anchor NAME=DATE]`.
 * One patient gives the full report (or its JSON result); several, or `--summary`,
 * screen a list: a report (or a line) each and a tally, as a coordinator screens a clinic.
 */
import { evaluateEligibility, type EvaluationOutcome } from "../interpret/eligibility.js";
import type { IrProtocol } from "../ir/types.js";
import { EXIT, UserError } from "./io.js";
import { anchorOptions, checkFormat, compileProtocol, printOutcome, printProblems, readJson } from "./common.js";
import { formatEligibility } from "./report.js";

export interface EvalOptions {
  format: string;
  summary?: boolean;
  asOf?: string;
  anchor?: string[];
}

export function runEval(file: string, patients: string[], opts: EvalOptions): number {
  checkFormat(opts.format, ["text", "json"]);
  anchorOptions(opts); // dates checked before the protocol is compiled
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const anchors = anchorOptions(opts, ir);
  if (patients.length === 1 && !opts.summary) {
    const data = readJson(patients[0]!);
    notAPatient(ir, data, patients[0]!);
    return printOutcome(evaluateEligibility(ir, data, anchors), patients[0]!, opts.format, formatEligibility);
  }
  const results = patients.map((p) => ({ file: p, outcome: screen(ir, p, anchors) }));
  for (const { file: p, outcome } of results) if (!outcome.ok) printProblems(p, outcome.errors);
  if (opts.format === "json" && opts.summary) {
    const rows = results.map(({ file: p, outcome }) =>
      outcome.ok
        ? {
            file: p,
            verdict: outcome.result.verdict,
            reasons: outcome.result.reasons,
            missing: outcome.result.missing,
          }
        : { file: p, verdict: "invalid", problems: outcome.errors.length },
    );
    const tallied = Object.fromEntries(
      ["eligible", "ineligible", "indeterminate", "invalid"].map((v) => [
        v,
        rows.filter((r) => r.verdict === v).length,
      ]),
    );
    process.stdout.write(JSON.stringify({ patients: rows, tally: { total: rows.length, ...tallied } }, null, 2) + "\n");
  } else if (opts.format === "json") {
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
    const data = readJson(path);
    notAPatient(ir, data, path);
    return evaluateEligibility(ir, data, anchors);
  } catch (e) {
    if (e instanceof UserError) return { ok: false, errors: [{ path: "$", message: e.message }] };
    throw e;
  }
}

/**
 * A JSON object none of whose fields the protocol knows is not a patient record (an
 * expectations file a glob picked up, a history): refuse it rather than screen it as
 * a patient with no data.
 */
function notAPatient(ir: IrProtocol, data: unknown, path: string): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return; // the schema says what it is
  const keys = Object.keys(data);
  const known = new Set([...ir.elements.map((e) => e.name), "anchors"]);
  if (keys.length > 0 && !keys.some((k) => known.has(k)))
    throw new UserError(
      `${path}: not a patient record: none of its fields (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""}) is in the protocol's data dictionary`,
    );
}

function tally(outcomes: EvaluationOutcome[]): string {
  const count = (v: string) => outcomes.filter((o) => (o.ok ? o.result.verdict : "invalid") === v).length;
  const n = outcomes.length;
  return `${n} patient${n === 1 ? "" : "s"}: ${count("eligible")} eligible, ${count("ineligible")} ineligible, ${count("indeterminate")} indeterminate, ${count("invalid")} invalid`;
}
