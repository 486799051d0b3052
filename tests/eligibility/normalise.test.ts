/**
 * Declared normalisation of an absolute value (issue 10): a GFR given in mL/min is read
 * as `value × 1.73 m2 / BSA` when, and only when, the protocol declares it, with the BSA
 * from a data element or from height and weight by a named formula. Every case runs
 * through the interpreter and the compiled explained module (which must agree,
 * explanations included) and the decision-only module (which must give the same verdict:
 * a value to normalise takes its exact path).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { fhirSpecOf } from "../../src/lower/fhir.js";
import { patientFromFhirWith } from "../../src/runtime/fhir.js";
import type { CriterionResult } from "../../src/runtime/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { compileSnippet, expectClean } from "../helpers.js";
import {
  importDecide,
  importEligibility,
  writeGenerated,
  type DecideModule,
  type EligibilityModule,
} from "../generated.js";

const DATA = `gfr: decimal mL/min/{1.73_m2} range 0 to 250 select latest between D0 - 4 wk and D0 - 1 d "GFR, normalised to 1.73 m2" form f
  bsa: decimal m2 range 0.2 to 4 select latest between D0 - 8 wk and D0 "Body-surface area" form f
  height: decimal cm range 40 to 250 "Height" form f
  weight: decimal kg range 2 to 300 "Weight" form f`;
const SOURCES = `source domain "Domain notes: normalised = absolute x 1.73 / BSA" reference
source mosteller1987 "Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098" literature`;
const RULE = `inclusion I6 "GFR >= 50 mL/min/1.73 m2" { rule gfr >= 50 mL/min/{1.73_m2} }`;
const BY_ELEMENT = `normalise gfr from decimal mL/min to 1.73 m2 by bsa {
  source domain
  interpretation "An absolute clearance is normalised to 1.73 m2 with the patient's BSA." ref "domain §7.10"
}`;
const BY_FORMULA = `normalise gfr from decimal mL/min to 1.73 m2 by mosteller(height, weight) { source mosteller1987 }`;

interface Compiled {
  ir: IrProtocol;
  explained: EligibilityModule;
  decide: DecideModule;
}
async function build(normalise: string, name: string, uses = "bsa"): Promise<Compiled> {
  // The unused elements of the other variant are read by a capture-only rule, so there is no warning to test around.
  const r = compileSnippet(DATA, `${SOURCES}\n${normalise}\n${RULE}\ndefine uses "x" { rule ${uses} > 0 m2 }`);
  expectClean(r);
  const dir = writeGenerated(r.ir!, name);
  return { ir: r.ir!, explained: await importEligibility(dir), decide: await importDecide(dir) };
}

let byElement: Compiled;
let byFormula: Compiled;
let plain: Compiled;
beforeAll(async () => {
  byElement = await build(BY_ELEMENT, "normalise-element");
  byFormula = await build(BY_FORMULA, "normalise-formula");
  plain = await build("", "normalise-none");
});

const ANCHORS = { inclusion: "2027-01-04", D0: "2027-01-18" };
const gfr = (value: number | string, unit = "mL/min", at = "2027-01-10") => ({ value, unit, at });
const bsa = (value: number | string, at = "2027-01-08") => ({ value, unit: "m2", at });

/** I6 by the interpreter, the explained module and the decision-only module, which must agree. */
function i6(c: Compiled, patient: Record<string, unknown>): CriterionResult {
  const p = { anchors: ANCHORS, ...patient };
  const r = evaluateEligibility(c.ir, p);
  expect(c.explained.evaluateEligibility(p)).toEqual(JSON.parse(JSON.stringify(r)));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  expect(c.decide.isEligible(p)).toBe(r.result.verdict);
  return r.result.inclusion[0]!;
}

describe("normalise gfr from decimal mL/min to 1.73 m2 by bsa", () => {
  it("reads an absolute GFR as value x 1.73 / BSA, explaining the absolute value, the BSA with its date and the result", () => {
    const c = i6(byElement, { gfr: gfr(60), bsa: bsa("1.9") });
    expect(c.verdict).toBe("met");
    expect(c.steps[0]!.detail).toBe(
      "54.63157894736842105263157894736842105263 mL/min/{1.73_m2} on 2027-01-10 (60 mL/min × 1.73 m2 / BSA 1.9 m2 on 2027-01-08) >= 50 mL/min/{1.73_m2}",
    );
  });

  it("is exact at the boundary: 60 mL/min with a BSA of 2.076 m2 is 50 exactly (binary floats give 49.999…)", () => {
    expect((1.73 / 2.076) * 60).toBeLessThan(50);
    expect(i6(byElement, { gfr: gfr(60), bsa: bsa("2.076") }).verdict).toBe("met");
    expect(i6(byElement, { gfr: gfr("59.999"), bsa: bsa("2.076") }).verdict).toBe("not_met");
  });

  it("without the BSA the value is unknown and names the BSA to collect", () => {
    const c = i6(byElement, { gfr: gfr(60) });
    expect(c.verdict).toBe("unknown");
    expect(c.missing).toEqual(["bsa"]);
    // A BSA outside its own selection window is not read either.
    expect(i6(byElement, { gfr: gfr(60), bsa: bsa("1.9", "2026-10-01") }).missing).toEqual([
      "a new bsa (from 2026-11-23 to 2027-01-18)",
    ]);
  });

  it("a normalised value needs no BSA, and an older absolute one is not read", () => {
    expect(i6(byElement, { gfr: gfr(55, "mL/min/{1.73_m2}") }).verdict).toBe("met");
    const c = i6(byElement, { gfr: { results: [gfr(40, "mL/min", "2027-01-02"), gfr(55, "mL/min/{1.73_m2}")] } });
    expect(c.verdict).toBe("met");
  });

  it("results at one time agree when they are equal once normalised, in any order", () => {
    const a = gfr(60);
    const b = gfr("54.63157894736842105263157894736842105263", "mL/min/{1.73_m2}");
    const one = i6(byElement, { gfr: { results: [a, b] }, bsa: bsa("1.9") });
    const other = i6(byElement, { gfr: { results: [b, a] }, bsa: bsa("1.9") });
    expect(one.verdict).toBe("met");
    expect(other).toEqual(one);
    expect(i6(byElement, { gfr: { results: [a, gfr(54, "mL/min/{1.73_m2}")] }, bsa: bsa("1.9") }).verdict).toBe(
      "unknown",
    );
  });

  it("a normalised value outside the plausible range is unknown, saying why, never decided on", () => {
    const c = i6(byElement, { gfr: gfr(60), bsa: bsa("0.2") });
    expect(c.verdict).toBe("unknown");
    expect(c.missing).toEqual([
      "a plausible gfr (60 mL/min on 2027-01-10 × 1.73 m2 / BSA 0.2 m2 on 2027-01-08 is 519 mL/min/{1.73_m2}, outside 0 to 250)",
    ]);
  });

  it("a value per the patient's own BSA (mL/min/{BSA}) is still another kind, refused with its JSON path", () => {
    const r = evaluateEligibility(byElement.ir, { anchors: ANCHORS, gfr: gfr(60, "mL/min/{BSA}") });
    expect(r.ok ? [] : r.errors).toEqual([
      { path: "$.gfr.unit", message: '"mL/min/{BSA}" cannot express gfr, which is measured in mL/min/{1.73_m2}' },
    ]);
  });

  it("without the declaration an absolute GFR stays another kind, refused", () => {
    const r = evaluateEligibility(plain.ir, { anchors: ANCHORS, gfr: gfr(60), bsa: bsa("1.9") });
    expect(r.ok ? [] : r.errors).toEqual([
      { path: "$.gfr.unit", message: '"mL/min" cannot express gfr, which is measured in mL/min/{1.73_m2}' },
    ]);
  });
});

describe("FHIR input", () => {
  it("an absolute GFR in a bundle is read as given and normalised as the same JSON is", () => {
    const UCUM = "http://unitsofmeasure.org";
    const result = (linkId: string, value: number, unit: string, at: string) => ({
      linkId,
      item: [
        { linkId: "value", answer: [{ valueQuantity: { value, unit, system: UCUM, code: unit } }] },
        { linkId: "at", answer: [{ valueDate: at }] },
      ],
    });
    const bundle = {
      resourceType: "Bundle",
      type: "collection",
      entry: [
        {
          resource: {
            resourceType: "QuestionnaireResponse",
            status: "completed",
            item: [result("gfr", 60, "mL/min", "2027-01-10"), result("bsa", 1.9, "m2", "2027-01-08")],
          },
        },
      ],
    };
    const r = patientFromFhirWith(fhirSpecOf(byElement.ir), bundle);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.patient.gfr).toEqual({ results: [{ value: 60, unit: "mL/min", at: "2027-01-10" }] });
    expect(i6(byElement, r.patient)).toEqual(i6(byElement, { gfr: gfr(60), bsa: bsa(1.9) }));
  });
});

describe("normalise … by mosteller(height, weight)", () => {
  it("computes the BSA from height and weight, and shows both with their dates", () => {
    // sqrt(180 cm x 80 kg / 3600) = 2 m2 exactly: 100 mL/min is 86.5 mL/min/{1.73_m2}.
    const c = i6(byFormula, {
      gfr: gfr(100),
      height: { value: "1.8", unit: "m", at: "2026-12-01" },
      weight: { value: 80, unit: "kg", at: "2027-01-05" },
    });
    expect(c.verdict).toBe("met");
    expect(c.steps[0]!.detail).toBe(
      "86.5 mL/min/{1.73_m2} on 2027-01-10 (100 mL/min × 1.73 m2 / BSA 2 m2 (Mosteller 1987: height 1.8 m on 2026-12-01, weight 80 kg on 2027-01-05)) >= 50 mL/min/{1.73_m2}",
    );
  });

  it("without the weight the value is unknown and names it", () => {
    const c = i6(byFormula, { gfr: gfr(100), height: { value: 180, unit: "cm" } });
    expect(c.missing).toEqual(["weight"]);
  });
});

describe("the decision-only module takes the exact path for a value to normalise (property)", () => {
  it("isEligible equals evaluateEligibility on records with absolute and normalised results", () => {
    const result = fc.record({
      value: fc.integer({ min: 0, max: 2000 }).map((n) => n / 10),
      unit: fc.constantFrom("mL/min", "mL/min/{1.73_m2}", "L/h"),
      at: fc.constantFrom("2027-01-02", "2027-01-10", "2027-01-17", "2027-01-18"),
    });
    fc.assert(
      fc.property(
        fc.array(result, { minLength: 1, maxLength: 3 }),
        fc.option(
          fc.record({
            value: fc.constantFrom(1.5, 1.73, 1.9, 2.076, 2.5),
            at: fc.constantFrom("2026-11-01", "2027-01-08"),
          }),
          { nil: undefined },
        ),
        (results, b) => {
          const p = { anchors: ANCHORS, gfr: { results }, ...(b ? { bsa: { ...b, unit: "m2" } } : {}) };
          const exact = evaluateEligibility(byElement.ir, p);
          if (exact.ok) expect(byElement.decide.isEligible(p)).toBe(exact.result.verdict);
          else expect(() => byElement.decide.isEligible(p)).toThrow();
        },
      ),
      { numRuns: 150 },
    );
  });
});
