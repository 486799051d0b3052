/** `trialc build <file.trial> --out <dir> [--js] [--tests] [--force]`. */
import { buildFiles, compileGenerated, runtimeAssets } from "../build.js";
import { compileProtocol } from "./common.js";
import { EXIT, UserError } from "./io.js";
import { writeOutputDir } from "./output.js";

export interface BuildOptions {
  out: string;
  js?: boolean;
  tests?: boolean;
  force?: boolean;
}

/**
 * Build the whole output in a fresh folder (compiled there with `--js`) and swap it in:
 * a reader sees the previous build or this one, never a mix, and nothing stale stays.
 */
export function runBuild(file: string, opts: BuildOptions): number {
  const ir = compileProtocol(file, true);
  if (!ir) return EXIT.input;
  const files = buildFiles(ir, { tests: opts.tests === true });
  writeOutputDir(opts.out, files, { inputs: [file], force: opts.force }, (staging) => {
    if (!opts.js) return;
    const messages = compileGenerated(staging, [...files.keys()], true);
    if (messages.length)
      throw new UserError(`the generated TypeScript did not compile (a bug in trialc):\n${messages.join("\n")}`, 70);
  });
  process.stderr.write(`wrote ${files.size} files to ${opts.out}${opts.js ? " (with JavaScript and .d.ts)" : ""}\n`);
  process.stderr.write(
    `note: the output imports ${Object.keys(runtimeAssets().dependencies).join(", ")} (and the types of ${Object.keys(runtimeAssets().devDependencies).join(", ")}): run \`npm install\` in ${opts.out} (its package.json lists them) before running or type-checking it\n`,
  );
  return EXIT.ok;
}
