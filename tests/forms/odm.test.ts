/**
 * The CDISC ODM 1.3.2 export of the seed protocol is well-formed XML, has ODM's
 * structure and element order, every OID reference resolves (and every definition is
 * used), and the metadata says what the data dictionary says.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { emitOdm, ODM_NAMESPACE } from "../../src/emit/forms/odm.js";
import { creationDateTime } from "../../src/cli/crf.js";
import { allElements, childrenNamed, parseXml, textOf, type XmlElement } from "./support.js";

let ir: IrProtocol;
let xml: string;
let root: XmlElement;
let all: XmlElement[];
beforeAll(() => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  xml = emitOdm(ir);
  root = parseXml(xml);
  all = allElements(root);
});

const named = (name: string) => all.filter((e) => e.name === name);
const byOid = (name: string, oid: string) => named(name).find((e) => e.attrs.OID === oid);
const kids = (e: XmlElement) => e.children.filter((c): c is XmlElement => typeof c !== "string").map((c) => c.name);
const question = (item: XmlElement) => textOf(childrenNamed(childrenNamed(item, "Question")[0]!, "TranslatedText")[0]!);

/** Children must come in this order (ODM 1.3.2 content models); each name may repeat. */
function expectOrder(e: XmlElement, order: string[]) {
  const ranks = kids(e).map((k) => order.indexOf(k));
  expect(
    ranks.every((r) => r >= 0),
    `${e.name}: ${kids(e).join(",")}`,
  ).toBe(true);
  expect(ranks, `${e.name} ${e.attrs.OID ?? ""}`).toEqual([...ranks].sort((a, b) => a - b));
}

describe("ODM 1.3.2 export of the seed protocol", () => {
  it("is well-formed XML with ODM's root and study metadata", () => {
    expect(root.name).toBe("ODM");
    expect(root.attrs).toMatchObject({
      xmlns: ODM_NAMESPACE,
      ODMVersion: "1.3.2",
      FileType: "Snapshot",
      Granularity: "Metadata",
      CreationDateTime: "1970-01-01T00:00:00Z",
    });
    expect(kids(root)).toEqual(["Study"]);
    const study = childrenNamed(root, "Study")[0]!;
    expect(kids(study)).toEqual(["GlobalVariables", "BasicDefinitions", "MetaDataVersion"]);
    const gv = childrenNamed(study, "GlobalVariables")[0]!;
    expect(kids(gv)).toEqual(["StudyName", "StudyDescription", "ProtocolName"]);
    expect(textOf(childrenNamed(gv, "ProtocolName")[0]!)).toBe("NCT01842165");
    expect(textOf(childrenNamed(gv, "StudyDescription")[0]!)).toContain("The LuMEn Study");
  });

  it("keeps ODM's element order", () => {
    expectOrder(named("MetaDataVersion")[0]!, [
      "Include",
      "Protocol",
      "StudyEventDef",
      "FormDef",
      "ItemGroupDef",
      "ItemDef",
      "CodeList",
      "ImputationMethod",
      "Presentation",
      "ConditionDef",
      "MethodDef",
    ]);
    for (const e of named("ItemDef"))
      expectOrder(e, [
        "Description",
        "Question",
        "ExternalQuestion",
        "MeasurementUnitRef",
        "RangeCheck",
        "CodeListRef",
        "Role",
        "Alias",
      ]);
    for (const e of named("FormDef")) expectOrder(e, ["Description", "ItemGroupRef", "ArchiveLayout", "Alias"]);
    for (const e of named("ItemGroupDef")) expectOrder(e, ["Description", "ItemRef", "Alias"]);
    for (const e of named("RangeCheck"))
      expectOrder(e, ["CheckValue", "FormalExpression", "MeasurementUnitRef", "ErrorMessage"]);
    for (const e of named("CodeList"))
      expectOrder(e, ["Description", "CodeListItem", "EnumeratedItem", "ExternalCodeList", "Alias"]);
  });

  it("uses only ODM's enumerated attribute values", () => {
    const types = new Set(["text", "integer", "float", "date", "time", "datetime", "string", "boolean", "double"]);
    for (const e of named("ItemDef")) expect(types.has(e.attrs.DataType!), e.attrs.OID).toBe(true);
    for (const e of [...named("FormDef"), ...named("ItemGroupDef"), ...named("StudyEventDef")])
      expect(["Yes", "No"]).toContain(e.attrs.Repeating);
    for (const e of [...named("ItemRef"), ...named("ItemGroupRef"), ...named("FormRef"), ...named("StudyEventRef")])
      expect(["Yes", "No"]).toContain(e.attrs.Mandatory);
    for (const e of named("RangeCheck")) {
      expect(["LT", "LE", "GT", "GE", "EQ", "NE", "IN", "NOTIN"]).toContain(e.attrs.Comparator);
      expect(["Soft", "Hard"]).toContain(e.attrs.SoftHard);
    }
    for (const e of named("CodeList")) expect(["integer", "float", "text", "string"]).toContain(e.attrs.DataType);
  });

  it("every OID is unique, every reference resolves, every definition is used", () => {
    const defs = all.filter((e) => e.attrs.OID !== undefined && e.name !== "Study" && e.name !== "MetaDataVersion");
    const oids = defs.map((e) => e.attrs.OID!);
    expect(new Set(oids).size).toBe(oids.length);
    const refs: [string, string, string][] = [
      ["StudyEventRef", "StudyEventOID", "StudyEventDef"],
      ["FormRef", "FormOID", "FormDef"],
      ["ItemGroupRef", "ItemGroupOID", "ItemGroupDef"],
      ["ItemRef", "ItemOID", "ItemDef"],
      ["CodeListRef", "CodeListOID", "CodeList"],
      ["MeasurementUnitRef", "MeasurementUnitOID", "MeasurementUnit"],
    ];
    const used = new Set<string>();
    for (const [ref, attr, def] of refs)
      for (const r of named(ref)) {
        expect(byOid(def, r.attrs[attr]!), `${ref} ${attr}=${r.attrs[attr]}`).toBeDefined();
        used.add(r.attrs[attr]!);
      }
    for (const r of all.filter((e) => e.attrs.CollectionExceptionConditionOID)) {
      expect(byOid("ConditionDef", r.attrs.CollectionExceptionConditionOID!)).toBeDefined();
      used.add(r.attrs.CollectionExceptionConditionOID!);
    }
    expect(oids.filter((o) => !used.has(o))).toEqual([]);
  });

  it("has a form per form, an item per element and field, repeating groups for records", () => {
    expect(named("FormDef").map((f) => [f.attrs.OID, f.attrs.Name])).toEqual(
      ir.forms.map((f) => [`F.${f.name}`, f.label]),
    );
    for (const el of ir.elements.filter((e) => e.form)) {
      if (el.type === "records") {
        const g = byOid("ItemGroupDef", `IG.${el.form}.${el.name}`)!;
        expect(g.attrs.Repeating).toBe("Yes");
        expect(childrenNamed(g, "ItemRef").map((r) => r.attrs.ItemOID)).toEqual(
          el.fields!.map((f) => `IT.${el.name}.${f.name}`),
        );
      } else {
        const item = byOid("ItemDef", `IT.${el.name}`)!;
        expect(question(item)).toBe(el.label);
        expect(
          childrenNamed(byOid("ItemGroupDef", `IG.${el.form}`)!, "ItemRef").some(
            (r) => r.attrs.ItemOID === `IT.${el.name}`,
          ),
        ).toBe(true);
      }
    }
    expect(byOid("ItemDef", "IT.lesions.krenning_score")!.attrs.DataType).toBe("integer");
    expect(childrenNamed(byOid("FormDef", "F.assessment")!, "ItemGroupRef").map((r) => r.attrs.ItemGroupOID)).toEqual([
      "IG.assessment.tumour_assessments",
    ]);
  });

  it("carries units, exact range checks per unit, code lists and conditional collection", () => {
    const hb = byOid("ItemDef", "IT.hemoglobin")!;
    expect(hb.attrs.DataType).toBe("float");
    const units = childrenNamed(hb, "MeasurementUnitRef").map(
      (u) => byOid("MeasurementUnit", u.attrs.MeasurementUnitOID!)!.attrs.Name,
    );
    expect(units.slice(0, 2)).toEqual(["g/dL", "g/L"]);
    expect(units).toContain("mmol/L");
    const checks = childrenNamed(hb, "RangeCheck").map(
      (c) =>
        `${c.attrs.Comparator} ${textOf(childrenNamed(c, "CheckValue")[0]!)} ${byOid("MeasurementUnit", childrenNamed(c, "MeasurementUnitRef")[0]!.attrs.MeasurementUnitOID!)!.attrs.Name}`,
    );
    expect(checks.slice(0, 4)).toEqual(["GE 1 g/dL", "LE 25 g/dL", "GE 10 g/L", "LE 250 g/L"]);
    expect(checks.some((c) => c.endsWith("mmol/L"))).toBe(false); // not an exact short decimal: the evaluator checks it
    expect(byOid("ItemDef", "IT.hemoglobin.LLN")).toBeDefined();
    const sex = byOid("CodeList", "CL.sex")!;
    expect(
      childrenNamed(sex, "CodeListItem").map((i) => [
        i.attrs.CodedValue,
        textOf(childrenNamed(childrenNamed(i, "Decode")[0]!, "TranslatedText")[0]!),
      ]),
    ).toEqual([
      ["female", "Female"],
      ["male", "Male"],
    ]);
    for (const name of ["pregnancy_test_type", "pregnancy_test_result", "pregnancy_test_date"]) {
      const ref = named("ItemRef").find((r) => r.attrs.ItemOID === `IT.${name}`)!;
      expect(ref.attrs.Mandatory).toBe("Yes");
      const cond = byOid("ConditionDef", ref.attrs.CollectionExceptionConditionOID!)!;
      expect(textOf(childrenNamed(childrenNamed(cond, "Description")[0]!, "TranslatedText")[0]!)).toBe(
        "Not collected unless Woman of childbearing potential (childbearing_potential) is yes.",
      );
    }
  });

  it("offers the absolute unit of a normalised element, with no range check in it", () => {
    // `normalise gfr from decimal mL/min to 1.73 m2 by bsa`: the evaluator takes mL/min.
    const gfr = byOid("ItemDef", "IT.gfr")!;
    const unitName = (ref: XmlElement) => byOid("MeasurementUnit", ref.attrs.MeasurementUnitOID!)!.attrs.Name;
    const units = childrenNamed(gfr, "MeasurementUnitRef").map(unitName);
    expect(units[0]).toBe("mL/min/{1.73_m2}");
    expect(units).toContain("mL/min");
    const checked = childrenNamed(gfr, "RangeCheck").map((c) => unitName(childrenNamed(c, "MeasurementUnitRef")[0]!));
    expect(checked).toContain("mL/min/{1.73_m2}");
    expect(checked).not.toContain("mL/min"); // its range depends on the BSA: the evaluator checks it
    const description = textOf(childrenNamed(childrenNamed(gfr, "Description")[0]!, "TranslatedText")[0]!);
    expect(description).toContain(
      'An absolute value in mL/min is accepted: the evaluator normalises it to 1.73 m2 with the body-surface area "bsa" (value x 1.73 / BSA)',
    );
  });

  it("is deterministic, and takes its creation time from SOURCE_DATE_EPOCH", () => {
    expect(emitOdm(ir)).toBe(xml);
    expect(creationDateTime({ SOURCE_DATE_EPOCH: "1798761600" })).toBe("2027-01-01T00:00:00Z");
    expect(() => creationDateTime({ SOURCE_DATE_EPOCH: "yesterday" })).toThrow(/whole number of seconds/);
    expect(parseXml(emitOdm(ir, { createdAt: "2027-01-01T00:00:00Z" })).attrs.CreationDateTime).toBe(
      "2027-01-01T00:00:00Z",
    );
  });
});

describe("the XML checker used above rejects what is not well-formed", () => {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  for (const [what, body] of [
    ["an unescaped ampersand", "<a>x & y</a>"],
    ["an unescaped <", '<a b="<"/>'],
    ["an unknown entity", "<a>&nbsp;</a>"],
    ["crossed tags", "<a><b></a></b>"],
    ["an unclosed root", "<a>"],
    ["two roots", "<a/><b/>"],
    ["a repeated attribute", '<a x="1" x="2"/>'],
    ["]]> in text", "<a>]]></a>"],
    ["a control character", "<a>\u0001</a>"],
    ["a reference to a control character", "<a>&#1;</a>"],
    ["CDATA", "<a><![CDATA[x]]></a>"],
    ["text after the root", "<a/>x"],
  ] as const)
    it(what, () => expect(() => parseXml(head + body)).toThrow());
  it("and decodes attribute values as a parser would (literal line breaks become spaces)", () => {
    expect(parseXml(`${head}<a t="x\ny&#10;z &quot;&lt;&amp;"/>`).attrs.t).toBe('x y\nz "<&');
  });
});
