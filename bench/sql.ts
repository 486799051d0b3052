/**
 * `npm run bench:sql [-- --persons N] [--ts-sample S] [--scale]`: screening N synthetic
 * OMOP persons (default 1 000 000) through DuckDB embedded with the SQL target, against
 * the compiled TypeScript evaluators on the first S of the same persons (default
 * 20 000); `--scale` also times the attrition query on 2, 5 and 10 copies of the cohort.
 * The logic is bench/sql-section.ts's, shared with the last section of `npm run bench`.
 */
import { parseArgs } from "node:util";
import { sqlBench } from "./sql-section.js";

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "1000000" },
    "ts-sample": { type: "string", default: "20000" },
    scale: { type: "boolean", default: false },
  },
});
await sqlBench({ persons: Number(values.persons), tsSample: Number(values["ts-sample"]), scale: values.scale });
