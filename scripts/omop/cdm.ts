/**
 * The OMOP CDM v5.4 tables trialc reads, as data, and the DDL written from them for each
 * dialect (DuckDB, PostgreSQL, Spark SQL).
 *
 * The facts (table and column names, types, which columns are required) are those of
 * the CDM v5.4 field-level specification, OHDSI/CommonDataModel
 * `inst/csv/OMOP_CDMv5.4_Field_Level.csv` (columns `cdmTableName`, `cdmFieldName`,
 * `cdmDatatype`, `isRequired`), read at commit f853f6e39c61b4eb8b3e5287fd573a1ced36c0e4.
 * It is a subset: the tables trialc's SQL reads (the event tables, `person`,
 * `observation_period`) and the two vocabulary tables docs/sql.md queries to produce a
 * concept map (`concept`, `concept_relationship`); of each table, every required column
 * (so a row that satisfies this DDL satisfies the CDM's) and the optional columns the
 * compiled query or the synthetic generator (synth.ts) reads or writes. Columns are in
 * the specification's order, so a full CDM table has them in the same relative order.
 */

/** A column's type as the specification names it. */
export type CdmType = "integer" | "float" | "date" | "datetime" | { varchar: number };

export interface CdmColumn {
  name: string;
  type: CdmType;
  /** `isRequired = Yes` in the specification: NOT NULL. */
  required: boolean;
}

export type CdmDialect = "duckdb" | "postgres" | "spark";

const int = (name: string, required = false): CdmColumn => ({ name, type: "integer", required });
const req = (name: string, type: CdmType = "integer"): CdmColumn => ({ name, type, required: true });
const opt = (name: string, type: CdmType): CdmColumn => ({ name, type, required: false });
const vc = (n: number): CdmType => ({ varchar: n });

/** The tables, in the order they are created. */
export const CDM_V54: Readonly<Record<string, readonly CdmColumn[]>> = {
  person: [
    req("person_id"),
    req("gender_concept_id"),
    req("year_of_birth"),
    int("month_of_birth"),
    int("day_of_birth"),
    req("race_concept_id"),
    req("ethnicity_concept_id"),
  ],
  observation_period: [
    req("observation_period_id"),
    req("person_id"),
    req("observation_period_start_date", "date"),
    req("observation_period_end_date", "date"),
    req("period_type_concept_id"),
  ],
  visit_occurrence: [
    req("visit_occurrence_id"),
    req("person_id"),
    req("visit_concept_id"),
    req("visit_start_date", "date"),
    opt("visit_start_datetime", "datetime"),
    req("visit_end_date", "date"),
    req("visit_type_concept_id"),
    opt("visit_source_value", vc(50)),
  ],
  condition_occurrence: [
    req("condition_occurrence_id"),
    req("person_id"),
    req("condition_concept_id"),
    req("condition_start_date", "date"),
    opt("condition_start_datetime", "datetime"),
    req("condition_type_concept_id"),
    opt("condition_source_value", vc(50)),
  ],
  drug_exposure: [
    req("drug_exposure_id"),
    req("person_id"),
    req("drug_concept_id"),
    req("drug_exposure_start_date", "date"),
    opt("drug_exposure_start_datetime", "datetime"),
    req("drug_exposure_end_date", "date"),
    req("drug_type_concept_id"),
    opt("drug_source_value", vc(50)),
  ],
  procedure_occurrence: [
    req("procedure_occurrence_id"),
    req("person_id"),
    req("procedure_concept_id"),
    req("procedure_date", "date"),
    opt("procedure_datetime", "datetime"),
    req("procedure_type_concept_id"),
    opt("procedure_source_value", vc(50)),
  ],
  measurement: [
    req("measurement_id"),
    req("person_id"),
    req("measurement_concept_id"),
    req("measurement_date", "date"),
    opt("measurement_datetime", "datetime"),
    req("measurement_type_concept_id"),
    opt("value_as_number", "float"),
    int("value_as_concept_id"),
    int("unit_concept_id"),
    opt("range_low", "float"),
    opt("range_high", "float"),
    opt("measurement_source_value", vc(50)),
  ],
  observation: [
    req("observation_id"),
    req("person_id"),
    req("observation_concept_id"),
    req("observation_date", "date"),
    opt("observation_datetime", "datetime"),
    req("observation_type_concept_id"),
    opt("value_as_number", "float"),
    int("value_as_concept_id"),
    int("unit_concept_id"),
    opt("observation_source_value", vc(50)),
  ],
  concept: [
    req("concept_id"),
    req("concept_name", vc(255)),
    req("domain_id", vc(20)),
    req("vocabulary_id", vc(20)),
    req("concept_class_id", vc(20)),
    opt("standard_concept", vc(1)),
    req("concept_code", vc(50)),
    req("valid_start_date", "date"),
    req("valid_end_date", "date"),
    opt("invalid_reason", vc(1)),
  ],
  concept_relationship: [
    req("concept_id_1"),
    req("concept_id_2"),
    req("relationship_id", vc(20)),
    req("valid_start_date", "date"),
    req("valid_end_date", "date"),
    opt("invalid_reason", vc(1)),
  ],
};

/**
 * A column type in a dialect. The specification's `float` is an exact NUMERIC in DuckDB
 * and PostgreSQL (the query compares values as exact decimals) and DECIMAL(38,9) in
 * Spark, whose bare DECIMAL has no fraction digits.
 */
function typeIn(d: CdmDialect, t: CdmType): string {
  if (typeof t === "object") return d === "spark" ? "STRING" : `VARCHAR(${t.varchar})`;
  switch (t) {
    case "integer":
      return d === "spark" ? "INT" : "INTEGER";
    case "float":
      return d === "spark" ? "DECIMAL(38,9)" : "NUMERIC";
    case "date":
      return "DATE";
    case "datetime":
      return "TIMESTAMP";
  }
}

/** One CREATE TABLE statement per table (Spark: Delta tables), without the final semicolons. */
export function cdmDdl(d: CdmDialect, schema?: string): string[] {
  const prefix = schema ? `${schema}.` : "";
  return Object.entries(CDM_V54).map(([table, cols]) => {
    const lines = cols.map((c) => `  ${c.name} ${typeIn(d, c.type)}${c.required ? " NOT NULL" : ""}`);
    return `CREATE TABLE ${prefix}${table} (\n${lines.join(",\n")}\n)${d === "spark" ? " USING DELTA" : ""}`;
  });
}

/** The DDL as a script: a header naming its source, then the statements. */
export function cdmDdlScript(d: CdmDialect, schema?: string): string {
  const head = [
    `-- OMOP CDM v5.4, the tables and columns trialc reads (a subset), for ${d}.`,
    "-- Written by scripts/omop/cdm.ts from its table description (after the CDM v5.4 field-level specification).",
  ];
  return `${head.join("\n")}\n${cdmDdl(d, schema)
    .map((s) => `${s};\n`)
    .join("\n")}`;
}
