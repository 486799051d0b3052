/**
 * The databases `trialc screen` runs on: DuckDB embedded (a `.duckdb` file, or an
 * in-memory database over a folder of Parquet files) and PostgreSQL (a `postgres://`
 * URL). One small interface, so the screening code does not care which.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Dialect } from "../emit/sql/index.js";
import { EXIT, UserError } from "./io.js";

export interface Db {
  dialect: Dialect;
  /** Rows as plain objects; numbers, strings and null (BIGINT and DECIMAL become JS numbers or strings). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The OMOP tables read from a Parquet folder (`<table>.parquet`, or a folder of part files). */
export const CDM_TABLES = [
  "person",
  "observation_period",
  "visit_occurrence",
  "condition_occurrence",
  "drug_exposure",
  "procedure_occurrence",
  "measurement",
  "observation",
] as const;

const sqlPath = (p: string) => `'${p.replace(/'/g, "''")}'`;

export async function openDuckDb(path: string, opts: { readOnly?: boolean; parquet?: string } = {}): Promise<Db> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  if (path !== ":memory:" && opts.readOnly && !existsSync(path))
    throw new UserError(`no DuckDB database at ${path}`, EXIT.input);
  let instance;
  try {
    instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: "READ_ONLY" } : {});
  } catch (e) {
    throw new UserError(`cannot open the DuckDB database ${path}: ${(e as Error).message}`);
  }
  const conn = await instance.connect();
  const db: Db = {
    dialect: "duckdb",
    async query(sql) {
      const r = await conn.runAndReadAll(sql);
      return r.getRowObjectsJson() as Record<string, unknown>[];
    },
    async exec(sql) {
      await conn.run(sql);
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
  if (opts.parquet) await attachParquet(db, opts.parquet);
  return db;
}

/** Views over `<dir>/<table>.parquet` (a file, or a folder of part files) for each CDM table. */
async function attachParquet(db: Db, dir: string): Promise<void> {
  if (!existsSync(dir)) throw new UserError(`no Parquet folder at ${dir}`);
  const names = new Set(readdirSync(dir));
  for (const t of CDM_TABLES) {
    const file = names.has(`${t}.parquet`) ? join(dir, `${t}.parquet`) : null;
    if (!file) throw new UserError(`${dir}: no ${t}.parquet (an OMOP extract needs ${CDM_TABLES.join(", ")})`);
    const target = existsSync(join(file, ".")) && !file.endsWith(".parquet") ? join(file, "*.parquet") : file;
    await db.exec(`CREATE OR REPLACE VIEW ${t} AS SELECT * FROM read_parquet(${sqlPath(resolve(target))})`);
  }
}

export async function openPostgres(url: string): Promise<Db> {
  const pg = (await import("pg")).default;
  // NUMERIC and BIGINT arrive as strings (exact); DATE as text (no time zone shift).
  const types = {
    getTypeParser: (oid: number, format?: unknown) =>
      oid === 1082 || oid === 1114 || oid === 1184
        ? (v: string) => v
        : (pg.types.getTypeParser as (o: number, f?: unknown) => (v: string) => unknown)(oid, format),
  };
  const client = new pg.Client({ connectionString: url, types } as never);
  try {
    await client.connect();
  } catch (e) {
    throw new UserError(`cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`);
  }
  return {
    dialect: "postgres",
    async query(sql) {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    async close() {
      await client.end();
    },
  };
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
}

/** `--db`: a PostgreSQL URL or a DuckDB file. */
export async function openDb(spec: string | undefined, parquet?: string): Promise<Db> {
  if (spec && /^postgres(ql)?:\/\//.test(spec)) {
    if (parquet)
      throw new UserError("--parquet reads Parquet with DuckDB: it does not go with a PostgreSQL --db", EXIT.usage);
    return openPostgres(spec);
  }
  if (!spec && !parquet) throw new UserError("give --db <duckdb file | postgres URL> or --parquet <dir>", EXIT.usage);
  return openDuckDb(spec ?? ":memory:", { readOnly: !!spec && spec !== ":memory:", ...(parquet ? { parquet } : {}) });
}
