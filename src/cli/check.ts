/** `trialc check <files...> [--format text|json] [--emit-ir]`. */
import { compileFile } from "./source.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { diagnosticsJson, EXIT, printDiagnostics, UserError } from "./io.js";

export interface CheckOptions {
  format: string;
  emitIr?: boolean;
}

export function runCheck(files: string[], opts: CheckOptions): number {
  if (opts.format !== "text" && opts.format !== "json")
    throw new UserError(`--format must be "text" or "json", not "${opts.format}"`, EXIT.usage);
  const results = files.map((f) => compileFile(f));
  const failed = results.some((r) => hasErrors(r.diagnostics));
  if (opts.format === "json") {
    const out = results.map((r) => ({
      file: r.file,
      ok: !hasErrors(r.diagnostics),
      diagnostics: diagnosticsJson(r.diagnostics),
      ...(opts.emitIr && r.ir ? { ir: r.ir } : {}),
    }));
    process.stdout.write(JSON.stringify(files.length === 1 && !opts.emitIr ? out[0] : out, null, 2) + "\n");
  } else {
    for (const r of results) {
      printDiagnostics(r.diagnostics, new Map([[r.file, r.text]]));
      const errors = r.diagnostics.filter((d) => d.severity === "error").length;
      const warnings = r.diagnostics.length - errors;
      process.stderr.write(
        `${r.file}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`,
      );
      if (opts.emitIr && r.ir) process.stdout.write(JSON.stringify(r.ir, null, 2) + "\n");
    }
  }
  return failed ? EXIT.input : EXIT.ok;
}
