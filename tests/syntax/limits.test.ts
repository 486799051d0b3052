/**
 * Deep and long input: the front end never overflows its stack. Long `and`/`or` chains
 * compile (to the same flat IR as short ones); nesting beyond what a protocol needs,
 * and absurdly long arithmetic, give TRC1022 at the place the limit is passed.
 * (How long a long chain takes is measured in `npm run bench`, not here.)
 */
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { MAX_NESTING } from "../../src/syntax/parse.js";

const HEAD = `trial "T" { title "t" }\ndata {\n  x: decimal "x"\n}\n`;
/** A protocol whose one definition is `rule <body>` (on line 5) and is used by a criterion. */
const withRule = (body: string) => `${HEAD}define d "d" { rule ${body} }\ninclusion I1 "i" { rule d }\n`;
const errors = (text: string) => compileText(text, "t.trial").diagnostics.filter((d) => d.severity === "error");
const where = (text: string) => errors(text).map((d) => `${d.code} ${d.span.line}:${d.span.column}`);

describe("long chains", () => {
  it("an `and` of 3000 operands compiles to one flat IR node", () => {
    const r = compileText(withRule(Array.from({ length: 3000 }, () => "x > 1").join(" and ")), "t.trial");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const def = r.ir!.definitions.find((d) => d.name === "d")!;
    expect(def.expr.kind).toBe("and");
    expect((def.expr as unknown as { args: unknown[] }).args).toHaveLength(3000);
  });

  it("an `or` of 20,000 operands compiles", () => {
    expect(errors(withRule(Array.from({ length: 20_000 }, () => "x > 1").join(" or ")))).toEqual([]);
  });

  it("a short chain keeps its shape: the IR of `a and b and c` is unchanged", () => {
    const r = compileText(withRule("x > 1 and x > 2 and x > 3"), "t.trial");
    const def = r.ir!.definitions.find((d) => d.name === "d")!;
    expect((def.expr as unknown as { args: { text: string }[] }).args.map((a) => a.text)).toEqual([
      "x > 1",
      "x > 2",
      "x > 3",
    ]);
  });

  it("a sum of 3000 operands is refused at the operand past the limit", () => {
    const body = Array.from({ length: 3000 }, () => "x").join(" + ") + " > 1";
    const col = `define d "d" { rule `.length + 1 + "x + ".length * 100;
    expect(where(withRule(body))).toEqual([`TRC1022 5:${col}`]);
  });
});

describe("deep nesting", () => {
  it(`${MAX_NESTING} parentheses compile`, () => {
    expect(errors(withRule("(".repeat(MAX_NESTING - 2) + "x > 1" + ")".repeat(MAX_NESTING - 2)))).toEqual([]);
  });

  it("500 parentheses: TRC1022 at the first one too many", () => {
    // Braces of `define … {` count too: the limit is passed by parenthesis number MAX_NESTING.
    const col = `define d "d" { rule `.length + MAX_NESTING;
    expect(where(withRule("(".repeat(500) + "x > 1" + ")".repeat(500)))).toEqual([`TRC1022 5:${col}`]);
  });

  it("300 nested groups of `and`: TRC1022, no crash", () => {
    const body = "(x > 1 and ".repeat(300) + "x > 1" + ")".repeat(300);
    expect(errors(withRule(body)).map((d) => d.code)).toEqual(["TRC1022"]);
  });

  it("300 nested criterion groups: TRC1022 with a position", () => {
    let inner = `criterion C300 "c" { rule x > 1 }`;
    for (let i = 299; i >= 1; i--) inner = `criterion C${i} "c" { all of { ${inner} } }`;
    const text = `${HEAD}inclusion I1 "i" { all of { ${inner} } }\n`;
    const diags = errors(text);
    expect(diags.map((d) => d.code)).toEqual(["TRC1022"]);
    expect(diags[0]!.span.line).toBe(5);
    expect(diags[0]!.span.column).toBeGreaterThan(1);
  });

  it("a long run of `not`: TRC1022", () => {
    expect(errors(withRule("not ".repeat(5000) + "x > 1")).map((d) => d.code)).toEqual(["TRC1022"]);
  });
});
