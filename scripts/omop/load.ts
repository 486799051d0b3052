/**
 * Putting synthetic OMOP rows into a database: the CDM v5.4 tables (cdm.ts), then the rows,
 * as multi-row INSERTs (small cohorts, tests) or CSV files that DuckDB copies in
 * (large cohorts, the benchmark and `npm run omop:synth`).
 */
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cdmDdl } from "./cdm.js";
import { COLUMNS, FILLERS, type OmopRows } from "./synth.js";

/** The minimal database interface (src/cli/db.ts's Db satisfies it). */
export interface ExecDb {
  dialect: "duckdb" | "postgres" | "spark";
  exec(sql: string): Promise<void>;
}

/** Create the CDM tables trialc reads (the DDL cdm.ts writes for the dialect). */
export async function createCdm(db: ExecDb): Promise<void> {
  for (const stmt of cdmDdl(db.dialect)) await db.exec(stmt);
}

/** A tuple with every column of its table (trailing optional columns NULL). */
function full(table: keyof OmopRows, t: (string | number | null | undefined)[]): (string | number | null)[] {
  return COLUMNS[table].map((_, i) => t[i] ?? null);
}

function lit(v: string | number | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** INSERT the rows, `batch` tuples per statement. */
export async function insertRows(db: ExecDb, rows: OmopRows, batch = 2000): Promise<void> {
  if (db.dialect === "duckdb") {
    // DuckDB's parser is slow on long VALUES lists: copy from CSV files instead.
    const dir = mkdtempSync(join(tmpdir(), "trialc-omop-"));
    try {
      const csv = new CsvCohort(dir);
      await csv.append(rows);
      await csv.close();
      await copyCsvIntoDuckDb(db, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  for (const table of Object.keys(COLUMNS) as (keyof OmopRows)[]) {
    const fill = FILLERS[table];
    const cols = [...COLUMNS[table], ...Object.keys(fill)];
    const tuples = rows[table] as (string | number | null)[][];
    for (let i = 0; i < tuples.length; i += batch) {
      const values = tuples
        .slice(i, i + batch)
        .map((t) => `(${[...full(table, t).map(lit), ...Object.values(fill)].join(", ")})`)
        .join(",\n");
      await db.exec(`INSERT INTO ${table} (${cols.join(", ")}) VALUES\n${values}`);
    }
  }
}

/** CSV writers, one per table, appending rows slice after slice. */
export class CsvCohort {
  private streams = new Map<keyof OmopRows, WriteStream>();
  constructor(readonly dir: string) {
    for (const table of Object.keys(COLUMNS) as (keyof OmopRows)[]) {
      const s = createWriteStream(join(dir, `${table}.csv`));
      s.write([...COLUMNS[table], ...Object.keys(FILLERS[table])].join(",") + "\n");
      this.streams.set(table, s);
    }
  }
  async append(rows: OmopRows): Promise<void> {
    for (const table of Object.keys(COLUMNS) as (keyof OmopRows)[]) {
      const fill = Object.values(FILLERS[table]);
      const lines = (rows[table] as (string | number | null)[][])
        .map((t) => [...full(table, t).map((v) => (v === null ? "" : String(v))), ...fill].join(","))
        .join("\n");
      if (!lines) continue;
      const s = this.streams.get(table)!;
      if (!s.write(lines + "\n")) await new Promise((res) => s.once("drain", () => res(undefined)));
    }
  }
  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((res) => s.end(() => res()))));
  }
}

/** Copy the CSV files of a cohort into DuckDB tables created from the DDL. */
export async function copyCsvIntoDuckDb(db: ExecDb, dir: string): Promise<void> {
  for (const table of Object.keys(COLUMNS) as (keyof OmopRows)[]) {
    const cols = [...COLUMNS[table], ...Object.keys(FILLERS[table])];
    const path = join(dir, `${table}.csv`).replace(/'/g, "''");
    await db.exec(`COPY ${table} (${cols.join(", ")}) FROM '${path}' (HEADER, NULLSTR '')`);
  }
}
