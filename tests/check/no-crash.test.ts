/**
 * The whole front end (parse and check) never throws: random mutations of the seed
 * protocol, and random token soup, always come back as diagnostics, and an
 * erroneous compile never yields an IR.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";

const SEED = readFileSync("protocols/lu177-octreotate.trial", "utf8");
const WORDS = [
  "inclusion",
  "exclusion",
  "criterion",
  "rule",
  "define",
  "parameter",
  "data",
  "records",
  "decimal",
  "integer",
  "code(",
  "any",
  "all",
  "count",
  "where",
  "within",
  "at least",
  "before",
  "after",
  "between",
  "and",
  "or",
  "not",
  "if",
  "then",
  "else",
  "x ULN",
  "{",
  "}",
  "(",
  ")",
  ",",
  ":",
  "=",
  ">=",
  "<",
  "-",
  "+",
  "9 g/dL",
  "12 mo",
  "48 h",
  "hemoglobin",
  "lesions",
  "D0",
  "inclusion",
  "I1",
  '"text"',
  "cite seed",
  "interpretation",
  "schedule",
  "toxicity",
  "response",
  "grade",
  "cumulative",
  "kidneys",
  "1.5 10*3/uL",
  "%",
  "mm",
  "\n",
];

/** Replace, delete or duplicate a slice of the seed, or insert a random word. */
const mutation = fc.tuple(
  fc.nat({ max: SEED.length }),
  fc.nat({ max: 80 }),
  fc.constantFrom("delete", "duplicate", "insert", "swap"),
  fc.constantFrom(...WORDS),
);

function mutate(text: string, [at, len, op, word]: [number, number, string, string]): string {
  const end = Math.min(text.length, at + len);
  switch (op) {
    case "delete":
      return text.slice(0, at) + text.slice(end);
    case "duplicate":
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    case "insert":
      return text.slice(0, at) + ` ${word} ` + text.slice(at);
    default: {
      const other = (at * 7919) % Math.max(1, text.length - len);
      return text.slice(0, at) + text.slice(other, other + len) + text.slice(end);
    }
  }
}

describe("the compiler never crashes", () => {
  it("on mutated copies of the seed protocol", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const text = ms.reduce(mutate, SEED);
        const r = compileText(text, "mutant.trial");
        if (r.ir === null) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        for (const d of r.diagnostics) {
          expect(d.span.line).toBeGreaterThanOrEqual(1);
          expect(d.code).toMatch(/^TRC\d{4}$/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("on well-formed but ill-typed mutants (names, units and numbers swapped)", () => {
    // Tokens that keep the syntax valid, so the checker (not the parser) meets them.
    const names = [...new Set(SEED.match(/\b[a-z][a-z0-9_]{2,}\b/g) ?? [])];
    const units = ["g/dL", "mmol/L", "mg", "mL", "10*3/uL", "%", "mm", "d", "wk", "mo", "Gy", "GBq", "furlong"];
    const spots = [...SEED.matchAll(/\b[a-z][a-z0-9_]{2,}\b|(?<=\d )[A-Za-z%][^\s,)}]*/g)].map((m) => ({
      at: m.index!,
      len: m[0].length,
    }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: spots.length - 1 }), fc.nat({ max: 1000 })), { minLength: 1, maxLength: 3 }),
        (picks) => {
          let text = SEED;
          for (const [i, j] of [...picks].sort((a, b) => spots[b[0]]!.at - spots[a[0]]!.at)) {
            const { at, len } = spots[i]!;
            const original = text.slice(at, at + len);
            const pool = /^[a-z]/.test(original) && !units.includes(original) ? names : units;
            text = text.slice(0, at) + pool[j % pool.length] + text.slice(at + len);
          }
          const r = compileText(text, "mutant.trial");
          if (r.ir === null) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("on random token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }), (words) => {
        const r = compileText(words.join(" "), "soup.trial");
        expect(r.ir === null || !r.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
