/** `trialc eval <file.trial> <patient.json> [--format text|json] [--as-of DATE] [--D0 DATE]`. */
import { readFileSync } from "node:fs";
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { compileFile } from "../compile.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { evaluateEligibility } from "../interpret/eligibility.js";
import { EXIT, printDiagnostics, UserError } from "./io.js";
import { formatEligibility } from "./report.js";

export interface EvalOptions {
  format: string;
  asOf?: string;
  anchor?: string[];
}

/** Read a JSON file, reporting a syntax error with its line and column. */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // JSON.parse's message rarely says where; jsonc-parser (strict settings) does.
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    if (!first) throw new UserError(`${path}: not valid JSON: ${(e as Error).message}`);
    const before = text.slice(0, first.offset).split("\n");
    throw new UserError(`${path}:${before.length}:${before[before.length - 1]!.length + 1}: not valid JSON: ${printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`);
  }
}

/** `--anchor D0=2027-01-04` pairs, plus `--as-of` as the inclusion date. */
export function anchorOptions(opts: { asOf?: string; anchor?: string[] }): Record<string, string> {
  const out: Record<string, string> = {};
  if (opts.asOf) out.inclusion = opts.asOf;
  for (const a of opts.anchor ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a);
    if (!m) throw new UserError(`--anchor takes NAME=YYYY-MM-DD, not "${a}"`, EXIT.usage);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function runEval(file: string, patientPath: string, opts: EvalOptions): number {
  if (opts.format !== "text" && opts.format !== "json") throw new UserError(`--format must be "text" or "json", not "${opts.format}"`, EXIT.usage);
  const anchors = anchorOptions(opts);
  const r = compileFile(file);
  if (!r.ir || hasErrors(r.diagnostics)) {
    printDiagnostics(r.diagnostics, new Map([[r.file, r.text]]));
    return EXIT.input;
  }
  const raw = readJson(patientPath);
  const outcome = evaluateEligibility(r.ir, raw, anchors);
  if (!outcome.ok) {
    if (opts.format === "json") process.stdout.write(JSON.stringify({ ok: false, errors: outcome.errors }, null, 2) + "\n");
    for (const e of outcome.errors) process.stderr.write(`${patientPath}: ${e.path}: ${e.message}\n`);
    return EXIT.input;
  }
  process.stdout.write(opts.format === "json" ? JSON.stringify(outcome.result, null, 2) + "\n" : formatEligibility(outcome.result));
  return EXIT.ok;
}
