/**
 * Forms and rules cannot disagree: `trialc check` warns about a data element no rule
 * reads unless it is declared `capture only` (TRC6001), and about an element a rule
 * reads that no form captures (TRC6002). The seed protocol has neither.
 */
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileFile } from "../../src/cli/source.js";
import { compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const HB = `hemoglobin: decimal g/dL range 1 to 25 "Hemoglobin" form f`;

describe("forms and rules (TRC6001, TRC6002)", () => {
  it("warns about an element a rule reads that no form captures, at the element", () => {
    const r = compileSnippet(
      `hemoglobin: decimal g/dL range 1 to 25 "Hemoglobin"`,
      `inclusion I1 "Hb" { rule hemoglobin >= 9 g/dL }`,
    );
    const d = expectDiagnostic(r, "TRC6002", 'data element "hemoglobin" is read by I1 but no form captures it');
    expect(d.severity).toBe("warning");
    expect([d.span.line, d.span.column]).toEqual([7, 1]);
    expect(r.ir).not.toBeNull();
  });

  it("counts a `required when` condition as a reader", () => {
    const r = compileSnippet(
      `${HB}\n  pregnant: boolean "Pregnant"\n  test_date: date "Test" form f required when pregnant capture only`,
      `inclusion I1 "Hb" { rule hemoglobin >= 9 g/dL }`,
    );
    expectDiagnostic(r, "TRC6002", 'data element "pregnant" is read by data.test_date');
    expect(r.diagnostics.some((d) => d.code === "TRC6001")).toBe(false);
  });

  it("warns about a captured element no rule reads, and not when it is capture only", () => {
    const r = compileSnippet(
      `${HB}\n  lesions: records "Lesions" form f { size: decimal mm "Size" }\n  notes: records "Notes" form f capture only { text: text "Text" }`,
      `inclusion I1 "Hb" { rule hemoglobin >= 9 g/dL }`,
    );
    const d = expectDiagnostic(r, "TRC6001", 'data element "lesions" is read by no rule');
    expect(d.severity).toBe("warning");
    expect(r.diagnostics.filter((x) => x.code === "TRC6001")).toHaveLength(1);
  });

  it("is silent when every element is on a form and read, or capture only", () => {
    expectClean(
      compileSnippet(
        `${HB}\n  remark: text "Remark" form f capture only`,
        `inclusion I1 "Hb" { rule hemoglobin >= 9 g/dL }`,
      ),
      true,
    );
  });

  it("the seed protocol: every element a rule reads is on a form, every form field is read or capture only", () => {
    const r = compileFile("protocols/lu177-octreotate.trial");
    expect(r.diagnostics.filter((d) => d.code === "TRC6001" || d.code === "TRC6002")).toEqual([]);
    for (const el of r.ir!.elements) {
      expect(el.form, el.name).not.toBeNull();
      expect(el.readBy.length > 0 || el.captureOnly, el.name).toBe(true);
    }
  });
});

describe("record fields", () => {
  it("warn when a field of a records element that rules read is read by no rule", () => {
    const text = `trial "T" { title "t" }
form f "F"
data {
  lesions: records "Lesions" form f {
    size: decimal mm range 0 to 500 "Size"
    label: text "Label"
    note: text "Note" capture only
  }
}
inclusion I1 "x" { rule any lesions where size >= 10 mm }
`;
    const r = compileText(text, "fields.trial");
    const warnings = r.diagnostics.filter((d) => d.code === "TRC6001").map((d) => d.message);
    expect(warnings).toEqual(['field "lesions.label" is read by no rule: use it, or declare it "capture only"']);
    expect(r.ir!.elements[0]!.fields!.map((f) => [f.name, f.readBy])).toEqual([
      ["size", ["I1"]],
      ["label", []],
      ["note", []],
    ]);
  });
});
