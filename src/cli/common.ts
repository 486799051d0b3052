/**
 * What the commands that read a protocol and a data file share: compiling the
 * protocol (printing its diagnostics), reading JSON with the place of a syntax error,
 * reference dates from options, and printing an evaluation's outcome.
 */
import { readFileSync } from "node:fs";
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { compileFile } from "./source.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { IrProtocol } from "../ir/types.js";
import type { DataProblem } from "../runtime/patient.js";
import { EXIT, printDiagnostics, UserError } from "./io.js";

/**
 * Compile a protocol for a command. Errors are printed and give null; warnings are
 * printed only with `warnings` (commands whose output is the compiled protocol).
 */
export function compileProtocol(file: string, warnings = false): IrProtocol | null {
  const r = compileFile(file);
  const failed = !r.ir || hasErrors(r.diagnostics);
  if (failed || warnings) printDiagnostics(r.diagnostics, new Map([[r.file, r.text]]));
  return failed ? null : r.ir;
}

/** `--format` must be one of `allowed` (a usage error otherwise). */
export function checkFormat(format: string, allowed: readonly string[]): void {
  if (!allowed.includes(format))
    throw new UserError(
      `--format must be ${allowed
        .map((f) => `"${f}"`)
        .join(", ")
        .replace(/, ([^,]*)$/, " or $1")}, not "${format}"`,
      EXIT.usage,
    );
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
    throw new UserError(
      `${path}:${before.length}:${before[before.length - 1]!.length + 1}: not valid JSON: ${printParseErrorCode(
        first.error,
      )
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()}`,
    );
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

/**
 * Print what an evaluation gave: the result (JSON, or the text `format` makes of it),
 * or every problem of the input with its JSON path (exit 1, no result).
 */
export function printOutcome<T>(
  outcome: { ok: true; result: T } | { ok: false; errors: DataProblem[] },
  inputPath: string,
  format: string,
  text: (r: T) => string,
): number {
  if (!outcome.ok) {
    if (format === "json") process.stdout.write(JSON.stringify({ ok: false, errors: outcome.errors }, null, 2) + "\n");
    for (const e of outcome.errors) process.stderr.write(`${inputPath}: ${e.path}: ${e.message}\n`);
    return EXIT.input;
  }
  process.stdout.write(format === "json" ? JSON.stringify(outcome.result, null, 2) + "\n" : text(outcome.result));
  return EXIT.ok;
}
