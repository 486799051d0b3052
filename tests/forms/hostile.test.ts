/**
 * A hostile protocol: labels, code labels, the trial id and title full of quotes,
 * apostrophes, `< > &`, entity look-alikes, commas, `]]>`, REDCap's `|` and `[piping]`,
 * tabs, line breaks and a control character. Every export must read back, with a
 * strict reader of its format, to exactly the protocol's text (or, where the format
 * cannot hold a character at all, to a stated substitute). A control character in a
 * .trial string is refused by the front end (TRC1024), so it is put into the checked IR
 * here, to keep each export's own escaping of it tested.
 */
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { formFile, jsonSchemaFiles, PATIENT_FILE } from "../../src/emit/forms/jsonschema.js";
import { emitOdm } from "../../src/emit/forms/odm.js";
import { DICTIONARY_FILE, redcapFiles } from "../../src/emit/forms/redcap.js";
import {
  allElements,
  childrenNamed,
  decodeHtml,
  formValidators,
  parseCsv,
  parseXml,
  textOf,
  type XmlElement,
} from "./support.js";

const NASTY =
  'Quote " apos \' <tag attr="x"> & amp; &amp; &#60; , comma ]]> cdata | pipe [record_id] \\ back \u0001 ctl';
const LABEL = `${NASTY}\nsecond line\ttab`;
const ID = 'T<&"1 ]]> /?#';
/** Stands for the control character in the protocol text, and is replaced by it in the IR. */
const CTL = "\uE001";
// A .trial string literal: JSON's escapes are the language's, except \u00XX, which it lacks.
const q = (s: string) => JSON.stringify(s).replace(/\\u0001/g, CTL);

const PROTOCOL = `trial ${q(ID)} { title ${q(LABEL)} }
source seed ${q(LABEL)} protocol
anchor inclusion ${q(LABEL)}
form f ${q(LABEL)}
form g "Second, form"
data {
  flag: boolean ${q(LABEL)} form f
  kind: code(a ${q(LABEL)}, b "B, with comma") ${q(LABEL)} form g required when flag
  note: text ${q(LABEL)} form f capture only
  hb: decimal g/dL range 1 to 25 with ULN ${q(LABEL)} form g
  rows: records ${q(LABEL)} form g {
    k: code(x ${q(LABEL)}, y "Y") ${q(LABEL)}
  }
}
inclusion I1 ${q(LABEL)} { rule flag and kind = a and hb >= 9 g/dL and any rows where k = x }
`;

const compiled = compileText(PROTOCOL, "hostile.trial");
/** What XML and HTML can hold of LABEL: the control character becomes U+FFFD. */
const LABELS_HTML = LABEL.replace("\u0001", "\uFFFD");
/** A copy of `v` with CTL replaced by the control character in every string of plain data. */
function withControl<T>(v: T): T {
  if (typeof v === "string") return v.replaceAll(CTL, "\u0001") as T;
  if (Array.isArray(v)) return v.map(withControl) as T;
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withControl(x)])) as T;
  return v;
}
const ir = withControl(compiled.ir!);

describe("a hostile protocol's forms", () => {
  it("compiles (and the front end refuses the control character itself)", () => {
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const raw = compileText(PROTOCOL.replaceAll(CTL, "\u0001"), "ctl.trial").diagnostics;
    expect(new Set(raw.filter((d) => d.severity === "error").map((d) => d.code))).toEqual(new Set(["TRC1024"]));
    expect(ir.elements.find((e) => e.name === "flag")!.label).toBe(LABEL);
  });

  it("JSON Schema: valid JSON, strict ajv, labels back exactly, ids percent-encoded", () => {
    const v = formValidators(ir);
    for (const [name] of v.files) expect(() => v.validator(name), name).not.toThrow();
    const f = v.schemas.get(formFile("f")) as unknown as {
      $id: string;
      title: string;
      properties: Record<string, { title: string }>;
    };
    expect(f.title).toBe(LABEL);
    expect(f.properties.flag!.title).toBe(LABEL);
    expect(f.$id).toBe(`https://trialc.dev/${encodeURIComponent(ID)}/forms/f.schema.json`);
    expect(new URL(f.$id).pathname.split("/")[1]).toBe(encodeURIComponent(ID));
    const g = JSON.parse(jsonSchemaFiles(ir).get(formFile("g"))!);
    expect(g.properties.kind.anyOf[1].oneOf.map((o: { title: string }) => o.title)).toEqual([LABEL, "B, with comma"]);
    expect(g.properties.rows.items.properties.k.title).toBe(LABEL);
    // The condition reads form f: it is enforced by the patient schema.
    const patient = v.patient();
    expect(patient({ flag: true })).toBe(false);
    expect(patient({ flag: true, kind: "b" })).toBe(true);
    expect(JSON.parse(v.files.get(PATIENT_FILE)!).allOf.at(-1).$comment).toContain(LABEL);
  });

  it("ODM: well-formed, every text and attribute back exactly (the control character as U+FFFD)", () => {
    const xml = emitOdm(ir);
    expect(xml).not.toContain("]]>");
    expect(xml).not.toContain("\u0001");
    const root = parseXml(xml);
    const all = allElements(root);
    const odmText = LABEL.replace("\u0001", "\uFFFD");
    const tt = (e: XmlElement, child: string) =>
      textOf(childrenNamed(childrenNamed(e, child)[0]!, "TranslatedText")[0]!);
    const byOid = (oid: string) => all.find((e) => e.attrs.OID === oid)!;
    expect(textOf(all.find((e) => e.name === "StudyName")!)).toBe(odmText);
    expect(textOf(all.find((e) => e.name === "ProtocolName")!)).toBe(ID);
    expect(root.attrs.FileOID).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(byOid("F.f").attrs.Name).toBe(odmText); // an attribute: line break and tab survive as references
    expect(tt(byOid("IT.flag"), "Question")).toBe(odmText);
    expect(childrenNamed(byOid("CL.kind"), "CodeListItem").map((i) => tt(i, "Decode"))).toEqual([
      odmText,
      "B, with comma",
    ]);
    expect(byOid("CL.rows.k")).toBeDefined();
    expect(tt(byOid("COND.kind"), "Description")).toContain(odmText);
  });

  it("REDCap: RFC 4180 CSV that parses back to 18 columns, labels back exactly after HTML decoding", () => {
    const LABEL = LABELS_HTML;
    const rows = parseCsv(redcapFiles(ir).get(DICTIONARY_FILE)!);
    for (const r of rows) expect(r).toHaveLength(18);
    const byName = new Map(rows.map((r) => [r[0], r]));
    expect(decodeHtml(byName.get("flag")![4]!)).toBe(LABEL);
    expect(byName.get("flag")![4]).not.toMatch(/[<>[\]|]/); // markup, piping and the choice separator are references
    expect(decodeHtml(byName.get("record_id")![2]!)).toBe(LABEL); // the form's label as section header
    const choices = byName.get("kind")![5]!.split(" | ");
    expect(choices).toHaveLength(2);
    expect(choices.map((c) => decodeHtml(c))).toEqual([`a, ${LABEL.replace("\n", " ")}`, "b, B, with comma"]); // one line per choice
    expect(byName.get("kind")![11]).toBe("[flag] = '1'");
    expect(decodeHtml(byName.get("hb_uln")![4]!)).toBe(`${LABEL}: upper limit of normal`);
    expect(byName.get("rows_k")![1]).toBe("rows");
  });
});
