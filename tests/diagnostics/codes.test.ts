/**
 * The diagnostics catalog: every code has a title and at least one message template,
 * templates name their parameters in braces, and `report` fills them in.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES, formatMessage, type DiagnosticCode } from "../../src/diagnostics/codes.js";
import { report } from "../../src/diagnostics/diagnostic.js";

const span = { file: "t.trial", start: 0, end: 1, line: 1, column: 1, endLine: 1, endColumn: 2 };
const codes = Object.keys(CODES) as DiagnosticCode[];
const templates = codes.flatMap((c) =>
  Object.entries(CODES[c].messages as Record<string, string>).map(([key, t]) => [c, key, t] as const),
);

describe("the diagnostics catalog", () => {
  it("gives every code a title and a message", () => {
    for (const c of codes) {
      expect(CODES[c].title, c).not.toBe("");
      expect(Object.keys(CODES[c].messages).length, c).toBeGreaterThan(0);
    }
  });

  it.each(templates)("%s %s: every brace is a parameter, and every parameter is filled", (code, key, template) => {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    expect(template.replace(/\{\w+\}/g, ""), "a stray brace").not.toMatch(/[{}]/);
    const params = Object.fromEntries(names.map((n) => [n, `<${n}>`]));
    const text = formatMessage(code, key as never, params as never);
    for (const n of names) expect(text).toContain(`<${n}>`);
    expect(text).not.toMatch(/\{\w+\}/);
  });

  it("reports with the catalog's severity and the filled template", () => {
    expect(report("TRC2004", "definitionNeverUsed", { name: "x" }, span)).toMatchObject({
      code: "TRC2004",
      severity: "warning",
      message: 'definition "x" is never used',
    });
    expect(report("TRC2001", "unknown", { what: "data element", name: "hb" }, span).message).toBe(
      'unknown data element "hb"',
    );
  });

  it("is the only place messages are written: no stage builds a diagnostic from free text", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
      );
    const offenders = files("src").filter((f) => /\b(diag|ctx\.error|cx\.error)\(/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual(["src/diagnostics/diagnostic.ts"]);
  });
});
