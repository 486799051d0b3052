/** `trialc build <file.trial> --out <dir> [--js] [--tests]`. */
import { join, resolve } from "node:path";
import { compileGenerated, typescriptFiles } from "../emit/typescript/build.js";
import { emitEligibilityTests } from "../emit/typescript/tests.js";
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
  const files = typescriptFiles(ir);
  if (opts.tests) files.set("eligibility.test.ts", emitEligibilityTests(ir));
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
