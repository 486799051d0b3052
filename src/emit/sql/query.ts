/**
 * The whole query: parameters, the concept and event CTEs that read the OMOP tables,
 * one row per person with every element the rules read, then one CTE per criterion
 * (named after it and commented with its text), and the result: one row per person
 * with the verdict, each criterion's met / not_met / unknown and what is missing.
 */
import type { IrCriterion, IrElement, IrProtocol } from "../../ir/types.js";
import type { Bindings, ElementSource, EventTable } from "./binding.js";
import { NO_CONCEPT, YES_CONCEPT } from "./binding.js";
import { tri, type QuantCte, type RisesCte, type Scope, type Tri } from "./expr.js";
import { MissingSpace, orMasks } from "./missing.js";
import { alias, bigint, comment, dateLit, DEC, ident, makeDate, str, textType, type Dialect } from "./sql-text.js";

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

const TABLES: Record<EventTable, { concept: string; date: string; datetime: string; id: string; value: boolean }> = {
  measurement: {
    concept: "measurement_concept_id",
    date: "measurement_date",
    datetime: "measurement_datetime",
    id: "measurement_id",
    value: true,
  },
  observation: {
    concept: "observation_concept_id",
    date: "observation_date",
    datetime: "observation_datetime",
    id: "observation_id",
    value: true,
  },
  condition_occurrence: {
    concept: "condition_concept_id",
    date: "condition_start_date",
    datetime: "condition_start_datetime",
    id: "condition_occurrence_id",
    value: false,
  },
  procedure_occurrence: {
    concept: "procedure_concept_id",
    date: "procedure_date",
    datetime: "procedure_datetime",
    id: "procedure_occurrence_id",
    value: false,
  },
  drug_exposure: {
    concept: "drug_concept_id",
    date: "drug_exposure_start_date",
    datetime: "drug_exposure_start_datetime",
    id: "drug_exposure_id",
    value: false,
  },
  visit_occurrence: {
    concept: "visit_concept_id",
    date: "visit_start_date",
    datetime: "visit_start_datetime",
    id: "visit_occurrence_id",
    value: false,
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
  const anchors = [...anchorSet].sort();
  const src = (name: string): ElementSource => bindings.sources.get(name) ?? { how: "none", reason: "not bound" };
  const ctes: string[] = [];
  const cte = (name: string, text: string, note?: string) =>
    ctes.push(`${note ? comment(note) + "\n" : ""}${name} AS (\n${text}\n)`);

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
  const events = bindings.events.filter((e) => used.some((u) => u.name === e.element));
  const tables = [...new Set(events.map((e) => e.table))].sort();
  if (events.length) {
    cte(
      "trialc_concepts",
      events
        .map(
          (e, i) =>
            `  SELECT ${e.conceptId} AS concept_id, ${str(d, e.table)} AS tbl, ${str(d, e.element)} AS element, ${e.value === null ? `CAST(NULL AS ${textType(d)})` : str(d, e.value)} AS code_value${i === 0 ? "" : ""}`,
        )
        .join("\n  UNION ALL\n"),
      "The OMOP concepts of each data element (from the concept map).",
    );
    const branches = tables.map((t) => {
      const c = TABLES[t];
      return `  SELECT x.person_id, c.element, c.code_value, x.${c.date} AS event_date, x.${c.datetime} AS event_datetime, ${
        c.value
          ? `x.value_as_number AS num, x.value_as_concept_id AS value_concept, x.unit_concept_id AS unit_concept_id, ${
              t === "measurement"
                ? "x.range_low AS range_low, x.range_high AS range_high"
                : `CAST(NULL AS ${DEC}) AS range_low, CAST(NULL AS ${DEC}) AS range_high`
            }`
          : `CAST(NULL AS ${DEC}) AS num, CAST(NULL AS INTEGER) AS value_concept, CAST(NULL AS INTEGER) AS unit_concept_id, CAST(NULL AS ${DEC}) AS range_low, CAST(NULL AS ${DEC}) AS range_high`
      }, x.${c.id} AS event_id
  FROM ${schema}${t} x
  JOIN trialc_concepts c ON c.concept_id = x.${c.concept} AND c.tbl = ${str(d, t)}
  CROSS JOIN trialc_params prm
  WHERE x.${c.date} <= prm.as_of`;
    });
    cte("trialc_events", branches.join("\n  UNION ALL\n"), "Every event of those concepts up to the as-of date.");
  }

  // --- latest value of each element
  const scalar = used.filter((e) => ["number", "yesno", "answer", "value", "time"].includes(src(e.name).how));
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
  WHERE e.element IN (${scalar.map((e) => str(d, e.name)).join(", ")})`,
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
      else out.push(`CAST(NULL AS ${sqlType(d, f)}) AS f_${fn}`);
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
  const personCols: string[] = ["p.person_id"];
  for (const a of anchors) {
    const n = a.toLowerCase();
    personCols.push(
      opts.anchorsTable ? `COALESCE(CAST(ta.${n} AS TIMESTAMP), prm.a_${n}) AS a_${n}` : `prm.a_${n} AS a_${n}`,
    );
  }
  cte(
    "trialc_anchors",
    `  SELECT ${personCols.join(",\n    ")}
  FROM ${schema}person p
  CROSS JOIN trialc_params prm${opts.anchorsTable ? `\n  LEFT JOIN ${opts.anchorsTable} ta ON ta.person_id = p.person_id` : ""}`,
    "The reference dates of each person (what conditions over records read besides the records).",
  );
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
  ) op ON op.person_id = p.person_id${pivot.length ? "\n  LEFT JOIN trialc_values v ON v.person_id = p.person_id" : ""}${
    opts.anchorsTable ? `\n  LEFT JOIN ${opts.anchorsTable} ta ON ta.person_id = p.person_id` : ""
  }`,
    "One row per person with every data element the rules read (NULL: unknown). Records are known for a person observed on the as-of date (observation_period).",
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
      `  SELECT b.*,\n    ${result.t} AS t_${col},\n    ${result.m === "0" ? bigint(d, 0n) : result.m} AS m_${col}\n  FROM ${prev} b${joins.length ? "\n" + joins.join("\n") : ""}`,
      note,
    );
    prev = name;
    const out: CompiledCriterion = { id: c.id, text: c.text, role: c.role, col, items: space.items, depth, topLevel };
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
    const order = `PARTITION BY x.person_id, x.${g} ORDER BY x.${t}, x.${v}, x.event_id`;
    cte(
      `${r.name}_steps`,
      `  SELECT x.person_id, x.${g} AS g,
    CASE WHEN LAG(x.${v}) OVER (${order}) IS NOT NULL AND x.${v} > LAG(x.${v}) OVER (${order}) AND LAG(x.${t}) OVER (${order}) < x.${t} THEN 1 ELSE 0 END AS rise,
    x.${t} AS ts, x.${v} AS v, x.event_id
  FROM ${rec} x
  WHERE x.${v} IS NOT NULL AND x.${g} IS NOT NULL AND x.${t} IS NOT NULL`,
      `successive_rises(${r.records}, ${r.value}, ${r.group}, ${r.date}): a rise is a strictly greater value at a strictly later date`,
    );
    cte(
      `${r.name}_runs`,
      `  SELECT s.person_id, s.g, s.rise,
    SUM(1 - s.rise) OVER (PARTITION BY s.person_id, s.g ORDER BY s.ts, s.v, s.event_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_id
  FROM ${r.name}_steps s`,
    );
    cte(
      r.name,
      `  SELECT a.person_id,
    CASE WHEN MAX(a.incomplete) > 0 THEN NULL ELSE CAST(COALESCE(MAX(k.best), 0) AS ${DEC}) END AS v,
    BIT_OR(a.m) AS m
  FROM (
    SELECT x.person_id,
      CASE WHEN x.${v} IS NULL OR x.${g} IS NULL OR x.${t} IS NULL THEN 1 ELSE 0 END AS incomplete,
      ${orMasks([
        `CASE WHEN x.${v} IS NULL THEN ${r.missing.value} ELSE 0 END`,
        `CASE WHEN x.${g} IS NULL THEN ${r.missing.group} ELSE 0 END`,
        `CASE WHEN x.${t} IS NULL THEN ${r.missing.date} ELSE 0 END`,
      ])} AS m
    FROM ${rec} x
  ) a
  LEFT JOIN (
    SELECT u.person_id, MAX(u.run) AS best FROM (
      SELECT n.person_id, SUM(n.rise) AS run FROM ${r.name}_runs n GROUP BY n.person_id, n.g, n.run_id
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
      : `CASE WHEN b.t_${c.col} = 1 THEN CONCAT_WS(', ', ${[...c.items]
          .map((it) => ({ it, i: c.items.indexOf(it) }))
          .sort((a, b2) => (a.it < b2.it ? -1 : a.it > b2.it ? 1 : 0))
          .map(({ it, i }) => `CASE WHEN (b.m_${c.col} & ${bigint(d, 1n << BigInt(i))}) <> 0 THEN ${str(d, it)} END`)
          .join(", ")}) ELSE '' END`;
  const tops = compiled.filter((c) => c.topLevel);
  const fails = tops.map((c) => `b.t_${c.col} = ${c.role === "exclusion" ? 2 : 0}`);
  const opens = tops.map((c) => `b.t_${c.col} = 1`);
  const verdict = `CASE WHEN ${fails.join(" OR ")} THEN 'ineligible' WHEN ${opens.join(" OR ")} THEN 'indeterminate' ELSE 'eligible' END`;
  const allItems = [...new Set(tops.flatMap((c) => c.items))].sort();
  const overallMissing = allItems.length
    ? `CASE WHEN b.verdict = 'indeterminate' THEN CONCAT_WS(', ', ${allItems
        .map((it) => {
          const conds = tops
            .filter((c) => c.items.includes(it))
            .map((c) => `(b.t_${c.col} = 1 AND (b.m_${c.col} & ${bigint(d, 1n << BigInt(c.items.indexOf(it)))}) <> 0)`);
          return `CASE WHEN ${conds.join(" OR ")} THEN ${str(d, it)} END`;
        })
        .join(", ")}) ELSE '' END`
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
    `  SELECT b.*,\n    ${verdict} AS verdict\n  FROM ${prev} b`,
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
