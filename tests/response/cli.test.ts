/**
 * `trialc response`: every sample series prints its expected responses (in-process through
 * `main()`, and once as a real process through bin/trialc.js), JSON output, bad data with
 * JSON paths and exit 1, usage errors with exit 2, and `trialc build` writing response.ts.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/program.js";
import { SAMPLES, SEED } from "./helpers.js";

/** Run `trialc ARGS` in-process, capturing stdout, stderr and the exit code. */
async function trialc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = saved;
  }
}

const tmp = mkdtempSync(join(tmpdir(), "trialc-response-"));
const file = (name: string, content: unknown) => {
  const p = join(tmp, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
};
const expected = JSON.parse(readFileSync(`${SAMPLES}/expected/responses.json`, "utf8")) as Record<
  string,
  { responses?: string[]; bor?: { confirmed: string; unconfirmed: string }; invalid?: string[] }
>;
const dates = (f: string) =>
  (JSON.parse(readFileSync(`${SAMPLES}/${f}`, "utf8")) as { time_points: { date: string }[] }).time_points.map(
    (t) => t.date,
  );

describe("trialc response", () => {
  for (const [f, want] of Object.entries(expected)) {
    if (want.invalid) continue;
    it(`${f}: ${want.responses!.join(", ")}; best overall response ${want.bor!.confirmed}`, async () => {
      const r = await trialc("response", SEED, `${SAMPLES}/${f}`);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      dates(f).forEach((d, i) =>
        expect(r.stdout).toMatch(new RegExp(`^${d} \\(after cycle \\d\\): ${want.responses![i]}$`, "m")),
      );
      expect(r.stdout).toContain(`Best overall response: ${want.bor!.confirmed} (confirmation required)`);
      expect(r.stdout).toMatch(new RegExp(`^  confirmed: +${want.bor!.confirmed} — `, "m"));
      expect(r.stdout).toMatch(new RegExp(`^  unconfirmed: +${want.bor!.unconfirmed} — `, "m"));
      expect(r.stdout).toMatch(/^ {2}decided by /m);
      expect(r.stdout).toMatch(/^ {2}sum .*; baseline \d+(\.\d+)? mm .*; nadir \d+(\.\d+)? mm/m);
    });
  }

  it("prints the sums, the nadir, the deciding rule and each lesion's category", async () => {
    const r = await trialc("response", SEED, `${SAMPLES}/pd-nadir.json`);
    expect(r.stdout).toContain("  sum 84 mm; baseline 115 mm (≈ -26.96 %); nadir 70 mm (+20 %)");
    expect(r.stdout).toContain("  decided by Table 1: target PD | any | any → PD");
    expect(r.stdout).toContain("84 >= 1.2 × 70 = 84, increase 14 mm >= 5 mm → PD");
    expect(r.stdout).toMatch(/^ {4}P1 +25 mm → 15 mm +-40 % +Decrease {2}\(change <= -30 %\)$/m);
  });

  it("prints the JSON result", async () => {
    const r = await trialc("response", SEED, `${SAMPLES}/cr-residual-nodes.json`, "--format", "json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(
      out.timePoints.map((t: { recist: { response: string; sumMm: string } }) => [t.recist.response, t.recist.sumMm]),
    ).toEqual([
      ["PR", "19"],
      ["CR", "9"],
      ["CR", "8"],
    ]);
    expect(out.bor.bor).toBe("CR");
  });

  it("rejects bad data with every JSON path, exit 1, and no response", async () => {
    const r = await trialc("response", SEED, `${SAMPLES}/invalid-ids-organs-units.json`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    for (const p of expected["invalid-ids-organs-units.json"]!.invalid!)
      expect(r.stderr).toContain(`${SAMPLES}/invalid-ids-organs-units.json: ${p}: `);
    const j = await trialc("response", SEED, `${SAMPLES}/invalid-ids-organs-units.json`, "--format", "json");
    expect([j.code, JSON.parse(j.stdout).ok, JSON.parse(j.stdout).errors.length]).toEqual([1, false, 3]);
  });

  it("takes D0 from --anchor when the data lack it, and says what is missing otherwise", async () => {
    const data = JSON.parse(readFileSync(`${SAMPLES}/pr-confirmed.json`, "utf8"));
    delete data.anchors;
    const p = file("no-d0.json", data);
    const without = await trialc("response", SEED, p);
    expect([without.code, without.stdout]).toEqual([
      0,
      expect.stringContaining("Best overall response: unknown; to decide, give: anchor D0"),
    ]);
    const given = await trialc("response", SEED, p, "--anchor", "D0=2027-01-18");
    expect(given.stdout).toContain("Best overall response: PR (confirmation required)");
    expect(given.stdout).toContain("Reference dates: D0 2027-01-18");
  });

  it("usage errors exit 2; unreadable or non-JSON data, and protocols without a response section, exit 1", async () => {
    expect((await trialc("response", SEED, `${SAMPLES}/pr.json`, "--format", "xml")).code).toBe(2);
    expect((await trialc("response", SEED, `${SAMPLES}/pr.json`, "--anchor", "D0")).code).toBe(2);
    expect((await trialc("response", SEED)).code).toBe(2);
    const notJson = await trialc("response", SEED, file("broken.json", '{\n  "baseline": ,\n}'));
    // readJson (cli/eval.ts) adds line:col only when V8's message gives a position, which it does not for this input.
    expect([notJson.code, notJson.stderr]).toEqual([
      1,
      expect.stringMatching(/broken\.json(:\d+:\d+)?: not valid JSON/),
    ]);
    expect((await trialc("response", SEED, join(tmp, "absent.json"))).code).toBe(1);
    const text = readFileSync(SEED, "utf8");
    const noResponse = await trialc(
      "response",
      file("plain.trial", text.slice(0, text.indexOf("response {"))),
      `${SAMPLES}/pr.json`,
    );
    expect([noResponse.code, noResponse.stderr]).toEqual([1, expect.stringContaining("has no response section")]);
  });

  it("trialc build writes response.ts", async () => {
    const out = join(tmp, "build");
    const r = await trialc("build", SEED, "--out", out);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "response.ts"))).toBe(true);
    expect(readFileSync(join(out, "response.ts"), "utf8")).toContain("export function evaluateResponse(");
  });

  it("runs as a real process through bin/trialc.js", () => {
    const r = spawnSync(process.execPath, ["bin/trialc.js", "response", SEED, `${SAMPLES}/pd-new-lesion.json`], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("2027-06-23 (after cycle 2): PD");
    expect(r.stdout).toContain("  decided by Table 1: any | any | new lesions yes → PD");
  });
});
