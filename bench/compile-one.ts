/**
 * One measurement of compile time, run in its own process by `bench/run.ts` so that
 * its peak memory is its own: `tsx bench/compile-one.ts <n>` prints JSON with the
 * milliseconds of `check` (parse + check to IR) and of `build` (every file `trialc
 * build` writes, generated in memory), wall-clock, the CPU time of both together (the
 * collector's and the JIT's helper threads included, so more than the wall-clock time
 * on an idle machine, and steadier than it on a busy one), and the process's peak
 * resident memory.
 */
import { compileText } from "../src/compile.js";
import { buildFiles } from "../src/build.js";
import { syntheticProtocol } from "./synthetic.js";

const n = Number(process.argv[2]);
const text = syntheticProtocol(n);
const c0 = process.cpuUsage();
const t0 = performance.now();
const { ir } = compileText(text, `synthetic-${n}.trial`);
const t1 = performance.now();
if (!ir) throw new Error(`the synthetic protocol of ${n} criteria has errors`);
const files = buildFiles(ir);
const t2 = performance.now();
const cpu = process.cpuUsage(c0);
let bytes = 0;
for (const v of files.values()) bytes += v.length;
const out = {
  n,
  checkMs: t1 - t0,
  buildMs: t2 - t1,
  // CPU time of check + build: this thread's and the collector's and compiler's helper threads.
  cpuMs: (cpu.user + cpu.system) / 1000,
  files: files.size,
  bytes,
  peakMB: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(out));
