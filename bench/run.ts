/**
 * `npm run bench`: how fast the compiler and the evaluators are on the seed protocol.
 * Each case runs for about a second after a warm-up; the median of several batches is
 * reported. Figures depend on the machine: compare runs on the same one.
 */
import { readFileSync } from "node:fs";
import { compileText } from "../src/compile.js";
import { buildFiles } from "../src/build.js";
import { evaluateEligibility } from "../src/interpret/eligibility.js";
import { writeGenerated, importEligibility } from "../tests/generated.js";

const SEED = "protocols/lu177-octreotate.trial";
const text = readFileSync(SEED, "utf8");
const patients = ["eligible", "ineligible-platelets", "indeterminate", "eligible-female-mmol"].map((n) =>
  JSON.parse(readFileSync(`protocols/patients/${n}.json`, "utf8")),
);

/** Median time per operation in milliseconds, over 7 batches sized to ~150 ms each. */
function measure(name: string, op: () => void): void {
  for (let i = 0; i < 20; i++) op();
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) op();
    if (performance.now() - t > 150) break;
    n *= 2;
  }
  const batches: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) op();
    batches.push((performance.now() - t) / n);
  }
  batches.sort((a, b) => a - b);
  const ms = batches[3]!;
  console.log(`${name.padEnd(44)} ${ms.toFixed(3).padStart(9)} ms/op  ${(1000 / ms).toFixed(0).padStart(8)} ops/s`);
}

const ir = compileText(text, SEED).ir!;
measure("parse + check seed protocol", () => void compileText(text, SEED));
measure("emit TypeScript target", () => void buildFiles(ir));
let k = 0;
measure("eligibility, interpreter (1 patient)", () => void evaluateEligibility(ir, patients[k++ % patients.length]));
const mod = await importEligibility(writeGenerated(ir, "bench"));
measure(
  "eligibility, compiled module (1 patient)",
  () => void mod.evaluateEligibility(patients[k++ % patients.length]),
);
