/**
 * Diagnostic baselines: for each protocol in `tests/check/baselines/`, what
 * `trialc check` prints (codes, positions, messages, code frames, hints) is kept
 * beside it as `<name>.errors.txt` and reviewed like code. UPDATE_GOLDEN=1 rewrites
 * them (a new protocol's baseline too); review the diff before committing.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { formatDiagnostic } from "../../src/diagnostics/format.js";
import { expectGolden } from "../support/golden.js";

const DIR = "tests/check/baselines";

describe("diagnostic baselines", () => {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith(".trial"))
    .sort()) {
    it(file, () => {
      const path = join(DIR, file);
      const r = compileFile(path);
      const text = r.diagnostics.map((d) => formatDiagnostic(d, new Map([[path, r.text]]))).join("\n\n") + "\n";
      expectGolden(text, path.replace(/\.trial$/, ".errors.txt"));
    });
  }
});
