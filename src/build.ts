/**
 * The build writer's side of `trialc build`: every file the command writes, assembled
 * from the targets (the TypeScript modules, the JSON Schema forms, optionally the
 * generated tests), and the type check of what was written. With the CLI, the only
 * place the pipeline touches the disk: it reads the run-time sources and
 * `package.json` (once, when a build first needs them) and runs `tsc` over the output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import type { IrProtocol } from "./ir/types.js";
import { packagePath } from "./package-root.js";
import {
  projectFiles,
  RUNTIME_PACKAGES,
  RUNTIME_TYPE_PACKAGES,
  typescriptFiles,
  type RuntimeAssets,
} from "./emit/typescript/build.js";
import { emitEligibilityTests } from "./emit/typescript/tests.js";
import { jsonSchemaFiles } from "./emit/forms/jsonschema.js";

let assets: RuntimeAssets | null = null;

/** The run-time sources and dependency versions of this trialc, read from disk on first use. */
export function runtimeAssets(): RuntimeAssets {
  if (assets) return assets;
  // Found from the package root, so that the bundled command (dist/) reads the same sources.
  const dir = packagePath("src", "runtime");
  const files = new Map<string, string>();
  for (const f of readdirSync(dir).sort())
    if (f.endsWith(".ts")) files.set(`runtime/${f}`, readFileSync(join(dir, f), "utf8"));
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(RUNTIME_PACKAGES.map((n) => [n, pkg.dependencies[n]!]));
  const devDependencies = Object.fromEntries(RUNTIME_TYPE_PACKAGES.map((n) => [n, pkg.dependencies[n]!]));
  return (assets = { files, dependencies, devDependencies });
}

/** What `trialc build` writes, by relative path. */
export function buildFiles(ir: IrProtocol, opts: { tests?: boolean } = {}): Map<string, string> {
  const runtime = runtimeAssets();
  const files = typescriptFiles(ir, runtime);
  // The case report forms, from the same IR, beside the modules.
  for (const [name, text] of jsonSchemaFiles(ir)) files.set(`forms/${name}`, text);
  for (const [name, text] of projectFiles(runtime)) files.set(name, text);
  if (opts.tests) files.set("eligibility.test.ts", emitEligibilityTests(ir));
  return files;
}

/**
 * The TypeScript compiler, loaded on first use: only `--js` and the tests type-check
 * generated code, and loading it took about 0.4 s of every `trialc build`.
 */
let loaded: typeof TS | null = null;
function typescript(): typeof TS {
  return (loaded ??= createRequire(import.meta.url)("typescript") as typeof TS);
}

/** Compiler options generated code must pass. */
const strictOptions = (ts: typeof TS): TS.CompilerOptions => ({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  esModuleInterop: true,
  types: [],
});

/**
 * A compiler host that resolves a package the output folder does not have (it has no
 * `node_modules` of its own until the user runs `npm install` there) from trialc's own
 * copies, so that a build compiles wherever its output goes.
 */
function hostWithTrialcPackages(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  const fallback = packagePath("index.ts"); // any file in trialc's folder: resolution starts there
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
  const ts = typescript();
  const options: TS.CompilerOptions = Object.assign({}, strictOptions(ts), {
    noEmit: !emit,
    declaration: emit,
    outDir: dir,
    rootDir: dir,
  });
  // The generated files themselves (the runtime's ambient `.d.ts` included), never
  // declaration files a previous `--js` build emitted beside them.
  const program = ts.createProgram({
    rootNames: files.filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)),
    options,
    host: hostWithTrialcPackages(ts, options),
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
