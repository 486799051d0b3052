/**
 * Binding elements to OMOP concepts: by element path or by the standard codes the
 * protocol binds (issue 10's IR contract), each concept once.
 */
import { describe, expect, it } from "vitest";
import { bind } from "../../src/emit/sql/binding.js";
import { readFileSync } from "node:fs";
import { parseConceptMap } from "../../src/emit/sql/index.js";
import { MAP, seedProtocol } from "./support.js";

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

  it("a verified column says where every id comes from, and the seed map fills it", () => {
    const head = "element,system,code,concept_id,domain_id,verified\n";
    const parse = (row: string) => () => parseConceptMap("m.csv", head + row + "\n");
    expect(parse("hemoglobin,LOINC,718-7,3000963,Measurement,Eunomia")).not.toThrow();
    expect(parse("hemoglobin,LOINC,718-7,3000963,Measurement,unverified")).not.toThrow();
    expect(parse("hemoglobin,LOINC,718-7,3000963,Measurement,")).toThrow(/m.csv:2: the verified column is empty/);
    expect(parse("hemoglobin,,,2000000041,Measurement,Eunomia")).toThrow(/site-local id/);
    expect(parse("hemoglobin,LOINC,718-7,3000963,Measurement,local")).toThrow(/standard id/);
    const seed = parseConceptMap(MAP, readFileSync(MAP, "utf8"));
    expect(seed.rows.every((r) => r.verified)).toBe(true);
    expect(seed.rows.filter((r) => r.verified === "unverified").map((r) => r.conceptId)).toEqual([4083587]);
  });
});
