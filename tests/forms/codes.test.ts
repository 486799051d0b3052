/**
 * Standard codes reach every target: the JSON Schema annotation keyword, ODM `Alias`,
 * the REDCap field annotation, the document's data dictionary and the generated types.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { CODES_KEYWORD, jsonSchemaFiles, PATIENT_FILE } from "../../src/emit/forms/jsonschema.js";
import { emitOdm } from "../../src/emit/forms/odm.js";
import { DICTIONARY_FILE, redcapFiles } from "../../src/emit/forms/redcap.js";
import { renderDocument } from "../../src/emit/document/render.js";
import { emitPatientModule } from "../../src/emit/typescript/modules.js";
import { allElements, childrenNamed, parseCsv, parseXml } from "./support.js";

let ir: IrProtocol;
beforeAll(() => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
});

describe("standard codes in the targets", () => {
  it("JSON Schema: an annotation on the element and on each coded value", () => {
    const patient = JSON.parse(jsonSchemaFiles(ir).get(PATIENT_FILE)!) as Record<string, unknown>;
    // Wherever the patient schema puts its properties, hemoglobin carries LOINC 718-7.
    const found: unknown[] = [];
    const walk = (x: unknown, key: string): void => {
      if (!x || typeof x !== "object") return;
      for (const [k, v] of Object.entries(x)) {
        if (k === CODES_KEYWORD) found.push([key, v]);
        walk(v, k);
      }
    };
    walk(patient, "");
    for (const file of jsonSchemaFiles(ir).values()) walk(JSON.parse(file), "");
    expect(found).toContainEqual(["hemoglobin", [{ system: "LOINC", code: "718-7" }]]);
    expect(found).toContainEqual(["0", [{ system: "SNOMED", code: "248152002" }]]); // sex: female, first value
  });

  it("ODM: Alias Context=system on the ItemDef and on the CodeListItem", () => {
    const odm = parseXml(emitOdm(ir));
    const all = allElements(odm);
    const item = all.find((e) => e.name === "ItemDef" && e.attrs.Name === "hemoglobin")!;
    expect(childrenNamed(item, "Alias").map((a) => a.attrs)).toEqual([{ Context: "LOINC", Name: "718-7" }]);
    // Alias is the last child of an ItemDef in ODM 1.3's content model.
    const kids = item.children.filter((c) => typeof c !== "string");
    expect(kids[kids.length - 1]).toMatchObject({ name: "Alias" });
    const male = all.find((e) => e.name === "CodeListItem" && e.attrs.CodedValue === "male")!;
    expect(childrenNamed(male, "Alias").map((a) => a.attrs)).toEqual([{ Context: "SNOMED", Name: "248153007" }]);
    const uln = all.find((e) => e.name === "ItemDef" && e.attrs.Name === "total_bilirubin.uln")!;
    expect(childrenNamed(uln, "Alias")).toEqual([]); // a reference limit is not a result of the test
  });

  it("REDCap: the field annotation names the codes of the field and of its choices", () => {
    const [header, ...rows] = parseCsv(redcapFiles(ir).get(DICTIONARY_FILE)!);
    const col = header!.indexOf("Field Annotation");
    const ann = (name: string) => rows.find((r) => r[0] === name)![col];
    expect(ann("platelets")).toBe("trialc platelets; UCUM 10*3/uL; LOINC 777-3");
    expect(ann("platelets_lln")).toBe("trialc platelets.lln; UCUM 10*3/uL");
    expect(ann("sex")).toBe("trialc sex; LOINC 46098-0; female = SNOMED 248152002; male = SNOMED 248153007");
    expect(ann("prior_therapies_therapy")).toContain("ssa = ATC H01CB");
  });

  it("the document's data dictionary and the generated patient type", () => {
    const md = renderDocument(ir, "md", "trialc test");
    expect(md).toMatch(/\| Hemoglobin \(hemoglobin\) \|[^\n]*standard codes: LOINC 718-7/);
    expect(md).toMatch(/Male \(male; SNOMED 248153007\)/);
    expect(emitPatientModule(ir)).toContain("standard codes: LOINC 718-7");
  });
});
