/**
 * What every command shares: printing diagnostics and exit codes. Writing output
 * files is `output.ts`.
 */
import { formatDiagnostic, diagnosticJson } from "../diagnostics/format.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * Exit codes: 0 success; 1 a problem in the input (protocol or data) or in the
 * environment (a full disk, a read-only folder, a file where a folder should be);
 * 2 a usage error (including a refused overwrite); 70 an internal error (a bug in trialc).
 */
export const EXIT = { ok: 0, input: 1, usage: 2, internal: 70 } as const;

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
