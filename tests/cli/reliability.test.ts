/**
 * The rest of issue 12 (reliability): one policy for unknown fields in every data file
 * and at every depth, data files read alike by every command, the front end's smaller
 * defects (control characters, CR-only line ends, whole-file diagnostics) and usage
 * errors. Each answer is one line that names its place: file:line:col for a protocol,
 * the JSON path for data, the option for an option.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { trialc, trialcProcess } from "./run.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-rel-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const seedText = readFileSync(SEED, "utf8");
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** Exit code and output; a crash (70) or a stack trace fails whatever the test expects. */
async function run(...args: string[]) {
  const r = await trialc(...args);
  expect(r.code, r.stderr).not.toBe(70);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r;
}

describe("unknown fields: one policy everywhere, a warning with the JSON path (point 1)", () => {
  it("eval: at the top, in a record's row, in a quantity inside a record, in a result, a limit, the anchors", async () => {
    const p = json("protocols/patients/eligible.json");
    p.favourite_colour = "blue";
    p.marker_measurements[0].colour = "red";
    p.lesions[0].colour = "green";
    p.lesions[0].longest_diameter.colour = "grey";
    p.hemoglobin.colour = "white";
    p.total_bilirubin.uln.colour = "black";
    p.anchors.D9 = "2027-01-04";
    const r = await run("eval", SEED, file("p.json", JSON.stringify(p)), "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe("eligible");
    expect(out.warnings.map((w: { path: string }) => w.path).sort()).toEqual(
      [
        "$.favourite_colour",
        "$.marker_measurements[0].colour",
        "$.lesions[0].colour",
        "$.lesions[0].longest_diameter.colour",
        "$.hemoglobin.colour",
        "$.total_bilirubin.uln.colour",
        "$.anchors.D9",
      ].sort(),
    );
    for (const w of out.warnings) expect(w.message).toMatch(/was ignored/);
  });

  it("response: an unknown top-level field and a lesion's unknown key are warnings, the response is given", async () => {
    const a = json("protocols/assessments/pr.json");
    a.note = "read by a person";
    a.baseline.lesions[0].colour = "red";
    a.baseline.lesions[0].longest_diameter.colour = "red";
    a.time_points[0].lesions[0].colour = "red";
    a.time_points[0].weather = "sunny";
    const r = await run("response", SEED, file("a.json", JSON.stringify(a)), "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.warnings.map((w: { path: string }) => w.path).sort()).toEqual(
      [
        "$.note",
        "$.baseline.lesions[0].colour",
        "$.baseline.lesions[0].longest_diameter.colour",
        "$.time_points[0].lesions[0].colour",
        "$.time_points[0].weather",
      ].sort(),
    );
    const text = await run("response", SEED, file("a.json", JSON.stringify(a)));
    expect(text.stdout).toContain('warning: $.baseline.lesions[0].colour: "colour" is not a field of a lesion');
  });

  it("response: a misspelt measurement is still named (the lesion is then not measured)", async () => {
    const a = json("protocols/assessments/pr.json");
    a.time_points[0].lesions[0].longest_diamter = a.time_points[0].lesions[0].longest_diameter;
    delete a.time_points[0].lesions[0].longest_diameter;
    const r = await run("response", SEED, file("a.json", JSON.stringify(a)), "--format", "json");
    expect(JSON.parse(r.stdout).warnings[0].path).toBe("$.time_points[0].lesions[0].longest_diamter");
  });

  it("toxicity: unknown fields at the top and inside a cycle's record row are warnings", async () => {
    const h = json("protocols/histories/normal-course.json");
    h.note = "x";
    h.cycles[0].dosimetry.colour = "red";
    const r = await run("toxicity", SEED, file("h.json", JSON.stringify(h)), "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const paths = JSON.parse(r.stdout).warnings.map((w: { path: string }) => w.path);
    expect(paths).toEqual(expect.arrayContaining(["$.note", "$.cycles[0].dosimetry.colour"]));
  });

  it("schedule --events: an unknown event field is a warning", async () => {
    const events = json("protocols/schedules/in-progress.json");
    events[0].note = "came early";
    const r = await run("schedule", SEED, "--start", "2027-01-04", "--events", file("e.json", JSON.stringify(events)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('events $[0].note: "note" is not a field of an event');
  });
});

describe("data files are read alike by every command (points 2 and 3)", () => {
  it("a byte-order mark is skipped and a duplicate key refused, in history and assessments files too", async () => {
    const history = readFileSync("protocols/histories/normal-course.json", "utf8");
    const bom = await run("toxicity", SEED, file("bom-h.json", "\uFEFF" + history));
    expect(bom.code, bom.stderr).toBe(0);
    const assessments = readFileSync("protocols/assessments/pr.json", "utf8");
    const dup = await run(
      "response",
      SEED,
      file("dup.json", assessments.replace('"id": "L1",', '"id": "L1", "id": "L2",')),
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/dup\.json:\d+:\d+: \$\.baseline\.lesions\[0\]\.id: duplicate key "id"\n$/);
    const events = await run(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      file("dup-e.json", '[{"visit": "screening", "date": "2026-12-28", "date": "2026-12-29"}]'),
    );
    expect(events.code).toBe(1);
    expect(events.stderr).toMatch(/\$\[0\]\.date: duplicate key "date"/);
  });
});

describe("a control character in a string (point 6)", () => {
  it("is TRC1024 at its place; a tab is allowed", async () => {
    const line = seedText.split("\n").findIndex((l) => l.includes('acronym "LuMEn"')) + 1;
    for (const [c, shown] of [
      ["\x05", "U+0005"],
      ["\x1b", "U+001B"],
      ["\x7f", "U+007F"],
      ["\u0085", "U+0085"],
      ["\u009f", "U+009F"],
    ]) {
      const r = await run("check", file("ctl.trial", seedText.replace('acronym "LuMEn"', `acronym "Lu${c}MEn"`)));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `ctl.trial:${line}:14: error TRC1024: a string may not contain the control character ${shown}`,
      );
    }
    const tab = await run("check", file("tab.trial", seedText.replace('acronym "LuMEn"', 'acronym "Lu\tMEn"')));
    expect(tab.code, tab.stderr).toBe(0);
  });
});

describe("line ends (point 7)", () => {
  it("CR-only, CRLF and LF files give the same positions and a code frame showing the line", async () => {
    const bad = seedText.replace("hemoglobin >= 9 g/dL", "hemoglobin >= 9 kg/dL");
    const outputs = [];
    for (const [name, eol] of [
      ["lf.trial", "\n"],
      ["crlf.trial", "\r\n"],
      ["cr.trial", "\r"],
    ]) {
      const r = await run("check", file(name!, bad.replace(/\n/g, eol!)));
      outputs.push(r.stderr.replaceAll(name!, "F"));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    expect(outputs[2]).toMatch(
      /F:\d+:\d+: warning TRC3007[^\n]*\n(?: *\d+ \| [^\n]*\n)* *\d+ \| [^\n]*hemoglobin >= 9 kg\/dL/,
    );
  });
});

describe("whole-file diagnostics (point 8)", () => {
  it("TRC1001 and TRC1003 name the file without a position and print no empty frame", async () => {
    const missing = await run("check", join(tmp, "missing.trial"));
    expect(missing.code).toBe(1);
    expect(missing.stderr.split("\n")[0]).toBe(
      `${join(tmp, "missing.trial")}: error TRC1001: cannot read "${join(tmp, "missing.trial")}": no such file or directory (ENOENT)`,
    );
    expect(missing.stderr).not.toMatch(/ \| /);
    const big = await run("check", file("big.trial", "// " + "x".repeat(3 * 1024 * 1024) + "\n"));
    expect(big.stderr.split("\n")[0]).toBe(
      `${join(tmp, "big.trial")}: error TRC1003: the file is 3.0 MB; a protocol may be at most 2.0 MB`,
    );
    expect(big.stderr).not.toMatch(/ \| /);
    const j = JSON.parse((await run("check", "--format", "json", join(tmp, "missing.trial"))).stdout);
    expect(j.diagnostics[0]).toMatchObject({ code: "TRC1001", line: 0, column: 0 });
  });

  it("TRC1002 points at the line and column of the NUL or the first bad byte, without a frame", async () => {
    const nul = await run("check", file("nul.trial", Buffer.from('trial "x" {\n  title "ab\0"\n}\n')));
    expect(nul.stderr.split("\n")[0]).toBe(
      `${join(tmp, "nul.trial")}:2:12: error TRC1002: the file contains a NUL character: it is not a text file`,
    );
    expect(nul.stderr).not.toMatch(/ \| /);
    const latin = Buffer.concat([
      Buffer.from('trial "x" {\r  title "café '),
      Buffer.from([0xe9]),
      Buffer.from('"\r}\r'),
    ]);
    const bad = await run("check", file("latin.trial", latin));
    expect(bad.stderr.split("\n")[0]).toBe(
      `${join(tmp, "latin.trial")}:2:15: error TRC1002: the file is not valid UTF-8 here: save it as UTF-8`,
    );
    expect(bad.stderr).not.toMatch(/ \| /);
  });
});

describe("usage errors (point 9)", () => {
  it("commander's errors carry the trialc: prefix and exit 2, in-process and from the shell", async () => {
    const cases: [string[], RegExp][] = [
      [["eval", SEED, "x.json", "--no-such-option"], /^trialc: unknown option '--no-such-option'\n/],
      [["eval"], /^trialc: missing required argument 'file'\n/],
      [["schedule", SEED], /^trialc: required option '--start <date>' not specified\n/],
      [["no-such-command"], /^trialc: unknown command 'no-such-command'\n/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const shell = trialcProcess("eval", SEED, "--no-such-option");
    expect(shell.code).toBe(2);
    expect(shell.stderr).toMatch(/^trialc: unknown option '--no-such-option'\n/);
  });
});

describe("options blamed on themselves (point 5)", () => {
  it("an unknown --anchor names the protocol's anchors, in response too", async () => {
    const r = await run("response", SEED, "protocols/assessments/pr.json", "--anchor", "D7=2027-01-18");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('trialc: --anchor D7: the protocol has no anchor "D7" (its anchors: inclusion, D0, cycle)\n');
  });

  it("--as-of 2027-02-30 is blamed on --as-of in schedule too", async () => {
    const r = await run("schedule", SEED, "--start", "2027-01-04", "--as-of", "2027-02-30");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trialc: --as-of "2027-02-30" is not a real date/);
    expect(r.stderr).not.toContain("inclusion");
  });
});
