/**
 * `trialc sql <file> --dialect duckdb|postgres|spark [--concepts map.csv] [--as-of DATE]
 * [--anchor NAME=DATE...] [--anchors-table TABLE] [--schema NAME] [--out file.sql]`:
 * the eligibility rules compiled to one SQL query over the OMOP CDM v5.4.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import type { IrProtocol } from "../ir/types.js";
import { parseDate } from "../runtime/time.js";
import {
  attritionQuery,
  compileSql,
  ConceptMapError,
  DIALECTS,
  parseConceptMap,
  SqlUnsupported,
  sqlText,
  type CompiledQuery,
  type ConceptMap,
  type Dialect,
  type SqlOptions,
} from "../emit/sql/index.js";
import { compileProtocol } from "./common.js";
import { EXIT, UserError } from "./io.js";
import { writeOutputFile } from "./output.js";

export interface SqlCliOptions {
  dialect?: string;
  concepts?: string;
  asOf?: string;
  anchor?: string[];
  anchorsTable?: string;
  schema?: string;
  out?: string;
  /** Print the attrition aggregate instead of the per-person query (for databases `screen` cannot reach, like Spark). */
  attrition?: boolean;
}

/**
 * The concept map: `--concepts`, else `<protocol dir>/omop/<protocol name>-concept-map.csv`
 * or `<protocol name>.concepts.csv` beside the protocol.
 */
export function loadConceptMap(file: string, given?: string): ConceptMap {
  const stem = basename(file).replace(/\.trial$/, "");
  const candidates = given
    ? [given]
    : [
        join(dirname(file), "omop", `${stem.split("-")[0]}-concept-map.csv`),
        join(dirname(file), `${stem}.concepts.csv`),
      ];
  const path = candidates.find((p) => existsSync(p));
  if (!path)
    throw new UserError(
      given
        ? `cannot read the concept map ${given}`
        : `no concept map: give one with --concepts (looked for ${candidates.join(", ")})`,
      given ? EXIT.input : EXIT.usage,
    );
  try {
    return parseConceptMap(path, readFileSync(path, "utf8"));
  } catch (e) {
    if (e instanceof ConceptMapError) throw new UserError(e.message);
    throw new UserError(`cannot read the concept map ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Options shared by `sql` and `screen`, checked. */
export function sqlOptions(dialect: Dialect, opts: SqlCliOptions): SqlOptions {
  const check = (what: string, d: string) => {
    if (!parseDate(d)) throw new UserError(`${what}: "${d}" is not a real date in the form YYYY-MM-DD`, EXIT.usage);
    return d;
  };
  const anchors: Record<string, string> = {};
  for (const a of opts.anchor ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(a);
    if (!m) throw new UserError(`--anchor must be NAME=YYYY-MM-DD, not "${a}"`, EXIT.usage);
    anchors[m[1]!] = check(`--anchor ${m[1]}`, m[2]!);
  }
  if (opts.anchorsTable && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(opts.anchorsTable))
    throw new UserError(`--anchors-table must be a table name, not "${opts.anchorsTable}"`, EXIT.usage);
  if (opts.schema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.schema))
    throw new UserError(`--schema must be a schema name, not "${opts.schema}"`, EXIT.usage);
  return {
    dialect,
    ...(opts.asOf ? { asOf: check("--as-of", opts.asOf) } : {}),
    anchors,
    ...(opts.anchorsTable ? { anchorsTable: opts.anchorsTable } : {}),
    ...(opts.schema ? { schema: `${opts.schema}.` } : {}),
  };
}

/** Compile, turning what SQL cannot express into a user error naming the protocol. */
export function compileToSql(ir: IrProtocol, map: ConceptMap, opts: SqlOptions): CompiledQuery {
  try {
    return compileSql(ir, map, opts);
  } catch (e) {
    if (e instanceof SqlUnsupported) throw new UserError(`${ir.source.file}: ${e.message}`);
    throw e;
  }
}

export function runSql(file: string, opts: SqlCliOptions): number {
  const dialect = (opts.dialect ?? "duckdb") as Dialect;
  if (!DIALECTS.includes(dialect))
    throw new UserError(`--dialect must be duckdb, postgres or spark, not "${opts.dialect}"`, EXIT.usage);
  const options = sqlOptions(dialect, opts);
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const q = compileToSql(ir, loadConceptMap(file, opts.concepts), options);
  const text = opts.attrition ? `${q.withClause}\n${attritionQuery(q).sql};\n` : sqlText(q);
  if (opts.out) writeOutputFile(opts.out, text, { inputs: [file] });
  else process.stdout.write(text);
  return EXIT.ok;
}
