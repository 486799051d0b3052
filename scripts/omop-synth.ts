/**
 * `npm run omop:synth -- --persons N [--format parquet|csv|duckdb] [--seed S] --out DIR`:
 * a deterministic synthetic OMOP CDM v5.4 cohort for the seed protocol (see
 * scripts/omop/synth.ts). `parquet` (default) writes `<table>.parquet` per table, `csv`
 * `<table>.csv`, `duckdb` one `omop.duckdb` database; `trialc screen` reads any of them
 * (`--parquet DIR` or `--db DIR/omop.duckdb`).
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDuckDb } from "../src/cli/db.js";
import { copyCsvIntoDuckDb, createCdm, CsvCohort } from "./omop/load.js";
import { COLUMNS, synthCohort } from "./omop/synth.js";

const { values } = parseArgs({
  options: {
    persons: { type: "string" },
    format: { type: "string", default: "parquet" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const persons = Number(values.persons);
const seed = Number(values.seed);
const format = values.format!;
if (
  !Number.isInteger(persons) ||
  persons < 1 ||
  !values.out ||
  !["parquet", "csv", "duckdb"].includes(format) ||
  !Number.isInteger(seed)
) {
  process.stderr.write("usage: npm run omop:synth -- --persons N [--format parquet|csv|duckdb] [--seed S] --out DIR\n");
  process.exit(2);
}
const out = values.out;
mkdirSync(out, { recursive: true });

/** Generate persons 1..n into CSV files in `dir`, in slices. */
export async function writeCsv(dir: string, n: number, s: number): Promise<void> {
  const csv = new CsvCohort(dir);
  const slice = 20000;
  for (let from = 1; from <= n; from += slice) await csv.append(synthCohort(s, from, Math.min(n, from + slice - 1)));
  await csv.close();
}

const started = Date.now();
if (format === "csv") {
  await writeCsv(out, persons, seed);
} else {
  const tmp = join(out, ".csv");
  mkdirSync(tmp, { recursive: true });
  await writeCsv(tmp, persons, seed);
  const file = join(out, "omop.duckdb");
  if (format === "duckdb" && existsSync(file)) rmSync(file);
  const db = await openDuckDb(format === "duckdb" ? file : ":memory:");
  await createCdm(db);
  await copyCsvIntoDuckDb(db, tmp);
  if (format === "parquet")
    for (const t of Object.keys(COLUMNS))
      await db.exec(`COPY ${t} TO '${join(out, `${t}.parquet`).replace(/'/g, "''")}' (FORMAT parquet)`);
  // The CDM tables the generator leaves empty, so that a reader finds every table.
  if (format === "parquet")
    await db.exec(
      `COPY visit_occurrence TO '${join(out, "visit_occurrence.parquet").replace(/'/g, "''")}' (FORMAT parquet)`,
    );
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.stdout.write(
  `${persons} synthetic persons (seed ${seed}) written to ${out} as ${format} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
