/**
 * Properties of the formatter on the seed protocol and on random ones: formatting is
 * idempotent, changes no token or comment (only whitespace), and keeps the meaning:
 * the formatted protocol compiles to the same IR, source positions aside.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { formatTrial, tokenImages } from "../../src/format/format.js";
import { trialLexer, Unit } from "../../grammar/tokens.js";
import { protocolText } from "../eligibility/random-protocol-text.js";

const SEED = readFileSync("protocols/lu177-octreotate.trial", "utf8");

function fmt(text: string): string {
  const r = formatTrial(text, "p.trial");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.text;
}

/** The IR without what depends on layout: spans and the source's hash. */
function meaning(text: string): unknown {
  const r = compileText(text, "p.trial");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return JSON.parse(JSON.stringify(r.ir), (key, value) => (key === "span" || key === "sha256" ? undefined : value));
}

/** Check every property on one text. */
function formatsSafely(text: string): void {
  const once = fmt(text);
  expect(fmt(once)).toBe(once);
  expect(tokenImages(once, true)).toEqual(tokenImages(text, true));
  expect(meaning(once)).toEqual(meaning(text));
}

/**
 * `text` with random spaces and comments between its tokens. Line breaks matter to the
 * grammar (`grade anemia` must stay on one line), so a line break or a `//` comment is
 * only added where the text already breaks the line; a unit stays next to its number.
 */
const scrambled = (text: string) =>
  fc.gen().map((g) => {
    const tokens = trialLexer.tokenize(text).tokens;
    let out = "";
    let at = 0;
    for (const t of tokens) {
      const gap = text.slice(at, t.startOffset);
      out += gap;
      const newline = gap.includes("\n");
      const pick = t.tokenType === Unit ? -1 : g(fc.nat, { max: 40 });
      if (pick === 0 && newline) out += "\n\n\n  ";
      else if (pick === 1) out += " /* c */ ";
      else if (pick === 2 && newline) out += " // note\n";
      else if (pick === 3) out += "\t";
      out += t.image;
      at = (t.endOffset ?? t.startOffset) + 1;
    }
    return out + text.slice(at);
  });

describe("formatting keeps the protocol", () => {
  it("on the seed protocol: idempotent, same tokens, same IR", () => {
    formatsSafely(SEED);
  });

  it("on random protocols", () => {
    fc.assert(
      fc.property(fc.gen().map(protocolText), (text) => formatsSafely(text)),
      { numRuns: 15 },
    );
  });

  it("whatever whitespace and comments surround the tokens (new syntax included: nothing is dropped)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.gen().map(protocolText), fc.constant(SEED)).chain((t) => scrambled(t).map((s) => [t, s] as const)),
        ([original, text]) => {
          expect(tokenImages(text, false)).toEqual(tokenImages(original, false));
          const once = fmt(text);
          expect(fmt(once)).toBe(once);
          expect(tokenImages(once, true)).toEqual(tokenImages(text, true));
        },
      ),
      // No shrinking: a scrambled seed protocol makes thousands of choices to shrink.
      { numRuns: 10, endOnFailure: true },
    );
  });
});
