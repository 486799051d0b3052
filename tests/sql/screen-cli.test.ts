/**
 * `trialc sql` and `trialc screen` as a user runs them: on a synthetic OMOP cohort in a
 * DuckDB file and as Parquet files; the attrition table adds up; bad input gives a clear
 * message and exit code, never a stack trace.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CDM_TABLES, openDuckDb, type Db } from "../../src/cli/db.js";
import { createCdm, insertRows } from "../../scripts/omop/load.js";
import { RUN, synthCohort } from "../../scripts/omop/synth.js";
import { trialc } from "../cli/run.js";
import { SEED } from "./support.js";

let dir: string;
let dbFile: string;
const run = [`--as-of`, RUN.asOf, `--anchor`, `inclusion=${RUN.inclusion}`, `--anchor`, `D0=${RUN.D0}`];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trialc-screen-"));
  dbFile = join(dir, "omop.duckdb");
  const db = await openDuckDb(dbFile);
  await createCdm(db);
  await insertRows(db, synthCohort(11, 1, 120, 0.2));
  await exportParquet(db, dir);
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each CDM table as `<table>.parquet` in `to`, from `source(table)` (a query, or the table). */
async function exportParquet(db: Db, to: string, source: (t: string) => string = (t) => t): Promise<void> {
  for (const t of CDM_TABLES)
    await db.exec(`COPY ${source(t) === t ? t : `(${source(t)})`} TO '${join(to, `${t}.parquet`)}' (FORMAT parquet)`);
}

describe("trialc screen", () => {
  it("prints the attrition table in protocol order, and it adds up", async () => {
    const r = await trialc("screen", SEED, "--db", dbFile, ...run, "--format", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.total).toBe(120);
    expect(s.attrition.map((a: { id: string }) => a.id)).toEqual([
      ..."I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12 I13".split(" "),
      ..."E1 E2 E3 E4 E5 E6 E7 E8 E9".split(" "),
    ]);
    let kept = s.total;
    for (const a of s.attrition) {
      expect(a.remaining).toBe(kept - a.removed);
      expect(a.met + a.notMet + a.undecided).toBe(s.total);
      kept = a.remaining;
    }
    expect(s.overall.ineligible).toBe(s.total - kept);
    expect(s.overall.eligible + s.overall.indeterminate).toBe(kept);
    // Attestations are never in OMOP: I11 names them as what is missing.
    const i11 = s.attrition.find((a: { id: string }) => a.id === "I11");
    expect(i11.wants.map((w: { item: string }) => w.item)).toContain("informed_consent");
  });

  it("reads a Parquet extract the same way, writes per-person results and the what-if table", async () => {
    const out = join(dir, "persons.csv");
    const a = await trialc("screen", SEED, "--db", dbFile, ...run);
    const b = await trialc("screen", SEED, "--parquet", dir, ...run, "--what-if", "--out", out);
    expect(b.code).toBe(0);
    const table = (s: string) => s.slice(s.indexOf("Attrition"), s.indexOf("Each criterion"));
    expect(table(b.stdout)).toBe(table(a.stdout));
    expect(b.stdout).toMatch(/What if/);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(121);
    expect(lines[0]!.startsWith("person_id,verdict,I1,I1_missing")).toBe(true);
  });

  it("a Parquet extract with FLOAT value columns gives every person the same result as the NUMERIC database", async () => {
    // ETLs often write value_as_number and the ranges as binary floats; each is read as the
    // decimal that was written (docs/sql.md, "Numbers as read"), boundary values included.
    const floats = join(dir, "floats");
    mkdirSync(floats);
    const db = await openDuckDb(dbFile);
    const real = (cols: string[]) => cols.map((c) => `CAST(${c} AS FLOAT) AS ${c}`).join(", ");
    const floated: Record<string, string[]> = {
      measurement: ["value_as_number", "range_low", "range_high"],
      observation: ["value_as_number"],
    };
    await exportParquet(db, floats, (t) => (floated[t] ? `SELECT * REPLACE (${real(floated[t])}) FROM ${t}` : t));
    await db.close();
    const [a, b] = [join(dir, "numeric.csv"), join(dir, "float.csv")];
    expect((await trialc("screen", SEED, "--db", dbFile, ...run, "--out", a)).code).toBe(0);
    expect((await trialc("screen", SEED, "--parquet", floats, ...run, "--out", b)).code).toBe(0);
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
  });

  it("csv format", async () => {
    const r = await trialc("screen", SEED, "--db", dbFile, ...run, "--format", "csv");
    expect(r.stdout.split("\n")[0]).toMatch(/^criterion,role,kept,decided,removed/);
  });

  it("bad input: a clear message, an exit code, no stack trace, no file", async () => {
    const missing = await trialc("screen", SEED, "--db", join(dir, "nope.duckdb"), ...run);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no DuckDB database at/);
    const usage = await trialc("screen", SEED, ...run);
    expect(usage.code).toBe(2);
    const date = await trialc("screen", SEED, "--db", dbFile, "--as-of", "2027-02-30");
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--as-of: "2027-02-30" is not a real date/);
    const badMap = join(dir, "bad.csv");
    writeFileSync(badMap, "element,concept_id,domain_id\nhemoglobin,x,Measurement\n");
    const map = await trialc("screen", SEED, "--db", dbFile, "--concepts", badMap);
    expect(map.code).toBe(1);
    expect(map.stderr).toMatch(/bad\.csv:2: concept_id/);
    const empty = join(dir, "empty.duckdb");
    const db = await openDuckDb(empty);
    await db.close();
    const out = join(dir, "never.csv");
    const noTables = await trialc("screen", SEED, "--db", empty, ...run, "--out", out);
    expect(noTables.code).toBe(1);
    expect(noTables.stderr).toMatch(/the screening query failed/);
    expect(noTables.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe("trialc sql", () => {
  it("writes one query with a CTE per criterion, commented with its text", async () => {
    const out = join(dir, "q.sql");
    const r = await trialc("sql", SEED, "--dialect", "postgres", "--out", out, ...run);
    expect(r.code).toBe(0);
    const sql = readFileSync(out, "utf8");
    expect(sql).toMatch(/-- I7c \(criterion\): Platelet count >= 100 x 10\^3\/uL\ncrit_i7c AS \(/);
    expect(sql).toMatch(/INTERVAL '28 days'/);
    const again = await trialc("sql", SEED, "--dialect", "postgres", ...run);
    expect(again.stdout).toBe(sql);
  });

  it("rejects an unknown dialect", async () => {
    const r = await trialc("sql", SEED, "--dialect", "oracle");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dialect must be duckdb, postgres or spark/);
  });
});
