/**
 * What the commands that read a protocol and a data file share: compiling the
 * protocol (printing its diagnostics), reading JSON with the place of a syntax error,
 * reference dates from options, and printing an evaluation's outcome.
 */
import { readFileSync } from "node:fs";
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { compileFile } from "./source.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { IrProtocol } from "../ir/types.js";
import { jsonPath, type DataProblem } from "../runtime/patient.js";
import { parseDate, REAL_DATE } from "../runtime/time.js";
import { systemReason } from "./output.js";
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

/**
 * Read a JSON file, reporting a syntax error with its line and column. A byte-order
 * mark is skipped (as in a `.trial` file); a duplicate key and a number too large for
 * any measurement (`1e1001`) are errors with their line, column and JSON path.
 */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${path}: ${code ? systemReason(code, e) : String(e)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
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
  const problems = jsonProblems(text);
  if (problems.length) {
    const p = problems[0]!;
    const before = text.slice(0, p.offset).split("\n");
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more like it)` : "";
    throw new UserError(
      `${path}:${before.length}:${before[before.length - 1]!.length + 1}: ${p.path}: ${p.message}${more}`,
    );
  }
  return value;
}

/** Duplicate keys and out-of-range numbers, which JSON.parse lets through silently. */
function jsonProblems(text: string): { offset: number; path: string; message: string }[] {
  const out: { offset: number; path: string; message: string }[] = [];
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  // An explicit stack, not recursion: a file nested 100,000 deep is still answered.
  const stack: { node: JsonNode; path: (string | number)[] }[] = root ? [{ node: root, path: [] }] : [];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (node.type === "number" && !Number.isFinite(node.value))
      out.push({
        offset: node.offset,
        path: jsonPath(path),
        message: `${text.slice(node.offset, node.offset + Math.min(node.length, 20))} is out of range`,
      });
    if (node.type === "object") {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (!key || typeof key.value !== "string") continue;
        if (seen.has(key.value))
          out.push({
            offset: key.offset,
            path: jsonPath([...path, key.value]),
            message: `duplicate key "${key.value}"`,
          });
        seen.add(key.value);
        if (val) stack.push({ node: val, path: [...path, key.value] });
      }
    }
    if (node.type === "array") (node.children ?? []).forEach((c, i) => stack.push({ node: c, path: [...path, i] }));
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The most problems of one input printed as text; the rest are counted. */
export const MAX_PRINTED_PROBLEMS = 20;

/** Print `problems` (at most {@link MAX_PRINTED_PROBLEMS}, then how many more). */
export function printProblems(where: string, problems: readonly DataProblem[]): void {
  for (const e of problems.slice(0, MAX_PRINTED_PROBLEMS)) process.stderr.write(`${where}: ${e.path}: ${e.message}\n`);
  const rest = problems.length - MAX_PRINTED_PROBLEMS;
  if (rest > 0) process.stderr.write(`${where}: … and ${rest} more problem${rest === 1 ? "" : "s"}\n`);
}

/** A date option's value, which must be a real date (else a usage error naming the option). */
export function optionDate(option: string, value: string): string {
  if (!parseDate(value)) throw new UserError(`${option} "${value}" is not ${REAL_DATE}`, EXIT.usage);
  return value;
}

/**
 * `--anchor D0=2027-01-04` pairs, plus `--as-of` as the inclusion date. Each date must be
 * real (`--as-of 2027-02-30` is a usage error blamed on the option); with `ir`, each
 * name must be one of the protocol's anchors.
 */
export function anchorOptions(opts: { asOf?: string; anchor?: string[] }, ir?: IrProtocol): Record<string, string> {
  const out: Record<string, string> = {};
  if (opts.asOf !== undefined) out.inclusion = optionDate("--as-of", opts.asOf);
  for (const a of opts.anchor ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a);
    if (!m) throw new UserError(`--anchor takes NAME=YYYY-MM-DD, not "${a}"`, EXIT.usage);
    if (!parseDate(m[2]!)) throw new UserError(`--anchor ${m[1]}: "${m[2]}" is not ${REAL_DATE}`, EXIT.usage);
    if (ir && !ir.anchors.some((x) => x.name === m[1]))
      throw new UserError(
        `--anchor ${m[1]}: the protocol has no anchor "${m[1]}" (its anchors: ${ir.anchors.map((x) => x.name).join(", ")})`,
        EXIT.usage,
      );
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
    printProblems(inputPath, outcome.errors);
    return EXIT.input;
  }
  process.stdout.write(format === "json" ? JSON.stringify(outcome.result, null, 2) + "\n" : text(outcome.result));
  return EXIT.ok;
}
