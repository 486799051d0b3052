// `npm run build` (run by `npm ci` through `prepare`): bundles the command line into
// `dist/` with esbuild, so `bin/trialc.js` starts from a few JavaScript files instead of
// transpiling about 200 TypeScript sources and resolving 850 modules (641 of them
// lodash-es, pulled in by Chevrotain) on every start. Code splitting keeps each
// command's heavy modules (Handlebars, the TypeScript compiler, the Chromium driver) in
// chunks loaded only when that command runs; packages that read files of their own at
// run time stay external. Type checking is `npm run typecheck` (esbuild only strips types).
import { build } from "esbuild";
import { cpSync, rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/cli/main.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist",
  mainFields: ["module", "main"],
  external: ["typescript", "playwright-core", "@lhncbc/ucum-lhc", "handlebars"],
  // CommonJS packages inside an ES module bundle need a `require`.
  banner: { js: "import { createRequire as __trialcRequire } from 'node:module'; const require = __trialcRequire(import.meta.url);" },
  logLevel: "warning",
});
// The document templates are read at run time from beside the code that renders them.
cpSync("src/emit/document/templates", "dist/templates", { recursive: true });
