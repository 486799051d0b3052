/**
 * Diagnostic baselines: for each protocol in `tests/check/baselines/`, what
 * `trialc check` prints (codes, positions, messages, code frames, hints) is kept
 * beside it as `<name>.errors.txt` and reviewed like code. UPDATE_GOLDEN=1 rewrites
 * them; review the diff before committing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { formatDiagnostic } from "../../src/diagnostics/format.js";

const DIR = "tests/check/baselines";

describe("diagnostic baselines", () => {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith(".trial"))
    .sort()) {
    it(file, () => {
      const path = join(DIR, file);
      const r = compileFile(path);
      const text = r.diagnostics.map((d) => formatDiagnostic(d, new Map([[path, r.text]]))).join("\n\n") + "\n";
      const baseline = path.replace(/\.trial$/, ".errors.txt");
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(baseline)) writeFileSync(baseline, text);
      expect(text).toBe(readFileSync(baseline, "utf8"));
    });
  }
});
