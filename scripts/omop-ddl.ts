/**
 * `npm run omop:ddl -- [--dialect duckdb|postgres|spark] [--schema NAME]`: print the
 * CREATE TABLE statements of the OMOP CDM v5.4 tables trialc reads (scripts/omop/cdm.ts),
 * for a database to load an extract into.
 */
import { parseArgs } from "node:util";
import { cdmDdlScript, type CdmDialect } from "./omop/cdm.js";

const { values } = parseArgs({
  options: { dialect: { type: "string", default: "duckdb" }, schema: { type: "string" } },
});
const dialects: CdmDialect[] = ["duckdb", "postgres", "spark"];
if (!dialects.includes(values.dialect as CdmDialect)) {
  console.error(`--dialect must be one of ${dialects.join(", ")}`);
  process.exit(2);
}
process.stdout.write(cdmDdlScript(values.dialect as CdmDialect, values.schema));
