/**
 * `npm run vsix`: build the VS Code extension in `editors/vscode/` and package it with
 * vsce into `editors/vscode/dist/trialc.vsix` (never published). Offline: the
 * extension is bundled with esbuild (vscode-languageclient inside it), and the TextMate
 * grammar is the one `npm run grammar` generates from `grammar/tokens.ts`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const ext = join(root, "editors", "vscode");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

rmSync(join(ext, "dist"), { recursive: true, force: true });
mkdirSync(join(ext, "syntaxes"), { recursive: true });
copyFileSync(
  join(root, "grammar", "generated", "trial.tmLanguage.json"),
  join(ext, "syntaxes", "trial.tmLanguage.json"),
);

execFileSync(bin("tsc"), ["-p", join(ext, "tsconfig.json")], { stdio: "inherit" });
await build({
  entryPoints: [join(ext, "src", "extension.ts")],
  outfile: join(ext, "dist", "extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
});
execFileSync(bin("vsce"), ["package", "--no-dependencies", "--out", join(ext, "dist", "trialc.vsix")], {
  cwd: ext,
  stdio: "inherit",
});
