/**
 * The SQL target: eligibility compiled to one SQL query over the OMOP CDM v5.4
 * (DuckDB, PostgreSQL, Spark SQL). Reads the IR only.
 */
import type { IrProtocol } from "../../ir/types.js";
import { bind } from "./binding.js";
import type { ConceptMap } from "./concept-map.js";
import { buildQuery, type CompiledQuery, type SqlOptions } from "./query.js";

export { parseConceptMap, ConceptMapError, type ConceptMap } from "./concept-map.js";
export { SqlUnsupported } from "./expr.js";
export { DIALECTS, type Dialect } from "./sql-text.js";
export type { CompiledQuery, CompiledCriterion, SqlOptions } from "./query.js";
export { attritionQuery, type AttritionRow } from "./attrition.js";

/** Compile a protocol's eligibility to SQL. */
export function compileSql(ir: IrProtocol, map: ConceptMap, opts: SqlOptions): CompiledQuery {
  return buildQuery(ir, bind(ir, map), opts);
}

/** The complete per-person query, as `trialc sql` prints it. */
export function sqlText(q: CompiledQuery): string {
  return `${q.withClause}\n${q.resultSelect};\n`;
}
