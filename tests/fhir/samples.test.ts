/**
 * The sample FHIR R4 bundles of protocols/fhir/ screen with the verdicts written in
 * protocols/fhir/expected/verdicts.json, through the command line a site would use
 * (`trialc eval … --fhir protocols/fhir/*.json --summary`), unused and missing shown.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trialc } from "../cli/run.js";

interface Expected {
  verdict: string;
  notMet?: string[];
  unused?: string[];
  ambiguous?: number;
  errors?: string[];
}
const EXPECTED = JSON.parse(readFileSync("protocols/fhir/expected/verdicts.json", "utf8")).bundles as Record<
  string,
  Expected
>;
const BUNDLES = readdirSync("protocols/fhir").filter((f) => f.endsWith(".json"));
const PROTOCOL = "protocols/lu177-octreotate.trial";

describe("sample FHIR bundles", () => {
  it("every bundle has an expectation and every expectation a bundle", () => {
    expect(BUNDLES.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("screen as expected in one --summary run, with unused and missing listed", async () => {
    const r = await trialc(...["eval", PROTOCOL, "--summary", "--fhir", ...BUNDLES.map((b) => `protocols/fhir/${b}`)]);
    expect(r.code).toBe(1); // the broken bundle is invalid data
    for (const [file, exp] of Object.entries(EXPECTED)) {
      const line = r.stdout.split("\n").find((l) => l.startsWith(`protocols/fhir/${file} `))!;
      expect(line, file).toContain(exp.verdict.toUpperCase());
    }
    expect(r.stdout).toContain("FHIR missing from the bundle");
    expect(r.stdout).toContain("FHIR unused resources (2): Observation/hr-1 (LOINC 8867-4)");
    expect(r.stdout).toMatch(/4 patients: 2 eligible, 1 ineligible, 0 indeterminate, 1 invalid/);
  });

  for (const [file, exp] of Object.entries(EXPECTED))
    it(`${file}: ${exp.verdict}`, async () => {
      const r = await trialc(...["eval", PROTOCOL, "--format", "json", "--fhir", `protocols/fhir/${file}`]);
      const out = JSON.parse(r.stdout);
      if (exp.verdict === "invalid") {
        expect(r.code).toBe(1);
        expect(out.errors.map((e: { path: string }) => e.path)).toEqual(exp.errors);
        for (const path of exp.errors!) expect(r.stderr).toContain(`protocols/fhir/${file}: ${path}: `);
        return;
      }
      expect(r.code).toBe(0);
      expect(out.verdict).toBe(exp.verdict);
      for (const id of exp.notMet ?? [])
        expect(out.inclusion.find((c: { id: string }) => c.id === id)?.verdict, id).toBe("not_met");
      expect(out.fhir.unused.map((u: { path: string }) => u.path)).toEqual(exp.unused);
      expect(out.fhir.ambiguous).toHaveLength(exp.ambiguous!);
      // Everything the protocol reads for screening came from the bundle.
      expect(out.missing ?? []).toEqual([]);
    });
});

describe("trialc eval --fhir on the command line", () => {
  it("a single bundle prints the full report, then what the import left unused or missing", async () => {
    const r = await trialc("eval", PROTOCOL, "--fhir", "protocols/fhir/other-units-and-window.json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("FHIR unused resources (2)");
    expect(r.stdout).toMatch(/FHIR missing from the bundle \(\d+\): lymphocytes/);
    // Its GFR is an absolute clearance with the BSA beside it: normalised exactly to the boundary.
    expect(r.stdout).toContain(
      "gfr >= 50 mL/min/{1.73_m2}: 50 mL/min/{1.73_m2} on 2027-01-13 (60 mL/min × 1.73 m2 / BSA 2.076 m2 on 2027-01-12) >= 50 mL/min/{1.73_m2} → yes",
    );
  });

  it("no patient and no bundle is a usage error", async () => {
    expect((await trialc("eval", PROTOCOL)).code).toBe(2);
  });
});
