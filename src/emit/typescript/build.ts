/**
 * The files of the TypeScript target: the generated modules, the copy of the run time
 * they import (so the output compiles on its own), a `tsconfig.json` and a
 * `package.json`. No I/O: the run-time sources and the dependency versions come in as
 * `RuntimeAssets`, which the build writer (`src/build.ts`) reads from disk.
 */
import type { IrProtocol } from "../../ir/types.js";
import { emitDefinitionsModule, emitEligibilityModule, emitPatientModule } from "./modules.js";
import { emitScheduleModule } from "./schedule.js";
import { emitDecideModule, emitRecordModule } from "./decide.js";
import { emitExplainModule } from "./explain.js";
import { emitToxicityModule } from "./toxicity.js";
import { emitResponseModule } from "./response.js";
import { emitFhirModule } from "./fhir.js";

/** What the generated modules need from this trialc beside the IR. */
export interface RuntimeAssets {
  /** The run-time sources by path in the output (`runtime/ops.ts`), sorted for deterministic output. */
  readonly files: ReadonlyMap<string, string>;
  /** The packages the run time imports, at the versions this trialc was built with. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** The type packages the run time imports types from (`tsc` needs them, a run does not). */
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** The packages the copied run time imports (`src/runtime/README.md`). */
export const RUNTIME_PACKAGES = ["@lhncbc/ucum-lhc", "decimal.js", "temporal-polyfill", "zod"] as const;

/** The packages of types the copied run time imports (`import type`): FHIR R4's, for the FHIR import. */
export const RUNTIME_TYPE_PACKAGES = ["@types/fhir"] as const;

/** The TypeScript target's files by relative path: run time first, then the modules, then the configs. */
export function typescriptFiles(ir: IrProtocol, runtime: RuntimeAssets): Map<string, string> {
  const files = new Map<string, string>(runtime.files);
  files.set("patient.ts", emitPatientModule(ir));
  files.set("definitions.ts", emitDefinitionsModule(ir));
  files.set("eligibility.ts", emitEligibilityModule(ir));
  files.set("record.ts", emitRecordModule(ir));
  files.set("explain.ts", emitExplainModule(ir));
  files.set("decide.ts", emitDecideModule(ir));
  files.set("fhir.ts", emitFhirModule(ir));
  const schedule = emitScheduleModule(ir);
  if (schedule) files.set("schedule.ts", schedule);
  const toxicity = emitToxicityModule(ir);
  if (toxicity) files.set("toxicity.ts", toxicity);
  const response = emitResponseModule(ir);
  if (response) files.set("response.ts", response);
  return files;
}

/**
 * The output folder's `tsconfig.json` and `package.json`: so that `tsc --strict --noEmit`
 * in the output folder checks it with the right settings, and Node treats emitted `.js`
 * as ES modules wherever the folder goes.
 */
export function projectFiles(runtime: RuntimeAssets): Map<string, string> {
  return new Map([
    ["tsconfig.json", JSON.stringify({ compilerOptions: TSCONFIG, include: ["**/*.ts"] }, null, 2) + "\n"],
    [
      "package.json",
      JSON.stringify(
        { type: "module", private: true, dependencies: runtime.dependencies, devDependencies: runtime.devDependencies },
        null,
        2,
      ) + "\n",
    ],
  ]);
}

/** The generated tsconfig.json's options (the same as the build writer's strictOptions in src/build.ts, as JSON). */
const TSCONFIG = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: [],
  declaration: true,
};
