/**
 * What every command shares: printing diagnostics, exit codes, and writing output
 * files atomically (never a half-written file).
 */
import { mkdirSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { formatDiagnostic, diagnosticJson } from "../diagnostics/format.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** Exit codes: 0 success, 1 a problem in the input (protocol or data), 2 a usage error. */
export const EXIT = { ok: 0, input: 1, usage: 2 } as const;

/** An error the user caused, printed without a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.input,
  ) {
    super(message);
  }
}

export function printDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  stream: NodeJS.WritableStream = process.stderr,
): void {
  for (const d of diags) stream.write(formatDiagnostic(d, sources) + "\n\n");
}

export function diagnosticsJson(diags: readonly Diagnostic[]) {
  return diags.map(diagnosticJson);
}

/** Write a file atomically: to a temporary name beside it, then rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Write several files: all are rendered first, so a failure writes none of them. */
export function writeFilesAtomic(files: ReadonlyMap<string, string | Uint8Array>): void {
  for (const [path, content] of files) writeFileAtomic(path, content);
}
