/**
 * The folder of trialc's own package.json. Files trialc reads at run time (its version,
 * the runtime sources `trialc build` copies, the document templates) are found from
 * here, so they are the same whether trialc runs from its TypeScript sources (`src/`)
 * or from the compiled JavaScript (`dist/src/`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("trialc's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();

/** A path inside trialc's package (always the sources' layout: `src/runtime`, `package.json`). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** trialc's version, from its package.json. */
export function trialcVersion(): string {
  return (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
}
