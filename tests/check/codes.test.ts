/**
 * Standard codes on data elements, record fields and code values: syntax, IR shape,
 * and the checks (system known, LOINC mod-10 and SNOMED Verhoeff check digits, ATC shape).
 */
import { describe, expect, it } from "vitest";
import { validAtc, validIcd10, validLoinc, validSnomed } from "../../src/check/codes.js";
import { compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const USE = `inclusion I1 "x" { rule hb >= 9 g/dL and sex = female and any tx where kind = ssa and bili < 2 mg/dL }`;

function data(hb = `code LOINC "718-7"`, sex = `female "Female" code SNOMED "248152002", male "Male"`, extra = "") {
  return `hb: decimal g/dL range 1 to 25 "Hemoglobin" form f ${hb}
  sex: code(${sex}) "Sex" form f code LOINC "46098-0"
  bili: decimal mg/dL range 0 to 60 "Bilirubin" form f code LOINC "1975-2" ${extra}
  tx: records "Therapies" form f {
    kind: code(ssa "SSA" code ATC "H01CB", other "Other") "Kind" code SNOMED "416608005"
  }`;
}

describe("binding standard codes", () => {
  it("puts codes on elements, fields and code values in the IR", () => {
    const r = compileSnippet(data(), USE);
    expectClean(r, true);
    const el = (n: string) => r.ir!.elements.find((e) => e.name === n)!;
    expect(el("hb").codes).toEqual([{ system: "LOINC", code: "718-7" }]);
    expect(el("sex").codes).toEqual([{ system: "LOINC", code: "46098-0" }]);
    expect(el("sex").values).toEqual([
      { code: "female", label: "Female", codes: [{ system: "SNOMED", code: "248152002" }] },
      { code: "male", label: "Male", codes: [] },
    ]);
    const kind = el("tx").fields![0]!;
    expect(kind.codes).toEqual([{ system: "SNOMED", code: "416608005" }]);
    expect(kind.values![0]!.codes).toEqual([{ system: "ATC", code: "H01CB" }]);
    expect(el("tx").codes).toEqual([]);
  });

  it("allows several codes of different systems on one element", () => {
    const r = compileSnippet(data(`code LOINC "718-7" code SNOMED "271026005"`), USE);
    expectClean(r, true);
    expect(r.ir!.elements[0]!.codes.map((c) => c.system)).toEqual(["LOINC", "SNOMED"]);
  });

  it("rejects a LOINC code whose check digit is wrong, at the binding", () => {
    const r = compileSnippet(data(`code LOINC "718-8"`), USE);
    const d = expectDiagnostic(r, "TRC6011", '"718-8" is not a valid LOINC code');
    expect(d.span.line).toBe(7);
    expect(d.span.column).toBeGreaterThan(40);
  });

  it("rejects a SNOMED code whose Verhoeff check digit is wrong", () => {
    expectDiagnostic(
      compileSnippet(data(undefined, `female "Female" code SNOMED "248152003", male "Male"`), USE),
      "TRC6011",
      "SNOMED",
    );
  });

  it("rejects an unknown system with a suggestion", () => {
    const d = expectDiagnostic(
      compileSnippet(data(`code LONIC "718-7"`), USE),
      "TRC6010",
      'unknown code system "LONIC"',
    );
    expect(d.hint).toContain("LOINC");
  });

  it("rejects the same code bound twice", () => {
    expectDiagnostic(compileSnippet(data(`code LOINC "718-7" code LOINC "718-7"`), USE), "TRC6012", "bound twice");
  });

  it("rejects a malformed ATC code and accepts a UCUM one", () => {
    expectDiagnostic(compileSnippet(data(`code ATC "X01"`), USE), "TRC6011", "ATC");
    expectClean(compileSnippet(data(`code UCUM "g/dL"`), USE), true);
    expectDiagnostic(compileSnippet(data(`code UCUM "gram per litre"`), USE), "TRC6011", "UCUM");
  });
});

describe("check digits", () => {
  it("LOINC: mod-10 over the digits before the hyphen", () => {
    for (const c of ["718-7", "777-3", "751-8", "731-0", "6690-2", "1975-2", "2160-0", "89247-1"])
      expect(validLoinc(c), c).toBe(true);
    for (const c of ["718-0", "777-4", "7187", "718-77", "-7", "abc-1"]) expect(validLoinc(c), c).toBe(false);
  });

  it("LOINC: every single-digit change of the check digit is caught", () => {
    for (let d = 0; d <= 9; d++) expect(validLoinc(`718-${d}`)).toBe(d === 7);
  });

  it("SNOMED: Verhoeff check digit and the concept partition", () => {
    for (const c of ["248152002", "248153007", "77386006", "113091000", "77477000", "423740007"])
      expect(validSnomed(c), c).toBe(true);
    // A transposition of two adjacent digits, a wrong check digit, a description id (partition 01).
    for (const c of ["248125002", "248153008", "0248153007", "12345", "248152011"])
      expect(validSnomed(c), c).toBe(false);
  });

  it("ATC levels 1 to 5, and ICD-10 shape", () => {
    for (const c of ["L", "L01", "L01E", "L01EG", "L01EG02", "H01CB02"]) expect(validAtc(c), c).toBe(true);
    for (const c of ["X01", "L1", "L01EG2", "l01eg"]) expect(validAtc(c), c).toBe(false);
    expect(validIcd10("C7A.01")).toBe(true);
    expect(validIcd10("C7")).toBe(false);
  });
});
