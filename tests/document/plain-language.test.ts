/**
 * Rules in plain language, as the checklist prints them: element labels instead of
 * names, the author's units, "× ULN", windows in words, quantifiers as "at least one …".
 */
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { plainContext, plainRule } from "../../src/emit/document/plain-language.js";
import { durationText, quantityText, relativeTimeText, unitText } from "../../src/emit/document/format.js";
import type { IrCriterion, IrProtocol } from "../../src/ir/types.js";
import { compileSnippet, expectClean } from "../helpers.js";

const seed = compileFile("protocols/lu177-octreotate.trial").ir!;

/** The plain rule of a (possibly nested) criterion of a protocol, by id. */
function ruleOf(ir: IrProtocol, id: string): string {
  const find = (cs: readonly IrCriterion[]): IrCriterion | undefined => {
    for (const c of cs) {
      if (c.id === id) return c;
      const inner = c.body.kind === "group" ? find(c.body.children) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const c = find([...ir.eligibility.inclusion, ...ir.eligibility.exclusion]);
  if (!c || c.body.kind !== "rule") throw new Error(`no rule ${id}`);
  return plainRule(c.body.expr, plainContext(ir));
}

describe("plain language of the seed's criteria", () => {
  it("compares with the threshold as written, in the element's label", () => {
    expect(ruleOf(seed, "I7a")).toBe("Hemoglobin >= 9 g/dL");
    expect(ruleOf(seed, "I7c")).toBe("Platelet count >= 100 × 10³/µL");
    expect(ruleOf(seed, "I8c")).toBe("Serum albumin > 3 g/dL");
    expect(ruleOf(seed, "I8d")).toBe("Prothrombin time, as Quick activity > 70%");
    expect(ruleOf(seed, "I9")).toBe("ECOG performance status <= 1");
  });

  it("writes multiples of a reference limit as '× ULN'", () => {
    expect(ruleOf(seed, "I8a")).toBe("Total bilirubin <= 2 × ULN");
    expect(ruleOf(seed, "I8b")).toBe(
      "Aspartate aminotransferase (AST) <= 5 × ULN and alanine aminotransferase (ALT) <= 5 × ULN",
    );
  });

  it("reads ages, codes and attestations", () => {
    expect(ruleOf(seed, "I1")).toBe("Age at inclusion (from date of birth) >= 18 years");
    expect(ruleOf(seed, "I6")).toBe("Glomerular filtration rate, normalised to 1.73 m2 >= 50 mL/min/1.73 m²");
    expect(ruleOf(seed, "E1")).toBe("Tumour resectable with curative intent (attested by the investigator)");
    expect(ruleOf(seed, "I2")).toMatch(
      /primary tumour site is one of \(Pancreas, Stomach, Duodenum, Jejunum or ileum, Appendix, Colon, Rectum\)$/,
    );
  });

  it("reads quantifiers over records as 'at least one … with …', bracketed inside 'and'", () => {
    expect(ruleOf(seed, "I13")).toBe(
      "At least one lesion with uptake on 68Ga-octreotate PET/CT, Rotterdam (Krenning) visual score >= 3 and longest transaxial plane diameter, measured on the CT of the PET/CT >= 20 mm and morphologically measurable according to RECIST 1.1 and progressive on the MRI (or CT if MRI is not applicable) and not previously irradiated",
    );
    expect(ruleOf(seed, "E2")).toBe(
      "At least one surgery with major surgery and date of surgery within 6 weeks before inclusion",
    );
  });

  it("reads windows and conditionals in words, bracketing each conditional of a conjunction", () => {
    expect(ruleOf(seed, "I5")).toBe(
      "(if was on a long-acting somatostatin analogue, then date of the last long-acting SSA injection at least 4 weeks before D0) and (if switched to a short-acting somatostatin analogue, then date and time of the last short-acting SSA dose at least 48 hours before D0)",
    );
    const def = seed.definitions.find((d) => d.name === "baseline_done")!;
    expect(plainRule(def.expr, plainContext(seed))).toBe(
      "At least one baseline procedure with procedure is ‹which› and date performed between D0 − 4 weeks and D0 − 1 day",
    );
  });

  it("calls a record by the protocol's noun for it, never by the element's name", () => {
    const def = (name: string) => plainRule(seed.definitions.find((d) => d.name === name)!.expr, plainContext(seed));
    expect(def("ssr_progression")).toMatch(/^At least one somatostatin receptor scan with imaging modality is one of/);
    expect(def("recist_progression")).toMatch(/^At least one radiological assessment with /);
    expect(def("clinical_progression")).toMatch(/^At least one hormonal symptom change with /);
    expect(ruleOf(seed, "E3")).toMatch(/^At least one prior anticancer therapy with therapy is one of/);
  });

  it("names definitions by their label, with their arguments' labels", () => {
    expect(ruleOf(seed, "I3a")).toBe(
      "Radiological disease progression (RECIST 1.1) on an MRI or CT over the last 12 months",
    );
    // One definition over several values is one sentence, not the label repeated per value.
    expect(ruleOf(seed, "I12")).toBe(
      "A baseline procedure done within 4 weeks before D0, for each of: 68Ga-octreotate PET/CT, 18FDG PET/CT, MRI with diffusion-weighted imaging, 51Cr-EDTA GFR and Baseline laboratory tests",
    );
  });

  it("reads toxicity terms: organ doses with the limit's label and value, CTCAE grades", () => {
    const ctx = plainContext(seed);
    const rule = (name: string) => plainRule(seed.toxicity!.rules.find((r) => r.name === name)!.when, ctx);
    expect(rule("kidney_limit")).toBe(
      "Cumulative absorbed dose to the kidneys >= cumulative mean absorbed dose limit for the kidneys (23 Gy)",
    );
    expect(rule("kidney_projection")).toBe(
      "Projected cumulative absorbed dose to the kidneys after the next cycle > cumulative mean absorbed dose limit for the kidneys (23 Gy)",
    );
    expect(rule("haematological")).toBe(
      "CTCAE grade of platelet count decreased >= 2 or CTCAE grade of neutrophil count decreased >= 2 or CTCAE grade of anemia >= 3",
    );
  });
});

describe("plain language of constructs the seed does not use", () => {
  const data = `x: decimal mg/dL range 0 to 10 "Analyte X" form f
  items: records "Items" form f { size: decimal mm "Size" }
  flag: boolean "Flag raised" form f`;
  const one = (rule: string) => {
    const r = compileSnippet(data, `inclusion I1 "t" { rule ${rule} }`);
    expectClean(r);
    return ruleOf(r.ir!, "I1");
  };

  it("reads none, all, count and negation", () => {
    expect(one("none items where size > 5 mm")).toBe("No item with size > 5 mm");
    expect(one("all items where size > 5 mm")).toBe("Every item with size > 5 mm");
    expect(one("count items where size > 5 mm >= 2")).toBe("The number of items with size > 5 mm >= 2");
    expect(one("not (flag or x > 1 mg/dL)")).toBe("Not (flag raised or analyte X > 1 mg/dL)");
    expect(one("x != 2 mg/dL")).toBe("Analyte X ≠ 2 mg/dL");
  });

  it("uses a records element's noun and plural, and derives one from the name without it", () => {
    const withNoun = (rule: string) => {
      const r = compileSnippet(
        `ssr_scans: records "SSR imaging" noun "somatostatin receptor scan" form f { size: decimal mm "Size" }
  analyses: records "Analyses" noun "analysis" plural "analyses" form f { done: boolean "Done" }`,
        `inclusion I1 "t" { rule ${rule} }`,
      );
      expectClean(r);
      return ruleOf(r.ir!, "I1");
    };
    expect(withNoun("any ssr_scans where size > 5 mm")).toBe(
      "At least one somatostatin receptor scan with size > 5 mm",
    );
    expect(withNoun("none ssr_scans where size > 5 mm")).toBe("No somatostatin receptor scan with size > 5 mm");
    expect(withNoun("(count ssr_scans where size > 5 mm) >= 2")).toBe(
      "The number of somatostatin receptor scans with size > 5 mm >= 2",
    );
    expect(withNoun("(count analyses where done) >= 2")).toBe("The number of analyses with done >= 2");
    expect(one("any items where size > 5 mm")).toBe("At least one item with size > 5 mm");
  });

  it("brackets a disjunction inside a conjunction", () => {
    expect(one("flag and (x > 1 mg/dL or x < 0.5 mg/dL)")).toBe(
      "Flag raised and (analyte X > 1 mg/dL or analyte X < 0.5 mg/dL)",
    );
  });
});

describe("units, durations and relative times as printed", () => {
  it("prints UCUM units the way protocols write them", () => {
    expect(unitText("10*3/uL")).toEqual({ times: true, text: "10³/µL" });
    expect(unitText("10*9/L")).toEqual({ times: true, text: "10⁹/L" });
    expect(unitText("mL/min/{1.73_m2}")).toEqual({ times: false, text: "mL/min/1.73 m²" });
    expect(unitText("U/L").text).toBe("U/L");
    expect(unitText("umol/L").text).toBe("µmol/L");
    expect(quantityText("1.5", "10*3/uL")).toBe("1.5 × 10³/µL");
    expect(quantityText("-30", "%")).toBe("-30%");
    expect(quantityText("18", "a")).toBe("18 years");
  });

  it("prints durations with singular and plural units", () => {
    expect(durationText({ amount: "1", unit: "d" })).toBe("1 day");
    expect(durationText({ amount: "12", unit: "mo" })).toBe("12 months");
    expect(
      relativeTimeText({
        anchor: "D0",
        offsets: [{ sign: -1, duration: { amount: "4", unit: "wk" } }],
        text: "D0 - 4 wk",
      }),
    ).toBe("D0 − 4 weeks");
  });
});
