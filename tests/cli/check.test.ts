import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialc, trialcProcess } from "./run.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-cli-"));
function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("trialc check", () => {
  it("accepts the seed protocol (exit 0), through the real bin", () => {
    const r = trialcProcess("check", SEED);
    expect(r.stderr).toContain("0 errors");
    expect(r.code).toBe(0);
  });

  it("prints the IR as JSON with --emit-ir", async () => {
    const r = await trialc("check", SEED, "--emit-ir");
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.stdout);
    expect(ir.irVersion).toBe(1);
    expect(ir.trial.id).toBe("NCT01842165");
    expect(ir.eligibility.inclusion.map((c: { id: string }) => c.id)).toEqual([
      "I1",
      "I2",
      "I3",
      "I4",
      "I5",
      "I6",
      "I7",
      "I8",
      "I9",
      "I10",
      "I11",
      "I12",
      "I13",
    ]);
    expect(ir.eligibility.exclusion.map((c: { id: string }) => c.id)).toEqual([
      "E1",
      "E2",
      "E3",
      "E4",
      "E5",
      "E6",
      "E7",
      "E8",
      "E9",
    ]);
  });

  it("reports errors with file:line:col, a code, a code frame and a hint, and exits 1", async () => {
    const p = file(
      "typo.trial",
      'trial "T" { title "t" }\nform f "F"\ndata {\n  hemoglobin: decimal g/dL "Hb" form f\n}\ninclusion I1 "Hb" {\n  rule hemoglobn >= 9 g/dL\n}\n',
    );
    const r = await trialc("check", p);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${p}:7:8: error TRC2001: unknown name "hemoglobn"`);
    expect(r.stderr).toContain(" 7 |   rule hemoglobn >= 9 g/dL");
    expect(r.stderr).toContain("   |        ^^^^^^^^^");
    expect(r.stderr).toContain('hint: did you mean "hemoglobin"?');
  });

  it("gives JSON diagnostics with --format json", async () => {
    const p = file(
      "units.trial",
      'trial "T" { title "t" }\nform f "F"\ndata {\n  dose: decimal mg "Dose" form f\n}\ninclusion I1 "x" { rule dose >= 5 mL }\n',
    );
    const r = await trialc("check", p, "--format", "json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ code: "TRC3003", severity: "error", line: 6, column: 25 });
  });

  it("exits 0 with warnings only", async () => {
    const p = file(
      "warn.trial",
      'trial "T" { title "t" }\nform f "F"\ndata {\n  x: boolean "X" form f\n  y: boolean "Y" form f\n}\ninclusion I1 "x" { rule x }\n',
    );
    const r = await trialc("check", p);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning TRC6001");
  });

  it("exits 2 on usage errors", async () => {
    expect((await trialc("check")).code).toBe(2);
    expect((await trialc("check", SEED, "--format", "xml")).code).toBe(2);
    expect((await trialc("frobnicate")).code).toBe(2);
  });

  it("prints help and version", async () => {
    const help = trialcProcess("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("check");
    expect(help.stdout).toContain("build");
    const v = trialcProcess("--version");
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  describe("bad input gets a diagnostic and a non-zero exit, never a crash", () => {
    const cases: [string, string | Buffer, string][] = [
      ["unterminated.trial", 'trial "T { title "t" }\n', "TRC1011"],
      ["empty.trial", "", "TRC1004"],
      ["blank.trial", "   \n\n  ", "TRC1004"],
      ["binary.trial", Buffer.from([0x74, 0x72, 0x00, 0xff, 0xfe, 0x01]), "TRC1002"],
      ["latin1.trial", Buffer.from([0x74, 0x72, 0x69, 0xe9, 0x0a]), "TRC1002"],
      ["huge.trial", "// " + "x".repeat(5 * 1024 * 1024) + "\n", "TRC1003"],
      [
        "unknown-unit.trial",
        'trial "T" { title "t" }\nform f "F"\ndata {\n  hb: decimal g/dLx "Hb" form f\n}\ninclusion I1 "x" { rule hb >= 9 g/dLx }\n',
        "TRC3002",
      ],
      [
        "wrong-type.trial",
        'trial "T" { title "t" }\nform f "F"\ndata {\n  hb: decimal g/dL "Hb" form f\n}\ninclusion I1 "x" { rule hb }\n',
        "TRC3001",
      ],
      [
        "dup-id.trial",
        'trial "T" { title "t" }\nform f "F"\ndata {\n  x: boolean "X" form f\n}\ninclusion I1 "a" { rule x }\nexclusion I1 "b" { rule x }\n',
        "TRC2003",
      ],
      [
        "syntax.trial",
        'trial "T" { title "t" }\ninclusion I1 "a" { rule x >= }\nexclusion E1 "b" { rule ( }\n',
        "TRC1020",
      ],
    ];
    for (const [name, content, code] of cases) {
      it(`${name} → ${code}`, async () => {
        const r = await trialc("check", file(name, content));
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(code);
        noStack(r.stderr);
      });
    }

    it("a missing file is reported, not thrown", async () => {
      const r = await trialc("check", join(tmp, "nope.trial"));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("TRC1001");
      noStack(r.stderr);
    });

    it("reports every syntax error of a file in one run", async () => {
      const r = await trialc(
        "check",
        "--format",
        "json",
        file(
          "many.trial",
          'trial "T" { title "t" }\ninclusion I1 "a" { rule x >= }\nexclusion E1 "b" { rule ( }\ninclusion I2 "c" { rule y < < 3 }\n',
        ),
      );
      const lines = JSON.parse(r.stdout).diagnostics.map((d: { line: number }) => d.line);
      expect(new Set(lines)).toEqual(new Set([2, 3, 4]));
    });
  });
});
