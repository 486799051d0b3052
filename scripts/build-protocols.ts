/**
 * Builds every protocol in `protocols/` with its generated tests into
 * `tests/.generated/protocols/<name>/`, so that `npm test` runs each protocol's own
 * generated test file alongside the project's tests. Fails (exit 1) when a protocol
 * does not compile.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { main } from "../src/cli/program.js";

const dir = "protocols";
let failed = 0;
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith(".trial"))
  .sort()) {
  const out = join("tests", ".generated", "protocols", basename(f, ".trial"));
  const code = await main(["build", join(dir, f), "--out", out, "--tests"]);
  if (code !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
