/**
 * Bad input of every kind gets a clear answer (issue 12, defects 5, 7, 8 and 9): exit 1
 * or 2 with the place (file:line:col, JSON path or the option), never exit 70, never
 * a raw library message, never a decision on implausible data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialc } from "./run.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-bad-"));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const seedText = readFileSync(SEED, "utf8");
const patientText = readFileSync("protocols/patients/eligible.json", "utf8");
const patient = (edit: (s: string) => string, name = "p.json") => file(name, edit(patientText));

/** Exit code and stderr; a crash (70) or a stack trace fails whatever the test expects. */
async function run(...args: string[]) {
  const r = await trialc(...args);
  expect(r.code, r.stderr).not.toBe(70);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/Invalid input|expected int, received|received number/);
  return r;
}

describe("numbers out of range (defect 5)", () => {
  it("1e1001 as a patient's value, a number or a decimal string: a JSON-path error", async () => {
    for (const v of ["1e1001", '"1e1001"', "1e300"]) {
      const r = await run(
        "eval",
        SEED,
        patient((s) => s.replace('"value": 90,', `"value": ${v},`)),
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/hemoglobin\.value: .*out of range/);
    }
  });

  it("in a treatment history", async () => {
    const h = readFileSync("protocols/histories/normal-course.json", "utf8").replace(
      '"value": 4.1',
      '"value": "1e1001"',
    );
    const r = await run("toxicity", SEED, file("h.json", h));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("$.cycles[0].dosimetry.kidney_dose.value");
  });

  it("a 1001-digit literal in a protocol: TRC1023 at its place, also with --format json", async () => {
    const p = file("long.trial", seedText.replace("hemoglobin >= 9 g/dL", `hemoglobin >= 9${"0".repeat(1000)} g/dL`));
    const text = await run("check", p);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/long\.trial:\d+:\d+: error TRC1023/);
    const json = await run("check", "--format", "json", p);
    expect(JSON.parse(json.stdout).diagnostics[0].code).toBe("TRC1023");
  });

  it("eval a.json bad.json c.json --summary: the bad one is reported, the others screened", async () => {
    const bad = patient((s) => s.replace('"value": 90,', '"value": "1e1001",'), "bad.json");
    const r = await run(
      "eval",
      SEED,
      "protocols/patients/eligible.json",
      bad,
      "protocols/patients/indeterminate.json",
      "--summary",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/eligible\.json\s+ELIGIBLE/);
    expect(r.stdout).toMatch(/bad\.json\s+INVALID/);
    expect(r.stdout).toMatch(/indeterminate\.json\s+INDETERMINATE/);
  });
});

describe("implausible data (defect 7)", () => {
  it("a ULN of 1e300 or of 5000 mg/dL (bilirubin) is refused, no decision", async () => {
    const huge = await run(
      "eval",
      SEED,
      patient((s) => s.replace(/("uln": \{\s*"value": )1\.2/, "$11e300")),
    );
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/\$\.total_bilirubin\.uln\.value: 1e\+300 is out of range/);
    const r = await run(
      "eval",
      SEED,
      patient((s) => s.replace(/("uln": \{\s*"value": )1\.2/, "$15000")),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$\.total_bilirubin\.uln\.value: 5000 mg\/dL is outside the plausible range/);
  });

  it("a birth date in year 961 or 0000 is refused", async () => {
    for (const y of ["0961", "0000"]) {
      const r = await run(
        "eval",
        SEED,
        patient((s) => s.replace('"birth_date": "1961-05-12"', `"birth_date": "${y}-05-12"`)),
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `$.birth_date: "${y}-05-12" is not a real date in the form YYYY-MM-DD (years 1900 to 2200)`,
      );
    }
  });

  it("a null events file is an error, not 'no events'", async () => {
    const r = await run("schedule", SEED, "--start", "2027-01-18", "--events", file("null.json", "null"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("null.json: $: the events file holds null");
  });
});

describe("input handling (defect 8)", () => {
  it("a JSON file with a byte-order mark is read like a .trial with one", async () => {
    const r = await run("eval", SEED, file("bom.json", "\uFEFF" + patientText), "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe("eligible");
  });

  it("a duplicate JSON key is an error with its place", async () => {
    const r = await run(
      "eval",
      SEED,
      patient((s) => s.replace('"sex": "male",', '"sex": "male", "sex": "female",')),
    );
    expect(r.code).toBe(1);
    const line = patientText.split("\n").findIndex((l) => l.includes('"sex"')) + 1;
    expect(r.stderr).toMatch(new RegExp(`p\\.json:${line}:\\d+: \\$\\.sex: duplicate key "sex"`));
  });

  it("an unknown --anchor name is an error naming the protocol's anchors", async () => {
    const r = await run("eval", SEED, "protocols/patients/eligible.json", "--anchor", "D1=2027-01-18");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--anchor D1: the protocol has no anchor "D1" (its anchors: inclusion, D0, cycle)');
  });

  it("--summary --format json gives the summary, not the full results", async () => {
    const r = await run(
      "eval",
      SEED,
      "protocols/patients/eligible.json",
      "protocols/patients/ineligible-age.json",
      "--summary",
      "--format",
      "json",
    );
    const out = JSON.parse(r.stdout);
    expect(out.tally).toEqual({ total: 2, eligible: 1, ineligible: 1, indeterminate: 0, invalid: 0 });
    expect(out.patients[1].verdict).toBe("ineligible");
    expect(out.patients[0].result).toBeUndefined();
  });

  it("zod's own messages never reach the user", async () => {
    const cases: [string, RegExp][] = [
      ['"sex": 3,', /\$\.sex: 3 is not one of "female", "male"|\$\.sex: the number 3 is not one of "female", "male"/],
      ['"sex": "male", "informed_consent": "yes",', /\$\.informed_consent: expected true or false, not the text "yes"/],
    ];
    for (const [replacement, message] of cases) {
      const r = await run(
        "eval",
        SEED,
        patient((s) => s.replace(/"sex": "male",\s*"informed_consent": true,|"sex": "male",/, replacement)),
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("100,000 bad time points print a capped list with a count", async () => {
    const a = JSON.parse(readFileSync("protocols/assessments/pr.json", "utf8"));
    a.time_points = Array.from({ length: 100_000 }, () => ({ date: "not a date", lesions: [] }));
    const r = await run("response", SEED, file("many.json", JSON.stringify(a)));
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(21);
    expect(lines[lines.length - 1]).toMatch(/… and \d+ more problems/);
  });

  it("the eval glob cannot pick up the expectations file, and a non-patient file is refused", async () => {
    const r = await run("eval", SEED, "protocols/histories/normal-course.json");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("normal-course.json: not a patient record");
    const expectations = await run("eval", SEED, "protocols/patients/expected/verdicts.json");
    expect(expectations.code).toBe(1);
    expect(expectations.stderr).toContain("not a patient record");
  });
});

describe("smaller (defect 9)", () => {
  it("commander's usage errors carry the trialc: prefix", async () => {
    const r = await trialc("eval", SEED, "--no-such-option");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trialc: unknown option '--no-such-option'/);
  });

  it("--as-of 2027-02-30 is blamed on the option", async () => {
    const r = await run("eval", SEED, "protocols/patients/eligible.json", "--as-of", "2027-02-30");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trialc: --as-of "2027-02-30" is not a real date in the form YYYY-MM-DD (years 1900 to 2200)\n',
    );
  });
});
