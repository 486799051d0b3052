/**
 * The FHIR import's rules, one by one, on small bundles: codes drive the mapping, unused
 * resources and missing elements are listed, conflicting values are ambiguous and left
 * out (never picked), statuses keep resources out, and bad shapes name their JSON path.
 */
import { describe, expect, it } from "vitest";
import { fhirSpecOf } from "../../src/lower/fhir.js";
import { patientFromFhirWith } from "../../src/runtime/fhir.js";
import { compileSnippet, expectClean } from "../helpers.js";

const DATA = `hb: decimal g/dL range 1 to 25 with LLN molar mass 16114.5 g/mol "Hemoglobin" form f code LOINC "718-7"
  ecog: integer range 0 to 5 "ECOG" form f code LOINC "89247-1"
  born: date "Birth date" form f code LOINC "21112-8"
  sex: code(female "Female" code SNOMED "248152002", male "Male" code SNOMED "248153007") "Sex" form f code LOINC "46098-0"
  pregnant: boolean "Pregnant" form f code SNOMED "77386006"
  consent: attestation by investigator "Consent" form f
  note: text "Free text" form f capture only
  tx: records "Therapies" form f {
    kind: code(ssa "SSA" code ATC "H01CB", other "Other") "Kind"
    last: date "Last dose"
  }`;
const RULE = `inclusion I1 "x" { rule hb >= 9 g/dL and ecog <= 2 and age(born, inclusion) >= 18 a and sex = male and not pregnant and consent and none tx where kind = ssa }`;

function spec() {
  const r = compileSnippet(DATA, RULE);
  expectClean(r);
  return fhirSpecOf(r.ir!);
}
const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";
const obs = (id: string, code: string, extra: object) => ({
  resource: { resourceType: "Observation", id, status: "final", code: { coding: [{ system: LOINC, code }] }, ...extra },
});
const bundle = (...entry: object[]) => ({ resourceType: "Bundle", type: "collection", entry });
const hb = (id: string, value: number, at: string, unit = "g/dL") =>
  obs(id, "718-7", {
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: "http://unitsofmeasure.org", code: unit },
    referenceRange: [{ low: { value: 13, unit: "g/dL", system: "http://unitsofmeasure.org", code: "g/dL" } }],
    method: { text: "Automated count" },
  });

describe("FHIR import", () => {
  it("reads Patient, Observations with time, unit, limits and method, Conditions, medications and answers", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(
        { resource: { resourceType: "Patient", id: "p", birthDate: "1960-02-03", gender: "male" } },
        hb("a", 7.5, "2027-01-02", "mmol/L"),
        obs("e", "89247-1", { valueInteger: 1 }),
        {
          resource: {
            resourceType: "Condition",
            code: { coding: [{ system: SNOMED, code: "77386006" }] },
            verificationStatus: { coding: [{ code: "refuted" }] },
          },
        },
        {
          resource: {
            resourceType: "MedicationStatement",
            status: "completed",
            medicationCodeableConcept: { coding: [{ system: "http://www.whocc.no/atc", code: "H01CB02" }] },
            effectivePeriod: { start: "2026-01-01", end: "2026-12-14T10:00:00+01:00" },
          },
        },
        {
          resource: {
            resourceType: "QuestionnaireResponse",
            status: "completed",
            item: [{ linkId: "consent", answer: [{ valueBoolean: true }] }],
          },
        },
        { resource: { resourceType: "ResearchSubject", period: { start: "2027-01-04" } } },
      ),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.patient).toEqual({
      born: "1960-02-03",
      sex: "male",
      hb: {
        results: [
          {
            value: 7.5,
            unit: "mmol/L",
            at: "2027-01-02",
            lln: { value: 13, unit: "g/dL" },
            method: "Automated count",
          },
        ],
      },
      ecog: 1,
      pregnant: false,
      consent: true,
      // An ATC class matches the drugs under it; the row's date is the end of the period, as written.
      tx: [{ kind: "ssa", last: "2026-12-14" }],
      anchors: { inclusion: "2027-01-04" },
    });
    expect(r.unused).toEqual([]);
    expect(r.missing).toEqual(["note"]);
  });

  it("lists resources no element uses, and those whose status keeps them out", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(obs("hr", "8867-4", { valueQuantity: { value: 70, unit: "/min" } }), {
        resource: { ...hb("x", 12, "2027-01-01").resource, status: "entered-in-error" },
      }),
    );
    if (!r.ok) throw new Error();
    expect(r.unused).toEqual([
      {
        path: "$.entry[0].resource",
        resource: "Observation/hr (LOINC 8867-4)",
        reason: "no data element has its code",
      },
      {
        path: "$.entry[1].resource",
        resource: "Observation/x (LOINC 718-7)",
        reason: 'status "entered-in-error": not read',
      },
    ]);
    expect(r.missing).toContain("hb");
  });

  it("keeps two different results at one time, for the selection to refuse, never picking one", () => {
    const r = patientFromFhirWith(spec(), bundle(hb("a", 12, "2027-01-02"), hb("b", 8, "2027-01-02")));
    if (!r.ok) throw new Error();
    expect(r.ambiguous).toEqual([]);
    const results = (r.patient.hb as { results: { value: number; at: string }[] }).results;
    expect(results.map((x) => [x.value, x.at])).toEqual([
      [12, "2027-01-02"],
      [8, "2027-01-02"],
    ]);
    // Results at different times are a series, not a conflict; an identical duplicate collapses.
    const s = patientFromFhirWith(
      spec(),
      bundle(hb("a", 12, "2027-01-02"), hb("b", 8, "2026-12-01"), hb("c", 12, "2027-01-02")),
    );
    if (!s.ok) throw new Error();
    expect((s.patient.hb as { results: { at: string }[] }).results.map((x) => x.at)).toEqual([
      "2026-12-01",
      "2027-01-02",
    ]);
    expect(s.ambiguous).toEqual([]);
  });

  it("reports two different values of a single-valued element as ambiguous", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(obs("e1", "89247-1", { valueInteger: 1 }), obs("e2", "89247-1", { valueInteger: 3 })),
    );
    if (!r.ok) throw new Error();
    expect(r.patient.ecog).toBeUndefined();
    expect(r.ambiguous[0]!.message).toContain('2 resources give "ecog" different values (1, 3)');
  });

  it("does not read a resolved condition as no, nor a partial birth date", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(
        { resource: { resourceType: "Patient", birthDate: "1960" } },
        {
          resource: {
            resourceType: "Condition",
            code: { coding: [{ system: SNOMED, code: "77386006" }] },
            clinicalStatus: { coding: [{ code: "resolved" }] },
          },
        },
      ),
    );
    if (!r.ok) throw new Error();
    expect(r.patient.pregnant).toBeUndefined();
    expect(r.patient.born).toBeUndefined();
    expect(r.warnings.map((w) => w.path)).toEqual(["$.entry[0].resource.birthDate", "$.entry[1].resource"]);
  });

  it("never reads a quantity its element's unit cannot express, nor a bound as a value: an error at its path", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(hb("a", 70, "2027-01-02", "/min"), {
        resource: {
          ...hb("b", 12, "2027-01-03").resource,
          valueQuantity: { value: 5, comparator: "<", system: "http://unitsofmeasure.org", code: "g/dL" },
        },
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          path: "$.entry[0].resource.valueQuantity.code",
          message: '"/min" cannot express hb, which is measured in g/dL',
        },
        {
          path: "$.entry[1].resource.valueQuantity.comparator",
          message: '"< 5" is a bound, not a value of hb: not read as one',
        },
      ],
    });
    // A reference limit is checked the same way, at its own path.
    const lim = patientFromFhirWith(
      spec(),
      bundle({
        resource: {
          ...hb("c", 12, "2027-01-02").resource,
          referenceRange: [{ low: { value: 13, unit: "gram per decilitre" } }],
        },
      }),
    );
    expect(lim.ok).toBe(false);
    if (lim.ok) return;
    expect(lim.errors.map((e) => e.path)).toEqual(["$.entry[0].resource.referenceRange[0].low.unit"]);
  });

  it("checks codes of FHIR R4's required bindings (statuses, gender): another code is an error at its path", () => {
    const r = patientFromFhirWith(
      spec(),
      bundle(
        { resource: { resourceType: "Patient", gender: "M" } },
        { resource: { ...hb("x", 12, "2027-01-01").resource, status: "done" } },
        { resource: { resourceType: "Consent", status: "active" } },
        obs("y", "718-7", { valueQuantity: { value: 12, comparator: "~", unit: "g/dL" } }),
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      "$.entry[0].resource.gender",
      "$.entry[1].resource.status",
      "$.entry[2].resource.category",
      "$.entry[3].resource.valueQuantity.comparator",
    ]);
    expect(r.errors[0]!.message).toMatch(/"male"/);
  });

  it("rejects a malformed bundle with every problem's JSON path", () => {
    expect(patientFromFhirWith(spec(), { resourceType: "Patient" })).toEqual({
      ok: false,
      errors: [{ path: "$.resourceType", message: 'expected "Bundle"' }],
    });
    const r = patientFromFhirWith(
      spec(),
      bundle({ resource: { resourceType: "Observation", code: {}, valueQuantity: { value: "1" } } }, { nope: 1 }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      "$.entry[0].resource.status",
      "$.entry[0].resource.valueQuantity.value",
      "$.entry[1].resource",
    ]);
  });
});
