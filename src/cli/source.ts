/**
 * Reading a protocol from disk: the file edge of the pipeline (`src/compile.ts` does no
 * I/O). The file is read once; a file too large is refused from its size, unread.
 */
import { readFileSync, statSync } from "node:fs";
import { compileBytes, type CompileResult } from "../compile.js";
import { fail, MAX_BYTES, tooLarge } from "../syntax/parse.js";
import { pointAt } from "../syntax/lex-diagnostics.js";

/** Read and compile a `.trial` file; a file that cannot be read is TRC1001. Never throws. */
export function compileFile(path: string): CompileResult {
  const refused = (r: { diagnostics: CompileResult["diagnostics"] }): CompileResult => ({
    file: path,
    text: "",
    ir: null,
    lowered: null,
    diagnostics: r.diagnostics,
  });
  const start = pointAt(path, "", 0);
  let bytes: Uint8Array;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return refused(fail("TRC1001", `cannot read "${path}": it is not a file`, start));
    if (stat.size > MAX_BYTES) return refused(fail("TRC1003", tooLarge(stat.size), start));
    bytes = readFileSync(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return refused(fail("TRC1001", `cannot read "${path}": ${message}`, start));
  }
  return compileBytes(bytes, path);
}
