/**
 * The pipeline in one place: `.trial` text → parse (Chevrotain) → AST → check → IR.
 * Stages run in order and stop between stages when one reports errors: a syntax
 * error never produces type errors about half-parsed rules.
 */
import { readFileSync } from "node:fs";
import { parseTrial, parseTrialFile } from "./syntax/parse.js";
import { checkProtocol } from "./check/index.js";
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { IrProtocol } from "./ir/types.js";

export interface CompileResult {
  file: string;
  /** The source text as read (empty when it could not be read). */
  text: string;
  ir: IrProtocol | null;
  diagnostics: Diagnostic[];
}

/** Compile source text already in memory. */
export function compileText(text: string, file: string): CompileResult {
  const parsed = parseTrial(text, file);
  if (!parsed.ast || hasErrors(parsed.diagnostics)) return { file, text, ir: null, diagnostics: parsed.diagnostics };
  const checked = checkProtocol(parsed.ast, text);
  return { file, text, ir: checked.ir, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}

/** Read and compile a `.trial` file. */
export function compileFile(path: string): CompileResult {
  // parseTrialFile checks size and encoding on the raw bytes before anything is decoded.
  const parsed = parseTrialFile(path);
  const text = parsed.diagnostics.some((d) => d.code === "TRC1001" || d.code === "TRC1002" || d.code === "TRC1003")
    ? ""
    : readFileSync(path, "utf8");
  if (!parsed.ast || hasErrors(parsed.diagnostics))
    return { file: path, text, ir: null, diagnostics: parsed.diagnostics };
  const checked = checkProtocol(parsed.ast, text);
  return { file: path, text, ir: checked.ir, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}
