/**
 * The pipeline in one place, stage by stage (each stage is a folder of `src/`):
 *
 *   .trial bytes or text
 *     1. parse    src/syntax (grammar/)  decode, lex, parse, CST → AST        (AST: src/ast)
 *     2. check    src/check              names, types, units, time; AST → IR  (IR: src/ir)
 *     3. lower    src/lower              IR → the run-time specs
 *     4. targets  read the IR and the lowered specs, and nothing else:
 *                   src/interpret         reference interpreter (eval, schedule, toxicity, response)
 *                   src/emit/typescript   generated modules and their tests
 *                   src/emit/forms        JSON Schema, CDISC ODM, REDCap
 *                   src/emit/document     Markdown, HTML, PDF
 *
 * Stages run in order and stop between stages when one reports errors: a syntax error
 * never produces type errors about half-parsed rules, and nothing is lowered or emitted
 * from a protocol with errors. The targets run on demand (one per CLI command);
 * `src/build.ts` assembles what `trialc build` writes. This file does no I/O: reading a
 * file is the CLI's (`src/cli/source.ts`), writing is the build writer's.
 */
import { parseTrial, parseTrialBytes, type ParseResult } from "./syntax/parse.js";
import { checkProtocol } from "./check/index.js";
import { lower, type LoweredProtocol } from "./lower/index.js";
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { IrProtocol } from "./ir/types.js";

/** What compiling one protocol gives. */
export interface CompileResult {
  /** The file name, as given (copied into every span). */
  file: string;
  /** The source text as decoded (empty when it could not be decoded). */
  text: string;
  /** The IR; null when any stage reported an error. */
  ir: IrProtocol | null;
  /** The run-time specs of the IR (`lower(ir)`); null with the IR. */
  lowered: LoweredProtocol | null;
  /** Every diagnostic of every stage that ran, errors and warnings. */
  diagnostics: Diagnostic[];
}

/** Compile source text already in memory. */
export function compileText(text: string, file: string): CompileResult {
  return compileParsed(parseTrial(text, file), file);
}

/** Compile the bytes of a `.trial` file (size and encoding are checked before decoding). */
export function compileBytes(bytes: Uint8Array, file: string): CompileResult {
  return compileParsed(parseTrialBytes(bytes, file), file);
}

/** Stages 2 and 3 after stage 1, for both entries. */
function compileParsed(parsed: ParseResult, file: string): CompileResult {
  const text = parsed.text ?? "";
  if (!parsed.ast || hasErrors(parsed.diagnostics))
    return { file, text, ir: null, lowered: null, diagnostics: parsed.diagnostics };
  const checked = checkProtocol(parsed.ast, text);
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics];
  if (!checked.ir) return { file, text, ir: null, lowered: null, diagnostics };
  return { file, text, ir: checked.ir, lowered: lower(checked.ir), diagnostics };
}
