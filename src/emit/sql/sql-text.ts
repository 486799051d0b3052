/**
 * SQL text for the three dialects: literals, comments and identifiers escaped, and the
 * few functions whose spelling differs. Every protocol string that reaches the SQL
 * goes through `str` (a literal) or `comment` (a `--` comment line), never raw.
 */

/** The SQL dialects trialc writes. */
export type Dialect = "duckdb" | "postgres" | "spark";
export const DIALECTS: readonly Dialect[] = ["duckdb", "postgres", "spark"];

/**
 * A string literal. Standard SQL doubles the quote (DuckDB, PostgreSQL with
 * standard_conforming_strings, the default since 9.1); Spark reads a backslash as an
 * escape inside literals, so it is escaped too, and so are control characters.
 */
export function str(d: Dialect, s: string): string {
  if (d === "spark")
    return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`;
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A comment: one `--` line per line of text, with every character that could end the
 * comment or confuse a client (newlines, carriage returns, NUL) replaced. `/*` is not
 * used anywhere, so a protocol's text can never close a block comment.
 */
export function comment(text: string, indent = ""): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => `${indent}-- ${line.replace(/[\u0000-\u001f\u007f]/g, " ")}`.trimEnd())
    .join("\n");
}

/**
 * A name the compiler makes (a criterion's CTE or column): letters, digits and `_`
 * only (criterion ids are identifiers in the language), prefixed so that it is never a
 * keyword. Anything else in the name is a compiler bug, not a user error.
 */
export function ident(prefix: string, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${JSON.stringify(name)}`);
  return `${prefix}${name}`.toLowerCase();
}

/** A column alias exactly as given (criterion ids keep their case in the output). */
export function alias(d: Dialect, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${JSON.stringify(name)}`);
  return d === "spark" ? `\`${name}\`` : `"${name}"`;
}

/** A DATE literal from `YYYY-MM-DD` (checked by the caller). */
export function dateLit(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  return `DATE '${date}'`;
}

/** A TIMESTAMP from a DATE expression (its 00:00, as the runtime counts a date). */
export function tsOf(d: Dialect, dateExpr: string): string {
  return `CAST(${dateExpr} AS TIMESTAMP)`;
}

/** Exact decimals: every number that takes part in a decision. */
export const DEC = "DECIMAL(38,9)";
/**
 * The magnitude below which a number read from the CDM is compared: at most 15 digits
 * before the point (no laboratory quantity in any unit comes near), less for an element
 * whose units' factors are large (query.ts, `magnitude`). With the 9 decimals, every
 * product the query forms (results at one time compared across units, a reference limit
 * as DECIMAL(24,9) by a rule's factor) then stays inside DECIMAL(38,9). A value at or
 * beyond it is read as no value (unknown), where casting it would abort the query.
 */
export const MAX_MAGNITUDE = 10n ** 15n;
/**
 * A number column of the CDM read as an exact DECIMAL(38,9), NULL at or beyond `limit`
 * (MAX_MAGNITUDE or less) or not finite. The CDM's DDL makes these columns NUMERIC, but
 * an extract (Parquet, a view) may hold them as DOUBLE or FLOAT, and DuckDB's cast of
 * those to a DECIMAL works in binary: the DOUBLE 999999999999990 became
 * 999999999999990.051110912, the FLOAT 5.586 5.585999966. DuckDB therefore reads a FLOAT,
 * and a DOUBLE of a million or more, through its shortest text (the decimal that was
 * written); a smaller DOUBLE directly (exact there: checked on 2.1 million random
 * decimals of up to 15 digits). `typeof` is decided when the query is planned, so a
 * NUMERIC column pays nothing. PostgreSQL's cast rounds a double to 15 significant
 * digits and a real to 6.
 */
export function readNumber(d: Dialect, col: string, limit: string = String(MAX_MAGNITUDE)): string {
  const inRange = `${col} > -${limit} AND ${col} < ${limit}`;
  const exact =
    d === "duckdb"
      ? `CASE WHEN typeof(${col}) = 'FLOAT' OR (typeof(${col}) = 'DOUBLE' AND NOT (${col} > -1000000 AND ${col} < 1000000)) THEN CAST(CAST(${col} AS VARCHAR) AS ${DEC}) ELSE CAST(${col} AS ${DEC}) END`
      : `CAST(${col} AS ${DEC})`;
  return `CASE WHEN ${inRange} THEN ${exact} END`;
}
/** A reference limit inside MAX_MAGNITUDE: 15 digits and 9 decimals. */
export const LIMIT_DEC = "DECIMAL(24,9)";
export function decimal(expr: string): string {
  return `CAST(${expr} AS ${DEC})`;
}

/** A 64-bit integer literal (bit masks). */
export function bigint(d: Dialect, n: bigint): string {
  void d;
  return `CAST(${n} AS BIGINT)`;
}

/** `ts + n unit` for whole months, days, minutes (n may be negative). */
export function addInterval(d: Dialect, ts: string, n: number, unit: "MONTH" | "DAY" | "MINUTE" | "SECOND"): string {
  if (n === 0) return ts;
  const sign = n < 0 ? "-" : "+";
  const abs = Math.abs(n);
  switch (d) {
    case "postgres":
      return `(${ts} ${sign} INTERVAL '${abs} ${unit.toLowerCase()}s')`;
    case "duckdb":
    case "spark":
      return `(${ts} ${sign} INTERVAL ${abs} ${unit})`;
  }
}

/** A date from year, month and day columns (NULL when one is NULL). */
export function makeDate(y: string, m: string, dd: string): string {
  return `CASE WHEN ${y} IS NULL OR ${m} IS NULL OR ${dd} IS NULL THEN NULL ELSE MAKE_DATE(${y}, ${m}, ${dd}) END`;
}

/** Calendar fields of a date or timestamp (Spark's Hive-style functions; EXTRACT elsewhere). */
export function yearOf(d: Dialect, x: string): string {
  return d === "spark" ? `YEAR(${x})` : `EXTRACT(YEAR FROM ${x})`;
}
export function monthOf(d: Dialect, x: string): string {
  return d === "spark" ? `MONTH(${x})` : `EXTRACT(MONTH FROM ${x})`;
}
export function dayOf(d: Dialect, x: string): string {
  return d === "spark" ? `DAYOFMONTH(${x})` : `EXTRACT(DAY FROM ${x})`;
}

/** Bitwise OR of two BIGINT expressions. */
export function bitOr(a: string, b: string): string {
  return `(${a} | ${b})`;
}

/** The text type. */
export function textType(d: Dialect): string {
  return d === "spark" ? "STRING" : "VARCHAR";
}

/**
 * A time point as the runtime prints it (`formatTimePoint`): `YYYY-MM-DD` for a date,
 * `YYYY-MM-DDTHH:MM` (`:SS` when there are seconds) for a date-time. A TIMESTAMP does not
 * say which it was: `dateOnly` is a condition that says so, or, when null, a time at
 * 00:00 is taken for a date (reference dates from `--anchor` are dates).
 */
export function timeText(d: Dialect, ts: string, dateOnly: string | null = null): string {
  const f = (duck: string, pg: string, spark: string) =>
    d === "duckdb"
      ? `strftime(${ts}, '${duck}')`
      : d === "postgres"
        ? `to_char(${ts}, '${pg}')`
        : `date_format(${ts}, "${spark}")`;
  const date = f("%Y-%m-%d", "YYYY-MM-DD", "yyyy-MM-dd");
  const minute = f("%Y-%m-%dT%H:%M", 'YYYY-MM-DD"T"HH24:MI', "yyyy-MM-dd'T'HH:mm");
  const second = f("%Y-%m-%dT%H:%M:%S", 'YYYY-MM-DD"T"HH24:MI:SS', "yyyy-MM-dd'T'HH:mm:ss");
  const isDate = dateOnly ?? `${ts} = CAST(CAST(${ts} AS DATE) AS TIMESTAMP)`;
  return `CASE WHEN ${ts} IS NULL THEN NULL WHEN ${isDate} THEN ${date} WHEN DATE_TRUNC('minute', ${ts}) = ${ts} THEN ${minute} ELSE ${second} END`;
}

/**
 * `CONCAT_WS(', ', …)` over any number of parts (NULL parts left out): PostgreSQL takes at
 * most 100 arguments, so long lists are joined in groups, an empty group being NULL.
 */
export function joinComma(parts: string[]): string {
  if (parts.length <= 90) return `CONCAT_WS(', ', ${parts.join(", ")})`;
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += 90) groups.push(`NULLIF(${joinComma(parts.slice(i, i + 90))}, '')`);
  return joinComma(groups);
}
