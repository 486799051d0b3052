/**
 * The REDCap data dictionary of the seed protocol: REDCap's 18 columns in REDCap's
 * order, rows that parse back as RFC 4180 CSV, REDCap's names, field and validation
 * types, choices that decode to the protocol's codes, branching logic for conditional
 * fields, and the repeating instruments to enable.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import type { IrElement, IrProtocol } from "../../src/ir/types.js";
import { DICTIONARY_FILE, redcapFiles, REPEATING_FILE } from "../../src/emit/forms/redcap.js";
import { decodeHtml, parseCsv } from "./support.js";

/** The header row of a data dictionary downloaded from REDCap, column by column. */
const REDCAP_HEADER = [
  "Variable / Field Name",
  "Form Name",
  "Section Header",
  "Field Type",
  "Field Label",
  "Choices, Calculations, OR Slider Labels",
  "Field Note",
  "Text Validation Type OR Show Slider Number",
  "Text Validation Min",
  "Text Validation Max",
  "Identifier?",
  "Branching Logic (Show field only if...)",
  "Required Field?",
  "Custom Alignment",
  "Question Number (surveys only)",
  "Matrix Group Name",
  "Matrix Ranking?",
  "Field Annotation",
] as const;
type Row = Record<(typeof REDCAP_HEADER)[number], string>;

let ir: IrProtocol;
let files: Map<string, string>;
let rows: Row[];
beforeAll(() => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  files = redcapFiles(ir);
  const [header, ...body] = parseCsv(files.get(DICTIONARY_FILE)!);
  expect(header).toEqual(REDCAP_HEADER);
  rows = body.map((r) => Object.fromEntries(REDCAP_HEADER.map((c, i) => [c, r[i]!])) as Row);
});

const field = (name: string) => rows.find((r) => r["Variable / Field Name"] === name)!;
/** The row holding an element (or `records.field`), found by its annotation. */
const rowOf = (key: string) => rows.find((r) => r["Field Annotation"].split(";")[0] === `trialc ${key}`);

describe("REDCap data dictionary of the seed protocol", () => {
  it("has REDCap's 18 columns in REDCap's order, and every row has 18 fields", () => {
    const text = files.get(DICTIONARY_FILE)!;
    expect(text.split("\r\n")[0]).toBe(REDCAP_HEADER.map((c) => (c.includes(",") ? `"${c}"` : c)).join(","));
    for (const r of parseCsv(text)) expect(r).toHaveLength(18);
  });

  it("starts with record_id and uses REDCap's names, each once", () => {
    expect(rows[0]).toMatchObject({
      "Variable / Field Name": "record_id",
      "Form Name": "screening",
      "Field Type": "text",
    });
    const names = rows.map((r) => r["Variable / Field Name"]);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rows) expect(r["Form Name"]).toMatch(/^[a-z][a-z0-9_]*$/);
    // Instruments are contiguous blocks, as REDCap requires.
    const forms = rows.map((r) => r["Form Name"]).filter((f, i, a) => f !== a[i - 1]);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it("uses REDCap's field and validation types", () => {
    const types = new Set([
      "text",
      "notes",
      "dropdown",
      "radio",
      "checkbox",
      "yesno",
      "truefalse",
      "calc",
      "file",
      "slider",
      "descriptive",
      "sql",
    ]);
    const validations = new Set([
      "",
      "date_ymd",
      "datetime_ymd",
      "datetime_seconds_ymd",
      "integer",
      "number",
      "email",
      "phone",
      "time",
    ]);
    for (const r of rows) {
      expect(types.has(r["Field Type"]), r["Field Type"]).toBe(true);
      expect(validations.has(r["Text Validation Type OR Show Slider Number"])).toBe(true);
    }
  });

  it("holds every element of every form, and every field of every records element", () => {
    const check = (el: IrElement, key: string) => {
      const r = rowOf(key);
      expect(r, key).toBeDefined();
      expect(decodeHtml(r!["Field Label"])).toBe(el.label);
      const want = {
        boolean: ["yesno", ""],
        attestation: ["yesno", ""],
        date: ["text", "date_ymd"],
        datetime: ["text", "datetime_ymd"],
        integer: ["text", "integer"],
        decimal: ["text", "number"],
        text: ["text", ""],
      } as Record<string, [string, string]>;
      if (el.type === "code") expect((el.values ?? []).length > 8 ? "dropdown" : "radio").toBe(r!["Field Type"]);
      else expect([r!["Field Type"], r!["Text Validation Type OR Show Slider Number"]]).toEqual(want[el.type]);
      if (el.range && el.type !== "code")
        expect([r!["Text Validation Min"], r!["Text Validation Max"]]).toEqual([el.range.low, el.range.high]);
    };
    for (const el of ir.elements.filter((e) => e.form)) {
      if (el.type === "records") for (const f of el.fields!) check(f, `${el.name}.${f.name}`);
      else check(el, el.name);
    }
  });

  it("writes codes as choices that parse back to the protocol's codes and labels", () => {
    const site = ir.elements.find((e) => e.name === "primary_site")!;
    const choices = field("primary_site")
      ["Choices, Calculations, OR Slider Labels"].split(" | ")
      .map((c) => {
        const comma = c.indexOf(", ");
        return { code: c.slice(0, comma), label: decodeHtml(c.slice(comma + 2)) };
      });
    expect(choices).toEqual(site.values!.map((v) => ({ code: v.code, label: v.label })));
    expect(field("primary_site")["Field Type"]).toBe("dropdown"); // 9 choices
    expect(field("sex")["Choices, Calculations, OR Slider Labels"]).toBe("female, Female | male, Male");
  });

  it("shows and requires the pregnancy test only for women of childbearing potential", () => {
    for (const name of ["pregnancy_test_type", "pregnancy_test_result", "pregnancy_test_date"])
      expect(field(name)).toMatchObject({
        "Branching Logic (Show field only if...)": "[childbearing_potential] = '1'",
        "Required Field?": "y",
      });
    const names = new Set(rows.map((r) => r["Variable / Field Name"]));
    for (const r of rows)
      for (const [, v] of r["Branching Logic (Show field only if...)"].matchAll(/\[([^\]]+)\]/g))
        expect(names.has(v!)).toBe(true);
    expect(rows.filter((r) => r["Required Field?"] === "y")).toHaveLength(3);
  });

  it("takes quantities in the element's unit, with reference limits as fields of their own", () => {
    expect(field("hemoglobin")).toMatchObject({
      "Text Validation Min": "1",
      "Text Validation Max": "25",
      "Field Note": "Unit: g/dL (UCUM); enter the value in this unit",
    });
    expect(field("hemoglobin_lln")["Text Validation Type OR Show Slider Number"]).toBe("number");
    expect(field("total_bilirubin_uln")["Field Annotation"]).toBe("trialc total_bilirubin.uln; UCUM mg/dL");
  });

  it("puts each records element in a repeating instrument and lists them for REDCap", () => {
    const repeating = parseCsv(files.get(REPEATING_FILE)!);
    expect(repeating[0]).toEqual(["form_name", "custom_form_label"]);
    const records = ir.forms.flatMap((f) =>
      ir.elements.filter((e) => e.form === f.name && e.type === "records").map((e) => e.name),
    ); // in form order
    expect(repeating.slice(1).map((r) => r[0])).toEqual(records);
    for (const name of records) expect(rows.filter((r) => r["Form Name"] === name).length).toBeGreaterThan(0);
    expect(rows.some((r) => r["Form Name"] === "assessment")).toBe(false); // declares no elements
  });

  it("is deterministic", () => {
    expect(redcapFiles(ir)).toEqual(files);
  });
});

describe("the CSV reader used above is strict", () => {
  it("reads quoted fields with commas, quotes and line breaks", () => {
    expect(parseCsv('a,"b,c","d""e","f\r\ng"\r\n,\r\n')).toEqual([
      ["a", "b,c", 'd"e', "f\r\ng"],
      ["", ""],
    ]);
  });
  for (const bad of ['a"b\r\n', '"a\r\n', "a\nb\r\n", "a,b", '"a"b\r\n'])
    it(`rejects ${JSON.stringify(bad)}`, () => expect(() => parseCsv(bad)).toThrow());
});
