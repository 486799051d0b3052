/**
 * `trialc toxicity <file.trial> <history.json> [--format text|json]`: the decision as
 * text or JSON, exit 0 for any decision, 1 for a bad history or protocol (the JSON path
 * of every problem, no stack trace), 2 for a usage error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decideCycle } from "../../src/interpret/toxicity.js";
import { protocol } from "../helpers.js";
import { trialc } from "../cli/run.js";
import { SEED, seedIr } from "./helpers.js";

const H = "protocols/histories";
const tmp = mkdtempSync(join(tmpdir(), "trialc-toxicity-"));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("trialc toxicity", () => {
  it("prints the decision, its reasons, the doses against their sourced limits, grades and rules", async () => {
    const r = await trialc("toxicity", SEED, `${H}/delay-low-platelets.json`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "Trial NCT01842165 (protocols/lu177-octreotate.trial)",
      "Cycles given: 2 of 4; deciding cycle 3",
      "Decision: DELAY",
      "  because delay haematological: Haematological toxicity grade 2 or more: delay until recovery (at most 6 wk from the due date, then stop)",
    ]);
    expect(r.stdout).toContain(
      "    cumulative 8 Gy, projected after the next cycle 12 Gy; limit 23 Gy (kidney_dose_limit)",
    );
    expect(r.stdout).toMatch(/limit source: emami1991 \(literature\): Emami B et al\./);
    expect(r.stdout).toMatch(/Platelet count decreased\s+grade 2\s+62 10\*3\/uL = 62 10\*9\/L/);
    expect(r.stdout).toMatch(/delay haematological\s+MET/);
  });

  it("says what to collect when it cannot decide", async () => {
    const r = await trialc("toxicity", SEED, `${H}/unknown-missing-dosimetry.json`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Decision: UNKNOWN");
    expect(r.stdout).toContain(
      "  to decide, collect: cycles[1].dosimetry.kidney_dose, cycles[1].dosimetry.marrow_dose",
    );
  });

  it("rounds long doses for reading only, marked ≈", async () => {
    const r = await trialc("toxicity", SEED, `${H}/stop-kidney-limit.json`);
    expect(r.stdout).toContain("cumulative 23 Gy, projected after the next cycle ≈30.6667 Gy");
  });

  it("--format json prints the interpreter's result", async () => {
    const r = await trialc("toxicity", SEED, `${H}/stop-kidney-projection.json`, "--format", "json");
    expect(r.code).toBe(0);
    const want = decideCycle(seedIr(), JSON.parse(readFileSync(`${H}/stop-kidney-projection.json`, "utf8")));
    expect(want.ok).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(want.ok ? want.result : null)));
  });

  it("a bad history: every problem with its JSON path on stderr, exit 1", async () => {
    const r = await trialc("toxicity", SEED, `${H}/invalid-history.json`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(
      `${H}/invalid-history.json: $.cycles[0].dosimetry.kidney_dose.value: kidney_dose cannot be negative (-4.1 Gy)`,
    );
    expect(r.stderr).toContain("$.cycles[1].cycle: cycles out of order");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a bad history with --format json: the errors as JSON too", async () => {
    const r = await trialc("toxicity", SEED, `${H}/invalid-history.json`, "--format", "json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; errors: { path: string }[] };
    expect(out.ok).toBe(false);
    expect(out.errors.length).toBe(9);
  });

  it("JSON that does not parse: its line and column, exit 1", async () => {
    const r = await trialc("toxicity", SEED, file("broken.json", '{\n  "cycles": []\n  "labs": {}\n}\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json:3:3: not valid JSON/);
  });

  it("a history file that does not exist: exit 1", async () => {
    const r = await trialc("toxicity", SEED, join(tmp, "nothing.json"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*nothing\.json: no such file or directory \(ENOENT\)/);
  });

  it("a protocol without a toxicity section: exit 1", async () => {
    const p = file(
      "none.trial",
      protocol('ecog: integer range 0 to 5 "ECOG" form f', 'inclusion I1 "ECOG <= 1" { rule ecog <= 1 }'),
    );
    const r = await trialc("toxicity", p, `${H}/normal-course.json`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/none\.trial has no toxicity section/);
  });

  it("a protocol with errors: its diagnostics, exit 1", async () => {
    const p = file(
      "bad.trial",
      protocol('ecog: integer range 0 to 5 "ECOG" form f', 'inclusion I1 "x" { rule ecgo <= 1 }'),
    );
    const r = await trialc("toxicity", p, `${H}/normal-course.json`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TRC2001");
  });

  it("usage errors exit 2", async () => {
    expect((await trialc("toxicity", SEED, `${H}/normal-course.json`, "--format", "xml")).code).toBe(2);
    expect((await trialc("toxicity", SEED)).code).toBe(2);
  });

  it("--help describes the command", async () => {
    const r = await trialc("toxicity", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/decide the next cycle \(proceed, delay, stop or unknown\)/);
  });
});
