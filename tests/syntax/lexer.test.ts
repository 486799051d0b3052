/**
 * The lexer: context-sensitive units, keywords vs names, numbers and minus signs,
 * strings and comments.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keywords, offsetLexer, trialLexer } from "../../grammar/tokens.js";
import { lineStarts, Spans } from "../../src/syntax/spans.js";

/** `Type:image` for every token of `text`; lexer errors fail the test. */
function lex(text: string): string[] {
  const r = trialLexer.tokenize(text);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("units", () => {
  it.each([
    ["9 g/dL", "g/dL"],
    ["1.5 10*3/uL", "10*3/uL"],
    ["50 mL/min/{1.73_m2}", "mL/min/{1.73_m2}"],
    ["30 %", "%"],
    ["20 mm", "mm"],
    ["48 h", "h"],
    ["12 mo", "mo"],
    ["18 a", "a"],
    ["4 wk", "wk"],
    ["7.4 GBq", "GBq"],
    ["23 Gy", "Gy"],
    ["16114.5 g/mol", "g/mol"],
    ["75000 /uL", "/uL"],
    ["5 10*-3/L", "10*-3/L"],
    ["3 [in_i]", "[in_i]"],
    ["20mm", "mm"],
    ["9\tg/dL", "g/dL"],
  ])("%s has the unit %s", (text, unit) => {
    const tokens = lex(text);
    expect(tokens[tokens.length - 1]).toBe(`Unit:${unit}`);
    expect(tokens.filter((t) => t.startsWith("Unit:"))).toHaveLength(1);
  });

  it("reads a negative quantity as minus, number, unit", () => {
    expect(lex("-30 %")).toEqual(["Minus:-", "NumberLiteral:30", "Unit:%"]);
  });

  it("reads the unit after the type keyword decimal", () => {
    expect(lex("x: decimal mg/dL range 0 to 60")).toEqual([
      "KwX:x",
      "Colon::",
      "KwDecimal:decimal",
      "Unit:mg/dL",
      "KwRange:range",
      "NumberLiteral:0",
      "KwTo:to",
      "NumberLiteral:60",
    ]);
    expect(lex("decimal % range")).toEqual(["KwDecimal:decimal", "Unit:%", "KwRange:range"]);
  });

  it("never takes a keyword for a unit", () => {
    expect(lex("range 0 to 5")).toEqual(["KwRange:range", "NumberLiteral:0", "KwTo:to", "NumberLiteral:5"]);
    expect(lex("at least 1 of")).toEqual(["KwAt:at", "KwLeast:least", "NumberLiteral:1", "KwOf:of"]);
    expect(lex("2 x ULN")).toEqual(["NumberLiteral:2", "KwX:x", "KwULN:ULN"]);
    expect(lex("range 0 to 20000 with ULN molar mass 1 g/mol")).toContain("KwWith:with");
    expect(lex("cycles 4 first at D0")).toEqual([
      "KwCycles:cycles",
      "NumberLiteral:4",
      "KwFirst:first",
      "KwAt:at",
      "Identifier:D0",
    ]);
    expect(lex("a > 3 and b")).toEqual(["Identifier:a", "Greater:>", "NumberLiteral:3", "KwAnd:and", "Identifier:b"]);
  });

  it("needs the unit on the same line as its number", () => {
    expect(lex("cycles 4\n  first")).toEqual(["KwCycles:cycles", "NumberLiteral:4", "KwFirst:first"]);
    expect(lex("x = 4\ny")).toEqual(["KwX:x", "Equals:=", "NumberLiteral:4", "Identifier:y"]);
    expect(lex("4 /* c */ mm")).toEqual(["NumberLiteral:4", "Identifier:mm"]);
  });

  it("does not glue two numbers together", () => {
    expect(lex("between 1 2")).toEqual(["KwBetween:between", "NumberLiteral:1", "NumberLiteral:2"]);
  });

  it("leaves out a trailing full stop, and stops at a closing parenthesis", () => {
    expect(lex("18 a.")).toEqual(["NumberLiteral:18", "Unit:a", "Dot:."]);
    expect(lex("(x > 30 %)")).toEqual(["LParen:(", "KwX:x", "Greater:>", "NumberLiteral:30", "Unit:%", "RParen:)"]);
  });
});

describe("numbers and minus", () => {
  it("reads D0 - 4 wk as name, minus, number, unit", () => {
    expect(lex("D0 - 4 wk")).toEqual(["Identifier:D0", "Minus:-", "NumberLiteral:4", "Unit:wk"]);
    expect(lex("D0-4 wk")).toEqual(["Identifier:D0", "Minus:-", "NumberLiteral:4", "Unit:wk"]);
  });

  it("reads range -100 to 1000", () => {
    expect(lex("range -100 to 1000")).toEqual([
      "KwRange:range",
      "Minus:-",
      "NumberLiteral:100",
      "KwTo:to",
      "NumberLiteral:1000",
    ]);
  });
});

describe("keywords and names", () => {
  it("prefers the longest keyword, and a longer identifier to a keyword", () => {
    expect(lex("datetime date dates cycle cycles required require grade grades")).toEqual([
      "KwDatetime:datetime",
      "KwDate:date",
      "Identifier:dates",
      "KwCycle:cycle",
      "KwCycles:cycles",
      "KwRequired:required",
      "KwRequire:require",
      "KwGrade:grade",
      "Identifier:grades",
    ]);
  });

  it("reads identifiers with digits and underscores", () => {
    expect(lex("I3c_a E9 D0 _x")).toEqual(["Identifier:I3c_a", "Identifier:E9", "Identifier:D0", "Identifier:_x"]);
  });

  it("has exactly one token per keyword word", () => {
    const words = keywords.map((k) => k.word);
    expect(new Set(words).size).toBe(words.length);
    for (const k of keywords) expect(lex(k.word)).toEqual([`${k.token.name}:${k.word}`]);
  });

  it("reserves only expression operators, true/false and the trace words", () => {
    expect(
      keywords
        .filter((k) => k.reserved)
        .map((k) => k.word)
        .sort(),
    ).toEqual(
      [
        "after",
        "and",
        "before",
        "between",
        "cite",
        "else",
        "false",
        "if",
        "in",
        "interpretation",
        "least",
        "not",
        "or",
        "source",
        "then",
        "true",
        "where",
        "within",
      ].sort(),
    );
  });
});

describe("strings and comments", () => {
  it("keeps any Unicode inside strings", () => {
    expect(lex('"GFR ≥ 50 · 1.5·103/μL highly‐effective"')).toHaveLength(1);
  });

  it("reads escapes inside a string as part of it", () => {
    expect(lex('"a \\"b\\" \\\\ \\n \\t"')).toEqual(['StringLiteral:"a \\"b\\" \\\\ \\n \\t"']);
  });

  it("skips line and block comments", () => {
    expect(lex("a // b\n/* c\n d */ e")).toEqual(["Identifier:a", "Identifier:e"]);
  });

  it("reads an unclosed string as an unterminated string token up to the end of the line", () => {
    expect(lex('cite seed "abc\nrule')).toEqual([
      "KwCite:cite",
      "Identifier:seed",
      'UnterminatedString:"abc',
      "KwRule:rule",
    ]);
  });

  it("tracks lines and columns", () => {
    const [a, b] = trialLexer.tokenize("  a\n\tb").tokens;
    expect([a!.startLine, a!.startColumn, b!.startLine, b!.startColumn]).toEqual([1, 3, 2, 2]);
  });
});

describe("lines and columns from offsets (src/syntax/spans.ts)", () => {
  // The parser tracks only offsets; node spans get their lines and columns from
  // `lineStarts`, which must count line breaks exactly as the lexer does.
  it("agree with the lexer's own positions of every token, whatever the line breaks", () => {
    const piece = fc.constantFrom("a", "18", '"s"', '"a\nb"', "/* x\r\ny */", "{", "}", ">=", "g/dL", "@", "é", "😀");
    const gap = fc.constantFrom(" ", "\n", "\r\n", "\r", "\n\r", "\f", "\t", "\u2028", "\u0085", "\uFEFF", "");
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, gap), { maxLength: 40 }), (parts) => {
        const text = parts.map(([p, g]) => p + g).join("");
        const starts = lineStarts(text);
        const at = (offset: number) => {
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
          return [line + 1, offset - starts[line]! + 1];
        };
        for (const t of trialLexer.tokenize(text).tokens) {
          expect(at(t.startOffset), `${JSON.stringify(text)} ${t.image}`).toEqual([t.startLine, t.startColumn]);
          expect(at(t.endOffset!), `${JSON.stringify(text)} ${t.image}`).toEqual([t.endLine, t.endColumn]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  // The compiler lexes with `offsetLexer` (no lines on tokens) and computes the lines of
  // the tokens it keeps; the formatter and the language server read the full lexer's.
  it("the compiler's offset-only lexer gives the same tokens, and the same spans as the full lexer's lines", () => {
    const piece = fc.constantFrom(
      "a",
      "18",
      '"s"',
      '"a\\q"',
      '"open',
      "/* x\r\ny */",
      "/* open",
      "{",
      ">=",
      "g/dL",
      "@",
      "§",
      "é",
      "😀",
    );
    const gap = fc.constantFrom(" ", "\n", "\r\n", "\r", "\n\r", "\t", "\u2028", "");
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, gap), { maxLength: 40 }), (parts) => {
        const text = parts.map(([p, g]) => p + g).join("");
        const full = trialLexer.tokenize(text);
        const offsets = offsetLexer.tokenize(text);
        const spans = new Spans("f.trial", text);
        const show = (t: (typeof full.tokens)[number]) => [t.tokenType.name, t.image, t.startOffset, t.endOffset];
        expect(offsets.tokens.map(show)).toEqual(full.tokens.map(show));
        expect(offsets.errors.map((e) => [e.offset, e.length])).toEqual(full.errors.map((e) => [e.offset, e.length]));
        full.tokens.forEach((t, i) => {
          const s = spans.ofToken(offsets.tokens[i]!);
          expect([s.line, s.column, s.endLine, s.endColumn], JSON.stringify(text)).toEqual([
            t.startLine,
            t.startColumn,
            t.endLine,
            t.endColumn! + 1,
          ]);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
