/**
 * Everything `trialc build` writes for the TypeScript target: the generated modules
 * and a copy of the run time they import (so the output compiles on its own), and,
 * with `--js`, the same compiled to JavaScript with `.d.ts` files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import ts from "typescript";
import type { IrProtocol } from "../../ir/types.js";
import { emitDefinitionsModule, emitEligibilityModule, emitPatientModule } from "./modules.js";
import { emitScheduleModule } from "./schedule.js";
import { emitToxicityModule } from "./toxicity.js";
import { emitResponseModule } from "./response.js";
import { jsonSchemaFiles } from "../forms/jsonschema.js";

const RUNTIME_DIR = fileURLToPath(new URL("../../runtime/", import.meta.url));

/** The run-time sources, by file name (sorted, for deterministic output). */
export function runtimeFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(RUNTIME_DIR).sort())
    if (f.endsWith(".ts")) out.set(`runtime/${f}`, readFileSync(join(RUNTIME_DIR, f), "utf8"));
  return out;
}

/** Generated modules by relative path. Later targets add theirs through `extra`. */
export function typescriptFiles(ir: IrProtocol, extra: Map<string, string> = new Map()): Map<string, string> {
  const files = new Map<string, string>(runtimeFiles());
  files.set("patient.ts", emitPatientModule(ir));
  files.set("definitions.ts", emitDefinitionsModule(ir));
  files.set("eligibility.ts", emitEligibilityModule(ir));
  const schedule = emitScheduleModule(ir);
  if (schedule) files.set("schedule.ts", schedule);
  const toxicity = emitToxicityModule(ir);
  if (toxicity) files.set("toxicity.ts", toxicity);
  const response = emitResponseModule(ir);
  if (response) files.set("response.ts", response);
  for (const [name, text] of jsonSchemaFiles(ir)) files.set(`forms/${name}`, text); // the case report forms, same source
  for (const [k, v] of extra) files.set(k, v);
  // So that `tsc --strict --noEmit` in the output folder checks it with the right
  // settings, and Node treats emitted `.js` as ES modules wherever the folder goes.
  files.set("tsconfig.json", JSON.stringify({ compilerOptions: TSCONFIG, include: ["**/*.ts"] }, null, 2) + "\n");
  files.set(
    "package.json",
    JSON.stringify({ type: "module", private: true, dependencies: RUNTIME_DEPENDENCIES }, null, 2) + "\n",
  );
  return files;
}

/** trialc's own folder: its `node_modules` hold the packages the runtime imports. */
const TRIALC_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The packages the copied runtime imports, at the versions this trialc was built with. */
export const RUNTIME_DEPENDENCIES: Record<string, string> = (() => {
  const pkg = JSON.parse(readFileSync(join(TRIALC_ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const names = ["@lhncbc/ucum-lhc", "decimal.js", "temporal-polyfill", "zod"];
  return Object.fromEntries(names.map((n) => [n, pkg.dependencies[n]!]));
})();

/** The generated tsconfig.json's options (the same as STRICT_OPTIONS, as JSON). */
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

/** Compiler options generated code must pass. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: [],
};

/**
 * A compiler host that resolves a package the output folder does not have (it has no
 * `node_modules` of its own until the user runs `npm install` there) from trialc's own
 * copies, so that a build compiles wherever its output goes.
 */
function hostWithTrialcPackages(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const fallback = join(TRIALC_ROOT, "index.ts"); // any file in trialc's folder: resolution starts there
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, sourceFile) =>
    literals.map((lit) => {
      const mode = ts.getModeForUsageLocation(sourceFile, lit, opts);
      const own = ts.resolveModuleName(lit.text, containingFile, opts, host, undefined, redirected, mode);
      return own.resolvedModule
        ? own
        : ts.resolveModuleName(lit.text, fallback, opts, host, undefined, redirected, mode);
    });
  return host;
}

/**
 * Type-check (and with `emit`, compile to JS + .d.ts) a set of generated files that
 * are already on disk in `dir`. Returns the compiler's messages; empty means clean.
 */
export function compileGenerated(dir: string, files: string[], emit: boolean): string[] {
  const options: ts.CompilerOptions = {
    ...STRICT_OPTIONS,
    noEmit: !emit,
    declaration: emit,
    outDir: dir,
    rootDir: dir,
  };
  // The generated files themselves (the runtime's ambient `.d.ts` included), never
  // declaration files a previous `--js` build emitted beside them.
  const program = ts.createProgram({
    rootNames: files.filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)),
    options,
    host: hostWithTrialcPackages(options),
  });
  const result = program.emit();
  const diags = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  return diags.map(
    (d) =>
      ts.flattenDiagnosticMessageText(d.messageText, "\n") +
      (d.file && d.start !== undefined
        ? ` (${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1})`
        : ""),
  );
}
