/**
 * `trialc fmt [--check | --write] <files or dirs...>`: the canonical layout (`src/format`).
 *
 * Without an option the formatted text goes to stdout. `--check` lists the files that
 * would change and exits 1 if any would; `--write` replaces each file that changes,
 * atomically. A file that does not parse is never touched: its diagnostics are printed
 * and the exit code is 1.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatTrial } from "../format/format.js";
import { EXIT, printDiagnostics, UserError, writeFileAtomic } from "./io.js";
import { parseFile } from "./source.js";

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

/** The `.trial` files named or found (recursively, in sorted order) under the directories named. */
export function trialFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (path: string, named: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UserError(`cannot read "${path}": no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith(".") || entry === "node_modules") continue;
        visit(join(path, entry), false);
      }
    } else if (named || path.endsWith(".trial")) out.push(path);
  };
  for (const p of paths) visit(p, true);
  return out;
}

export function runFmt(paths: string[], opts: FmtOptions): number {
  if (opts.check && opts.write) throw new UserError("--check and --write cannot be used together", EXIT.usage);
  const files = trialFiles(paths);
  if (files.length === 0) throw new UserError(`no .trial files in ${paths.join(", ")}`, EXIT.usage);
  if (!opts.check && !opts.write && files.length > 1)
    throw new UserError("formatting several files needs --check or --write", EXIT.usage);
  let failed = false;
  const changed: string[] = [];
  for (const file of files) {
    const parsed = parseFile(file);
    const result =
      parsed.text === undefined
        ? { ok: false as const, diagnostics: parsed.diagnostics }
        : formatTrial(parsed.text, file);
    if (!result.ok) {
      failed = true;
      printDiagnostics(result.diagnostics, new Map([[file, parsed.text ?? ""]]));
      process.stderr.write(`${file}: not formatted (it does not parse)\n`);
      continue;
    }
    if (!opts.check && !opts.write) process.stdout.write(result.text);
    else if (result.changed) {
      changed.push(file);
      if (opts.write) writeFileAtomic(file, result.text);
    }
  }
  if (opts.check) {
    for (const file of changed) process.stdout.write(`${file}\n`);
    if (changed.length > 0) {
      process.stderr.write(
        `${changed.length} file${changed.length === 1 ? "" : "s"} would be reformatted (run trialc fmt --write)\n`,
      );
      failed = true;
    }
  } else if (opts.write) for (const file of changed) process.stdout.write(`formatted ${file}\n`);
  return failed ? EXIT.input : EXIT.ok;
}
