// `npm run build` (run by `npm ci` through `prepare`): bundles the command line into
// `dist/` with esbuild, so `bin/trialc.js` starts from a few JavaScript files instead of
// transpiling about 200 TypeScript sources and resolving 850 modules (641 of them
// lodash-es, pulled in by Chevrotain) on every start. Code splitting keeps each
// command's heavy modules (Handlebars, the TypeScript compiler, the Chromium driver) in
// chunks loaded only when that command runs; packages that read files of their own at
// run time stay external (so do the database drivers: DuckDB is a native module). Type checking is `npm run typecheck` (esbuild only strips types).
import { build } from "esbuild";
import { cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The folder is `dist` unless given (tests/cli/bundle.test.ts builds one of its own).
const outdir = process.argv[2] ?? "dist";
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: "src/cli/main.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir,
  mainFields: ["module", "main"],
  external: ["typescript", "playwright-core", "@lhncbc/ucum-lhc", "handlebars", "@duckdb/node-api", "pg"],
  // ucum-lhc is loaded on first use (scripts/ucum-lazy.mjs), not on every start.
  plugins: [
    {
      name: "ucum-lazy",
      setup(b) {
        const path = fileURLToPath(new URL("ucum-lazy.mjs", import.meta.url));
        b.onResolve({ filter: /^@lhncbc\/ucum-lhc$/ }, () => ({ path }));
      },
    },
  ],
  // CommonJS packages inside an ES module bundle need a `require`.
  banner: { js: "import { createRequire as __trialcRequire } from 'node:module'; const require = __trialcRequire(import.meta.url);" },
  logLevel: "warning",
});
// The document templates are read at run time from beside the code that renders them.
cpSync("src/emit/document/templates", `${outdir}/templates`, { recursive: true });
