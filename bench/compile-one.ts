/**
 * One measurement of compile time, run in its own process by `bench/run.ts` so that
 * its peak memory is its own: `tsx bench/compile-one.ts <n>` prints JSON with the
 * milliseconds of `check` (parse + check to IR) and of `build` (every file `trialc
 * build` writes, generated in memory), and the process's peak resident memory.
 */
import { compileText } from "../src/compile.js";
import { buildFiles } from "../src/build.js";
import { syntheticProtocol } from "./synthetic.js";

const n = Number(process.argv[2]);
const text = syntheticProtocol(n);
const t0 = performance.now();
const { ir } = compileText(text, `synthetic-${n}.trial`);
const t1 = performance.now();
if (!ir) throw new Error(`the synthetic protocol of ${n} criteria has errors`);
const files = buildFiles(ir);
const t2 = performance.now();
let bytes = 0;
for (const v of files.values()) bytes += v.length;
const out = {
  n,
  checkMs: t1 - t0,
  buildMs: t2 - t1,
  files: files.size,
  bytes,
  peakMB: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(out));
