/**
 * `trialc crf` writes each format; bad usage exits 2, a protocol with errors exits 1
 * and writes nothing; `trialc build` writes the same JSON Schemas under forms/.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialc } from "../cli/run.js";
import { parseCsv, parseXml } from "./support.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-crf-"));

describe("trialc crf", () => {
  it("writes the JSON Schemas by default", async () => {
    const out = join(tmp, "schemas");
    const r = await trialc("crf", SEED, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("wrote 10 jsonschema files");
    const files = readdirSync(out).sort();
    expect(files).toContain(".trialc-output.json");
    expect(files).toContain("labs.schema.json");
    expect(files).toContain("patient-record.schema.json");
    for (const f of files) expect(() => JSON.parse(readFileSync(join(out, f), "utf8"))).not.toThrow();
  });

  it("writes ODM and REDCap on request, and says what REDCap needs set up by hand", async () => {
    const odm = await trialc("crf", SEED, "--out", join(tmp, "odm"), "--format", "odm");
    expect(odm.code).toBe(0);
    expect(parseXml(readFileSync(join(tmp, "odm", "odm.xml"), "utf8")).name).toBe("ODM");
    const red = await trialc("crf", SEED, "--out", join(tmp, "redcap"), "--format", "redcap");
    expect(red.code).toBe(0);
    expect(readdirSync(join(tmp, "redcap")).sort()).toEqual([
      ".trialc-output.json", // the marker that lets a rebuild replace the folder
      "redcap-data-dictionary.csv",
      "redcap-repeating-instruments.csv",
    ]);
    expect(parseCsv(readFileSync(join(tmp, "redcap", "redcap-data-dictionary.csv"), "utf8"))[0]).toHaveLength(18);
    expect(red.stderr).not.toContain("no data elements");
    expect(red.stderr).toContain("repeating instruments");
  });

  it("notes a declared form that captures nothing (no REDCap instrument for it)", async () => {
    const p = join(tmp, "empty-form.trial");
    writeFileSync(
      p,
      'trial "T" { title "t" }\nform f "F"\nform later "Not designed yet"\ndata {\n  x: boolean "X" form f\n}\ninclusion I1 "x" { rule x }\n',
    );
    const red = await trialc("crf", p, "--out", join(tmp, "redcap-empty"), "--format", "redcap");
    expect(red.code).toBe(0);
    expect(red.stderr).toContain("note: form later declares no data elements: no REDCap instrument");
  });

  it("exits 2 on an unknown format or a missing --out, without a stack trace", async () => {
    const r = await trialc("crf", SEED, "--out", join(tmp, "x"), "--format", "pdf");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format "pdf"');
    expect(r.stderr).not.toContain("    at ");
    expect((await trialc("crf", SEED)).code).toBe(2);
    expect(existsSync(join(tmp, "x"))).toBe(false);
  });

  it("exits 1 on a protocol with errors and writes nothing", async () => {
    const bad = join(tmp, "bad.trial");
    writeFileSync(bad, readFileSync(SEED, "utf8").replace("rule ecog <= 1", "rule ecgo <= 1"));
    const r = await trialc("crf", bad, "--out", join(tmp, "bad"), "--format", "odm");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TRC2001");
    expect(existsSync(join(tmp, "bad"))).toBe(false);
  });

  it("trialc build writes the JSON Schemas under forms/, identical to trialc crf's", async () => {
    const out = join(tmp, "build");
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    for (const f of readdirSync(join(tmp, "schemas")).filter((f) => f.endsWith(".schema.json")))
      expect(readFileSync(join(out, "forms", f), "utf8"), f).toBe(readFileSync(join(tmp, "schemas", f), "utf8"));
  });
});
