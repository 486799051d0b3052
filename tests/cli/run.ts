/**
 * Run the `trialc` command line in-process (fast) or as a real process (the bin
 * shim), capturing what it prints and its exit code.
 */
import { spawnSync } from "node:child_process";
import { main } from "../../src/cli/program.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** In-process: `main(args)` with stdout and stderr captured. */
export async function trialc(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
}

/** As a real process through `bin/trialc.js`. */
export function trialcProcess(...args: string[]): Run {
  const r = spawnSync(process.execPath, ["bin/trialc.js", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
