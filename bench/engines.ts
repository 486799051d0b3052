/**
 * The 15 criteria of `bench/criteria15.trial`, encoded by hand for the comparisons of
 * `npm run bench`: a hand-written JavaScript function (the practical limit), a
 * json-logic-js rule, json-rules-engine rules and a CQL library (ELM JSON, built below
 * with small helpers). Each gives the protocol's verdict with its Kleene logic: a missing
 * value makes a criterion unknown; an inclusion not met or an exclusion met makes the
 * patient ineligible whatever else is unknown; otherwise any unknown criterion makes the
 * patient indeterminate. Values are read in each element's unit, as the cohort gives them.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const jsonLogic = require("json-logic-js") as {
  apply(rule: unknown, data: unknown): any;
  add_operation(n: string, f: unknown): void;
};
const { Engine } = require("json-rules-engine") as { Engine: new (rules?: unknown[], opts?: unknown) => any };
const cql = require("cql-execution") as any;

export type Verdict = "eligible" | "ineligible" | "indeterminate";
type P = Record<string, any>;

// --------------------------------------------------------------------------- by hand

/** Completed years from an ISO birth date to an ISO date (29 February reached on 1 March). */
function ageAt(birth: string, at: string): number {
  const by = +birth.slice(0, 4);
  let bm = +birth.slice(5, 7);
  let bd = +birth.slice(8, 10);
  const ay = +at.slice(0, 4);
  const am = +at.slice(5, 7);
  const ad = +at.slice(8, 10);
  if (bm === 2 && bd === 29 && !((ay % 4 === 0 && ay % 100 !== 0) || ay % 400 === 0)) [bm, bd] = [3, 1];
  return ay - by - (am > bm || (am === bm && ad >= bd) ? 0 : 1);
}

const SITES = new Set(["pancreas", "stomach", "duodenum", "jejunum_ileum", "appendix", "colon", "rectum"]);
const F = 0;
const U = 1;
const T = 2;
const b = (x: boolean | undefined) => (x === undefined ? U : x ? T : F);
const ge = (x: { value: number } | undefined, t: number) => (x === undefined ? U : x.value >= t ? T : F);
const gt = (x: { value: number } | undefined, t: number) => (x === undefined ? U : x.value > t ? T : F);

/** The 15 criteria by hand: what a programmer would write for this protocol and this data. */
export function handWritten(p: P): Verdict {
  let open = false;
  let t: number;
  const inclusion = p.anchors?.inclusion as string | undefined;
  // I1
  t = p.birth_date === undefined || inclusion === undefined ? U : ageAt(p.birth_date, inclusion) >= 18 ? T : F;
  if (t === F) return "ineligible";
  open ||= t === U;
  // I2
  t = Math.min(
    b(p.histology_proven_net),
    b(p.advanced_disease),
    p.primary_site === undefined ? U : SITES.has(p.primary_site) ? T : F,
  );
  if (t === F) return "ineligible";
  open ||= t === U;
  // I4
  t = b(p.refractory_disease);
  if (t === F) return "ineligible";
  open ||= t === U;
  // I6
  t = Math.min(p.gfr_method === undefined ? U : p.gfr_method === "cr51_edta" ? T : F, ge(p.gfr, 50));
  if (t === F) return "ineligible";
  open ||= t === U;
  // I7a, I7b, I7c
  for (t of [ge(p.hemoglobin, 9), ge(p.neutrophils, 1.5), ge(p.platelets, 100)]) {
    if (t === F) return "ineligible";
    open ||= t === U;
  }
  // I8a: 2 x ULN (doubling is exact in binary)
  const bili = p.total_bilirubin;
  t = bili === undefined || bili.uln === undefined ? U : bili.value <= 2 * bili.uln.value ? T : F;
  if (t === F) return "ineligible";
  open ||= t === U;
  // I8c, I8d, I9
  for (t of [gt(p.albumin, 3), gt(p.prothrombin_activity, 70), p.ecog === undefined ? U : p.ecog <= 1 ? T : F]) {
    if (t === F) return "ineligible";
    open ||= t === U;
  }
  // E1, E5, E6, E8
  for (t of [
    b(p.resectable_with_curative_intent),
    Math.max(b(p.prior_ebrt_kidneys), gt(p.prior_ebrt_marrow_fraction, 25)),
    b(p.uncontrolled_brain_metastases),
    Math.max(b(p.pregnant), b(p.lactating)),
  ]) {
    if (t === T) return "ineligible";
    open ||= t === U;
  }
  return open ? "indeterminate" : "eligible";
}

// --------------------------------------------------------------------------- json-logic-js

jsonLogic.add_operation("age_at", (birth: string | null, at: string | null) =>
  birth == null || at == null ? null : ageAt(birth, at),
);
const v = (path: string) => ({ var: path });
const isNull = (x: unknown) => ({ "==": [x, null] });
/** A tri-valued condition: "U" when any of `needs` is missing, else "T"/"F" by `test`. */
const tri = (needs: unknown[], test: unknown) => ({ if: [{ or: needs.map(isNull) }, "U", test, "T", "F"] });
const flag = (name: string) => tri([v(name)], v(name));
const kand = (...xs: unknown[]) => ({
  if: [{ or: xs.map((x) => ({ "==": [x, "F"] })) }, "F", { or: xs.map((x) => ({ "==": [x, "U"] })) }, "U", "T"],
});
const kor = (...xs: unknown[]) => ({
  if: [{ or: xs.map((x) => ({ "==": [x, "T"] })) }, "T", { or: xs.map((x) => ({ "==": [x, "U"] })) }, "U", "F"],
});
const num = (name: string, op: string, t: number) => tri([v(`${name}.value`)], { [op]: [v(`${name}.value`), t] });
const JL_INCLUSION = [
  tri([v("birth_date"), v("anchors.inclusion")], { ">=": [{ age_at: [v("birth_date"), v("anchors.inclusion")] }, 18] }),
  kand(
    flag("histology_proven_net"),
    flag("advanced_disease"),
    tri([v("primary_site")], { in: [v("primary_site"), [...SITES]] }),
  ),
  flag("refractory_disease"),
  kand(tri([v("gfr_method")], { "==": [v("gfr_method"), "cr51_edta"] }), num("gfr", ">=", 50)),
  num("hemoglobin", ">=", 9),
  num("neutrophils", ">=", 1.5),
  num("platelets", ">=", 100),
  tri([v("total_bilirubin.value"), v("total_bilirubin.uln.value")], {
    "<=": [v("total_bilirubin.value"), { "*": [2, v("total_bilirubin.uln.value")] }],
  }),
  num("albumin", ">", 3),
  num("prothrombin_activity", ">", 70),
  tri([v("ecog")], { "<=": [v("ecog"), 1] }),
];
const JL_EXCLUSION = [
  flag("resectable_with_curative_intent"),
  kor(flag("prior_ebrt_kidneys"), num("prior_ebrt_marrow_fraction", ">", 25)),
  flag("uncontrolled_brain_metastases"),
  kor(flag("pregnant"), flag("lactating")),
];
/** The whole verdict as one json-logic rule. */
export const JSON_LOGIC_RULE = {
  if: [
    { or: [...JL_INCLUSION.map((c) => ({ "==": [c, "F"] })), ...JL_EXCLUSION.map((c) => ({ "==": [c, "T"] }))] },
    "ineligible",
    { or: [...JL_INCLUSION, ...JL_EXCLUSION].map((c) => ({ "==": [c, "U"] })) },
    "indeterminate",
    "eligible",
  ],
};
export function jsonLogicVerdict(p: P): Verdict {
  return jsonLogic.apply(JSON_LOGIC_RULE, p) as Verdict;
}

// --------------------------------------------------------------------------- json-rules-engine

type Cond = { fact: string; path?: string; operator: string; value: unknown };
const c = (fact: string, operator: string, value: unknown, path?: string): Cond => ({
  fact,
  operator,
  value,
  ...(path ? { path } : {}),
});
/** For each criterion: the conditions under which it is met, and those under which it is not met; neither is unknown. */
const RE_CRITERIA: { id: string; role: "inclusion" | "exclusion"; met: unknown; notMet: unknown }[] = [
  {
    id: "I1",
    role: "inclusion",
    met: { all: [c("age", "greaterThanInclusive", 18)] },
    notMet: { all: [c("age", "lessThan", 18)] },
  },
  {
    id: "I2",
    role: "inclusion",
    met: {
      all: [
        c("histology_proven_net", "equal", true),
        c("advanced_disease", "equal", true),
        c("primary_site", "in", [...SITES]),
      ],
    },
    notMet: {
      any: [
        c("histology_proven_net", "equal", false),
        c("advanced_disease", "equal", false),
        { all: [c("primary_site", "notEqual", undefined), c("primary_site", "notIn", [...SITES])] },
      ],
    },
  },
  {
    id: "I4",
    role: "inclusion",
    met: { all: [c("refractory_disease", "equal", true)] },
    notMet: { all: [c("refractory_disease", "equal", false)] },
  },
  {
    id: "I6",
    role: "inclusion",
    met: { all: [c("gfr_method", "equal", "cr51_edta"), c("gfr", "greaterThanInclusive", 50, "value")] },
    notMet: { any: [c("gfr_method", "equal", "other"), c("gfr", "lessThan", 50, "value")] },
  },
  ...(
    [
      ["I7a", "hemoglobin", 9],
      ["I7b", "neutrophils", 1.5],
      ["I7c", "platelets", 100],
    ] as const
  ).map(([id, name, t]) => ({
    id,
    role: "inclusion" as const,
    met: { all: [c(name, "greaterThanInclusive", t, "value")] },
    notMet: { all: [c(name, "lessThan", t, "value")] },
  })),
  {
    id: "I8a",
    role: "inclusion",
    met: { all: [c("bilirubin_vs_uln", "lessThanInclusive", 2)] },
    notMet: { all: [c("bilirubin_vs_uln", "greaterThan", 2)] },
  },
  {
    id: "I8c",
    role: "inclusion",
    met: { all: [c("albumin", "greaterThan", 3, "value")] },
    notMet: { all: [c("albumin", "lessThanInclusive", 3, "value")] },
  },
  {
    id: "I8d",
    role: "inclusion",
    met: { all: [c("prothrombin_activity", "greaterThan", 70, "value")] },
    notMet: { all: [c("prothrombin_activity", "lessThanInclusive", 70, "value")] },
  },
  {
    id: "I9",
    role: "inclusion",
    met: { all: [c("ecog", "lessThanInclusive", 1)] },
    notMet: { all: [c("ecog", "greaterThan", 1)] },
  },
  {
    id: "E1",
    role: "exclusion",
    met: { all: [c("resectable_with_curative_intent", "equal", true)] },
    notMet: { all: [c("resectable_with_curative_intent", "equal", false)] },
  },
  {
    id: "E5",
    role: "exclusion",
    met: { any: [c("prior_ebrt_kidneys", "equal", true), c("prior_ebrt_marrow_fraction", "greaterThan", 25, "value")] },
    notMet: {
      all: [c("prior_ebrt_kidneys", "equal", false), c("prior_ebrt_marrow_fraction", "lessThanInclusive", 25, "value")],
    },
  },
  {
    id: "E6",
    role: "exclusion",
    met: { all: [c("uncontrolled_brain_metastases", "equal", true)] },
    notMet: { all: [c("uncontrolled_brain_metastases", "equal", false)] },
  },
  {
    id: "E8",
    role: "exclusion",
    met: { any: [c("pregnant", "equal", true), c("lactating", "equal", true)] },
    notMet: { all: [c("pregnant", "equal", false), c("lactating", "equal", false)] },
  },
];

/** A json-rules-engine engine with the 30 rules, plain property paths and two computed facts (age, bilirubin / ULN). */
export function rulesEngine(): { verdict(p: P): Promise<Verdict> } {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: (o: any, path: string) => o?.[path] });
  for (const k of RE_CRITERIA) {
    engine.addRule({ conditions: k.met, event: { type: "met", params: { id: k.id, role: k.role } } });
    engine.addRule({ conditions: k.notMet, event: { type: "notMet", params: { id: k.id, role: k.role } } });
  }
  // Values the operators cannot express: a completed-years age, and bilirubin over its ULN
  // (compared with 2 exactly: x <= 2 * uln iff x / uln <= 2 for positive uln, since a
  // division by the ULN is correctly rounded and 2 * uln is exact).
  engine.addFact("age", async (_: unknown, almanac: any) => {
    const birth = await almanac.factValue("birth_date");
    const anchors = await almanac.factValue("anchors");
    return birth === undefined || anchors?.inclusion === undefined ? undefined : ageAt(birth, anchors.inclusion);
  });
  engine.addFact("bilirubin_vs_uln", async (_: unknown, almanac: any) => {
    const x = await almanac.factValue("total_bilirubin");
    return x === undefined || x.uln === undefined ? undefined : x.value <= 2 * x.uln.value ? 2 : 3;
  });
  return {
    async verdict(p: P) {
      const { events } = await engine.run(p);
      const decided = new Map<string, boolean>(events.map((e: any) => [e.params.id, e.type === "met"]));
      let open = false;
      for (const k of RE_CRITERIA) {
        const d = decided.get(k.id);
        if (d === undefined) open = true;
        else if ((k.role === "inclusion" && !d) || (k.role === "exclusion" && d)) return "ineligible";
      }
      return open ? "indeterminate" : "eligible";
    },
  };
}

// --------------------------------------------------------------------------- cql-execution

/** ELM (the JSON form of compiled CQL), written with small helpers: the patient is the parameter `P`. */
const P = { type: "ParameterRef", name: "P" };
const prop = (path: string, source: unknown = P) => ({ type: "Property", path, source });
const lit = (value: number | string) =>
  typeof value === "number"
    ? { type: "Literal", valueType: "{urn:hl7-org:elm-types:r1}Decimal", value: String(value) }
    : { type: "Literal", valueType: "{urn:hl7-org:elm-types:r1}String", value };
const op = (type: string, ...operand: unknown[]) => ({ type, operand: operand.length === 1 ? operand[0] : operand });
const value = (name: string) => prop("value", prop(name));
const ELM_INCLUSION = [
  op(
    "GreaterOrEqual",
    {
      type: "CalculateAgeAt",
      precision: "Year",
      operand: [op("ToDate", prop("birth_date")), op("ToDate", prop("inclusion", prop("anchors")))],
    },
    { type: "Literal", valueType: "{urn:hl7-org:elm-types:r1}Integer", value: "18" },
  ),
  op(
    "And",
    op("And", prop("histology_proven_net"), prop("advanced_disease")),
    // CQL's `null in list` is false, not null: the protocol's missing site is unknown.
    {
      type: "If",
      condition: op("IsNull", prop("primary_site")),
      then: { type: "As", operand: { type: "Null" }, asType: "{urn:hl7-org:elm-types:r1}Boolean" },
      else: op("In", prop("primary_site"), { type: "List", element: [...SITES].map(lit) }),
    },
  ),
  prop("refractory_disease"),
  op("And", op("Equal", prop("gfr_method"), lit("cr51_edta")), op("GreaterOrEqual", value("gfr"), lit(50))),
  op("GreaterOrEqual", value("hemoglobin"), lit(9)),
  op("GreaterOrEqual", value("neutrophils"), lit(1.5)),
  op("GreaterOrEqual", value("platelets"), lit(100)),
  op(
    "LessOrEqual",
    value("total_bilirubin"),
    op("Multiply", lit(2), prop("value", prop("uln", prop("total_bilirubin")))),
  ),
  op("Greater", value("albumin"), lit(3)),
  op("Greater", value("prothrombin_activity"), lit(70)),
  op("LessOrEqual", prop("ecog"), { type: "Literal", valueType: "{urn:hl7-org:elm-types:r1}Integer", value: "1" }),
];
const ELM_EXCLUSION = [
  prop("resectable_with_curative_intent"),
  op("Or", prop("prior_ebrt_kidneys"), op("Greater", value("prior_ebrt_marrow_fraction"), lit(25))),
  prop("uncontrolled_brain_metastases"),
  op("Or", prop("pregnant"), prop("lactating")),
];
const anyTrue = (xs: unknown[]) => ({ type: "AnyTrue", source: { type: "List", element: xs } });
/** The CQL library: `Verdict` is a Case over the criteria, in CQL's own three-valued logic. */
export const ELM_LIBRARY = {
  library: {
    identifier: { id: "Lu177Eligibility15", version: "1" },
    schemaIdentifier: { id: "urn:hl7-org:elm", version: "r1" },
    usings: { def: [{ localIdentifier: "System", uri: "urn:hl7-org:elm-types:r1" }] },
    parameters: { def: [{ name: "P", accessLevel: "Public" }] },
    statements: {
      def: [
        {
          name: "Verdict",
          context: "Patient",
          accessLevel: "Public",
          expression: {
            type: "Case",
            caseItem: [
              {
                when: anyTrue([
                  ...ELM_INCLUSION.map((c) => op("IsFalse", c)),
                  ...ELM_EXCLUSION.map((c) => op("IsTrue", c)),
                ]),
                then: lit("ineligible"),
              },
              {
                when: anyTrue([...ELM_INCLUSION, ...ELM_EXCLUSION].map((c) => op("IsNull", c))),
                then: lit("indeterminate"),
              },
            ],
            else: lit("eligible"),
          },
        },
      ],
    },
  },
};

/** cql-execution running the library once per patient (the patient as the parameter `P`). */
export function cqlEngine(): { verdict(p: P): Promise<Verdict> } {
  const library = new cql.Library(ELM_LIBRARY);
  const executor = new cql.Executor(library);
  return {
    async verdict(p: P) {
      executor.withParameters({ P: p });
      const results = await executor.exec(new cql.PatientSource([{ id: "1", recordType: "Patient" }]));
      return results.patientResults["1"].Verdict as Verdict;
    },
  };
}
