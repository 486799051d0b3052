/**
 * Screening synthetic OMOP persons (scripts/omop/synth.ts) through DuckDB embedded with
 * the SQL target, against the compiled TypeScript evaluator on the same persons: the
 * logic of `npm run bench:sql` (bench/sql.ts) and of the last section of `npm run bench`
 * (`sqlSection`, bench/run.ts).
 *
 * - SQL: the attrition query (`trialc screen`) and the per-person results (materialised
 *   in a table), over N persons in a DuckDB file under the system's temporary folder;
 *   then, as the floor under any such query, the query's own events grouped by person
 *   and element with no rule, and the time per person against the 10 M in 60 s target.
 * - TypeScript: the first S of the same persons read from the generator's rows into
 *   native patient records (scripts/omop/to-patient.ts) and evaluated by the generated
 *   modules (`evaluateEligibility`, full result; `isEligible`, the verdict only); the
 *   conversion is timed apart from the evaluation.
 * - `scale`: 2, 5 and 10 copies of the cohort (persons and events re-numbered), to show
 *   how the SQL time grows with the number of persons, up to 10 N.
 *
 * Times are wall-clock and CPU (user + system of this process, DuckDB's threads
 * included) on this machine; DuckDB uses every core. The load average is printed with
 * them, since the machine may be shared.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { compileText } from "../src/compile.js";
import { attritionQuery, compileSql, parseConceptMap } from "../src/emit/sql/index.js";
import { bind } from "../src/emit/sql/binding.js";
import { openDuckDb, type Db } from "../src/cli/db.js";
import { copyCsvIntoDuckDb, createCdm, CsvCohort } from "../scripts/omop/load.js";
import { RUN, synthCohort, COLUMNS } from "../scripts/omop/synth.js";
import { omopToPatient, splitByPerson } from "../scripts/omop/to-patient.js";
import { importDecide, importEligibility, writeGenerated } from "../tests/generated.js";

const SEED_FILE = "protocols/lu177-octreotate.trial";
const MAP_FILE = "protocols/omop/lu177-concept-map.csv";
const SLICE = 50_000;

export interface SqlBenchOptions {
  persons: number;
  /** The TypeScript evaluators run on the first persons of the cohort only (they are the slow side). */
  tsSample: number;
  scale?: boolean;
  /** One line per figure (default: console.log). */
  print?: (line: string) => void;
  /** Lines as rows of a Markdown table (for `npm run bench`). */
  markdown?: boolean;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

/** Run the benchmark, printing each figure as it is measured. */
export async function sqlBench(o: SqlBenchOptions): Promise<void> {
  const print = o.print ?? ((s: string) => console.log(s));
  const N = o.persons;
  const TS = Math.min(N, o.tsSample);
  const ir = compileText(readFileSync(SEED_FILE, "utf8"), SEED_FILE).ir!;
  const map = parseConceptMap(MAP_FILE, readFileSync(MAP_FILE, "utf8"));
  const anchors = { inclusion: RUN.inclusion, D0: RUN.D0 };
  const q = compileSql(ir, map, { dialect: "duckdb", asOf: RUN.asOf, anchors });
  const a = attritionQuery(q);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  /** Time `f`: wall-clock and CPU milliseconds. */
  const timed = async (f: () => Promise<unknown> | unknown) => {
    const t = performance.now();
    const c = process.cpuUsage();
    await f();
    const d = process.cpuUsage(c);
    return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
  };
  const targetLines: string[] = [];
  const perPerson = (t: { wall: number }) => ((t.wall * 1000) / N).toFixed(1);
  const line = (what: string, ms: { wall: number; cpu: number }, n: number) =>
    print(
      o.markdown
        ? `| ${what} | ${secs(ms.wall)} | ${secs(ms.cpu)} | ${((n / ms.wall) * 1000).toFixed(0)} | ${load()} |`
        : `${what.padEnd(58)} ${secs(ms.wall).padStart(9)} wall ${secs(ms.cpu).padStart(9)} CPU ${((n / ms.wall) * 1000).toFixed(0).padStart(9)} persons/s  (load ${load()})`,
    );

  print(
    `SQL target: ${N.toLocaleString("en")} synthetic OMOP persons (seed 1), DuckDB, ${cpus().length} cores; load average at the start ${load()}`,
  );
  if (o.markdown) {
    print("");
    print("| step | wall | CPU | persons/s (wall) | load average after |");
    print("|---|---:|---:|---:|---|");
  }
  const dir = mkdtempSync(join(tmpdir(), "trialc-bench-sql-"));
  try {
    // --- data
    let db!: Db;
    let events = 0;
    const gen = await timed(async () => {
      const csv = new CsvCohort(dir);
      for (let from = 1; from <= N; from += SLICE)
        await csv.append(synthCohort(1, from, Math.min(N, from + SLICE - 1)));
      await csv.close();
      db = await openDuckDb(join(dir, "omop.duckdb"));
      await createCdm(db);
      await copyCsvIntoDuckDb(db, dir);
      events = await count(db);
    });
    line(`generate and load (${(events / N).toFixed(1)} events/person)`, gen, N);

    // --- SQL
    const sqlAttrition = await timed(() => db.query(`${q.withClause}\n${a.sql}`));
    line("SQL: attrition table (trialc screen)", sqlAttrition, N);
    const sqlPersons = await timed(() =>
      db.exec(`CREATE OR REPLACE TABLE screened AS ${q.withClause}\n${q.resultSelect}`),
    );
    line("SQL: per-person results, materialised", sqlPersons, N);
    // What bounds the attrition on this machine: the one reduction every latest-result rule
    // needs, alone (the query's own events, grouped by person and element; no rule).
    const floorSql = `${q.withClause}\nSELECT COUNT(*) AS n, BIT_XOR(HASH(g)) AS h FROM (SELECT person_id, element, MAX(event_date) AS d, COUNT(*) AS k FROM trialc_events GROUP BY person_id, element) g`;
    const floor = await timed(() => db.query(floorSql));
    line("SQL floor: events grouped by person, element (no rule)", floor, N);
    targetLines.push(
      `Target: 10,000,000 persons in 60 s, at most 6.0 µs of wall per person; ` +
        `the attrition took ${perPerson(sqlAttrition)} µs per person, the grouping alone ${perPerson(floor)} µs ` +
        `(it grows faster than the persons: docs/scale.md).`,
    );

    // --- TypeScript on the same persons
    const generated = writeGenerated(ir, "bench-sql");
    const mod = await importEligibility(generated);
    const decide = await importDecide(generated);
    const bindings = bind(ir, map);
    const convert = { wall: 0, cpu: 0 };
    const evaluate = { wall: 0, cpu: 0 };
    const verdict = { wall: 0, cpu: 0 };
    const add = (to: { wall: number; cpu: number }, t: { wall: number; cpu: number }) => {
      to.wall += t.wall;
      to.cpu += t.cpu;
    };
    // Warm-up, untimed: the first evaluation loads the unit tables.
    const first = omopToPatient(ir, bindings, map, synthCohort(1, 1, 1), 1, RUN.asOf, anchors);
    mod.evaluateEligibility(first, anchors);
    decide.isEligible(first, anchors);
    let disagree = 0;
    for (let from = 1; from <= TS; from += SLICE) {
      let patients: Record<string, unknown>[] = [];
      add(
        convert,
        await timed(() => {
          const perPerson = splitByPerson(synthCohort(1, from, Math.min(TS, from + SLICE - 1)));
          patients = [...perPerson.entries()].map(([pid, r]) =>
            omopToPatient(ir, bindings, map, r, pid, RUN.asOf, anchors),
          );
        }),
      );
      const full: string[] = [];
      add(
        evaluate,
        await timed(() => {
          for (const p of patients) {
            const r = mod.evaluateEligibility(p, anchors);
            full.push(r.ok ? (r.result as { verdict: string }).verdict : "invalid");
          }
        }),
      );
      const only: string[] = [];
      add(
        verdict,
        await timed(() => {
          for (const p of patients) only.push(decide.isEligible(p, anchors));
        }),
      );
      // The SQL's verdicts for the same persons: the three must agree.
      const sql = await db.query(
        `SELECT verdict FROM screened WHERE person_id BETWEEN ${from} AND ${Math.min(TS, from + SLICE - 1)} ORDER BY person_id`,
      );
      sql.forEach((r, i) => {
        if (r.verdict !== full[i] || full[i] !== only[i]) disagree++;
      });
    }
    if (disagree) throw new Error(`${disagree} of the first ${TS} persons: SQL and the compiled modules disagree`);
    line(`TypeScript: OMOP rows to patient records (first ${TS.toLocaleString("en")})`, convert, TS);
    line(`TypeScript: evaluateEligibility (same ${TS.toLocaleString("en")})`, evaluate, TS);
    line(`TypeScript: isEligible, verdict only (same ${TS.toLocaleString("en")})`, verdict, TS);
    const per = (t: { wall: number }, n: number) => t.wall / n;
    if (o.markdown) print("");
    targetLines.forEach((t) => print(t));
    print(
      `${o.markdown ? "\n" : ""}Time per person (wall), on the same persons (TypeScript: the first ${TS.toLocaleString("en")}, all three verdicts agreeing): ` +
        `evaluateEligibility / SQL per-person results = ${(per(evaluate, TS) / per(sqlPersons, N)).toFixed(3)}; ` +
        `isEligible / SQL attrition = ${(per(verdict, TS) / per(sqlAttrition, N)).toFixed(3)} ` +
        `(below 1: the TypeScript evaluator is faster per person, on one core; DuckDB runs on ${cpus().length}).`,
    );

    // --- growth
    if (o.scale) {
      let have = 1;
      for (const copies of [2, 5, 10]) {
        await grow(db, have, copies, N);
        have = copies;
        line(
          `SQL: attrition table, ${(copies * N).toLocaleString("en")} persons`,
          await timed(() => db.query(`${q.withClause}\n${a.sql}`)),
          copies * N,
        );
        line(
          `SQL floor: events by person, element, ${(copies * N).toLocaleString("en")} persons`,
          await timed(() => db.query(floorSql)),
          copies * N,
        );
      }
    }
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last section of `npm run bench`: BENCH_SQL_PERSONS persons (default 1,000,000; 0 skips it). */
export async function sqlSection(): Promise<void> {
  const persons = Number(process.env.BENCH_SQL_PERSONS ?? 1_000_000);
  console.log("\n### Screening OMOP persons in SQL: DuckDB against the compiled evaluator (`bench/sql-section.ts`)\n");
  if (!persons) {
    console.log("Skipped (BENCH_SQL_PERSONS=0).");
    return;
  }
  await sqlBench({ persons, tsSample: Number(process.env.BENCH_SQL_TS_SAMPLE ?? 20_000), markdown: true });
}

async function count(db: Db): Promise<number> {
  let n = 0;
  for (const t of ["measurement", "observation", "condition_occurrence", "procedure_occurrence", "drug_exposure"])
    n += Number((await db.query(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  return n;
}

/** Copies of persons 1..n (ids shifted by k·n, event ids by k·n·100) from `have` copies to `copies`. */
async function grow(db: Db, have: number, copies: number, n: number): Promise<void> {
  for (let k = have; k < copies; k++)
    for (const table of Object.keys(COLUMNS)) {
      const cols = COLUMNS[table as keyof typeof COLUMNS];
      const shifted = cols.map((c, i) =>
        c === "person_id" ? `person_id + ${k * n}` : i === 0 && c !== "person_id" ? `${c} + ${k * n * 100}` : c,
      );
      const rest = (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`))
        .map((r) => String(r.column_name))
        .filter((c) => !cols.includes(c));
      await db.exec(
        `INSERT INTO ${table} (${[...cols, ...rest].join(", ")}) SELECT ${[...shifted, ...rest].join(", ")} FROM ${table} WHERE person_id <= ${n}`,
      );
    }
}
