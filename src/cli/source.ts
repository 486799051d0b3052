/**
 * Reading a protocol from disk: the file edge of the pipeline (`src/compile.ts` does no
 * I/O). The file is read once; a file too large is refused from its size, unread.
 */
import { readFileSync, statSync } from "node:fs";
import { compileBytes, type CompileResult } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { report } from "../diagnostics/diagnostic.js";
import { failed, MAX_BYTES, parseTrialBytes, tooLarge, type ParseResult } from "../syntax/parse.js";
import { wholeFileSpan } from "../syntax/lex-diagnostics.js";
import { systemReason } from "./output.js";

/** Read a `.trial` file's bytes, or the diagnostic saying why it cannot be read (TRC1001, TRC1003). */
export function readSource(path: string): { bytes: Uint8Array } | { diagnostics: Diagnostic[] } {
  const start = wholeFileSpan(path);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return failed(report("TRC1001", "notAFile", { path }, start));
    if (stat.size > MAX_BYTES) return tooLarge(stat.size, start);
    return { bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code ? systemReason(code, error) : error instanceof Error ? error.message : String(error);
    return failed(report("TRC1001", "unreadable", { path, reason }, start));
  }
}

/** Read and parse a `.trial` file (for `trialc fmt`). Never throws. */
export function parseFile(path: string): ParseResult {
  const read = readSource(path);
  return "bytes" in read ? parseTrialBytes(read.bytes, path) : { ast: null, diagnostics: read.diagnostics };
}

/** Read and compile a `.trial` file; a file that cannot be read is TRC1001. Never throws. */
export function compileFile(path: string): CompileResult {
  const read = readSource(path);
  if ("bytes" in read) return compileBytes(read.bytes, path);
  return { file: path, text: "", ir: null, lowered: null, diagnostics: read.diagnostics };
}
