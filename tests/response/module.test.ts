/**
 * The generated `response.ts`: it compiles on its own under `tsc --strict`, is the same
 * bytes for the same protocol, keeps hostile protocol strings inert, compiles conditions
 * that call definitions, and is absent when the protocol has no response section.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileGenerated, buildFiles } from "../../src/build.js";
import { emitResponseModule } from "../../src/emit/typescript/response.js";
import { writeGenerated } from "../generated.js";
import { at, both, compiledResponse, day, lesion, ok, SEED, seedIr, series, variantIr } from "./helpers.js";

/** response.ts and the run time: the files it needs, not the other targets' modules. */
const ownFiles = (ir: Parameters<typeof buildFiles>[0]) =>
  [...buildFiles(ir).keys()].filter((k) => k === "response.ts" || k.startsWith("runtime/"));

const PR = series([lesion("L1", "liver", 30, true), lesion("L2", "lung", 20, true)], [at(day(56), { L1: 20, L2: 10 })]);

describe("the generated response module", () => {
  it("compiles under tsc --strict with the run time it imports", () => {
    const ir = seedIr();
    expect(compileGenerated(writeGenerated(ir, "response-tsc"), ownFiles(ir), false)).toEqual([]);
  });

  it("is deterministic: same protocol, same bytes", () => {
    const a = emitResponseModule(seedIr());
    expect(a).not.toBeNull();
    expect(emitResponseModule(seedIr())).toBe(a);
    expect(a).toContain(
      "export function evaluateResponse(assessments: unknown, options: ResponseOptions = {}): ResponseOutcome",
    );
    expect(a).toContain(
      'when: (ctx: rt.EvalCtx, vars: Record<string, v.Val>): v.Val => rt.compare(ctx, "<=", variable(vars, "change"), rt.qty("-30", "%"), "change <= -30 %")',
    );
  });

  it("keeps protocol strings inert: quotes, comment ends, template syntax, backslashes, newlines", async () => {
    const label = 'Dec */ \\" ${process.exit(1)} ` \\\\ \\n end';
    const v = variantIr(['category decrease "Decrease"', `category decrease "${label}"`]);
    const text = emitResponseModule(v)!;
    // Importing the module parses it: an escape that broke out of its literal would fail here or change the label.
    const r = ok(both(v, await compiledResponse(v, "response-hostile"), PR));
    expect(r.timePoints[0]!.lesions[0]!.label).toBe('Dec */ " ${process.exit(1)} ` \\ \n end');
    expect(text).not.toContain('Dec */ " ${process.exit(1)}');
  });

  it("compiles a category condition that calls a definition, and agrees with the interpreter", async () => {
    const v = variantIr(
      [
        'category increase "Increase" when change >= 20 %',
        'category increase "Increase" when change >= 20 % and counted',
      ],
      ["inclusion I1 ", 'define counted "Counted" { rule true }\n\ninclusion I1 '],
    );
    expect(emitResponseModule(v)).toContain('import { def_counted } from "./definitions.js";');
    const grown = series([lesion("L1", "liver", 30, true)], [at(day(56), { L1: 36 }), at(day(91), { L1: 35.9 })]);
    const r = ok(both(v, await compiledResponse(v, "response-define"), grown));
    expect(r.timePoints.map((t) => t.lesions[0]!.category)).toEqual(["increase", "stable"]);
  });

  it("a condition on data the assessments do not carry leaves the category undecided, saying what is missing", async () => {
    const v = variantIr([
      'category decrease "Decrease" when change <= -30 %',
      'category decrease "Decrease" when change <= -30 % and ecog <= 1',
    ]);
    const mod = await compiledResponse(v, "response-unknown");
    const shrunk = series([lesion("L1", "liver", 30, true)], [at(day(56), { L1: 20 }), at(day(91), { L1: 36 })]);
    const [first, second] = ok(both(v, mod, shrunk)).timePoints.map((t) => t.lesions[0]!);
    expect([first!.category, first!.missing]).toEqual([null, ["ecog"]]);
    // "false and unknown" is false: a 20 % growth is decided whatever ecog is.
    expect([second!.category, second!.missing]).toEqual(["increase", []]);
  });

  it("is not written for a protocol without a response section", () => {
    const text = readFileSync(SEED, "utf8");
    const r = compileText(text.slice(0, text.indexOf("response {")), SEED);
    expect(r.ir?.response).toBeNull();
    expect(emitResponseModule(r.ir!)).toBeNull();
    expect(buildFiles(r.ir!).has("response.ts")).toBe(false);
    expect(buildFiles(seedIr()).has("response.ts")).toBe(true);
  });
});
