/**
 * `trialc screen <file> --db <duckdb file | postgres URL> [--parquet DIR] [--as-of DATE]
 * [--format text|json|csv] [--out results.csv] [--what-if]`: pre-screening an OMOP CDM
 * database. Prints the attrition table (how many persons each criterion keeps, in
 * protocol order, how many stay undecided and for want of what), each criterion's own
 * counts, and with `--what-if` how the counts move when one criterion is dropped or
 * its unknowns are taken as met. `--out` writes the per-person results.
 */
import { renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { attritionQuery, sqlText, type AttritionRow, type CompiledQuery } from "../emit/sql/index.js";
import { checkFormat, compileProtocol } from "./common.js";
import { openDb, redact, type Db } from "./db.js";
import { EXIT, UserError } from "./io.js";
import { replaceFileAtomic } from "./output.js";
import { compileToSql, loadConceptMap, sqlOptions, type SqlCliOptions } from "./sql.js";

export interface ScreenOptions extends SqlCliOptions {
  db?: string;
  parquet?: string;
  format: string;
  whatIf?: boolean;
}

export interface Screening {
  protocol: string;
  database: string;
  asOf: string;
  anchors: Record<string, string>;
  total: number;
  overall: Record<string, number>;
  attrition: AttritionRow[];
  notDerived: { element: string; reason: string }[];
}

/** Today's date where the command runs, as YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

async function run<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${what}: ${(e as Error).message.split("\n")[0]}`);
  }
}

export async function runScreen(file: string, opts: ScreenOptions): Promise<number> {
  checkFormat(opts.format, ["text", "json", "csv"]);
  const asOf = opts.asOf ?? today();
  const map = loadConceptMap(file, opts.concepts);
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const db = await openDb(opts.db, opts.parquet);
  try {
    const q = compileToSql(ir, map, sqlOptions(db.dialect, Object.assign({}, opts, { asOf })));
    const s = await screen(db, q, asOf);
    const where = opts.db ? (db.dialect === "postgres" ? redact(opts.db) : opts.db) : `${opts.parquet} (Parquet)`;
    const screening: Screening = {
      protocol: ir.trial.id,
      database: where,
      asOf,
      anchors: sqlOptions(db.dialect, opts).anchors ?? {},
      ...s,
      notDerived: q.notDerived,
    };
    if (opts.out) await writePersons(db, q, opts.out);
    process.stdout.write(
      opts.format === "json"
        ? JSON.stringify(screening, null, 2) + "\n"
        : opts.format === "csv"
          ? attritionCsv(screening)
          : attritionText(screening, !!opts.whatIf),
    );
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

/** Run the attrition query. */
export async function screen(db: Db, q: CompiledQuery, asOf: string) {
  void asOf;
  const a = attritionQuery(q);
  const rows = await run("the screening query failed", () => db.query(`${q.withClause}\n${a.sql}`));
  return (({ total, overall, rows: attrition }) => ({ total, overall, attrition }))(a.read(rows[0] ?? {}));
}

/** Per-person results as CSV (Parquet when the name ends in .parquet, DuckDB only), written atomically. */
async function writePersons(db: Db, q: CompiledQuery, out: string): Promise<void> {
  const parquet = out.endsWith(".parquet");
  if (db.dialect === "duckdb") {
    const tmp = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
    const query = sqlText(q).trimEnd().replace(/;$/, "");
    try {
      await run("writing the per-person results failed", () =>
        db.exec(
          `COPY (${query}) TO '${tmp.replace(/'/g, "''")}' (${parquet ? "FORMAT parquet" : "HEADER, DELIMITER ','"})`,
        ),
      );
      renameSync(tmp, out);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    return;
  }
  if (parquet) throw new UserError("--out *.parquet needs DuckDB; write CSV from PostgreSQL", EXIT.usage);
  const rows = await run("the per-person query failed", () => db.query(sqlText(q)));
  const cols = rows[0] ? Object.keys(rows[0]) : ["person_id", "verdict"];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  replaceFileAtomic(out, [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n") + "\n");
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : "-");

export function attritionText(s: Screening, whatIf: boolean): string {
  const out: string[] = [];
  out.push(`Trial ${s.protocol}: ${s.total} persons in ${s.database}, data up to ${s.asOf}`);
  const anchors = Object.entries(s.anchors);
  out.push(`Reference dates: ${anchors.length ? anchors.map(([k, v]) => `${k} ${v}`).join(", ") : "none given"}`);
  out.push("");
  out.push("Attrition, in protocol order (a person is kept while no criterion so far rules them out):");
  const head = ["criterion", "kept", "%", "decided", "removed", "undecided here", "for want of"];
  const rows: string[][] = [["start", String(s.total), "100.0%", String(s.total), "", "", ""]];
  for (const r of s.attrition)
    rows.push([
      r.id,
      String(r.remaining),
      pct(r.remaining, s.total),
      String(r.decided),
      String(r.removed),
      String(r.unknown),
      r.wants
        .slice(0, 3)
        .map((w) => `${w.item} (${w.persons})`)
        .join(", ") + (r.wants.length > 3 ? ", …" : ""),
    ]);
  out.push(...table(head, rows));
  out.push("");
  out.push(
    `Verdicts: ${s.overall.eligible} eligible, ${s.overall.ineligible} ineligible, ${s.overall.indeterminate} indeterminate`,
  );
  out.push("");
  out.push("Each criterion on its own:");
  out.push(
    ...table(
      ["criterion", "met", "not met", "unknown", "text"],
      s.attrition.map((r) => [r.id, String(r.met), String(r.notMet), String(r.undecided), r.text]),
    ),
  );
  if (whatIf) {
    out.push("");
    out.push("What if (eligible / indeterminate): without the criterion, or with its unknowns taken as passing:");
    out.push(
      ...table(
        ["criterion", "dropped", "relaxed"],
        s.attrition.map((r) => [
          r.id,
          `${r.dropped.eligible} / ${r.dropped.indeterminate}`,
          `${r.relaxed.eligible} / ${r.relaxed.indeterminate}`,
        ]),
      ),
    );
  }
  if (s.notDerived.length) {
    out.push("");
    out.push(`Never derived from OMOP (always unknown): ${s.notDerived.map((n) => n.element).join(", ")}`);
  }
  return out.join("\n") + "\n";
}

function table(head: string[], rows: string[][]): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    "  " +
    r
      .map((c, i) => (i === r.length - 1 ? c : i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

export function attritionCsv(s: Screening): string {
  const cell = (v: string | number) => {
    const t = String(v);
    return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const head = [
    "criterion",
    "role",
    "kept",
    "decided",
    "removed",
    "undecided_here",
    "for_want_of",
    "met",
    "not_met",
    "unknown",
    "eligible_if_dropped",
    "indeterminate_if_dropped",
    "eligible_if_relaxed",
    "indeterminate_if_relaxed",
  ];
  const rows = s.attrition.map((r) => [
    r.id,
    r.role,
    r.remaining,
    r.decided,
    r.removed,
    r.unknown,
    r.wants.map((w) => `${w.item}:${w.persons}`).join(" "),
    r.met,
    r.notMet,
    r.undecided,
    r.dropped.eligible,
    r.dropped.indeterminate,
    r.relaxed.eligible,
    r.relaxed.indeterminate,
  ]);
  return [head, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
