/**
 * What the SQL tests share: the seed protocol compiled to SQL against its concept map,
 * databases with the OMOP tables (DuckDB in memory; PostgreSQL when
 * TRIALC_TEST_PG_URL names one, as .ci/run does), and results read back per person.
 */
import { readFileSync } from "node:fs";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { bind, type Bindings } from "../../src/emit/sql/binding.js";
import { compileSql, parseConceptMap, sqlText, type ConceptMap, type Dialect } from "../../src/emit/sql/index.js";
import { openDuckDb, openPostgres, type Db } from "../../src/cli/db.js";
import { createCdm, insertRows } from "../../scripts/omop/load.js";
import { COLUMNS, RUN, type OmopRows } from "../../scripts/omop/synth.js";

export const SEED = "protocols/lu177-octreotate.trial";
export const MAP = "protocols/omop/lu177-concept-map.csv";
export const ANCHORS = { inclusion: RUN.inclusion, D0: RUN.D0 };

export interface Compiled {
  ir: IrProtocol;
  map: ConceptMap;
  bindings: Bindings;
  sql: (d: Dialect, extra?: { asOf?: string; anchors?: Record<string, string> }) => string;
}

export function seedProtocol(): Compiled {
  const ir = compileFile(SEED).ir!;
  const map = parseConceptMap(MAP, readFileSync(MAP, "utf8"));
  return {
    ir,
    map,
    bindings: bind(ir, map),
    sql: (d, extra) =>
      sqlText(compileSql(ir, map, { dialect: d, asOf: extra?.asOf ?? RUN.asOf, anchors: extra?.anchors ?? ANCHORS })),
  };
}

/** The PostgreSQL test database, if any (a fresh schema per call). */
export const PG_URL = process.env.TRIALC_TEST_PG_URL;

/** A database with empty CDM tables. For PostgreSQL, in a schema of its own (dropped by `close`). */
export async function cdmDatabase(d: "duckdb" | "postgres"): Promise<Db> {
  if (d === "duckdb") {
    const db = await openDuckDb(":memory:");
    await createCdm(db);
    return db;
  }
  const db = await openPostgres(PG_URL!);
  const schema = `trialc_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await db.exec(`CREATE SCHEMA ${schema}`);
  await db.exec(`SET search_path TO ${schema}`);
  await createCdm(db);
  const close = db.close;
  db.close = async () => {
    await db.exec(`DROP SCHEMA ${schema} CASCADE`);
    await close();
  };
  return db;
}

/** Replace the database's rows with `rows`. */
export async function reload(db: Db, rows: OmopRows): Promise<void> {
  for (const t of Object.keys(COLUMNS)) await db.exec(`DELETE FROM ${t}`);
  await insertRows(db, rows);
}

/** A per-person result row as verdicts and normalised missing sets. */
export interface Outcome {
  verdict: string;
  criteria: Record<string, { verdict: string; missing: string[] }>;
  missing: string[];
}
