/**
 * Property tests: whatever the input, `parseTrial` returns (never throws), reports
 * something whenever it returns no AST, and every span it produces is well-formed.
 * Inputs are random token soup from the language's own vocabulary, and random
 * mutations of the seed protocol.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keywords } from "../../grammar/tokens.js";
import { parseTrial } from "../../src/syntax/parse.js";
import { checkSpans } from "./helpers.js";

const SEED = readFileSync(fileURLToPath(new URL("../../protocols/lu177-octreotate.trial", import.meta.url)), "utf8");

/** Parse and check the invariants; returns the result for further checks. */
function parsesSafely(text: string): void {
  let result: ReturnType<typeof parseTrial> | undefined;
  expect(() => {
    result = parseTrial(text, "fuzz.trial");
  }).not.toThrow();
  const r = result!;
  if (r.ast === null) expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/internal error/);
  }
  if (r.ast !== null) checkSpans(r.ast, text, "fuzz.trial");
}

const vocabulary = fc.constantFrom(
  ...keywords.map((k) => k.word),
  "I1",
  "I3c_a",
  "E9",
  "D0",
  "cycle",
  "hemoglobin",
  "dosimetry",
  "kidney_dose",
  "x",
  "date",
  "value",
  "{",
  "}",
  "(",
  ")",
  ",",
  ":",
  ".",
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "0",
  "18",
  "1.5",
  "-30",
  "16114.5",
  "10*3/uL",
  "g/dL",
  "%",
  "mm",
  "mL/min/{1.73_m2}",
  "wk",
  "mo",
  "a",
  "h",
  "d",
  "GBq",
  "Gy",
  '"label"',
  '"a \\"quoted\\" word"',
  '"≥ μ · ‐"',
  '"unterminated',
  '"bad \\q escape"',
  '""',
  "// comment",
  "/* block */",
  "/* open",
  "≥",
  "@",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "\u00a0",
  "'",
  "“",
);

/** A string of 0..60 vocabulary items separated by a space, a newline or nothing. */
const tokenSoup = fc
  .array(fc.tuple(vocabulary, fc.constantFrom(" ", " ", " ", "\n", "")), { maxLength: 60 })
  .map((parts) => parts.map(([word, sep]) => word + sep).join(""));

/** Grammatical-looking snippets wrapped around soup, to get past the first token more often. */
const framedSoup = fc
  .tuple(
    fc.constantFrom(
      'inclusion I1 "x" { rule ',
      "data {\n  a: ",
      'schedule { visit v "V" ',
      'toxicity { stop s "S" when ',
      "response { recist { ",
      'trial "T" { ',
    ),
    tokenSoup,
    fc.constantFrom("}", " }\n", "", "} }"),
  )
  .map(([head, soup, tail]) => head + soup + tail);

type Mutation =
  | { op: "delete"; at: number; length: number }
  | { op: "duplicate"; at: number; length: number }
  | { op: "swap"; at: number; other: number; length: number }
  | { op: "insert"; at: number; text: string };

const position = fc.nat({ max: SEED.length });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: position, length: fc.nat({ max: 400 }) }),
  fc.record({ op: fc.constant("duplicate" as const), at: position, length: fc.nat({ max: 400 }) }),
  fc.record({ op: fc.constant("swap" as const), at: position, other: position, length: fc.nat({ max: 200 }) }),
  fc.record({
    op: fc.constant("insert" as const),
    at: position,
    text: fc.oneof(fc.string({ maxLength: 5 }), fc.string({ unit: "binary", maxLength: 3 }), vocabulary),
  }),
);

function mutate(text: string, m: Mutation): string {
  const at = Math.min(m.at, text.length);
  switch (m.op) {
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "duplicate":
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case "swap": {
      const [a, b] = at <= m.other ? [at, Math.min(m.other, text.length)] : [Math.min(m.other, text.length), at];
      const len = Math.min(m.length, b - a);
      return (
        text.slice(0, a) +
        text.slice(b, b + len) +
        text.slice(a + len, b) +
        text.slice(a, a + len) +
        text.slice(b + len)
      );
    }
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
  }
}

describe("parseTrial on any input", () => {
  it("never throws on token soup", () => {
    fc.assert(
      fc.property(tokenSoup, (text) => parsesSafely(text)),
      { numRuns: 300 },
    );
  });

  it("never throws on token soup inside declarations", () => {
    fc.assert(
      fc.property(framedSoup, (text) => parsesSafely(text)),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => parsesSafely(text)),
      { numRuns: 200 },
    );
  });

  it("never throws on mutations of the seed protocol", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => parsesSafely(ms.reduce(mutate, SEED))),
      { numRuns: 120 },
    );
  });

  it("reports at least one diagnostic for a seed with a deleted closing brace", () => {
    const braces = [...SEED.matchAll(/}/g)].map((m) => m.index!);
    fc.assert(
      fc.property(fc.constantFrom(...braces), (at) => {
        const r = parseTrial(SEED.slice(0, at) + SEED.slice(at + 1), "brace.trial");
        expect(r.diagnostics.length).toBeGreaterThan(0);
        expect(r.ast).not.toBeNull();
      }),
      { numRuns: 40 },
    );
  });
});
