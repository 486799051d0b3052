/**
 * What the front end reports instead of throwing: reading problems, lexing errors and
 * syntax errors, in the author's terms, all of them in one run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type * as A from "../../src/ast/nodes.js";
import { MAX_BYTES, firstInvalidUtf8, parseTrial, parseTrialBytes } from "../../src/syntax/parse.js";
import { compileFile } from "../../src/cli/source.js";
import { parseBad } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "trialc-syntax-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** The bytes of a file, parsed (the syntax stage does no I/O). */
const parseTrialFile = (path: string) => parseTrialBytes(readFileSync(path), path);

describe("reading", () => {
  it("reports an empty or whitespace-only protocol (TRC1004)", () => {
    for (const text of ["", "   \n\t\r\n", "\uFEFF"]) {
      const r = parseTrial(text, "e.trial");
      expect(r.ast).toBeNull();
      expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([["TRC1004", "the protocol is empty"]]);
    }
    expect(parseBad("// only a comment\n/* and another */").lines).toEqual([
      "1:1 TRC1004 the protocol contains no declarations, only comments",
    ]);
  });

  it("reports a binary file (TRC1002)", () => {
    const bytes = new Uint8Array(256).map((_v, i) => (i * 37) % 256);
    const r = parseTrialFile(file("binary.trial", bytes));
    expect(r.ast).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["TRC1002"]);
    expect(r.diagnostics[0]!.message).toBe("the file contains a NUL character: it is not a text file");
    expect(r.diagnostics[0]!.span).toMatchObject({ line: 1, column: 1 });
  });

  it("reports NUL characters in text (TRC1002), pointing at the first", () => {
    const r = parseBad('trial "x" {\n  title "a\u0000b"\n}');
    expect(r.ast).toBeNull();
    expect(r.lines).toEqual(["2:11 TRC1002 the file contains a NUL character: it is not a text file"]);
  });

  it("reports invalid UTF-8 (TRC1002) with its line, and lone surrogates in text", () => {
    const bytes = Buffer.concat([
      Buffer.from('trial "x" {\n  title "caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"\n}\n'),
    ]);
    const r = parseTrialFile(file("latin.trial", bytes));
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.line, d.span.column])).toEqual([
      ["TRC1002", "the file is not valid UTF-8 here: save it as UTF-8", 2, 13],
    ]);
    expect(parseTrial('trial "\uD800" {}', "s.trial").diagnostics[0]!.code).toBe("TRC1002");
    expect(firstInvalidUtf8(Buffer.from("ok ≥ μ · ‐ 😀"))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x89]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
  });

  it("reports a file over 2 MB (TRC1003) without parsing it, from text or from disk", () => {
    const big =
      `trial "x" { title "t" }\n` +
      "// padding padding padding padding padding padding padding padding\n".repeat(80_000);
    expect(big.length).toBeGreaterThan(5_000_000);
    const started = Date.now();
    const r = parseTrial(big, "big.trial");
    expect(r.ast).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["TRC1003", "the file is 5.1 MB; a protocol may be at most 2.0 MB"],
    ]);
    expect(parseTrialFile(file("big.trial", big)).diagnostics.map((d) => d.code)).toEqual(["TRC1003"]);
    expect(compileFile(join(dir, "big.trial")).diagnostics.map((d) => d.code)).toEqual(["TRC1003"]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(MAX_BYTES).toBe(2 * 1024 * 1024);
  });

  it("reports a file that cannot be read (TRC1001), about the whole file (line 0)", () => {
    expect(compileFile(join(dir, "missing.trial")).diagnostics.map((d) => [d.code, d.span.line])).toEqual([
      ["TRC1001", 0],
    ]);
    expect(compileFile(dir).diagnostics[0]!.message).toMatch(/not a file/);
  });

  it("reads a file with a byte-order mark and CRLF line ends", () => {
    const r = parseTrialFile(file("bom.trial", '\uFEFFuse ctcae "4.03"\r\nform f "F"\r\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.ast!.decls[1]!.span).toMatchObject({ line: 2, column: 1 });
  });
});

describe("lexing", () => {
  it("reports an unterminated string once (TRC1011), and keeps parsing", () => {
    const r = parseBad('inclusion I1 "Age { rule a }\ninclusion I2 "ok" { rule b }');
    expect(r.lines).toEqual(['1:14 TRC1011 unterminated string: the closing " is missing on this line']);
    expect(r.diagnostics[0]!.span).toMatchObject({ start: 13, end: 28, endColumn: 29 });
    const r2 = parseBad('inclusion I1 "x" {\n  cite seed "unfinished\n  rule a\n}');
    expect(r2.lines).toEqual(['2:13 TRC1011 unterminated string: the closing " is missing on this line']);
    expect((r2.ast!.decls[0] as A.CriterionDecl).trace.cites[0]!.text).toBe("unfinished");
  });

  it("reports an unexpected character (TRC1010) with a hint, and no follow-on syntax error", () => {
    const r = parseBad('inclusion I1 "x" { rule a ≥ 3 }');
    expect(r.lines).toEqual(['1:27 TRC1010 unexpected character "≥"']);
    expect(r.diagnostics[0]!.hint).toBe('write ">="');
    expect(parseBad('define d "d" { rule a @ b }').lines).toEqual(['1:23 TRC1010 unexpected character "@"']);
  });

  it("reports unknown escapes and unclosed comments (TRC1010)", () => {
    expect(parseBad('form f "a\\qb"').lines).toEqual(['1:10 TRC1010 unknown escape "\\q" in a string']);
    expect(parseBad('form f "F"\n/* never closed').lines).toEqual([
      '2:1 TRC1010 unterminated comment: "/*" is never closed by "*/"',
    ]);
  });
});

describe("syntax errors (TRC1020)", () => {
  it("says what was expected in the author's terms", () => {
    expect(parseBad('inclusion I1 "x" { }').lines).toEqual([
      '1:20 TRC1020 expected a criterion body ("rule", "all of" or "at least N of") but found "}"',
    ]);
    expect(parseBad('define d "d" { rule a and }').lines).toEqual([
      '1:27 TRC1020 expected an expression but found "}"',
    ]);
    expect(parseBad('define d "d" { rule a > }').lines).toEqual([
      '1:25 TRC1020 expected a value (a number, a quantity, a string, true, false, a name or an expression in parentheses) but found "}"',
    ]);
    expect(parseBad('source s "S" book').lines).toEqual([
      '1:14 TRC1020 expected the kind of source ("protocol", "literature", "standard" or "reference") but found "book"',
    ]);
    expect(parseBad("data {\n  b integer\n}").lines).toEqual([
      '2:5 TRC1020 expected ":" after "b" but found "integer"',
    ]);
    expect(parseBad('trial "x" { title }').lines).toEqual([
      '1:19 TRC1020 expected a string after "title" but found "}"',
    ]);
  });

  it("reports a missing closing brace where the next declaration starts, and reads both", () => {
    const r = parseBad('inclusion I1 "x" {\n  rule a\n\ninclusion I2 "y" { rule b }');
    expect(r.lines).toEqual([
      '4:1 TRC1020 expected "cite", "interpretation", "source" or "}" after "a" but found "inclusion"',
    ]);
    expect(r.ast!.decls.map((d) => (d as A.CriterionDecl).id.text)).toEqual(["I1", "I2"]);
    const data = parseBad('data {\n  a: integer\ninclusion I1 "x" { rule a }');
    expect(data.lines).toEqual(['3:1 TRC1020 expected a name or "}" after "integer" but found "inclusion"']);
    expect(data.ast!.decls.map((d) => d.kind)).toEqual(["DataDecl", "CriterionDecl"]);
  });

  it("reports a missing brace at the end of the file there", () => {
    const r = parseBad('schedule {\n  visit v "V" at D0');
    expect(r.lines).toEqual([
      '2:20 TRC1020 expected "cite", "interpretation", "source", "treatment", "day", "visit", "require" or "}" after "D0" but found the end of the file',
    ]);
    expect(r.ast!.decls[0]!.kind).toBe("ScheduleDecl");
  });

  it("reports every error of a file in one run and keeps the good declarations", () => {
    const r = parseBad(`foo bar
inclusion I1 "x" { rule a }
junk
exclusion E1 "x" { rule b and }
define d "l" { rule (a }
inclusion I3 "x" { rule c }
inclusion I4 "x" {
  at least 1 of {
    criterion I4a "a" { rule }
    criterion I4b "b" { rule x }
  }
}
`);
    const declaration =
      'expected a declaration ("trial", "use", "source", "anchor", "form", "data", "inclusion", "exclusion", "define", "parameter", "schedule", "toxicity", "response", "objectives" or "normalise")';
    expect(r.lines).toEqual([
      `1:1 TRC1020 ${declaration} but found "foo"`,
      `3:1 TRC1020 ${declaration} but found "junk"`,
      '4:31 TRC1020 expected an expression but found "}"',
      '5:24 TRC1020 expected ")" after "a" but found "}"',
      '9:30 TRC1020 expected an expression but found "}"',
    ]);
    const ids = r.ast!.decls.map((d) => ("id" in d && typeof d.id === "object" ? d.id.text : d.kind));
    expect(ids).toEqual(["I1", "DefineDecl", "I3", "I4"]);
    const i4 = r.ast!.decls[3] as A.CriterionDecl;
    expect(i4.body.kind === "Group" && i4.body.children.map((c) => c.id.text)).toEqual(["I4b"]);
  });

  it("reports a stray closing brace", () => {
    expect(parseBad('form f "F"\n}').lines).toEqual([
      expect.stringMatching(/^2:1 TRC1020 expected a declaration .* but found "}"$/),
    ]);
  });
});

describe("declarations and data elements built as they are parsed", () => {
  // Until the first syntax error, parse.ts builds each declaration, and each element of a
  // data block, as soon as it is parsed; after one, from the CST at the end. Both ways
  // must give the same AST.
  const seed = readFileSync(new URL("../../protocols/lu177-octreotate.trial", import.meta.url), "utf8");
  // Everything but positions (the second file is one line longer).
  const shape = (decls: A.Decl[]) =>
    JSON.stringify(decls, (_k, v: unknown) =>
      v !== null && typeof v === "object" && "endColumn" in v ? undefined : v,
    );

  it("give the seed's AST whether built as parsed or from the CST after an error", () => {
    const clean = parseTrial(seed, "seed.trial");
    expect(clean.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const late = parseTrial(`junk\n${seed}`, "seed.trial"); // an error first: nothing is built as parsed
    expect(late.diagnostics.map((d) => d.code)).toEqual(["TRC1020"]);
    expect(shape(late.ast!.decls)).toBe(shape(clean.ast!.decls));
  });

  it("keep a data block's elements in order around a syntax error inside it", () => {
    // a and b are built as parsed, c has the error, d and e are built from the CST at the end.
    const r = parseBad(
      "data {\n  a: integer\n  b: integer\n  c: decimal mg/dL range 0 to\n  d: integer\n  e: boolean\n}",
    );
    expect(r.lines).toEqual(['5:3 TRC1020 expected a number after "to" but found "d"']);
    const data = r.ast!.decls[0] as A.DataDecl;
    expect(data.elements.map((e) => e.name.text)).toEqual(["a", "b", "c", "d", "e"]);
    expect(data.elements.map((e) => e.span.line)).toEqual([2, 3, 4, 5, 6]);
  });
});
