import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialc } from "./run.js";
import { compileGenerated, buildFiles } from "../../src/build.js";
import { compileFile } from "../../src/cli/source.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-eval-"));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

describe("trialc eval", () => {
  it("prints a readable report with the verdict and the reasons", async () => {
    const r = await trialc("eval", SEED, "protocols/patients/ineligible-platelets.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Verdict: INELIGIBLE");
    expect(r.stdout).toContain("because inclusion I7 not met: Adequate bone marrow function.");
    expect(r.stdout).toContain("platelets >= 100 10*3/uL: 99.9 10*3/uL on 2027-01-13 >= 100 10*3/uL → no");
  });

  it("says what to collect for an indeterminate patient", async () => {
    const r = await trialc("eval", SEED, "protocols/patients/indeterminate.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Verdict: INDETERMINATE");
    expect(r.stdout).toContain("to decide, collect: albumin, lesions[0].progressive_on_mri");
  });

  it("prints the JSON result", async () => {
    const r = await trialc("eval", SEED, "protocols/patients/eligible.json", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe("eligible");
  });

  it("takes reference dates from options when the data lack them", async () => {
    const data = JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8"));
    delete data.anchors;
    const p = file("no-anchors.json", JSON.stringify(data));
    const without = JSON.parse((await trialc("eval", SEED, p, "--format", "json")).stdout);
    expect(without.verdict).toBe("indeterminate");
    expect(without.missing).toContain("anchor D0");
    const withDates = await trialc(
      "eval",
      SEED,
      p,
      "--format",
      "json",
      "--as-of",
      "2027-01-04",
      "--anchor",
      "D0=2027-01-18",
    );
    expect(JSON.parse(withDates.stdout).verdict).toBe("eligible");
    const conflict = await trialc("eval", SEED, "protocols/patients/eligible.json", "--as-of", "2027-02-01");
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain("$.anchors.inclusion");
  });

  it("rejects invalid data with every JSON path and exit 1", async () => {
    const r = await trialc("eval", SEED, "protocols/patients/invalid-data.json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    for (const path of ["$.birth_date", "$.hemoglobin", "$.platelets.unit", "$.lesions[0].krenning_score"])
      expect(r.stderr).toContain(path);
  });

  it("rejects a file that is not JSON, naming line and column", async () => {
    const r = await trialc("eval", SEED, file("broken.json", '{\n  "ecog": 1,\n  oops\n}'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json:3:\d+: not valid JSON/);
    const bare = await trialc("eval", SEED, file("bare.json", "[,]"));
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain("bare.json:1:2: not valid JSON: value expected");
  });

  it("rejects wrong types, unknown units and impossible dates", async () => {
    const cases: [object, string][] = [
      [{ ecog: "one" }, "$.ecog"],
      [{ hemoglobin: { value: 9, unit: "furlong" } }, "$.hemoglobin.unit"],
      [{ hemoglobin: { value: "9,5", unit: "g/dL" } }, "$.hemoglobin.value"],
      [{ consent_at: "2027-01-04T25:00" }, "$.consent_at"],
      [{ primary_site: "liver" }, "$.primary_site"],
      [{ lesions: [{ longest_diameter: { value: 20, unit: "mL" } }] }, "$.lesions[0].longest_diameter.unit"],
      [{ birth_date: "2030-01-01", anchors: { inclusion: "2027-01-04" } }, "$.birth_date"],
    ];
    for (const [data, path] of cases) {
      const r = await trialc("eval", SEED, file("bad.json", JSON.stringify(data)));
      expect(r.code, JSON.stringify(data)).toBe(1);
      expect(r.stderr).toContain(path);
    }
  });

  it("screens a list of patients with --summary: a line each and a tally, exit 1 when one is invalid", async () => {
    const files = ["eligible", "ineligible-platelets", "indeterminate", "invalid-data"].map(
      (n) => `protocols/patients/${n}.json`,
    );
    const r = await trialc("eval", SEED, ...files, "--summary");
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/eligible\.json\s+ELIGIBLE\s*$/);
    expect(lines[1]).toMatch(/ineligible-platelets\.json\s+INELIGIBLE\s+inclusion I7 not met/);
    expect(lines[2]).toMatch(
      /indeterminate\.json\s+INDETERMINATE\s+collect: albumin, lesions\[0\]\.progressive_on_mri/,
    );
    expect(lines[3]).toMatch(/invalid-data\.json\s+INVALID\s+4 problems/);
    expect(lines.at(-1)).toBe("4 patients: 1 eligible, 1 ineligible, 1 indeterminate, 1 invalid");
    expect(r.stderr).toContain("invalid-data.json: $.birth_date");
    const json = JSON.parse((await trialc("eval", SEED, ...files.slice(0, 2), "--format", "json")).stdout);
    expect(json.map((x: { file: string; result: { verdict: string } }) => [x.file, x.result.verdict])).toEqual([
      [files[0], "eligible"],
      [files[1], "ineligible"],
    ]);
  });

  it("exits 2 on usage errors", async () => {
    expect((await trialc("eval", SEED)).code).toBe(2);
    expect((await trialc("eval", SEED, "protocols/patients/eligible.json", "--format", "yaml")).code).toBe(2);
    expect((await trialc("eval", SEED, "protocols/patients/eligible.json", "--anchor", "D0")).code).toBe(2);
  });
});

describe("trialc build", () => {
  it("writes modules that compile under tsc --strict, deterministically, with a header naming the source and hash", async () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    expect((await trialc("build", SEED, "--out", a)).code).toBe(0);
    expect((await trialc("build", SEED, "--out", b)).code).toBe(0);
    const files = readdirSync(a, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(files).toEqual(expect.arrayContaining(["eligibility.ts", "patient.ts", "definitions.ts", "runtime/ops.ts"]));
    for (const f of files) expect(readFileSync(join(b, f), "utf8"), f).toBe(readFileSync(join(a, f), "utf8"));
    const head = readFileSync(join(a, "eligibility.ts"), "utf8").split("\n").slice(0, 3).join("\n");
    expect(head).toMatch(/Generated by trialc from protocols\/lu177-octreotate\.trial \(sha256 [0-9a-f]{64}\)/);
  });

  it("emits JavaScript and .d.ts with --js, importable as is", async () => {
    const out = join("tests", ".generated", "js-build");
    const r = await trialc("build", SEED, "--out", out, "--js");
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "eligibility.js"))).toBe(true);
    expect(readFileSync(join(out, "eligibility.d.ts"), "utf8")).toContain(
      "export declare function evaluateEligibility",
    );
    const mod = await import(join(process.cwd(), out, "eligibility.js"));
    const data = JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8"));
    expect(mod.evaluateEligibility(data).result.verdict).toBe("eligible");
  });

  it("type-checks the output under tsc --strict with no errors", () => {
    const out = join("tests", ".generated", "js-build");
    const ir = compileFile(SEED).ir!;
    expect(compileGenerated(out, [...buildFiles(ir).keys()], false)).toEqual([]);
  });

  it("exits 1 without writing anything when the protocol has errors", async () => {
    const out = join(tmp, "bad-out");
    const r = await trialc(
      "build",
      file("bad.trial", 'trial "T" { title "t" }\ninclusion I1 "x" { rule nope }\n'),
      "--out",
      out,
    );
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});
