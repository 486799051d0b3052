/**
 * `tsx bench/time-screen.ts --persons N [--engine duckdb|postgres|both]`: the wall-clock
 * time of the seed protocol's per-person query and attrition query over N synthetic
 * persons (scripts/omop/synth.ts), on DuckDB in memory and on PostgreSQL
 * (TRIALC_TEST_PG_URL, a schema of its own), plus a single-person query. The small,
 * two-engine counterpart of `npm run bench:sql`.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { compileText } from "../src/compile.js";
import { attritionQuery, compileSql, parseConceptMap } from "../src/emit/sql/index.js";
import { openDuckDb, openPostgres, type Db } from "../src/cli/db.js";
import { createCdm, insertRows } from "../scripts/omop/load.js";
import { RUN, synthCohort } from "../scripts/omop/synth.js";

const { values } = parseArgs({
  options: { persons: { type: "string", default: "1000" }, engine: { type: "string", default: "both" } },
});
const N = Number(values.persons);
const SEED_FILE = "protocols/lu177-octreotate.trial";
const MAP_FILE = "protocols/omop/lu177-concept-map.csv";
const ir = compileText(readFileSync(SEED_FILE, "utf8"), SEED_FILE).ir!;
const map = parseConceptMap(MAP_FILE, readFileSync(MAP_FILE, "utf8"));
const anchors = { inclusion: RUN.inclusion, D0: RUN.D0 };
const pg = process.env.TRIALC_TEST_PG_URL;
const engines = (values.engine === "both" ? ["duckdb", "postgres"] : [values.engine!]) as ("duckdb" | "postgres")[];

async function open(d: "duckdb" | "postgres"): Promise<Db> {
  if (d === "duckdb") return openDuckDb(":memory:");
  if (!pg) throw new Error("TRIALC_TEST_PG_URL is not set");
  const db = await openPostgres(pg);
  const schema = `trialc_bench_${process.pid}`;
  await db.exec(`CREATE SCHEMA ${schema}`);
  await db.exec(`SET search_path TO ${schema}`);
  const close = db.close;
  db.close = async () => {
    await db.exec(`DROP SCHEMA ${schema} CASCADE`);
    await close();
  };
  return db;
}

async function timed(what: string, f: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await f();
  console.log(`${what.padEnd(44)} ${((performance.now() - t) / 1000).toFixed(2).padStart(8)} s`);
}

for (const d of engines) {
  const q = compileSql(ir, map, { dialect: d, asOf: RUN.asOf, anchors });
  const a = attritionQuery(q);
  for (const n of [1, N]) {
    const db = await open(d);
    try {
      await createCdm(db);
      await insertRows(db, synthCohort(1, 1, n));
      if (d === "postgres") await db.exec("ANALYZE");
      await timed(`${d}: per-person results, ${n} persons`, () => db.query(`${q.withClause}\n${q.resultSelect}`));
      await timed(`${d}: attrition table, ${n} persons`, () => db.query(`${q.withClause}\n${a.sql}`));
    } finally {
      await db.close();
    }
  }
}
