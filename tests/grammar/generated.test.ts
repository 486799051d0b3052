/**
 * The generated grammar artefacts (the lookahead table among them) are up to date with the grammar (drift test), the
 * railroad page is standalone, and the editor grammar knows every keyword.
 * On failure, run `npm run grammar` and review the diff.
 */
import { describe, expect, it } from "vitest";
import { generateAll } from "../../grammar/generate.js";
import { keywords } from "../../grammar/tokens.js";
import { expectGolden } from "../support/golden.js";

const generated = generateAll();

describe("generated grammar files", () => {
  it("generates the CST types, the railroad page and the TextMate grammar", () => {
    expect(Object.keys(generated).sort()).toEqual([
      "grammar/generated/cst.d.ts",
      "grammar/generated/lookahead.ts",
      "grammar/generated/railroad.html",
      "grammar/generated/trial.tmLanguage.json",
    ]);
  });

  it.each(Object.keys(generated))("%s on disk matches the grammar (run `npm run grammar` if not)", (path) => {
    expectGolden(generated[path]!, path, "`npm run grammar`");
  });

  it("is pure: generating twice gives the same files", () => {
    expect(generateAll()).toEqual(generated);
  });

  it("makes a railroad page with every script and style inline", () => {
    const html = generated["grammar/generated/railroad.html"]!;
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*\shref\s*=/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/unpkg|cdn\./i);
    expect(html).toContain("window.serializedGrammar");
    expect(html).toContain("drawDiagramsFromSerializedGrammar");
    expect(html).toContain("railroad-diagram");
    expect(html).toMatch(/"name": "criterionBody"/);
  });

  it("types the CST of every rule", () => {
    const dts = generated["grammar/generated/cst.d.ts"]!;
    for (const rule of ["trialFile", "criterionBody", "expression", "element", "recistItem"])
      expect(dts).toContain(`name: "${rule}";`);
  });

  it("gives the editor every keyword, taken from the tokens", () => {
    const tm = JSON.parse(generated["grammar/generated/trial.tmLanguage.json"]!) as {
      scopeName: string;
      repository: { keywords: { patterns: { name: string; match: string }[] } };
    };
    expect(tm.scopeName).toBe("source.trial");
    const patterns = tm.repository.keywords.patterns.map((p) => new RegExp(p.match));
    for (const k of keywords)
      expect(
        patterns.some((p) => p.test(k.word)),
        k.word,
      ).toBe(true);
    expect(patterns.some((p) => p.test("hemoglobin"))).toBe(false);
  });

  it("has editor patterns that compile and find units only after numbers", () => {
    const tm = JSON.parse(generated["grammar/generated/trial.tmLanguage.json"]!) as {
      repository: Record<string, { patterns?: { match?: string }[]; match?: string }>;
    };
    const all = Object.values(tm.repository)
      .flatMap((r) => [r, ...(r.patterns ?? [])])
      .flatMap((p) => (p.match === undefined ? [] : [p.match]));
    for (const source of all) expect(() => new RegExp(source)).not.toThrow();
    const [unit, digitUnit] = tm.repository["units"]!.patterns!.map((p) => new RegExp(p.match!, "g"));
    const line =
      "hb >= 9 g/dL and b <= 2 x ULN and f: decimal mg/dL range 0 to 5 with ULN and g > 50 mL/min/{1.73_m2} and n > 75000 /uL";
    expect([...line.matchAll(unit!)].map((m) => m[0])).toEqual(["g/dL", "mg/dL", "mL/min/{1.73_m2}", "/uL"]);
    expect([..."p >= 1.5 10*3/uL and q < 2 3".matchAll(digitUnit!)].map((m) => m[0])).toEqual(["10*3/uL"]);
  });
});
