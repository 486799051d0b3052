#!/usr/bin/env node
// The `trialc` command. It runs the compiled JavaScript in `dist/` (`npm run build`,
// which `npm ci` runs through `prepare`), so a start costs no TypeScript transpiling.
// When `dist/` is missing or older than any source file (a checkout being edited), it
// runs the TypeScript sources through tsx instead: the command is never a stale build.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

// Most commands are short (checking a protocol takes about half a second, most of it
// code that runs once: building the lexer and parser, a first pass over the file), and
// V8 spent about a fifth of that compiling functions with its optimising compiler soon
// after they started running. A larger interrupt budget (the bytecode a function runs
// before it is considered for optimisation; V8's default is 67584) leaves run-once code
// to the interpreter; long runs (10,000 criteria) still optimise their hot loops, with no
// measurable loss. Only a tiering heuristic changes, never what the code computes.
// Measured in docs/benchmarks.md.
setFlagsFromString("--interrupt-budget=300000");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiled = join(root, "dist", "main.js");

/** The newest modification time of the `.ts` sources and `.hbs` templates under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts") || e.name.endsWith(".hbs")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function fresh() {
  if (!existsSync(compiled)) return false;
  const built = statSync(compiled).mtimeMs;
  return newest(join(root, "src")) <= built && newest(join(root, "grammar")) <= built;
}

if (fresh()) {
  await import(compiled);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
