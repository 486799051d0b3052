/**
 * `npm run bench:sql [-- --persons N] [--scale]`: screening synthetic OMOP persons
 * (scripts/omop/synth.ts) through DuckDB embedded with the SQL target, against the
 * compiled TypeScript evaluator on the same persons.
 *
 * - SQL: the attrition query (`trialc screen`) and the per-person results (materialised
 *   in a table), over N persons (default 1 000 000) in a DuckDB file.
 * - TypeScript: the same persons read from the generator's rows into native patient
 *   records (scripts/omop/to-patient.ts) and evaluated by the generated module; the
 *   conversion is timed apart from the evaluation.
 * - `--scale`: 1, 2, 5 and 10 copies of the cohort (persons and events re-numbered), to
 *   show how the SQL time grows with the number of persons, up to 10 N.
 *
 * Times are wall-clock on this machine (`nproc` cores); DuckDB uses every core.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { compileText } from "../src/compile.js";
import { attritionQuery, compileSql, parseConceptMap } from "../src/emit/sql/index.js";
import { bind } from "../src/emit/sql/binding.js";
import { openDuckDb, type Db } from "../src/cli/db.js";
import { copyCsvIntoDuckDb, createCdm, CsvCohort } from "../scripts/omop/load.js";
import { RUN, synthCohort, COLUMNS } from "../scripts/omop/synth.js";
import { omopToPatient, splitByPerson } from "../scripts/omop/to-patient.js";
import { importEligibility, writeGenerated } from "../tests/generated.js";

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "1000000" },
    "ts-sample": { type: "string", default: "20000" },
    scale: { type: "boolean", default: false },
  },
});
const N = Number(values.persons);
/** The compiled evaluator runs on the first persons of the cohort only (it is the slow side). */
const TS = Math.min(N, Number(values["ts-sample"]));
const SEED_FILE = "protocols/lu177-octreotate.trial";
const MAP_FILE = "protocols/omop/lu177-concept-map.csv";
const ir = compileText(readFileSync(SEED_FILE, "utf8"), SEED_FILE).ir!;
const map = parseConceptMap(MAP_FILE, readFileSync(MAP_FILE, "utf8"));
const anchors = { inclusion: RUN.inclusion, D0: RUN.D0 };
const q = compileSql(ir, map, { dialect: "duckdb", asOf: RUN.asOf, anchors });
const SLICE = 50_000;
/** Copies of the cohort already in the database (see `grow`). */
let have = 1;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const line = (what: string, ms: number, n: number) =>
  console.log(`${what.padEnd(52)} ${secs(ms).padStart(9)}  ${((n / ms) * 1000).toFixed(0).padStart(10)} persons/s`);

console.log(`SQL target benchmark: ${N.toLocaleString("en")} synthetic persons, DuckDB, ${cpus().length} cores`);
const dir = mkdtempSync(join(tmpdir(), "trialc-bench-sql-"));
try {
  // --- data
  let t = performance.now();
  const csv = new CsvCohort(dir);
  for (let from = 1; from <= N; from += SLICE) await csv.append(synthCohort(1, from, Math.min(N, from + SLICE - 1)));
  await csv.close();
  const db = await openDuckDb(join(dir, "omop.duckdb"));
  await createCdm(db);
  await copyCsvIntoDuckDb(db, dir);
  const events = await count(db);
  line(`generate and load (${(events / N).toFixed(1)} events/person)`, performance.now() - t, N);

  // --- SQL
  const a = attritionQuery(q);
  t = performance.now();
  await db.query(`${q.withClause}\n${a.sql}`);
  const sqlAttrition = performance.now() - t;
  line("SQL: attrition table (trialc screen)", sqlAttrition, N);
  t = performance.now();
  await db.exec(`CREATE OR REPLACE TABLE screened AS ${q.withClause}\n${q.resultSelect}`);
  const sqlPersons = performance.now() - t;
  line("SQL: per-person results, materialised", sqlPersons, N);

  // --- TypeScript on the same persons
  const mod = await importEligibility(writeGenerated(ir, "bench-sql"));
  const bindings = bind(ir, map);
  let convert = 0;
  let evaluate = 0;
  let verdicts = 0;
  for (let from = 1; from <= TS; from += SLICE) {
    let s = performance.now();
    const rows = synthCohort(1, from, Math.min(TS, from + SLICE - 1));
    const perPerson = splitByPerson(rows);
    const patients = [...perPerson.entries()].map(([pid, r]) =>
      omopToPatient(ir, bindings, map, r, pid, RUN.asOf, { inclusion: RUN.inclusion, D0: RUN.D0 }),
    );
    convert += performance.now() - s;
    s = performance.now();
    for (const p of patients) if (mod.evaluateEligibility(p, anchors).ok) verdicts++;
    evaluate += performance.now() - s;
  }
  line(`TypeScript: OMOP rows to patient records (${TS} persons)`, convert, TS);
  line(`TypeScript: compiled evaluator (${TS} persons)`, evaluate, TS);
  console.log(
    `ratio, time per person: compiled TypeScript / SQL per-person results = ${(evaluate / TS / (sqlPersons / N)).toFixed(1)} (${verdicts} records evaluated; TypeScript on the first ${TS} of the same persons)`,
  );

  // --- growth
  if (values.scale) {
    for (const copies of [2, 5, 10]) {
      await grow(db, copies, N);
      t = performance.now();
      await db.query(`${q.withClause}\n${a.sql}`);
      line(`SQL: attrition table, ${(copies * N).toLocaleString("en")} persons`, performance.now() - t, copies * N);
    }
  }
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function count(db: Db): Promise<number> {
  let n = 0;
  for (const t of ["measurement", "observation", "condition_occurrence", "procedure_occurrence", "drug_exposure"])
    n += Number((await db.query(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  return n;
}

/** Copies of persons 1..n (ids shifted by k·n, event ids by k·n·100) until there are `copies`. */
async function grow(db: Db, copies: number, n: number): Promise<void> {
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
  have = copies;
}
