/**
 * A profiling aid (not part of the bench tables): `node --cpu-prof --import tsx
 * bench/profile-one.ts <decide|explained> [patients]` screens the cohort with one of the
 * generated modules of bench/criteria15.trial, for `--cpu-prof` to see where time goes.
 */
import { compileFile } from "../src/cli/source.js";
import { importDecide, importEligibility, writeGenerated } from "../tests/generated.js";
import { cohort } from "./cohort.js";

const which = process.argv[2] ?? "decide";
const patients = cohort(Number(process.argv[3] ?? 20000));
const dir = writeGenerated(compileFile("bench/criteria15.trial").ir!, `profile-${which}`);
const t = performance.now();
if (which === "decide") {
  const m = await importDecide(dir);
  for (let k = 0; k < 5; k++) for (const p of patients) m.isEligible(p);
} else {
  const m = await importEligibility(dir);
  for (const p of patients) m.evaluateEligibility(p);
}
console.log(`${which}: ${(performance.now() - t).toFixed(0)} ms`);
