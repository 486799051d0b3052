/**
 * Binding elements to OMOP concepts: by element path or by the standard codes the
 * protocol binds (issue 10's IR contract), each concept once.
 */
import { describe, expect, it } from "vitest";
import { bind } from "../../src/emit/sql/binding.js";
import { parseConceptMap } from "../../src/emit/sql/index.js";
import { seedProtocol } from "./support.js";

describe("binding", () => {
  it("binds by the standard codes on elements and code values, once per concept", () => {
    const { ir } = seedProtocol();
    const withCodes = structuredClone(ir);
    const hb = withCodes.elements.find((e) => e.name === "hemoglobin")!;
    (hb as unknown as { codes: unknown[] }).codes = [{ system: "LOINC", code: "718-7" }];
    const sex = withCodes.elements.find((e) => e.name === "sex")!;
    (sex as unknown as { values: unknown[] }).values = [
      { code: "female", label: "Female", codes: [{ system: "SNOMED", code: "248152002" }] },
      { code: "male", label: "Male", codes: [] },
    ];
    const map = parseConceptMap(
      "m.csv",
      "element,system,code,concept_id,domain_id\nhemoglobin,LOINC,718-7,3000963,Measurement\n,SNOMED,248152002,8532,Gender\n",
    );
    const b = bind(withCodes, map);
    expect(b.events.filter((e) => e.element === "hemoglobin")).toEqual([
      { conceptId: 3000963, table: "measurement", element: "hemoglobin", value: null, method: null },
    ]);
    expect(b.sources.get("sex")).toEqual({ how: "gender", values: [{ conceptId: 8532, value: "female" }] });
    expect(b.sources.get("informed_consent")).toMatchObject({ how: "none" });
  });
});
