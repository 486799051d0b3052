/**
 * Objectives and endpoints: the section checks its names and its data, endpoints count as
 * readers of the data dictionary, an endpoint whose data no form collects is reported,
 * and title-block values from outside the protocol keep their source.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { jsonSchemaFiles } from "../../src/emit/forms/jsonschema.js";
import { emitOdm } from "../../src/emit/forms/odm.js";
import { redcapFiles } from "../../src/emit/forms/redcap.js";
import { codes, compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const DATA = `  suv: decimal range 0 to 100 "SUV" capture only
  x: decimal mg/dL range 0 to 10 "X" form f
  lesions: records "Lesions" form f {
    size: decimal mm range 0 to 500 "Size"
  }`;
const RULE = `inclusion I1 "X" { rule x > 1 mg/dL }`;

describe("objectives", () => {
  it("lowers objectives and endpoints into the IR, and endpoints read their data", () => {
    const r = compileSnippet(
      DATA,
      `${RULE}
objectives {
  primary P1 "Predict the lesion outcome" per lesion {
    endpoint size "Lesion size" uses lesions.size
  }
  secondary S1 "A model" per patient { endpoint xx "X" uses x }
  exploratory X1 "Something else" { endpoint none_yet "Nothing" uses x }
}`,
    );
    expectClean(r, true);
    expect(r.ir!.objectives!.objectives.map((o) => [o.id, o.level, o.basis])).toEqual([
      ["P1", "primary", "lesion"],
      ["S1", "secondary", "patient"],
      ["X1", "exploratory", null],
    ]);
    expect(r.ir!.objectives!.objectives[0]!.endpoints[0]!.uses).toEqual(["lesions.size"]);
    const lesions = r.ir!.elements.find((e) => e.name === "lesions")!;
    expect(lesions.readBy).toEqual(["endpoint.size"]);
    expect(lesions.fields![0]!.readBy).toEqual(["endpoint.size"]);
    expect(r.ir!.elements.find((e) => e.name === "x")!.readBy).toEqual(["I1", "endpoint.none_yet", "endpoint.xx"]);
  });

  it("warns when an endpoint's data is collected by no form (TRC6003)", () => {
    const r = compileSnippet(DATA, `${RULE}\nobjectives { primary P1 "p" { endpoint uptake "Uptake" uses suv } }`);
    expectDiagnostic(r, "TRC6003", 'endpoint "uptake" needs "suv", which no form collects');
  });

  it("reports unknown elements and fields, and names given twice", () => {
    const r = compileSnippet(
      DATA,
      `${RULE}\nobjectives { primary P1 "p" { endpoint a "A" uses nothing, x.y, lesions.sise } primary P1 "q" { } }`,
    );
    expectDiagnostic(r, "TRC2001", 'unknown data element "nothing"');
    expectDiagnostic(r, "TRC2001", '"x" is not a list of records: it has no field "y"');
    const d = expectDiagnostic(r, "TRC2001", "sise");
    expect(d.hint).toContain("size");
    expectDiagnostic(r, "TRC2002", 'objective "P1" is declared twice');
  });

  it("a second objectives section is an error", () => {
    const r = compileSnippet(DATA, `${RULE}\nobjectives { }\nobjectives { }`);
    expect(codes(r)).toContain("TRC5002");
  });
});

describe("title-block values from outside the protocol", () => {
  it("keep their source, which must be declared", () => {
    const ok = compileText(
      `trial "T" { title "T" acronym "LuMEn" from seed registry "EudraCT" "2012-1" from seed }\nsource seed "s" protocol\nanchor inclusion "I"\nform f "F"\ndata { x: decimal range 0 to 1 "X" form f }\ninclusion I1 "x" { rule x > 0.5 }\n`,
      "t.trial",
    );
    expect(ok.ir!.trial.meta).toEqual([
      { key: "title", values: ["T"] },
      { key: "acronym", values: ["LuMEn"], source: "seed" },
      { key: "registry", values: ["EudraCT", "2012-1"], source: "seed" },
    ]);
    const bad = compileText(`trial "T" { acronym "A" from nowhere }\n`, "t.trial");
    expectDiagnostic(bad, "TRC2005", 'unknown source "nowhere"');
  });

  it("the seed flags its official title, acronym and EudraCT number", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "protocols", "lu177-octreotate.trial"), "utf8");
    const ir = compileText(text, "seed.trial").ir!;
    const flagged = ir.trial.meta.filter((m) => m.source).map((m) => [m.key, m.source]);
    expect(flagged).toEqual([
      ["official title", "domain"],
      ["acronym", "domain"],
      ["registry", "domain"],
    ]);
    const names = ir.elements.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["lesion_imaging", "lesion_dosimetry"]));
    expect(ir.objectives!.objectives.map((o) => o.id)).toEqual(["P1", "S1", "X1"]);
    // The endpoints' data reach every case report form format.
    const schemas = [...jsonSchemaFiles(ir).values()].join("\n");
    const odm = emitOdm(ir);
    const redcap = [...redcapFiles(ir).values()].join("\n");
    for (const field of ["ga68_suv", "fdg_suv", "adc", "absorbed_dose"]) {
      expect(schemas).toContain(`"${field}"`);
      expect(odm).toContain(`.${field}"`);
      expect(redcap).toContain(`_${field},`);
    }
  });
});
