/**
 * The whole query: parameters, the concept and event CTEs that read the OMOP tables,
 * one row per person with every element the rules read, then one CTE per criterion
 * (named after it and commented with its text), and the result: one row per person
 * with the verdict, each criterion's met / not_met / unknown and what is missing.
 */
import type { IrCriterion, IrElement, IrProtocol, IrRelativeTime } from "../../ir/types.js";
import type { Bindings, ElementSource, EventTable } from "./binding.js";
import { NO_CONCEPT, YES_CONCEPT } from "./binding.js";
import { shiftTime, tri, type QuantCte, type RisesCte, type Scope, type Tri } from "./expr.js";
import { MissingSpace, orMasks } from "./missing.js";
import {
  alias,
  bigint,
  comment,
  dateLit,
  DEC,
  ident,
  joinComma,
  makeDate,
  MAX_MAGNITUDE,
  readNumber,
  str,
  textType,
  timeText,
  type Dialect,
} from "./sql-text.js";

export interface SqlOptions {
  dialect: Dialect;
  /** Prefix of the CDM tables, e.g. `cdm.` (default: none). */
  schema?: string;
  /** The date data are read up to (default: the database's current date). */
  asOf?: string;
  /** Per-run reference dates, by anchor name. */
  anchors?: Record<string, string>;
  /** A table `(person_id, <anchor>...)` giving reference dates per person; they win over `anchors`. */
  anchorsTable?: string;
}

/** A compiled criterion: what the result and the attrition need to know of it. */
export interface CompiledCriterion {
  id: string;
  text: string;
  role: IrCriterion["role"];
  /** Column stems: `t_<id>` (0/1/2) and `m_<id>` (mask) in the last criterion CTE. */
  col: string;
  items: string[];
  /** Items spelled per person: the SQL text expression of each (by item key). */
  names: Map<string, string>;
  depth: number;
  topLevel: boolean;
}

export interface CompiledQuery {
  dialect: Dialect;
  /** `WITH …` up to the last criterion CTE (`trialc_criteria`), without a final SELECT. */
  withClause: string;
  /** The per-person result SELECT, to follow `withClause`. */
  resultSelect: string;
  criteria: CompiledCriterion[];
  /** Elements the rules read that are never derived from OMOP, with the reason. */
  notDerived: { element: string; reason: string }[];
  anchors: string[];
}

const TABLES: Record<
  EventTable,
  { concept: string; date: string; datetime: string; id: string; value: boolean; source: string }
> = {
  measurement: {
    concept: "measurement_concept_id",
    date: "measurement_date",
    datetime: "measurement_datetime",
    id: "measurement_id",
    value: true,
    source: "measurement_source_value",
  },
  observation: {
    concept: "observation_concept_id",
    date: "observation_date",
    datetime: "observation_datetime",
    id: "observation_id",
    value: true,
    source: "observation_source_value",
  },
  condition_occurrence: {
    concept: "condition_concept_id",
    date: "condition_start_date",
    datetime: "condition_start_datetime",
    id: "condition_occurrence_id",
    value: false,
    source: "condition_source_value",
  },
  procedure_occurrence: {
    concept: "procedure_concept_id",
    date: "procedure_date",
    datetime: "procedure_datetime",
    id: "procedure_occurrence_id",
    value: false,
    source: "procedure_source_value",
  },
  drug_exposure: {
    concept: "drug_concept_id",
    date: "drug_exposure_start_date",
    datetime: "drug_exposure_start_datetime",
    id: "drug_exposure_id",
    value: false,
    source: "drug_source_value",
  },
  visit_occurrence: {
    concept: "visit_concept_id",
    date: "visit_start_date",
    datetime: "visit_start_datetime",
    id: "visit_occurrence_id",
    value: false,
    source: "visit_source_value",
  },
};

function sqlType(d: Dialect, el: IrElement): string {
  switch (el.type) {
    case "decimal":
    case "integer":
      return DEC;
    case "boolean":
    case "attestation":
      return "INTEGER";
    case "date":
    case "datetime":
      return "TIMESTAMP";
    default:
      return textType(d);
  }
}

export function buildQuery(ir: IrProtocol, bindings: Bindings, opts: SqlOptions): CompiledQuery {
  const d = opts.dialect;
  const schema = opts.schema ?? "";
  if (schema && !/^[A-Za-z_][A-Za-z0-9_]*\.$/.test(schema)) throw new Error(`not a schema prefix: ${schema}`);
  const elements = new Map(ir.elements.map((e) => [e.name, e]));
  const top = [...ir.eligibility.inclusion, ...ir.eligibility.exclusion];
  const reads = new Set<string>();
  const anchorSet = new Set<string>();
  const walk = (c: IrCriterion) => {
    c.reads.forEach((r) => reads.add(r.split(".")[0]!));
    c.anchors.forEach((a) => anchorSet.add(a));
    if (c.body.kind === "group") c.body.children.forEach(walk);
  };
  top.forEach(walk);
  const used = ir.elements.filter((e) => reads.has(e.name));
  const src = (name: string): ElementSource => bindings.sources.get(name) ?? { how: "none", reason: "not bound" };
  /** Measured elements: their results are chosen by the element's selection (latest, by a method, in a window). */
  const measured = used.filter((e) => {
    const s = src(e.name);
    return s.how === "number" && s.measured;
  });
  // A selection window's anchors are read too.
  for (const el of measured)
    for (const b of [el.select?.window?.low, el.select?.window?.high]) if (b) anchorSet.add(b.anchor);
  const anchors = [...anchorSet].sort();
  const ctes: string[] = [];
  const cte = (name: string, text: string, note?: string, materialized = false) =>
    ctes.push(
      `${note ? comment(note) + "\n" : ""}${name} AS ${materialized && d !== "spark" ? "MATERIALIZED " : ""}(\n${text}\n)`,
    );
  /**
   * A criterion's CTE reads the previous one's columns (`b.*`) and adds its own. PostgreSQL
   * pulls such subqueries up into one query level, substituting every criterion's
   * expression wherever a later one reads it: the expressions grow with the depth of the
   * chain, planning takes seconds and execution repeats the work. `OFFSET 0` keeps each
   * CTE a subquery of its own, evaluated once per row and streamed (no materialisation).
   * DuckDB and Spark do not need it.
   */
  const fence = d === "postgres" ? "\n  OFFSET 0" : "";

  // --- parameters
  const asOf = opts.asOf ? dateLit(opts.asOf) : "CURRENT_DATE";
  const params = [`${asOf} AS as_of`];
  for (const a of anchors) {
    const given = opts.anchors?.[a];
    params.push(
      `${given ? `CAST(${dateLit(given)} AS TIMESTAMP)` : "CAST(NULL AS TIMESTAMP)"} AS a_${a.toLowerCase()}`,
    );
  }
  cte(
    "trialc_params",
    `  SELECT ${params.join(",\n    ")}`,
    "Run parameters: the date data are read up to, and the reference dates (anchors).",
  );

  // --- concepts and events
  /**
   * The magnitude below which an element's numbers are read (see MAX_MAGNITUDE): results
   * at one time are compared as value × rn × rd' (their units' factors), which must stay
   * below 10^29, the integer digits of DECIMAL(38,9).
   */
  const magnitude = (element: string) => {
    const units = bindings.units.filter((u) => u.element === element);
    if (!units.length) return MAX_MAGNITUDE;
    const max = (xs: bigint[]) => xs.reduce((a, b) => (a > b ? a : b));
    const bound = 10n ** 29n / (max(units.map((u) => u.ratio.num)) * max(units.map((u) => u.ratio.den)));
    return bound < MAX_MAGNITUDE ? bound : MAX_MAGNITUDE;
  };
  const events = bindings.events.filter((e) => used.some((u) => u.name === e.element));
  const tables = [...new Set(events.map((e) => e.table))].sort();
  if (events.length) {
    cte(
      "trialc_concepts",
      events
        .map(
          (e) =>
            `  SELECT ${e.conceptId} AS concept_id, ${str(d, e.table)} AS tbl, ${str(d, e.element)} AS element, ${e.value === null ? `CAST(NULL AS ${textType(d)})` : str(d, e.value)} AS code_value, ${e.method === null ? `CAST(NULL AS ${textType(d)})` : str(d, e.method)} AS method, ${measured.some((m) => m.name === e.element) ? 1 : 0} AS selected, ${magnitude(e.element)} AS lim`,
        )
        .join("\n  UNION ALL\n"),
      "The OMOP concepts of each data element (from the concept map).",
    );
    const branches = tables.map((t) => {
      const c = TABLES[t];
      return `  SELECT x.person_id, c.element, c.code_value, c.method, x.${c.source} AS source_value, x.${c.date} AS event_date, x.${c.datetime} AS event_datetime, ${
        c.value
          ? `${readNumber(d, "x.value_as_number", "c.lim")} AS num, x.value_as_concept_id AS value_concept, x.unit_concept_id AS unit_concept_id, ${
              t === "measurement"
                ? `${readNumber(d, "x.range_low", "c.lim")} AS range_low, ${readNumber(d, "x.range_high", "c.lim")} AS range_high`
                : `CAST(NULL AS ${DEC}) AS range_low, CAST(NULL AS ${DEC}) AS range_high`
            }`
          : `CAST(NULL AS ${DEC}) AS num, CAST(NULL AS INTEGER) AS value_concept, CAST(NULL AS INTEGER) AS unit_concept_id, CAST(NULL AS ${DEC}) AS range_low, CAST(NULL AS ${DEC}) AS range_high`
      }, x.${c.id} AS event_id
  FROM ${schema}${t} x
  JOIN trialc_concepts c ON c.concept_id = x.${c.concept} AND c.tbl = ${str(d, t)}
  CROSS JOIN trialc_params prm
  WHERE x.${c.date} <= prm.as_of${c.value ? ` OR (x.${c.date} IS NULL AND c.selected = 1)` : ""}`;
    });
    cte(
      "trialc_events",
      branches.join("\n  UNION ALL\n"),
      "Every event of those concepts up to the as-of date (and, for measured elements, undated results: a result without a date might be in any window).",
    );
  }

  // --- reference dates per person
  const anchorCols: string[] = ["p.person_id"];
  for (const a of anchors) {
    const n = a.toLowerCase();
    anchorCols.push(
      opts.anchorsTable ? `COALESCE(CAST(ta.${n} AS TIMESTAMP), prm.a_${n}) AS a_${n}` : `prm.a_${n} AS a_${n}`,
    );
  }
  cte(
    "trialc_anchors",
    `  SELECT ${anchorCols.join(",\n    ")}
  FROM ${schema}person p
  CROSS JOIN trialc_params prm${opts.anchorsTable ? `\n  LEFT JOIN ${opts.anchorsTable} ta ON ta.person_id = p.person_id` : ""}`,
    "The reference dates of each person (what selection windows and conditions over records read).",
  );

  // --- the result each measured element's selection chooses
  /**
   * Each measured element's result, as the runtime's pickResult chooses it: of the method
   * (`by "M"`, by the concept map's `method` of each concept, ignoring case and spaces at
   * the ends), in the closed window between anchor-relative bounds (a result that is only
   * a date is placed by its day), the latest; `st` says why there is none: 1 no result,
   * 2 a window anchor is missing, 3 a result in play has no date, 4 none qualifies,
   * 5 results at the same latest time disagree, 6 / 7 one of them has a unit the table
   * cannot convert (its value and unit are passed on, so the rules name `<element>.unit`,
   * as for a single such result) / no value. Results at the latest time that agree on the
   * value must also agree on each reference limit (each gives it, and the same quantity),
   * else that limit is unknown (`uc` / `lc` = 1) and only a rule reading it is.
   *
   * All measured elements go through the same three CTEs, partitioned by person and
   * element, with what differs per element (window bounds, method, the reasons) in a CASE
   * on the element; the picked result and the tie checks are window functions and
   * conditional aggregates, never a join of a CTE with itself. (CTEs per element, joined
   * with themselves, scanned the events once per element and made PostgreSQL plan nested
   * loops over CTE scans whose size it cannot estimate: quadratic in the persons.)
   */
  const emitSelections = () => {
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    /** `CASE <on> WHEN … THEN …` over the measured elements, elements with the same text sharing a branch. */
    const perElement = (on: string, f: (el: IrElement) => string, otherwise: string) => {
      const groups = new Map<string, string[]>();
      for (const el of measured) {
        const text = f(el);
        if (text === otherwise) continue;
        groups.set(text, [...(groups.get(text) ?? []), el.name]);
      }
      if (!groups.size) return otherwise;
      const whens = [...groups].map(
        ([text, names]) => `WHEN ${on} IN (${names.map((nm) => str(d, nm)).join(", ")}) THEN ${text}`,
      );
      return `CASE ${whens.join("\n      ")}\n      ELSE ${otherwise} END`;
    };
    const windowOf = (el: IrElement) => el.select?.window;
    const windowed = (el: IrElement) => !!(windowOf(el)?.low || windowOf(el)?.high);
    const bound = (rt: IrRelativeTime | undefined) =>
      rt
        ? rt.offsets.reduce((ts, o) => shiftTime(d, ts, o.sign, o.duration), `a.a_${rt.anchor.toLowerCase()}`)
        : "CAST(NULL AS TIMESTAMP)";
    const cand = (el: IrElement) => {
      const sel = el.select;
      const methods = sel?.method
        ? [
            ...new Set(
              bindings.events
                .filter((e) => e.element === el.name && e.method !== null && same(e.method, sel.method!))
                .map((e) => e.method!),
            ),
          ]
        : null;
      return methods === null
        ? "1"
        : methods.length
          ? `CASE WHEN x.method IN (${methods.map((m) => str(d, m)).join(", ")}) THEN 1 ELSE 0 END`
          : "0";
    };
    const day = (b: string) => `CASE WHEN r.date_only = 1 THEN CAST(CAST(${b} AS DATE) AS TIMESTAMP) ELSE ${b} END`;
    const inWin = (el: IrElement) => {
      const win = windowOf(el);
      return windowed(el)
        ? `CASE WHEN r.cand = 1 AND r.res_at IS NOT NULL${win?.low ? ` AND ${day("r.lo")} <= r.res_at` : ""}${win?.high ? ` AND r.res_at <= ${day("r.hi")}` : ""} THEN 1 ELSE 0 END`
        : "CASE WHEN r.cand = 1 THEN 1 ELSE 0 END";
    };
    const st = (el: IrElement) => {
      const win = windowOf(el);
      const w = windowed(el);
      return `CASE
        WHEN ${w ? [win?.low ? "g.lo IS NULL" : "", win?.high ? "g.hi IS NULL" : ""].filter(Boolean).join(" OR ") : "1 = 0"} THEN 2
        WHEN ${w ? "g.n_undated > 0" : "g.n_cand > 1 AND g.n_undated > 0"} THEN 3
        WHEN g.n_in = 0 THEN 4
        WHEN g.n_tied > 1 AND g.n_null > 0 THEN 7
        WHEN g.n_tied > 1 AND g.n_bad > 0 THEN 6
        WHEN g.n_disagree > 0 THEN 5
        ELSE 0 END`;
    };
    cte(
      "trialc_sel_rows",
      `  SELECT r.*,
    MAX(CASE WHEN r.inwin = 1 THEN r.res_at END) OVER (PARTITION BY r.person_id, r.element) AS best_at
  FROM (
    SELECT r.*,
      ${perElement("r.element", inWin, "CASE WHEN r.cand = 1 THEN 1 ELSE 0 END")} AS inwin
    FROM (
      SELECT x.person_id, x.element, x.event_id, CAST(x.num AS ${DEC}) AS num, x.unit_concept_id AS unit,
        CAST(x.range_low AS ${DEC}) AS rl, CAST(x.range_high AS ${DEC}) AS rh,
        COALESCE(x.event_datetime, CAST(x.event_date AS TIMESTAMP)) AS res_at,
        CASE WHEN x.event_datetime IS NULL THEN 1 ELSE 0 END AS date_only,
        ${perElement("x.element", cand, "1")} AS cand,
        ${perElement("x.element", (el) => bound(windowOf(el)?.low), "CAST(NULL AS TIMESTAMP)")} AS lo,
        ${perElement("x.element", (el) => bound(windowOf(el)?.high), "CAST(NULL AS TIMESTAMP)")} AS hi
      FROM trialc_events x
      JOIN trialc_anchors a ON a.person_id = x.person_id
      WHERE x.element IN (${measured.map((el) => str(d, el.name)).join(", ")})
    ) r
  ) r`,
      "Every result of each measured element: whether it is a candidate (its selection's method) and in the selection's window, and the latest time in the window.",
    );
    cte(
      "trialc_sel_tied",
      `  SELECT k.*,
    MAX(CASE WHEN k.tied = 1 AND k.pick = 1 THEN k.num END) OVER (PARTITION BY k.person_id, k.element) AS p_num,
    MAX(CASE WHEN k.tied = 1 AND k.pick = 1 THEN k.rn END) OVER (PARTITION BY k.person_id, k.element) AS p_rn,
    MAX(CASE WHEN k.tied = 1 AND k.pick = 1 THEN k.rd END) OVER (PARTITION BY k.person_id, k.element) AS p_rd,
    MAX(CASE WHEN k.tied = 1 AND k.pick = 1 THEN k.rh END) OVER (PARTITION BY k.person_id, k.element) AS p_rh,
    MAX(CASE WHEN k.tied = 1 AND k.pick = 1 THEN k.rl END) OVER (PARTITION BY k.person_id, k.element) AS p_rl
  FROM (
    SELECT t.*, u.rn, u.rd,
      ROW_NUMBER() OVER (PARTITION BY t.person_id, t.element, t.tied ORDER BY CASE WHEN u.rnk IS NULL THEN 1 ELSE 0 END, u.rnk, t.event_id) AS pick
    FROM (
      SELECT r.*, CASE WHEN r.inwin = 1 AND (r.res_at = r.best_at OR r.best_at IS NULL) THEN 1 ELSE 0 END AS tied
      FROM trialc_sel_rows r
    ) t
    LEFT JOIN trialc_units u ON u.element = t.element AND u.unit_concept_id = t.unit
  ) k`,
      "Each result, whether it is a candidate at the latest time (tied = 1); among those, the one read (pick = 1: equal ones, the first unit in text order, then the first event) and its value.",
    );
    const tied = (cond: string) => `t.tied = 1 AND ${cond}`;
    /** Tied results that do not agree with the one read on a limit (`rh`, `rl`): one gives it and another not, or two differ. */
    const limitDiffers = (c: "rh" | "rl") =>
      `SUM(CASE WHEN ${tied(`(t.${c} IS NULL) <> (t.p_${c} IS NULL)`)} THEN 1 WHEN ${tied(`t.${c} IS NOT NULL AND t.p_${c} IS NOT NULL AND t.rn IS NOT NULL AND t.p_rn IS NOT NULL`)}
          AND t.${c} * t.rn * t.p_rd <> t.p_${c} * t.p_rn * t.rd THEN 1 ELSE 0 END)`;
    cte(
      "trialc_sel",
      `  SELECT z.person_id, z.element, z.st, z.lo, z.hi, z.tie_at,
    CASE z.st WHEN 0 THEN z.num WHEN 6 THEN z.bad_num END AS v,
    CASE z.st WHEN 0 THEN z.unit WHEN 6 THEN z.bad_unit END AS u,
    CASE WHEN z.st = 0 AND z.n_rh_differ = 0 THEN z.rh END AS rh,
    CASE WHEN z.st = 0 AND z.n_rl_differ = 0 THEN z.rl END AS rl,
    CASE WHEN z.st = 0 AND z.n_rh_differ > 0 THEN 1 ELSE 0 END AS uc,
    CASE WHEN z.st = 0 AND z.n_rl_differ > 0 THEN 1 ELSE 0 END AS lc
  FROM (
    SELECT g.person_id, g.element, g.lo, g.hi, g.tie_at, g.bad_num, g.bad_unit, g.num, g.unit, g.rh, g.rl,
      g.n_rh_differ, g.n_rl_differ,
      ${perElement("g.element", st, st(measured[0]!))} AS st
    FROM (
      SELECT t.person_id, t.element, SUM(t.cand) AS n_cand,
        SUM(CASE WHEN t.cand = 1 AND t.res_at IS NULL THEN 1 ELSE 0 END) AS n_undated,
        SUM(t.inwin) AS n_in, MAX(t.lo) AS lo, MAX(t.hi) AS hi,
        SUM(t.tied) AS n_tied,
        SUM(CASE WHEN ${tied("t.num IS NULL")} THEN 1 ELSE 0 END) AS n_null,
        SUM(CASE WHEN ${tied("t.rn IS NULL")} THEN 1 ELSE 0 END) AS n_bad,
        MAX(CASE WHEN ${tied("t.rn IS NULL")} THEN t.num END) AS bad_num,
        MAX(CASE WHEN ${tied("t.rn IS NULL")} THEN COALESCE(t.unit, -1) END) AS bad_unit,
        SUM(CASE WHEN ${tied("t.num IS NOT NULL AND t.rn IS NOT NULL AND t.p_num IS NOT NULL AND t.p_rn IS NOT NULL")}
          AND t.num * t.rn * t.p_rd <> t.p_num * t.p_rn * t.rd THEN 1 ELSE 0 END) AS n_disagree,
        ${limitDiffers("rh")} AS n_rh_differ,
        ${limitDiffers("rl")} AS n_rl_differ,
        MIN(CASE WHEN t.tied = 1 THEN ${timeText(d, "t.res_at", "t.date_only = 1")} END) AS tie_at,
        MAX(CASE WHEN ${tied("t.pick = 1")} THEN t.num END) AS num,
        MAX(CASE WHEN ${tied("t.pick = 1")} THEN t.unit END) AS unit,
        MAX(CASE WHEN ${tied("t.pick = 1")} THEN t.rh END) AS rh,
        MAX(CASE WHEN ${tied("t.pick = 1")} THEN t.rl END) AS rl
      FROM trialc_sel_tied t
      GROUP BY t.person_id, t.element
    ) g
  ) z`,
      "The chosen result of each measured element per person with results (st 0), or why none is (st > 0); uc / lc: equal results at that time disagree on the ULN / LLN. Equal results compare exactly across units.",
    );
    const cols = measured.flatMap((el) => {
      const n = el.name.toLowerCase();
      const w = (c: string) => `MAX(CASE WHEN s.element = ${str(d, el.name)} THEN s.${c} END) AS ${c}_${n}`;
      return ["v", "u", "rh", "rl", "uc", "lc", "st", "lo", "hi", "tie_at"].map(w);
    });
    cte(
      "trialc_selected",
      `  SELECT s.person_id,\n    ${cols.join(",\n    ")}\n  FROM trialc_sel s\n  GROUP BY s.person_id`,
      "One row per person with results: each measured element's chosen result and why none is.",
      // Computed once: inlined into every criterion, the selections make the plan too large to optimise quickly.
      true,
    );
  };
  if (measured.length) {
    const unitRows = bindings.units.filter((u) => measured.some((m) => m.name === u.element));
    // The runtime keeps, among equal results at the same time, the one whose unit text sorts first.
    const rank = (ucum: string) =>
      [...new Set(unitRows.map((u) => u.ucum))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).indexOf(ucum);
    cte(
      "trialc_units",
      unitRows.length
        ? unitRows
            .map(
              (u) =>
                `  SELECT ${str(d, u.element)} AS element, ${u.conceptId} AS unit_concept_id, CAST(${u.ratio.num} AS DECIMAL(18,0)) AS rn, CAST(${u.ratio.den} AS DECIMAL(18,0)) AS rd, ${rank(u.ucum)} AS rnk`,
            )
            .join("\n  UNION ALL\n")
        : `  SELECT CAST(NULL AS ${textType(d)}) AS element, 0 AS unit_concept_id, CAST(1 AS DECIMAL(18,0)) AS rn, CAST(1 AS DECIMAL(18,0)) AS rd, 0 AS rnk WHERE 1 = 0`,
      "The unit concepts of each measured element with the exact factor into the element's unit (value × rn / rd), to compare results at the same time.",
    );
  }
  if (measured.length) emitSelections();

  // --- latest value of each element
  const scalar = used.filter(
    (e) => ["number", "yesno", "answer", "value", "time"].includes(src(e.name).how) && !measured.includes(e),
  );
  const pivot: string[] = [];
  const w = (name: string, expr: string) => `MAX(CASE WHEN x.element = ${str(d, name)} THEN ${expr} END)`;
  for (const el of scalar) {
    const s = src(el.name);
    const n = el.name.toLowerCase();
    switch (s.how) {
      case "number":
        pivot.push(`${w(el.name, `CAST(x.num AS ${DEC})`)} AS e_${n}`);
        if (el.unit) {
          pivot.push(`${w(el.name, "x.unit_concept_id")} AS u_${n}`);
          if (el.reference.uln) pivot.push(`${w(el.name, `CAST(x.range_high AS ${DEC})`)} AS uh_${n}`);
          if (el.reference.lln) pivot.push(`${w(el.name, `CAST(x.range_low AS ${DEC})`)} AS ul_${n}`);
        }
        break;
      case "yesno":
        pivot.push(
          `${w(el.name, s.presence ? "1" : `CASE x.value_concept WHEN ${YES_CONCEPT} THEN 1 WHEN ${NO_CONCEPT} THEN 0 ELSE NULL END`)} AS e_${n}`,
        );
        break;
      case "answer":
        pivot.push(
          `${w(el.name, s.answers.length ? `CASE x.value_concept ${s.answers.map((a) => `WHEN ${a.conceptId} THEN ${str(d, a.value)}`).join(" ")} ELSE NULL END` : "NULL")} AS e_${n}`,
        );
        break;
      case "value":
        pivot.push(`${w(el.name, "x.code_value")} AS e_${n}`);
        break;
      case "time":
        pivot.push(`${w(el.name, s.datetime ? "x.event_datetime" : "CAST(x.event_date AS TIMESTAMP)")} AS e_${n}`);
        break;
    }
  }
  if (pivot.length) {
    cte(
      "trialc_latest",
      `  SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.person_id, e.element ORDER BY e.event_date DESC, e.event_datetime DESC${d === "spark" ? "" : " NULLS LAST"}, e.event_id DESC) AS rn
  FROM trialc_events e
  WHERE e.event_date IS NOT NULL AND e.element IN (${scalar.map((e) => str(d, e.name)).join(", ")})`,
      "The latest event of each element per person (on or before the as-of date).",
    );
    cte(
      "trialc_values",
      `  SELECT x.person_id,\n    ${pivot.join(",\n    ")}\n  FROM trialc_latest x\n  WHERE x.rn = 1\n  GROUP BY x.person_id`,
      "One row per person: the value of each element read from its latest event.",
    );
  }

  // --- records
  const records = used.filter((e) => src(e.name).how === "records");
  for (const el of records) {
    const s = src(el.name) as Extract<ElementSource, { how: "records" }>;
    const cols = (el.fields ?? []).map((f) => {
      const fn = f.name.toLowerCase();
      const out: string[] = [];
      if (f.name === s.codeField) out.push(`x.code_value AS f_${fn}`);
      else if (f.name === s.dateField)
        out.push(`${f.type === "datetime" ? "x.event_datetime" : "CAST(x.event_date AS TIMESTAMP)"} AS f_${fn}`);
      else if (f.name === s.numField) out.push(`CAST(x.num AS ${DEC}) AS f_${fn}`);
      else if (s.texts.some((t) => t.field === f.name)) {
        const from = s.texts.find((t) => t.field === f.name)!.from;
        out.push(
          from === "source_value"
            ? `CAST(x.source_value AS ${textType(d)}) AS f_${fn}`
            : `CASE x.unit_concept_id ${s.unitCodes.map((u) => `WHEN ${u.conceptId} THEN ${str(d, u.code)}`).join(" ")} ELSE CAST(NULL AS ${textType(d)}) END AS f_${fn}`,
        );
      } else out.push(`CAST(NULL AS ${sqlType(d, f)}) AS f_${fn}`);
      if (f.type === "decimal" && f.unit)
        out.push(`${f.name === s.numField ? "x.unit_concept_id" : "CAST(NULL AS INTEGER)"} AS fu_${fn}`);
      return out.join(", ");
    });
    cte(
      `rec_${el.name.toLowerCase()}`,
      `  SELECT x.person_id, x.event_id, ${cols.join(",\n    ")}\n  FROM trialc_events x\n  WHERE x.element = ${str(d, el.name)}`,
      `Records "${el.name}": one row per event.`,
    );
  }

  // --- one row per person
  const personCols: string[] = [...anchorCols];
  const notDerived: { element: string; reason: string }[] = [];
  for (const el of used) {
    const s = src(el.name);
    const n = el.name.toLowerCase();
    switch (s.how) {
      case "none":
        notDerived.push({ element: el.name, reason: s.reason });
        if (el.type === "records") personCols.push(`0 AS k_${n}`);
        else {
          personCols.push(`CAST(NULL AS ${sqlType(d, el)}) AS e_${n}`);
          if (el.type === "decimal" && el.unit) {
            personCols.push(`CAST(NULL AS INTEGER) AS u_${n}`);
            if (el.reference.uln) personCols.push(`CAST(NULL AS ${DEC}) AS uh_${n}`);
            if (el.reference.lln) personCols.push(`CAST(NULL AS ${DEC}) AS ul_${n}`);
          }
        }
        break;
      case "gender":
        personCols.push(
          `CASE p.gender_concept_id ${s.values.map((v) => `WHEN ${v.conceptId} THEN ${str(d, v.value)}`).join(" ")} ELSE NULL END AS e_${n}`,
        );
        break;
      case "birth":
        personCols.push(
          `CAST(${makeDate("p.year_of_birth", "p.month_of_birth", "p.day_of_birth")} AS TIMESTAMP) AS e_${n}`,
        );
        break;
      case "records":
        personCols.push(`CASE WHEN op.person_id IS NULL THEN 0 ELSE 1 END AS k_${n}`);
        break;
      default:
        if (measured.includes(el)) {
          personCols.push(
            `s.v_${n} AS e_${n}`,
            `s.u_${n} AS u_${n}`,
            ...(el.reference.uln ? [`s.rh_${n} AS uh_${n}`, `s.uc_${n} AS uc_${n}`] : []),
            ...(el.reference.lln ? [`s.rl_${n} AS ul_${n}`, `s.lc_${n} AS lc_${n}`] : []),
            `COALESCE(s.st_${n}, 1) AS st_${n}`,
            `s.lo_${n} AS lo_${n}`,
            `s.hi_${n} AS hi_${n}`,
            `s.tie_at_${n} AS ta_${n}`,
          );
          break;
        }
        personCols.push(`v.e_${n}`);
        if (s.how === "number" && el.unit) {
          personCols.push(`v.u_${n}`);
          if (el.reference.uln) personCols.push(`v.uh_${n}`);
          if (el.reference.lln) personCols.push(`v.ul_${n}`);
        }
    }
  }
  cte(
    "trialc_persons",
    `  SELECT ${personCols.join(",\n    ")}
  FROM ${schema}person p
  CROSS JOIN trialc_params prm
  LEFT JOIN (
    SELECT o.person_id FROM ${schema}observation_period o CROSS JOIN trialc_params prm
    WHERE o.observation_period_start_date <= prm.as_of AND prm.as_of <= o.observation_period_end_date
    GROUP BY o.person_id
  ) op ON op.person_id = p.person_id${pivot.length ? "\n  LEFT JOIN trialc_values v ON v.person_id = p.person_id" : ""}${measured.length ? "\n  LEFT JOIN trialc_selected s ON s.person_id = p.person_id" : ""}${opts.anchorsTable ? `\n  LEFT JOIN ${opts.anchorsTable} ta ON ta.person_id = p.person_id` : ""}`,
    "One row per person with every data element the rules read (NULL: unknown). Records are known for a person observed on the as-of date (observation_period).",
    true,
  );

  // --- criteria
  const compiled: CompiledCriterion[] = [];
  const byId = new Map<string, CompiledCriterion>();
  const counter = { n: 0 };
  let prev = "trialc_persons";
  const emitCriterion = (c: IrCriterion, depth: number, topLevel: boolean): CompiledCriterion => {
    const col = ident("", c.id);
    const name = ident("crit_", c.id);
    const space = new MissingSpace(d, c.id);
    let result: Tri;
    const joins: string[] = [];
    let kids: CompiledCriterion[] = [];
    if (c.body.kind === "rule") {
      const scope: Scope = {
        d,
        ir,
        bindings,
        space,
        elements,
        quants: [],
        rises: [],
        counter,
        args: [],
        row: null,
      };
      result = tri(scope, c.body.expr);
      for (const q of scope.quants) {
        emitQuant(q);
        joins.push(`  LEFT JOIN ${q.name} ON ${q.name}.person_id = b.person_id`);
      }
      for (const r of scope.rises) {
        emitRises(r);
        joins.push(`  LEFT JOIN ${r.name} ON ${r.name}.person_id = b.person_id`);
      }
    } else {
      kids = c.body.children.map((k) => emitCriterion(k, depth + 1, false));
      const met = kids.map((k) => `CASE WHEN b.t_${k.col} = 2 THEN 1 ELSE 0 END`).join(" + ");
      const open = kids.map((k) => `CASE WHEN b.t_${k.col} = 1 THEN 1 ELSE 0 END`).join(" + ");
      const needed = c.body.count;
      const items = [...new Set(kids.flatMap((k) => k.items))].sort();
      for (const k of kids) for (const [key, name] of k.names) space.names.set(key, name);
      items.forEach((i) => space.bit(i));
      const m = orMasks(
        kids.flatMap((k) =>
          k.items.map(
            (item, i) =>
              `CASE WHEN b.t_${k.col} = 1 AND (b.m_${k.col} & ${bigint(d, 1n << BigInt(i))}) <> 0 THEN ${space.bit(item)} ELSE 0 END`,
          ),
        ),
      );
      result = {
        t: `CASE WHEN (${met}) >= ${needed} THEN 2 WHEN (${met}) + (${open}) < ${needed} THEN 0 ELSE 1 END`,
        m,
      };
    }
    const note = `${c.id} (${c.role}): ${c.text}${c.body.kind === "group" ? `\n${c.body.mode === "all" ? "all" : `at least ${c.body.count}`} of ${c.body.children.map((k) => k.id).join(", ")}` : ""}`;
    cte(
      name,
      `  SELECT b.*,\n    ${result.t} AS t_${col},\n    ${result.m === "0" ? bigint(d, 0n) : result.m} AS m_${col}\n  FROM ${prev} b${joins.length ? "\n" + joins.join("\n") : ""}${fence}`,
      note,
    );
    prev = name;
    const out: CompiledCriterion = {
      id: c.id,
      text: c.text,
      role: c.role,
      col,
      items: space.items,
      names: space.names,
      depth,
      topLevel,
    };
    byId.set(c.id, out);
    return out;
  };

  const emitQuant = (q: QuantCte) => {
    const w = q.where ?? { t: "2", m: "0" };
    const count = (t: number) => `SUM(CASE WHEN ${w.t} = ${t} THEN 1 ELSE 0 END)`;
    const mask = `BIT_OR(CASE WHEN ${w.t} = 1 THEN ${w.m} ELSE ${bigint(d, 0n)} END)`;
    const head =
      q.quantifier === "count"
        ? `CASE WHEN ${count(1)} > 0 THEN NULL ELSE CAST(${count(2)} AS ${DEC}) END AS v`
        : q.quantifier === "any"
          ? `CASE WHEN ${count(2)} > 0 THEN 2 WHEN ${count(1)} > 0 THEN 1 ELSE 0 END AS t`
          : q.quantifier === "all"
            ? `CASE WHEN ${count(0)} > 0 THEN 0 WHEN ${count(1)} > 0 THEN 1 ELSE 2 END AS t`
            : `CASE WHEN ${count(2)} > 0 THEN 0 WHEN ${count(1)} > 0 THEN 1 ELSE 2 END AS t`;
    cte(
      q.name,
      `  SELECT r.person_id,\n    ${head},\n    ${mask} AS m\n  FROM rec_${q.records.toLowerCase()} r\n  JOIN ${q.readsPerson ? "trialc_persons" : "trialc_anchors"} b ON b.person_id = r.person_id\n  GROUP BY r.person_id`,
      `${q.quantifier} ${q.records} where …: per person, over the records' rows`,
    );
  };

  const emitRises = (r: RisesCte) => {
    const rec = `rec_${r.records.toLowerCase()}`;
    const [v, g, t] = [`f_${r.value.toLowerCase()}`, `f_${r.group.toLowerCase()}`, `f_${r.date.toLowerCase()}`];
    // A series is one value of every group field (a marker, its name, its unit).
    const more = r.more.map((m) => `f_${m.field.toLowerCase()}`);
    const groupCols = [g, ...more].map((c) => `x.${c}`).join(", ");
    const order = `PARTITION BY x.person_id, ${groupCols} ORDER BY x.${t}, x.${v}, x.event_id`;
    cte(
      `${r.name}_steps`,
      `  SELECT x.person_id, x.${g} AS g,${more.map((c, i) => ` x.${c} AS g${i + 1},`).join("")}
    CASE WHEN LAG(x.${v}) OVER (${order}) IS NOT NULL AND x.${v} > LAG(x.${v}) OVER (${order}) AND LAG(x.${t}) OVER (${order}) < x.${t} THEN 1 ELSE 0 END AS rise,
    x.${t} AS ts, x.${v} AS v, x.event_id
  FROM ${rec} x
  WHERE x.${v} IS NOT NULL AND x.${g} IS NOT NULL AND x.${t} IS NOT NULL${more.map((c) => ` AND x.${c} IS NOT NULL`).join("")}`,
      `successive_rises(${[r.records, r.value, r.group, r.date, ...r.more.map((m) => m.field)].join(", ")}): a rise is a strictly greater value at a strictly later date`,
    );
    cte(
      `${r.name}_runs`,
      `  SELECT s.person_id, s.g,${more.map((_, i) => ` s.g${i + 1},`).join("")} s.rise,
    SUM(1 - s.rise) OVER (PARTITION BY s.person_id, s.g${more.map((_, i) => `, s.g${i + 1}`).join("")} ORDER BY s.ts, s.v, s.event_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_id
  FROM ${r.name}_steps s`,
    );
    cte(
      r.name,
      `  SELECT a.person_id,
    CASE WHEN MAX(a.incomplete) > 0 THEN NULL ELSE CAST(COALESCE(MAX(k.best), 0) AS ${DEC}) END AS v,
    BIT_OR(a.m) AS m
  FROM (
    SELECT x.person_id,
      CASE WHEN x.${v} IS NULL OR x.${g} IS NULL OR x.${t} IS NULL${more.map((c) => ` OR x.${c} IS NULL`).join("")} THEN 1 ELSE 0 END AS incomplete,
      ${orMasks([
        `CASE WHEN x.${v} IS NULL THEN ${r.missing.value} ELSE 0 END`,
        `CASE WHEN x.${g} IS NULL THEN ${r.missing.group} ELSE 0 END`,
        ...r.more.map((m, i) => `CASE WHEN x.${more[i]} IS NULL THEN ${m.missing} ELSE 0 END`),
        `CASE WHEN x.${t} IS NULL THEN ${r.missing.date} ELSE 0 END`,
      ])} AS m
    FROM ${rec} x
  ) a
  LEFT JOIN (
    SELECT u.person_id, MAX(u.run) AS best FROM (
      SELECT n.person_id, SUM(n.rise) AS run FROM ${r.name}_runs n GROUP BY n.person_id, n.g,${more.map((_, i) => ` n.g${i + 1},`).join("")} n.run_id
    ) u GROUP BY u.person_id
  ) k ON k.person_id = a.person_id
  GROUP BY a.person_id`,
      "The longest run per person; unknown when a row lacks its value, group or date.",
    );
  };

  for (const c of top) emitCriterion(c, 0, true);
  const collect = (c: IrCriterion) => {
    compiled.push(byId.get(c.id)!);
    if (c.body.kind === "group") c.body.children.forEach(collect);
  };
  top.forEach(collect);

  // --- result
  const verdictOf = (c: CompiledCriterion) =>
    `CASE b.t_${c.col} WHEN 2 THEN 'met' WHEN 0 THEN 'not_met' ELSE 'unknown' END`;
  const missingOf = (c: CompiledCriterion) =>
    c.items.length === 0
      ? "''"
      : `CASE WHEN b.t_${c.col} = 1 THEN ${joinComma(
          [...c.items]
            .map((it) => ({ it, i: c.items.indexOf(it) }))
            .sort((a, b2) => (a.it < b2.it ? -1 : a.it > b2.it ? 1 : 0))
            .map(
              ({ it, i }) =>
                `CASE WHEN (b.m_${c.col} & ${bigint(d, 1n << BigInt(i))}) <> 0 THEN ${c.names.get(it) ?? str(d, it)} END`,
            ),
        )} ELSE '' END`;
  const tops = compiled.filter((c) => c.topLevel);
  const fails = tops.map((c) => `b.t_${c.col} = ${c.role === "exclusion" ? 2 : 0}`);
  const opens = tops.map((c) => `b.t_${c.col} = 1`);
  const verdict = `CASE WHEN ${fails.join(" OR ")} THEN 'ineligible' WHEN ${opens.join(" OR ")} THEN 'indeterminate' ELSE 'eligible' END`;
  const allItems = [...new Set(tops.flatMap((c) => c.items))].sort();
  const overallMissing = allItems.length
    ? `CASE WHEN b.verdict = 'indeterminate' THEN ${joinComma(
        allItems.map((it) => {
          const conds = tops
            .filter((c) => c.items.includes(it))
            .map((c) => `(b.t_${c.col} = 1 AND (b.m_${c.col} & ${bigint(d, 1n << BigInt(c.items.indexOf(it)))}) <> 0)`);
          const spelled = tops.find((c) => c.names.has(it))?.names.get(it);
          return `CASE WHEN ${conds.join(" OR ")} THEN ${spelled ?? str(d, it)} END`;
        }),
      )} ELSE '' END`
    : "''";
  const cols = [
    "b.person_id",
    "b.verdict",
    ...compiled.flatMap((c) => [
      `${verdictOf(c)} AS ${alias(d, c.id)}`,
      `${missingOf(c)} AS ${alias(d, c.id + "_missing")}`,
    ]),
    `${overallMissing} AS missing`,
  ];
  cte(
    "trialc_criteria",
    `  SELECT b.*,\n    ${verdict} AS verdict\n  FROM ${prev} b${fence}`,
    "Every criterion's condition (0 not met, 1 unknown, 2 met), its mask of what is missing, and the verdict: ineligible when an inclusion is not met or an exclusion is met, else indeterminate when one is unknown, else eligible.",
  );
  const header = comment(
    [
      `Eligibility of ${ir.trial.id}: ${ir.trial.title}`,
      `Compiled by trialc from ${ir.source.file} (sha256 ${ir.source.sha256}) for ${d}, over OMOP CDM v5.4.`,
      `Result: one row per person with the verdict, each criterion's met / not_met / unknown and what is missing.`,
      ...(notDerived.length
        ? ["Never derived from OMOP (always unknown):", ...notDerived.map((n) => `  ${n.element}: ${n.reason}`)]
        : []),
    ].join("\n"),
  );
  return {
    dialect: d,
    withClause: `${header}\nWITH\n${ctes.join(",\n")}`,
    resultSelect: `SELECT\n  ${cols.join(",\n  ")}\nFROM trialc_criteria b\nORDER BY b.person_id`,
    criteria: compiled,
    notDerived,
    anchors,
  };
}
