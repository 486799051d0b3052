/** `trialc build <file.trial> --out <dir> [--js] [--tests]`. */
import { join, resolve } from "node:path";
import { buildFiles, compileGenerated } from "../build.js";
import { compileProtocol } from "./common.js";
import { EXIT, UserError, writeFilesAtomic } from "./io.js";

export interface BuildOptions {
  out: string;
  js?: boolean;
  tests?: boolean;
}

export function runBuild(file: string, opts: BuildOptions): number {
  const ir = compileProtocol(file, true);
  if (!ir) return EXIT.input;
  const files = buildFiles(ir, { tests: opts.tests === true });
  const out = resolve(opts.out);
  writeFilesAtomic(new Map([...files].map(([k, v]) => [join(out, k), v])));
  if (opts.js) {
    const messages = compileGenerated(out, [...files.keys()], true);
    if (messages.length)
      throw new UserError(`the generated TypeScript did not compile (a bug in trialc):\n${messages.join("\n")}`, 70);
  }
  process.stderr.write(`wrote ${files.size} files to ${opts.out}${opts.js ? " (with JavaScript and .d.ts)" : ""}\n`);
  return EXIT.ok;
}
