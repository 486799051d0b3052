/**
 * `npm run fuzz [cases]`: the fuzz cases of `tests/fuzz/cases.ts`, many times (100,000 by
 * default: one protocol mutant for every 50 data mutants, since compiling the seed costs
 * about as much as 100 data evaluations). Prints the counts, the time and any failure
 * with its fast-check seed; exit 1 on a failure.
 */
import fc from "fast-check";
import { checkData, checkProtocol, dataCase, protocolCase, seed } from "../tests/fuzz/cases.js";

const total = Number(process.argv[2] ?? 100_000);
const protocols = Math.max(1, Math.round(total / 51));
const data = total - protocols;
seed();
let failed = 0;
for (const [name, runs, prop] of [
  ["data files", data, fc.property(dataCase, checkData)],
  ["protocols", protocols, fc.property(protocolCase, checkProtocol)],
] as const) {
  const t0 = performance.now();
  const r = fc.check(prop as fc.IProperty<unknown>, { numRuns: runs });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${name}: ${r.numRuns} cases in ${s} s, ${r.failed ? "FAILED" : "0 crashes"}`);
  if (r.failed) {
    failed++;
    console.log(fc.defaultReportMessage(r));
  }
}
process.exitCode = failed ? 1 : 0;
