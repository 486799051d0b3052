/**
 * Protocol strings cannot inject code: criterion texts, labels, codes' labels and
 * string constants full of quotes, backticks, comment terminators, template
 * placeholders and line breaks compile, type-check, and come back unchanged.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileGenerated, buildFiles } from "../../src/build.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { importEligibility, writeGenerated } from "../generated.js";

const NASTY =
  String.raw`Quote " back\slash \" tick ${"`"} */ /* ${"${process.exit(1)}"} </script>` + " \u2028 \u2029 end";
const TEXT = `${NASTY}\nsecond line\ttab`;

// The .trial string literal for TEXT: escape backslashes and quotes, newlines as \n.
const q = (s: string) => JSON.stringify(s);

const PROTOCOL = `trial ${q("T-" + NASTY)} { title ${q(TEXT)} }
source seed ${q(TEXT)} protocol
anchor inclusion ${q(TEXT)}
form f ${q(TEXT)}
data {
  note: text ${q(TEXT)} form f
  kind: code(a ${q(TEXT)}, b "B") ${q(TEXT)} form f
}
inclusion I1 ${q(TEXT)} {
  cite seed ${q(TEXT)}
  interpretation ${q(TEXT)} ref ${q(TEXT)}
  rule note = ${q(NASTY)} and kind = a
}
`;

describe("hostile protocol strings", () => {
  it("compile into code that type-checks and returns the texts unchanged", async () => {
    const r = compileText(PROTOCOL, "hostile.trial");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ir = r.ir!;
    expect(ir.eligibility.inclusion[0]!.text).toBe(TEXT);
    const dir = writeGenerated(ir, "hostile");
    expect(compileGenerated(dir, [...buildFiles(ir).keys()], false)).toEqual([]);
    const mod = await importEligibility(dir);
    const patient = { anchors: { inclusion: "2027-01-04" }, note: NASTY, kind: "a" };
    const out = mod.evaluateEligibility(patient) as {
      ok: true;
      result: { verdict: string; inclusion: { text: string }[] };
    };
    expect(out.ok).toBe(true);
    expect(out.result.verdict).toBe("eligible");
    expect(out.result.inclusion[0]!.text).toBe(TEXT);
    expect(out).toEqual(JSON.parse(JSON.stringify(evaluateEligibility(ir, patient))));
    expect(readdirSync(dir)).toContain("eligibility.ts");
  });
});
