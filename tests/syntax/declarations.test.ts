/**
 * Declarations: every top-level construct and section, the data dictionary, criteria,
 * traceability items, and keywords used as names.
 */
import { describe, expect, it } from "vitest";
import type * as A from "../../src/ast/nodes.js";
import { only, parseBad, parseClean, shape } from "./helpers.js";

describe("trial, use, source, anchor, form", () => {
  it("reads trial metadata with one- and two-word keys, several values, and interpretations", () => {
    const t = only(
      `trial "NCT1" {
  title "T"
  official title "Official"
  registry "EudraCT" "2012-1"
  interpretation "Kept as written." ref "domain §7.23" source seed
  cite seed "text"
}`,
      "TrialDecl",
    );
    expect(t.id).toBe("NCT1");
    expect(shape(t.props)).toEqual([
      { key: "title", values: ["T"], source: null },
      { key: "official title", values: ["Official"], source: null },
      { key: "registry", values: ["EudraCT", "2012-1"], source: null },
    ]);
    expect(shape(t.trace)).toEqual({
      cites: [{ kind: "Cite", source: { text: "seed" }, text: "text" }],
      interpretations: [
        { kind: "Interpretation", text: "Kept as written.", ref: "domain §7.23", sources: [{ text: "seed" }] },
      ],
      sources: [],
    });
    expect(t.props[1]!.span).toMatchObject({ line: 3, column: 3, endLine: 3, endColumn: 28 });
  });

  it("reads use, source, anchor and form", () => {
    expect(shape(only('use ctcae "4.03"', "UseDecl"))).toEqual({
      kind: "UseDecl",
      library: { text: "ctcae" },
      version: "4.03",
    });
    for (const kind of ["protocol", "literature", "standard", "reference"] as const) {
      expect(only(`source s "Citation" ${kind}`, "SourceDecl").sourceKind).toBe(kind);
    }
    expect(shape(only('anchor cycle "Each injection" repeating', "AnchorDecl"))).toEqual({
      kind: "AnchorDecl",
      name: { text: "cycle" },
      label: "Each injection",
      repeating: true,
    });
    expect(only('anchor inclusion "Inclusion"', "AnchorDecl").repeating).toBe(false);
    expect(shape(only('form labs "Laboratory"', "FormDecl"))).toEqual({
      kind: "FormDecl",
      name: { text: "labs" },
      label: "Laboratory",
    });
  });

  it("gives a source on its own line to the block, and one on the interpretation's line to the interpretation", () => {
    const p = only(
      `parameter p "P" = 10 % {
  interpretation "I" ref "r"
  source eanm
}`,
      "ParameterDecl",
    );
    expect(p.trace.interpretations[0]!.sources).toEqual([]);
    expect(shape(p.trace.sources)).toEqual([{ kind: "SourceRef", source: { text: "eanm" } }]);
  });
});

describe("data dictionary", () => {
  const data = (body: string): A.ElementDecl[] => only(`data {\n${body}\n}`, "DataDecl").elements;

  it("reads every type", () => {
    const types = data(`a: decimal g/dL
b: decimal
c: integer
d: boolean
e: date
f: datetime
g: text
h: code(female "Female", male "Male")
i: attestation by investigator
j: attestation by patient
k: decimal 10*3/uL`).map((e) => shape(e.type));
    expect(types).toEqual([
      { kind: "decimal", unit: { text: "g/dL" } },
      { kind: "decimal", unit: null },
      { kind: "integer" },
      { kind: "boolean" },
      { kind: "date" },
      { kind: "datetime" },
      { kind: "text" },
      {
        kind: "code",
        options: [
          { code: { text: "female" }, label: "Female", codes: [] },
          { code: { text: "male" }, label: "Male", codes: [] },
        ],
      },
      { kind: "attestation", by: "investigator" },
      { kind: "attestation", by: "patient" },
      { kind: "decimal", unit: { text: "10*3/uL" } },
    ]);
  });

  it("reads every attribute, in any order", () => {
    const [e] = data(
      `total_bilirubin: decimal mg/dL range 0 to 60 with ULN molar mass 584.66 g/mol "Total bilirubin" form labs capture only`,
    );
    expect(shape(e)).toEqual({
      kind: "ElementDecl",
      name: { text: "total_bilirubin" },
      type: { kind: "decimal", unit: { text: "mg/dL" } },
      label: "Total bilirubin",
      form: { text: "labs" },
      range: { low: "0", high: "60" },
      withUln: true,
      withLln: false,
      molarMass: { value: "584.66", unit: { text: "g/mol" } },
      requiredWhen: null,
      captureOnly: true,
      codes: [],
      select: null,
      noun: null,
      fields: [],
    });
    const [f] = data(`x: decimal % form f with LLN "Label" range -100 to 1000 required when y and z`);
    expect(shape(f)).toMatchObject({
      label: "Label",
      form: { text: "f" },
      range: { low: "-100", high: "1000" },
      withLln: true,
      requiredWhen: { kind: "Logical", op: "and" },
    });
  });

  it("reads records with their fields, and the spans of element, type and range", () => {
    const text = `data {
  lesions: records "Lesions" form imaging {
    date: date "Date of the scan"
    value: decimal range 0 to 4 "Value"
  }
}`;
    const ast = parseClean(text);
    const [rec] = (ast.decls[0] as A.DataDecl).elements;
    expect(rec!.type).toEqual({ kind: "records" });
    expect(rec!.fields.map((f) => f.name.text)).toEqual(["date", "value"]);
    expect(text.slice(rec!.typeSpan.start, rec!.typeSpan.end)).toBe("records");
    expect(text.slice(rec!.span.start, rec!.span.end)).toMatch(/^lesions: records[\s\S]*"Value"\n  }$/);
    const value = rec!.fields[1]!;
    expect(text.slice(value.range!.span.start, value.range!.span.end)).toBe("range 0 to 4");
  });

  it("reads the noun a records element's rows are called by, with or without its plural", () => {
    const [scans, analyses, plain] =
      data(`ssr_scans: records "SSR imaging" noun "somatostatin receptor scan" form h { d: date }
analyses: records noun "analysis" plural "analyses" "Analyses" { d: date }
surgeries: records "Surgery" { d: date }`);
    expect(shape(scans!.noun)).toEqual({ singular: "somatostatin receptor scan", plural: null });
    expect(scans!.label).toBe("SSR imaging");
    expect(shape(analyses!.noun)).toEqual({ singular: "analysis", plural: "analyses" });
    // The noun's string is not the label, whatever the order.
    expect(analyses!.label).toBe("Analyses");
    expect(plain!.noun).toBeNull();
    const r = parseBad(`data {\n  x: records noun "a" noun "b" { d: date }\n}`);
    expect(r.lines).toEqual(['2:23 TRC1020 the noun of element "x" is given more than once']);
  });

  it("accepts keywords as element and field names, even attribute words", () => {
    const els = data(`date: date "D"
noun: text "Noun"
plural: text
cycle: integer
form: text "F"
at: datetime "At" form f
grade: integer range 0 to 4
when: date
x: boolean
value: decimal required when date before at`);
    expect(els.map((e) => e.name.text)).toEqual([
      "date",
      "noun",
      "plural",
      "cycle",
      "form",
      "at",
      "grade",
      "when",
      "x",
      "value",
    ]);
    expect(els[0]!.label).toBe("D");
    expect(els[1]!.label).toBe("Noun");
    expect(els[5]!.form?.text).toBe("f");
    expect(shape(els[9]!.requiredWhen)).toMatchObject({
      kind: "BeforeAfter",
      subject: { name: "date" },
      anchor: { name: "at" },
    });
  });

  it("reports an attribute given twice", () => {
    const r = parseBad(`data {\n  x: integer "A" "B" form f form g\n}`);
    expect(r.lines).toEqual([
      '2:18 TRC1020 the label of element "x" is given more than once',
      '2:29 TRC1020 the form of element "x" is given more than once',
    ]);
    expect((r.ast!.decls[0] as A.DataDecl).elements[0]).toMatchObject({ label: "A", form: { text: "f" } });
  });
});

describe("criteria", () => {
  it("reads an inclusion with trace and rule", () => {
    const c = only(
      `inclusion I1 "Age >= 18." {
  cite seed "1. Age."
  interpretation "At inclusion." ref "domain §7.1"
  rule age(birth_date, inclusion) >= 18 a
}`,
      "CriterionDecl",
    );
    expect(c.role).toBe("inclusion");
    expect(c.id.text).toBe("I1");
    expect(c.text).toBe("Age >= 18.");
    expect(c.trace.cites).toHaveLength(1);
    expect(c.trace.interpretations[0]!.ref).toBe("domain §7.1");
    expect(c.body.kind).toBe("Rule");
    expect(c.span).toMatchObject({ line: 1, column: 1, endLine: 5, endColumn: 2 });
  });

  it("reads nested all of / at least N of groups", () => {
    const c = only(
      `exclusion E3 "x" {
  at least 2 of {
    criterion E3a "a" { rule a }
    criterion E3b "b" {
      all of {
        criterion E3b_1 "b1" { cite seed "t" rule b }
        criterion E3b_2 "b2" { rule c }
      }
    }
    criterion E3c "c" { rule d interpretation "after the rule" }
  }
}`,
      "CriterionDecl",
    );
    expect(c.role).toBe("exclusion");
    const body = c.body as Extract<A.RuleBody, { kind: "Group" }>;
    expect(body).toMatchObject({ kind: "Group", mode: "atLeast", count: 2 });
    expect(body.children.map((k) => [k.role, k.id.text])).toEqual([
      ["criterion", "E3a"],
      ["criterion", "E3b"],
      ["criterion", "E3c"],
    ]);
    const inner = body.children[1]!.body as Extract<A.RuleBody, { kind: "Group" }>;
    expect(inner).toMatchObject({ mode: "all", count: 2 });
    expect(inner.children[0]!.trace.cites).toHaveLength(1);
    expect(body.children[2]!.trace.interpretations).toHaveLength(1);
  });
});

describe("define and parameter", () => {
  it("reads definitions with and without parameters", () => {
    const d = only(
      `define baseline_done(which, other) "Done" { cite seed "x" rule any p where procedure = which }`,
      "DefineDecl",
    );
    expect(d.params.map((p) => p.text)).toEqual(["which", "other"]);
    expect(d.label).toBe("Done");
    expect(d.expr.kind).toBe("Quantifier");
    expect(only(`define d "D" { rule x }`, "DefineDecl").params).toEqual([]);
  });

  it("reads parameters with and without a block", () => {
    const p = only(
      `parameter kidney_dose_limit "Limit" = 23 Gy {\n  source emami1991\n  source sundlov2017\n}`,
      "ParameterDecl",
    );
    expect(shape(p.value)).toEqual({ kind: "QuantityLit", value: "23", unit: "Gy" });
    expect(p.trace.sources.map((s) => s.source.text)).toEqual(["emami1991", "sundlov2017"]);
    const q = only(`parameter tol "Tolerance" = 10 %`, "ParameterDecl");
    expect(q.trace).toEqual({ cites: [], interpretations: [], sources: [] });
  });
});

describe("sections", () => {
  it("reads a schedule: treatment, day, visits and requirements", () => {
    const s = only(
      `schedule {
  cite seed "s"
  treatment lu177 "Lu" {
    dose 7.4 GBq tolerance activity_tolerance
    route "iv"
    cycles 4
    first at D0
    spacing 11 wk to 13 wk
    interpretation "i"
  }
  day "Treatment day" {
    step pre "Pre" before aa
    step aa "AA" at 0 min
    step lu "Lu" at 30 min lasting 15 min to 30 min
    step cont "Cont" after lu lasting 3 h to 5 h
    total 4 h to 6 h
  }
  visit screening "Screening" between D0 - 4 wk and D0 - 1 d {
    procedures "a", "b"
    procedures "c"
  }
  visit treatment "Injection" each cycle at cycle
  require ssa_short "SSA" each cycle { rule if used then last at least 48 h before cycle }
}`,
      "ScheduleDecl",
    );
    expect(s.trace.cites).toHaveLength(1);
    expect(shape(s.treatments[0])).toEqual({
      kind: "TreatmentDecl",
      name: { text: "lu177" },
      label: "Lu",
      dose: {
        amount: { kind: "QuantityLit", value: "7.4", unit: "GBq" },
        tolerance: { kind: "NameRef", name: "activity_tolerance" },
      },
      route: "iv",
      cycles: { count: 4 },
      firstAt: { text: "D0" },
      spacing: {
        min: { kind: "QuantityLit", value: "11", unit: "wk" },
        max: { kind: "QuantityLit", value: "13", unit: "wk" },
      },
      trace: {
        cites: [],
        interpretations: [{ kind: "Interpretation", text: "i", ref: null, sources: [] }],
        sources: [],
      },
    });
    const day = s.days[0]!;
    expect(day.steps.map((st) => st.timing.kind)).toEqual(["before", "at", "at", "after"]);
    expect(shape(day.steps[2]!.lasting)).toEqual({
      min: { kind: "QuantityLit", value: "15", unit: "min" },
      max: { kind: "QuantityLit", value: "30", unit: "min" },
    });
    expect(shape(day.total)).toMatchObject({ min: { value: "4", unit: "h" } });
    expect(s.visits[0]).toMatchObject({ eachCycle: false, timing: { kind: "between" }, procedures: ["a", "b", "c"] });
    expect(s.visits[1]).toMatchObject({
      name: { text: "treatment" },
      eachCycle: true,
      timing: { kind: "at", at: { kind: "NameRef", name: "cycle" } },
      procedures: [],
    });
    expect(s.requires[0]).toMatchObject({ eachCycle: true, expr: { kind: "IfThen" } });
  });

  it("reads a toxicity section", () => {
    const t = only(
      `toxicity {
  organ kidneys "Kidneys" dose dosimetry.kidney_dose limit kidney_dose_limit
  grade anemia "Anemia" from hemoglobin
  stop kidney_limit "Limit" when cumulative kidneys >= kidney_dose_limit {
    interpretation "i" ref "r" source iaea2013
  }
  delay haem "Haem" when grade anemia >= 3
  max cycles 4
}`,
      "ToxicityDecl",
    );
    expect(shape(t.organs[0])).toEqual({
      kind: "OrganDecl",
      name: { text: "kidneys" },
      label: "Kidneys",
      dose: { kind: "PathRef", base: { text: "dosimetry" }, field: { text: "kidney_dose" } },
      limit: { text: "kidney_dose_limit" },
    });
    expect(shape(t.grades[0])).toEqual({
      kind: "GradeDecl",
      term: { text: "anemia" },
      label: "Anemia",
      from: { text: "hemoglobin" },
    });
    expect(t.rules.map((r) => r.action)).toEqual(["stop", "delay"]);
    expect(t.rules[0]!.trace.interpretations[0]!.sources[0]!.text).toBe("iaea2013");
    expect(shape(t.maxCycles)).toEqual({ count: 4 });
  });

  it("reads a response section", () => {
    const r = only(
      `response {
  cite seed "c"
  lesion change of longest_diameter from baseline {
    category decrease "Decrease" when change <= -30 %
    category stable "Stable" otherwise
    interpretation "i"
  }
  recist {
    confirmation required after 4 wk
    max not evaluable between 1
    stable disease minimum 6 wk after D0
    too small to measure 5 mm
  }
}`,
      "ResponseDecl",
    );
    expect(r.lesion).toMatchObject({ field: { text: "longest_diameter" }, reference: "baseline" });
    expect(shape(r.lesion!.categories)).toEqual([
      {
        name: { text: "decrease" },
        label: "Decrease",
        when: {
          kind: "Compare",
          op: "<=",
          left: { kind: "NameRef", name: "change" },
          right: { kind: "QuantityLit", value: "-30", unit: "%" },
        },
      },
      { name: { text: "stable" }, label: "Stable", when: null },
    ]);
    expect(shape(r.recist)).toEqual({
      kind: "RecistDecl",
      confirmation: { required: true, after: { kind: "QuantityLit", value: "4", unit: "wk" } },
      maxNotEvaluableBetween: { count: 1 },
      stableDiseaseMinimum: { amount: { kind: "QuantityLit", value: "6", unit: "wk" }, anchor: { text: "D0" } },
      tooSmallToMeasure: { kind: "QuantityLit", value: "5", unit: "mm" },
      trace: { cites: [], interpretations: [], sources: [] },
    });
    const nadir = only(
      `response { lesion change of d from nadir { } recist { confirmation not required } }`,
      "ResponseDecl",
    );
    expect(nadir.lesion!.reference).toBe("nadir");
    expect(nadir.recist!.confirmation).toMatchObject({ required: false, after: null });
  });
});
