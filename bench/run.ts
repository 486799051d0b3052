/**
 * `npm run bench`: how fast trialc's evaluators, compiler and command are. Not part of
 * `npm test`: figures depend on the machine (compare runs on the same one).
 *
 * 1. Eligibility on one deterministic cohort (bench/cohort.ts), in one process: the 15
 *    criteria of bench/criteria15.trial by trialc's decision-only module, its explained
 *    module, the interpreter, a hand-written function, json-logic-js, json-rules-engine
 *    and cql-execution (bench/engines.ts); then the whole seed protocol by trialc's
 *    three. Every implementation must first agree with the others on every patient;
 *    the run stops loudly if one does not. Each is timed in CPU time, three times (median, the runs
 *    interleaved), over the whole cohort, or over its first SLICE patients for the slow
 *    ones (marked).
 * 2. Compile time and peak memory of check and build for generated protocols of 10 to
 *    10,000 criteria, each in five fresh processes (bench/compile-one.ts; medians).
 * 3. Whole-process start-up of `trialc --help` and `trialc check` on the seed.
 * 5. Last: BENCH_SQL_PERSONS synthetic OMOP persons (default 1,000,000; 0 skips it)
 *    screened through DuckDB, against the compiled evaluator (bench/sql-section.ts).
 *
 * `BENCH_PATIENTS=N` changes the cohort size (default 100,000).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { compileFile } from "../src/cli/source.js";
import { evaluateEligibility } from "../src/interpret/eligibility.js";
import type { IrProtocol } from "../src/ir/types.js";
import { GENERATED_ROOT, importDecide, importEligibility, writeGenerated } from "../tests/generated.js";
import type { CriterionResult, EligibilityResult } from "../src/runtime/eligibility.js";
import type { Step } from "../src/runtime/ops.js";
import { cohort } from "./cohort.js";
import { cqlEngine, handWritten, jsonLogicVerdict, rulesEngine, type Verdict } from "./engines.js";

const N = Number(process.env.BENCH_PATIENTS ?? 100_000);
const SLICE = Math.min(N, 5_000);
const patients = cohort(N);

interface Impl {
  name: string;
  /** Verdicts of patients [0, n). */
  run(n: number): Verdict[] | Promise<Verdict[]>;
  slow?: boolean;
}

const sync = (f: (p: Record<string, unknown>) => Verdict) => (n: number) => {
  const out: Verdict[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = f(patients[i]!);
  return out;
};

function verdictOf(o: { ok: boolean; result?: unknown; errors?: unknown }): Verdict {
  if (!o.ok) throw new Error(`invalid patient in the cohort: ${JSON.stringify(o.errors)}`);
  return (o.result as { verdict: Verdict }).verdict;
}

async function trialcImpls(ir: IrProtocol, name: string): Promise<Impl[]> {
  const dir = writeGenerated(ir, `bench-${name}`);
  const decide = await importDecide(dir);
  const explained = await importEligibility(dir);
  return [
    { name: "trialc decision-only (isEligible)", run: sync((p) => decide.isEligible(p)) },
    { name: "trialc decision-only (screen)", run: (n) => decide.screen(patients.slice(0, n)) as Verdict[] },
    { name: "trialc explained (evaluateEligibility)", run: sync((p) => verdictOf(explained.evaluateEligibility(p))) },
    { name: "trialc interpreter", run: sync((p) => verdictOf(evaluateEligibility(ir, p))), slow: true },
  ];
}

/**
 * Milliseconds of this process's CPU time (user + system) to run `impl` on `n` patients:
 * CPU time rather than wall-clock time, so that other processes sharing the machine do
 * not enter the figures (on a loaded 2-core machine, wall-clock ratios between two
 * implementations timed a second apart moved by 10 % from run to run; CPU-time ratios by 1 %).
 */
async function time(impl: Impl, n: number): Promise<number> {
  const t = process.cpuUsage();
  await impl.run(n);
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1000;
}

/** CPU µs per item of `f`, which handles `n` items: the median of three runs after a warm-up. */
function cpuUs(n: number, f: () => void): number {
  f();
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.cpuUsage();
    f();
    const used = process.cpuUsage(t);
    runs.push((used.user + used.system) / n);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

/** A result made anew, object for object and array for array, its texts shared (none written). */
function copyCriterion(c: CriterionResult): CriterionResult {
  const steps = new Array<Step>(c.steps.length);
  for (let i = 0; i < steps.length; i++) {
    const st = c.steps[i]!;
    steps[i] = { rule: st.rule, result: st.result, detail: st.detail };
  }
  return {
    id: c.id,
    role: c.role,
    text: c.text,
    verdict: c.verdict,
    steps,
    missing: c.missing.slice(),
    children: c.children.map(copyCriterion),
  };
}

function copyResult(r: EligibilityResult): EligibilityResult {
  return {
    protocol: r.protocol,
    verdict: r.verdict,
    anchors: Object.assign({}, r.anchors),
    inclusion: r.inclusion.map(copyCriterion),
    exclusion: r.exclusion.map(copyCriterion),
    reasons: r.reasons.slice(),
    missing: r.missing.slice(),
    warnings: r.warnings.map((w) => ({ path: w.path, message: w.message })),
  };
}

/**
 * What bounds the explained evaluation, printed when its target is missed, measured in
 * this run: loading and checking a record alone (`record.ts`'s `load`, which
 * `evaluateEligibility`'s fast path starts with), and making a result's objects and arrays
 * (copies of finished results, their texts shared): work that a result of this shape
 * costs before any of its texts is written.
 */
async function explainedFloor(dir: string, jsonLogicUs: number): Promise<void> {
  const rec = (await import(join(dir, "record.ts"))) as { load(raw: unknown, options: object, keys: boolean): void };
  const explained = await importEligibility(dir);
  const loadUs = cpuUs(N, () => {
    for (const p of patients)
      try {
        rec.load(p, {}, true);
      } catch {
        // a record the fast path cannot read plainly (none in this cohort): the exact path's
      }
  });
  const results = patients
    .slice(0, SLICE)
    .map((p) => (explained.evaluateEligibility(p) as { result: EligibilityResult }).result);
  const copyUs = cpuUs(N, () => {
    for (let i = 0; i < N; i++) copyResult(results[i % SLICE]!);
  });
  const r0 = results[0]!;
  let objects = 0;
  const count = (x: unknown): void => {
    if (typeof x !== "object" || x === null) return;
    objects++;
    for (const v of Object.values(x)) count(v);
  };
  count(r0);
  const allowed = jsonLogicUs / 10;
  console.log(
    `
What limits the explained evaluation, measured in this run (CPU µs a patient, median of 3): ` +
      `loading and checking the record (record.ts's load) ${loadUs.toFixed(2)} µs; ` +
      `making a result's ${objects} objects and arrays (copies of finished results, ${JSON.stringify(r0).length.toLocaleString("en")} bytes as JSON, ` +
      `no text written) ${copyUs.toFixed(2)} µs; together ${(loadUs + copyUs).toFixed(2)} µs of the ${allowed.toFixed(2)} µs ` +
      `that 10x json-logic-js allows. The profile and what was tried: docs/benchmarks.md, "What limits each figure".`,
  );
}

/** Check agreement on `n` patients, then time each three times; returns rows of the table. */
async function compare(title: string, impls: Impl[], reference: string, agreeOn: (i: Impl) => number) {
  const verdicts = new Map<string, Verdict[]>();
  for (const impl of impls) verdicts.set(impl.name, await impl.run(agreeOn(impl)));
  const ref = verdicts.get(reference)!;
  for (const impl of impls) {
    const got = verdicts.get(impl.name)!;
    for (let i = 0; i < got.length; i++)
      if (got[i] !== ref[i]) {
        console.error(`DISAGREEMENT on patient ${i}: ${impl.name} says ${got[i]}, ${reference} says ${ref[i]}`);
        console.error(JSON.stringify(patients[i]));
        process.exit(1);
      }
  }
  const tally = { eligible: 0, ineligible: 0, indeterminate: 0 };
  for (const x of ref) tally[x]++;
  console.log(`\n### ${title}\n`);
  console.log(
    `All ${impls.length} implementations agree on every patient checked (${impls.map((i) => `${i.name}: ${agreeOn(i).toLocaleString("en")}`).join("; ")}). ` +
      `Verdicts of ${reference} on ${ref.length.toLocaleString("en")}: ${tally.eligible} eligible, ${tally.ineligible} ineligible, ${tally.indeterminate} indeterminate.\n`,
  );
  // Runs interleaved (every implementation once, three times over), so that a change in
  // the machine's load during the run reaches every implementation alike.
  const size = (impl: Impl) => (impl.slow ? SLICE : N);
  for (const impl of impls) await time(impl, Math.min(size(impl), 1000)); // warm-up
  const runs = new Map<Impl, number[]>(impls.map((i) => [i, []]));
  for (let round = 0; round < 3; round++) for (const impl of impls) runs.get(impl)!.push(await time(impl, size(impl)));
  const rows = impls.map((impl) => {
    const ms = runs.get(impl)!.sort((a, b) => a - b);
    return { name: impl.name, perSecond: (size(impl) / ms[1]!) * 1000, n: size(impl) };
  });
  const base = rows.find((r) => r.name === reference)!.perSecond;
  console.log(
    `| implementation | patients timed | patients per CPU second (median of 3) | CPU µs/patient | speed vs ${reference} | slower than ${reference} by |`,
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.n.toLocaleString("en")} | ${Math.round(r.perSecond).toLocaleString("en")} | ${(1e6 / r.perSecond).toFixed(2)} | ${(r.perSecond / base).toFixed(3)}x | ${(base / r.perSecond).toFixed(1)}x |`,
    );
  return rows;
}

console.log(`# npm run bench\n`);
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}. ` +
    `Load average at start: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}. Cohort: ${N.toLocaleString("en")} patients.`,
);

// ------------------------------------------------------------------ 1. eligibility
const ir15 = compileFile("bench/criteria15.trial").ir!;
const engine = rulesEngine();
const cqlLib = cqlEngine();
const fifteen: Impl[] = [
  { name: "hand-written function", run: sync(handWritten) },
  ...(await trialcImpls(ir15, "15")),
  { name: "json-logic-js", run: sync(jsonLogicVerdict) },
  {
    name: "json-rules-engine",
    slow: true,
    run: async (n) => {
      const out: Verdict[] = [];
      for (let i = 0; i < n; i++) out.push(await engine.verdict(patients[i]!));
      return out;
    },
  },
  {
    name: "cql-execution",
    slow: true,
    run: async (n) => {
      const out: Verdict[] = [];
      for (let i = 0; i < n; i++) out.push(await cqlLib.verdict(patients[i]!));
      return out;
    },
  },
];
const rows15 = await compare("15 criteria of the seed", fifteen, "hand-written function", () => N);
const jl = rows15.find((r) => r.name === "json-logic-js")!.perSecond;
const ex = rows15.find((r) => r.name.startsWith("trialc explained"))!.perSecond;
const dec = rows15.find((r) => r.name === "trialc decision-only (isEligible)")!.perSecond;
const hand = rows15.find((r) => r.name === "hand-written function")!.perSecond;
console.log(
  `\nTargets: decision-only at least 0.5x the hand-written function: ${(dec / hand).toFixed(3)}x (${dec / hand >= 0.5 ? "met" : "NOT met"}); ` +
    `explained at least 10x faster than json-logic-js: ${(ex / jl).toFixed(2)}x (${ex / jl >= 10 ? "met" : "NOT met"}).`,
);

if (ex / jl < 10) await explainedFloor(join(GENERATED_ROOT, "bench-15"), 1e6 / jl);

const irSeed = compileFile("protocols/lu177-octreotate.trial").ir!;
await compare("The whole seed protocol", await trialcImpls(irSeed, "seed"), "trialc decision-only (isEligible)", (i) =>
  i.slow ? SLICE : N,
);

// ------------------------------------------------------------------ 2. compile time
// Five fresh processes per size, medians: one process's wall-clock time moves by a
// tenth or more on a shared machine, as the start-up figures below would.
const RUNS = 5;
console.log(
  `\n### Compile time (in-process, after start-up) and peak memory, generated protocols (median of ${RUNS} processes)\n`,
);
console.log(
  "| criteria | check (parse + check to IR) | build (every file `trialc build` writes, in memory) | check + build | CPU of check + build (helper threads included) | output | peak RSS (highest) |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
let total10k: number[] = [];
for (const n of [10, 100, 1000, 10000]) {
  const runs: { checkMs: number; buildMs: number; cpuMs: number; bytes: number; peakMB: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/compile-one.ts", String(n)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(JSON.parse(r.stdout));
  }
  const totals = runs.map((m) => m.checkMs + m.buildMs);
  if (n === 10000) total10k = totals;
  console.log(
    `| ${n.toLocaleString("en")} | ${median(runs.map((m) => m.checkMs)).toFixed(0)} ms | ${median(runs.map((m) => m.buildMs)).toFixed(0)} ms | ${median(totals).toFixed(0)} ms | ${median(runs.map((m) => m.cpuMs)).toFixed(0)} ms | ${(runs[0]!.bytes / 1e6).toFixed(1)} MB | ${Math.max(...runs.map((m) => m.peakMB)).toFixed(0)} MB |`,
  );
}
console.log(
  `\nTarget: 10,000 criteria check + build under 2 s: ${(median(total10k) / 1000).toFixed(2)} s, median of ${total10k
    .map((t) => (t / 1000).toFixed(2))
    .join(", ")} s (${median(total10k) < 2000 ? "met" : "NOT met"}); load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}.`,
);

// ------------------------------------------------------------------ 3. start-up
console.log("\n### Whole-process start-up (`node bin/trialc.js`, median of 5)\n");
// The published command runs dist/; when any source is newer, bin/trialc.js falls back to
// tsx, which these figures must never measure: dist/ is built first (under a second).
const build = spawnSync(process.execPath, ["scripts/bundle.mjs"], { encoding: "utf8" });
if (build.status !== 0) {
  console.error(`npm run build failed:\n${build.stderr}`);
  process.exit(1);
}
console.log("Runs the bundle in dist/, built first (`npm run build`).\n");
console.log("| command | wall (median) | CPU user + system (median) |");
console.log("|---|---:|---:|");
for (const args of [["--help"], ["check", "protocols/lu177-octreotate.trial"]]) {
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, "bin/trialc.js", ...args], {
      encoding: "utf8",
    });
    walls.push(performance.now() - t);
    const [u, s] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
    cpu.push(((u ?? 0) + (s ?? 0)) * 1000);
  }
  walls.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`| trialc ${args.join(" ")} | ${walls[2]!.toFixed(0)} ms | ${cpu[2]!.toFixed(0)} ms |`);
}

// ------------------------------------------------------------------ 4. editing latency
// The language server's figure (issue 15), in its own process as `npm run bench:lsp` runs it.
console.log("\n### Language server: diagnostics after an edit (`bench/lsp.ts`)\n");
const lsp = spawnSync(process.execPath, ["--import", "tsx", "bench/lsp.ts"], { encoding: "utf8" });
console.log(lsp.status === 0 ? lsp.stdout.trim() : `bench/lsp.ts failed: ${lsp.stderr.trim()}`);

// ------------------------------------------------------------------ 5. screening in SQL
await (await import("./sql-section.js")).sqlSection();
