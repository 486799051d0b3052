/**
 * `trialc eval <file.trial> [patients...] [--fhir <bundles...>] [--format text|json] [--summary]
 * [--as-of DATE] [--anchor NAME=DATE]`. One patient gives the full report (or its JSON
 * result); several, or `--summary`, screen a list: a report (or a line) each and a tally,
 * as a coordinator screens a clinic. A FHIR R4 bundle is first turned into the native
 * record by the protocol's codes; what it left unused, missing or ambiguous is shown.
 */
import { evaluateEligibility, type EvaluationOutcome } from "../interpret/eligibility.js";
import type { IrProtocol } from "../ir/types.js";
import { lower } from "../lower/index.js";
import { patientFromFhirWith, type FhirImport } from "../runtime/fhir.js";
import { EXIT, UserError } from "./io.js";
import { anchorOptions, checkFormat, compileProtocol, printOutcome, printProblems, readJson } from "./common.js";
import { formatEligibility } from "./report.js";

export interface EvalOptions {
  format: string;
  summary?: boolean;
  asOf?: string;
  anchor?: string[];
  /** FHIR R4 bundles, one patient each. */
  fhir?: string[];
}

/** What the FHIR import said beside the record, for the report. */
type FhirNotes = Extract<FhirImport, { ok: true }>;

interface Screened {
  file: string;
  outcome: EvaluationOutcome;
  fhir?: FhirNotes;
}

export function runEval(file: string, patients: string[], opts: EvalOptions): number {
  checkFormat(opts.format, ["text", "json"]);
  const bundles = opts.fhir ?? [];
  if (patients.length + bundles.length === 0)
    throw new UserError("give patient JSON files, or FHIR bundles with --fhir", EXIT.usage);
  anchorOptions(opts); // dates checked before the protocol is compiled
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const anchors = anchorOptions(opts, ir);
  if (patients.length === 1 && bundles.length === 0 && !opts.summary) {
    const data = readJson(patients[0]!);
    notAPatient(ir, data, patients[0]!);
    return printOutcome(evaluateEligibility(ir, data, anchors), patients[0]!, opts.format, formatEligibility);
  }
  const results: Screened[] = [
    ...patients.map((p) => ({ file: p, outcome: screen(ir, p, anchors) })),
    ...bundles.map((b) => screenFhir(ir, b, anchors)),
  ];
  if (results.length === 1 && !opts.summary) {
    // One bundle: the full report, then what the import left unused, missing or ambiguous.
    const { file: p, outcome, fhir } = results[0]!;
    if (!outcome.ok || !fhir) return printOutcome(outcome, p, opts.format, formatEligibility);
    process.stdout.write(
      opts.format === "json"
        ? JSON.stringify(Object.assign({}, outcome.result, { fhir: fhirJson(fhir) }), null, 2) + "\n"
        : formatEligibility(outcome.result) + fhirText(fhir, ""),
    );
    return EXIT.ok;
  }
  for (const { file: p, outcome } of results) if (!outcome.ok) printProblems(p, outcome.errors);
  if (opts.format === "json" && opts.summary) {
    const rows = results.map(({ file: p, outcome, fhir }) =>
      Object.assign(
        {},
        outcome.ok
          ? {
              file: p,
              verdict: outcome.result.verdict,
              reasons: outcome.result.reasons,
              missing: outcome.result.missing,
            }
          : { file: p, verdict: "invalid", problems: outcome.errors.length },
        fhir ? { fhir: fhirJson(fhir) } : {},
      ),
    );
    const tallied = Object.fromEntries(
      ["eligible", "ineligible", "indeterminate", "invalid"].map((v) => [
        v,
        rows.filter((r) => r.verdict === v).length,
      ]),
    );
    process.stdout.write(JSON.stringify({ patients: rows, tally: { total: rows.length, ...tallied } }, null, 2) + "\n");
  } else if (opts.format === "json") {
    const out = results.map(({ file: p, outcome, fhir }) => ({
      file: p,
      ...(outcome.ok ? { ok: true, result: outcome.result } : { ok: false, errors: outcome.errors }),
      ...(fhir ? { fhir: fhirJson(fhir) } : {}),
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } else {
    const width = Math.max(...results.map((r) => r.file.length));
    for (const { file: p, outcome, fhir } of results) {
      if (!opts.summary) {
        process.stdout.write(
          `\n=== ${p}\n${outcome.ok ? formatEligibility(outcome.result) : "invalid data (see the errors above)\n"}${fhir ? fhirText(fhir, "") : ""}`,
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
      if (fhir) process.stdout.write(fhirText(fhir, "    "));
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

/** One FHIR bundle: converted by the protocol's codes, then screened like native JSON. */
function screenFhir(ir: IrProtocol, path: string, anchors: Record<string, string>): Screened {
  let raw: unknown;
  try {
    raw = readJson(path);
  } catch (e) {
    if (e instanceof UserError)
      return { file: path, outcome: { ok: false, errors: [{ path: "$", message: e.message }] } };
    throw e;
  }
  const imported = patientFromFhirWith(lower(ir).fhir, raw);
  if (!imported.ok) return { file: path, outcome: imported };
  return { file: path, outcome: evaluateEligibility(ir, imported.patient, anchors), fhir: imported };
}

function fhirJson(f: FhirNotes) {
  return { unused: f.unused, missing: f.missing, ambiguous: f.ambiguous, warnings: f.warnings, patient: f.patient };
}

/** The import's notes as indented lines: ambiguous, unused, missing, warnings. */
function fhirText(f: FhirNotes, indent: string): string {
  const lines: string[] = [];
  for (const a of f.ambiguous) lines.push(`ambiguous: ${a.message}${a.paths.length ? ` (${a.paths.join(", ")})` : ""}`);
  lines.push(
    f.unused.length
      ? `unused resources (${f.unused.length}): ${f.unused.map((u) => `${u.resource} at ${u.path}: ${u.reason}`).join("; ")}`
      : "unused resources: none",
  );
  lines.push(
    f.missing.length
      ? `missing from the bundle (${f.missing.length}): ${f.missing.join(", ")}`
      : "missing from the bundle: none",
  );
  for (const w of f.warnings) lines.push(`note: ${w.path}: ${w.message}`);
  return lines.map((l) => `${indent}FHIR ${l}\n`).join("");
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
