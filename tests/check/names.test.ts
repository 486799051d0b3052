import { describe, expect, it } from "vitest";
import { compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const HB = `hemoglobin: decimal g/dL range 1 to 25 "Hemoglobin" form f`;

describe("names", () => {
  it("resolves a data element and lowers the rule", () => {
    const r = compileSnippet(HB, `inclusion I1 "Hb" { rule hemoglobin >= 9 g/dL }`);
    expectClean(r, true);
    const rule = r.ir!.eligibility.inclusion[0]!.body;
    expect(rule.kind).toBe("rule");
    expect(r.ir!.eligibility.inclusion[0]!.reads).toEqual(["hemoglobin"]);
  });

  it("reports an unknown name at its position with a suggestion", () => {
    const r = compileSnippet(HB, `inclusion I1 "Hb" { rule hemoglobn >= 9 g/dL }`);
    const d = expectDiagnostic(r, "TRC2001", 'unknown name "hemoglobn"');
    expect(d.hint).toBe('did you mean "hemoglobin"?');
    expect(d.span.line).toBe(9);
    expect(d.span.column).toBe(26);
    expect(r.ir).toBeNull();
  });

  it("reports a criterion id used twice, pointing at the first", () => {
    const r = compileSnippet(
      HB,
      `inclusion I1 "a" { rule hemoglobin >= 9 g/dL }
exclusion I1 "b" { rule hemoglobin < 5 g/dL }`,
    );
    const d = expectDiagnostic(r, "TRC2003", 'criterion id "I1" is used twice');
    expect(d.related[0]!.message).toBe("first used here");
    expect(d.related[0]!.span.line).toBe(9);
  });

  it("reports a nested id that repeats a top-level one", () => {
    const r = compileSnippet(HB, `inclusion I7 "a" { all of { criterion I7 "b" { rule hemoglobin >= 9 g/dL } } }`);
    expectDiagnostic(r, "TRC2003");
  });

  it("reports a duplicate data element", () => {
    const r = compileSnippet(
      `${HB}\n  hemoglobin: boolean "again" form f`,
      `inclusion I1 "a" { rule hemoglobin >= 9 g/dL }`,
    );
    expectDiagnostic(r, "TRC2002", "already declared");
  });

  it("warns about an unused definition without failing", () => {
    const r = compileSnippet(
      HB,
      `define low_hb "Low" { rule hemoglobin < 9 g/dL }
inclusion I1 "a" { rule hemoglobin >= 9 g/dL }`,
    );
    const d = expectDiagnostic(r, "TRC2004", 'definition "low_hb" is never used');
    expect(d.severity).toBe("warning");
    expect(r.ir).not.toBeNull();
  });

  it("reports a definition that uses itself", () => {
    const r = compileSnippet(
      HB,
      `define loop "L" { rule loop and hemoglobin >= 9 g/dL }
inclusion I1 "a" { rule loop }`,
    );
    expectDiagnostic(r, "TRC2009");
  });

  it("checks a parameterised definition's arguments against the codes", () => {
    const data = `procs: records "P" form f {
    procedure: code(mri "MRI", ct "CT") "Procedure"
    date: date "Date" capture only
  }`;
    const ok = compileSnippet(
      data,
      `define done(which) "Done" { rule any procs where procedure = which }
inclusion I1 "a" { rule done(mri) and done(ct) }`,
    );
    expectClean(ok, true);
    const bad = compileSnippet(
      data,
      `define done(which) "Done" { rule any procs where procedure = which }
inclusion I1 "a" { rule done(mir) }`,
    );
    expect(expectDiagnostic(bad, "TRC2007").hint).toBe('did you mean "mri"?');
    const arity = compileSnippet(
      data,
      `define done(which) "Done" { rule any procs where procedure = which }
inclusion I1 "a" { rule done(mri, ct) }`,
    );
    expectDiagnostic(arity, "TRC2010");
  });

  it("reports an unknown code value with suggestions", () => {
    const r = compileSnippet(
      `site: code(pancreas "Pancreas", stomach "Stomach") "Site" form f`,
      `inclusion I1 "a" { rule site = pancreaz }`,
    );
    expect(expectDiagnostic(r, "TRC2007").hint).toBe('did you mean "pancreas"?');
  });

  it("reports an unknown source in a citation", () => {
    const r = compileSnippet(HB, `inclusion I1 "a" { cite sede "x" rule hemoglobin >= 9 g/dL }`);
    expect(expectDiagnostic(r, "TRC2005").hint).toBe('did you mean "seed"?');
  });

  it("reports an unknown form", () => {
    const r = compileSnippet(`x: boolean "X" form labz`, `inclusion I1 "a" { rule x }`);
    expectDiagnostic(r, "TRC2006");
  });

  it("warns about an element no rule reads, unless capture only", () => {
    const r = compileSnippet(
      `${HB}\n  note: text "Note" form f\n  extra: text "Extra" form f capture only`,
      `inclusion I1 "a" { rule hemoglobin >= 9 g/dL }`,
    );
    const w = expectDiagnostic(r, "TRC6001", '"note"');
    expect(w.severity).toBe("warning");
    expect(r.diagnostics.some((d) => d.message.includes('"extra"'))).toBe(false);
  });
});
