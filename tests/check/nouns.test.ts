/** The noun a records element's rows are called by (`noun "…" [plural "…"]`): checked and carried into the IR. */
import { describe, expect, it } from "vitest";
import { regularPlural } from "../../src/check/declarations.js";
import { compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const FIELDS = '{ done: boolean "Done" }';

describe("noun on a records element", () => {
  it("carries the noun into the IR, with the plural as written or the regular one", () => {
    const r = compileSnippet(
      `ssr_scans: records "SSR imaging" noun "somatostatin receptor scan" form f ${FIELDS}
analyses: records "Analyses" noun "analysis" plural "analyses" form f ${FIELDS}
surgeries: records "Surgery" noun "  surgery " form f ${FIELDS}
plain: records "Plain" form f ${FIELDS}`,
      `inclusion I1 "x" { rule any ssr_scans where done and any analyses where done and any surgeries where done and any plain where done }`,
    );
    expectClean(r, true);
    const noun = (name: string) => r.ir!.elements.find((e) => e.name === name)!.noun;
    expect(noun("ssr_scans")).toEqual({
      singular: "somatostatin receptor scan",
      plural: "somatostatin receptor scans",
    });
    expect(noun("analyses")).toEqual({ singular: "analysis", plural: "analyses" });
    expect(noun("surgeries")).toEqual({ singular: "surgery", plural: "surgeries" });
    // Without a noun the IR has none: documents derive one from the name.
    expect(noun("plain")).toBeUndefined();
  });

  it("forms regular plurals from the last word", () => {
    expect(["scan", "biopsy", "mass", "box", "patch", "day", "dosimetry"].map(regularPlural)).toEqual([
      "scans",
      "biopsies",
      "masses",
      "boxes",
      "patches",
      "days",
      "dosimetries",
    ]);
  });

  it("rejects a noun on anything but a records element, and an empty noun or plural", () => {
    const d = expectDiagnostic(
      compileSnippet('x: boolean "X" form f noun "thing"', 'inclusion I1 "x" { rule x }'),
      "TRC5004",
      "applies to records elements only",
    );
    expect(d.span).toMatchObject({ line: 7, column: 23 });
    expectDiagnostic(
      compileSnippet(
        `r: records "R" form f { y: boolean "Y" noun "thing" }`,
        'inclusion I1 "x" { rule any r where y }',
      ),
      "TRC5004",
      "applies to records elements only",
    );
    expectDiagnostic(
      compileSnippet(`r: records "R" noun " " form f ${FIELDS}`, 'inclusion I1 "x" { rule any r where done }'),
      "TRC5004",
      "the noun of a records element cannot be empty",
    );
    expectDiagnostic(
      compileSnippet(
        `r: records "R" noun "row" plural "" form f ${FIELDS}`,
        'inclusion I1 "x" { rule any r where done }',
      ),
      "TRC5004",
      "the plural of a records element cannot be empty",
    );
  });
});
