/**
 * NCI-CTCAE v4.03 laboratory grading table, as data.
 *
 * Source: NCI CTEP, Common Terminology Criteria for Adverse Events v4.03
 * (CTCAE_4.03_2010-06-14.xls / QuickReference_8.5x11.pdf); verbatim texts and
 * boundary semantics from the trialc domain README §3.1–3.3.
 *
 * The table is plain JSON-able data so that the compiler can copy it into the IR
 * and generated code can grade with `gradeCtcae` from `src/runtime/ctcae.ts`.
 * Only the criteria in each term's table unit are encoded (g/dL for Hb, 10*9/L
 * for counts): the mmol/L and /mm3 columns are the same criteria in other units,
 * and conversion belongs to the caller (README §3.3: CTCAE's mmol/L thresholds are
 * rounded, so converting first and grading in g/dL is the one consistent reading).
 */
import {
  gradeCtcae,
  type CtcaeBound,
  type CtcaeCriterion,
  type CtcaeGradeRule,
  type CtcaeInput,
  type CtcaeResult,
  type CtcaeTermEntry,
} from "../runtime/ctcae.js";

/** Where every entry of this table comes from. */
export const CTCAE_V403_SOURCE =
  "NCI CTEP CTCAE v4.03 (2010-06-14), CTCAE_4.03_2010-06-14.xls; trialc domain README §3.1 (verbatim texts), §3.2 (boundaries)";

// Small builders keep each printed interval readable next to its verbatim text.
const abs = (value: string): CtcaeBound => ({ value });
const times = (value: string, multipleOf: "ULN" | "LLN" | "baseline"): CtcaeBound => ({ value, multipleOf });

/** "<A - B" of a decreasing term: B <= x < A (the lower printed number belongs to the grade). */
const below = (upperExclusive: CtcaeBound, lowerInclusive?: CtcaeBound): CtcaeCriterion =>
  lowerInclusive === undefined
    ? { high: upperExclusive, highInclusive: false }
    : { low: lowerInclusive, lowInclusive: true, high: upperExclusive, highInclusive: false };

/** ">A - B" of an increasing term: A < x <= B (the upper printed number belongs to the grade). */
const above = (lowerExclusive: CtcaeBound, upperInclusive?: CtcaeBound): CtcaeCriterion =>
  upperInclusive === undefined
    ? { low: lowerExclusive, lowInclusive: false }
    : { low: lowerExclusive, lowInclusive: false, high: upperInclusive, highInclusive: true };

const rule = (
  grade: 1 | 2 | 3 | 4,
  criteria: CtcaeCriterion[],
  clinical: string[] = [],
  otherMeasurements: string[] = [],
): CtcaeGradeRule => ({
  grade,
  criteria,
  clinical,
  ...(otherMeasurements.length ? { otherMeasurements } : {}),
});

/** Decreasing count/concentration: grade 1 [g1, LLN), 2 [g2, g1), 3 [g3, g2), 4 < g3. */
function decreasingFourGrades(g1: string, g2: string, g3: string): CtcaeGradeRule[] {
  return [
    rule(1, [below(times("1", "LLN"), abs(g1))]),
    rule(2, [below(abs(g1), abs(g2))]),
    rule(3, [below(abs(g2), abs(g3))]),
    rule(4, [below(abs(g3))]),
  ];
}

/** Increasing × ULN: grade 1 (ULN, a], 2 (a, b], 3 (b, c], 4 > c. */
function increasingUln(a: string, b: string, c: string): CtcaeGradeRule[] {
  return [
    rule(1, [above(times("1", "ULN"), times(a, "ULN"))]),
    rule(2, [above(times(a, "ULN"), times(b, "ULN"))]),
    rule(3, [above(times(b, "ULN"), times(c, "ULN"))]),
    rule(4, [above(times(c, "ULN"))]),
  ];
}

const LIFE_THREATENING = ["Life-threatening consequences", "urgent intervention indicated"];
const COUNT_UNIT = "10*9/L";
const INVESTIGATION_G5 = "-";

const TERMS: CtcaeTermEntry[] = [
  {
    term: "anemia",
    label: "Anemia",
    analyte: "hemoglobin",
    version: "4.03",
    unit: "g/dL",
    direction: "decreasing",
    gradeTexts: {
      "1": "Hemoglobin (Hgb) <LLN - 10.0 g/dL; <LLN - 6.2 mmol/L; <LLN - 100 g/L",
      "2": "Hgb <10.0 - 8.0 g/dL; <6.2 - 4.9 mmol/L; <100 - 80g/L",
      "3": "Hgb <8.0 g/dL; <4.9 mmol/L; <80 g/L; transfusion indicated",
      "4": "Life-threatening consequences; urgent intervention indicated",
      "5": "Death",
    },
    grades: [
      rule(1, [below(times("1", "LLN"), abs("10.0"))]),
      rule(2, [below(abs("10.0"), abs("8.0"))]),
      rule(3, [below(abs("8.0"))], ["transfusion indicated"]),
      rule(4, [], LIFE_THREATENING),
    ],
    source: CTCAE_V403_SOURCE,
    notes: [
      "Graded in g/dL only; the mmol/L thresholds 6.2 and 4.9 are rounded conversions (README §3.3).",
      "Hb < 8.0 g/dL is grade 3, never 4: grade 4 needs clinical facts (README §3.2).",
    ],
  },
  {
    term: "neutrophil_count_decreased",
    label: "Neutrophil count decreased",
    analyte: "neutrophils",
    version: "4.03",
    unit: COUNT_UNIT,
    direction: "decreasing",
    gradeTexts: {
      "1": "<LLN - 1500/mm3; <LLN - 1.5 x 10e9 /L",
      "2": "<1500 - 1000/mm3; <1.5 - 1.0 x 10e9 /L",
      "3": "<1000 - 500/mm3; <1.0 - 0.5 x 10e9 /L",
      "4": "<500/mm3; <0.5 x 10e9 /L",
      "5": INVESTIGATION_G5,
    },
    grades: decreasingFourGrades("1.5", "1.0", "0.5"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "platelet_count_decreased",
    label: "Platelet count decreased",
    analyte: "platelets",
    version: "4.03",
    unit: COUNT_UNIT,
    direction: "decreasing",
    gradeTexts: {
      "1": "<LLN - 75,000/mm3; <LLN - 75.0 x 10e9 /L",
      "2": "<75,000 - 50,000/mm3; <75.0 - 50.0 x 10e9 /L",
      "3": "<50,000 - 25,000/mm3; <50.0 - 25.0 x 10e9 /L",
      "4": "<25,000/mm3; <25.0 x 10e9 /L",
      "5": INVESTIGATION_G5,
    },
    grades: decreasingFourGrades("75.0", "50.0", "25.0"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "lymphocyte_count_decreased",
    label: "Lymphocyte count decreased",
    analyte: "lymphocytes",
    version: "4.03",
    unit: COUNT_UNIT,
    direction: "decreasing",
    gradeTexts: {
      "1": "<LLN - 800/mm3; <LLN - 0.8 x 10e9/L",
      "2": "<800 - 500/mm3; <0.8 - 0.5 x 10e9 /L",
      "3": "<500 - 200/mm3; <0.5 - 0.2 x 10e9 /L",
      "4": "<200/mm3; <0.2 x 10e9 /L",
      "5": INVESTIGATION_G5,
    },
    grades: decreasingFourGrades("0.8", "0.5", "0.2"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "white_blood_cell_decreased",
    label: "White blood cell decreased",
    analyte: "white blood cells",
    version: "4.03",
    unit: COUNT_UNIT,
    direction: "decreasing",
    gradeTexts: {
      "1": "<LLN - 3000/mm3; <LLN - 3.0 x 10e9 /L",
      "2": "<3000 - 2000/mm3; <3.0 - 2.0 x 10e9 /L",
      "3": "<2000 - 1000/mm3; <2.0 - 1.0 x 10e9 /L",
      "4": "<1000/mm3; <1.0 x 10e9 /L",
      "5": INVESTIGATION_G5,
    },
    grades: decreasingFourGrades("3.0", "2.0", "1.0"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "creatinine_increased",
    label: "Creatinine increased",
    analyte: "creatinine",
    version: "4.03",
    unit: "1",
    relativeTo: ["ULN", "baseline"],
    direction: "increasing",
    gradeTexts: {
      "1": ">1 - 1.5 x baseline; >ULN - 1.5 x ULN",
      "2": ">1.5 - 3.0 x baseline; >1.5 - 3.0 x ULN",
      "3": ">3.0 baseline; >3.0 - 6.0 x ULN",
      "4": ">6.0 x ULN",
      "5": INVESTIGATION_G5,
    },
    grades: [
      rule(1, [above(times("1", "baseline"), times("1.5", "baseline")), above(times("1", "ULN"), times("1.5", "ULN"))]),
      rule(2, [
        above(times("1.5", "baseline"), times("3.0", "baseline")),
        above(times("1.5", "ULN"), times("3.0", "ULN")),
      ]),
      rule(3, [above(times("3.0", "baseline")), above(times("3.0", "ULN"), times("6.0", "ULN"))]),
      rule(4, [above(times("6.0", "ULN"))]),
    ],
    source: CTCAE_V403_SOURCE,
    notes: [
      "The ';' alternatives are independent: the baseline criterion applies even within normal limits, as admiral's v4 grading does (README §3.2, an ambiguity of the standard).",
      "Without a baseline the baseline alternatives are unknown, so grades 1–3 stay open unless the ULN criteria decide.",
    ],
  },
  {
    term: "blood_bilirubin_increased",
    label: "Blood bilirubin increased",
    analyte: "bilirubin",
    version: "4.03",
    unit: "1",
    relativeTo: ["ULN"],
    direction: "increasing",
    gradeTexts: {
      "1": ">ULN - 1.5 x ULN",
      "2": ">1.5 - 3.0 x ULN",
      "3": ">3.0 - 10.0 x ULN",
      "4": ">10.0 x ULN",
      "5": INVESTIGATION_G5,
    },
    grades: increasingUln("1.5", "3.0", "10.0"),
    source: CTCAE_V403_SOURCE,
    notes: ["v4.03 grades against ULN only; v5.0's baseline rule for abnormal baselines does not apply (README §3.1)."],
  },
  {
    term: "aspartate_aminotransferase_increased",
    label: "Aspartate aminotransferase increased",
    analyte: "AST",
    version: "4.03",
    unit: "1",
    relativeTo: ["ULN"],
    direction: "increasing",
    gradeTexts: {
      "1": ">ULN - 3.0 x ULN",
      "2": ">3.0 - 5.0 x ULN",
      "3": ">5.0 - 20.0 x ULN",
      "4": ">20.0 x ULN",
      "5": INVESTIGATION_G5,
    },
    grades: increasingUln("3.0", "5.0", "20.0"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "alanine_aminotransferase_increased",
    label: "Alanine aminotransferase increased",
    analyte: "ALT",
    version: "4.03",
    unit: "1",
    relativeTo: ["ULN"],
    direction: "increasing",
    gradeTexts: {
      "1": ">ULN - 3.0 x ULN",
      "2": ">3.0 - 5.0 x ULN",
      "3": ">5.0 - 20.0 x ULN",
      "4": ">20.0 x ULN",
      "5": INVESTIGATION_G5,
    },
    grades: increasingUln("3.0", "5.0", "20.0"),
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "hypoalbuminemia",
    label: "Hypoalbuminemia",
    analyte: "albumin",
    version: "4.03",
    unit: "g/dL",
    direction: "decreasing",
    gradeTexts: {
      "1": "<LLN - 3 g/dL; <LLN - 30 g/L",
      "2": "<3 - 2 g/dL; <30 - 20 g/L",
      "3": "<2 g/dL; <20 g/L",
      "4": "Life-threatening consequences; urgent intervention indicated",
      "5": "Death",
    },
    grades: [
      rule(1, [below(times("1", "LLN"), abs("3"))]),
      rule(2, [below(abs("3"), abs("2"))]),
      rule(3, [below(abs("2"))]),
      rule(4, [], LIFE_THREATENING),
    ],
    source: CTCAE_V403_SOURCE,
  },
  {
    term: "chronic_kidney_disease",
    label: "Chronic kidney disease",
    analyte: "eGFR",
    version: "4.03",
    unit: "mL/min/{1.73_m2}",
    direction: "decreasing",
    gradeTexts: {
      "1": "eGFR (estimated Glomerular Filtration Rate) or CrCl (creatinine clearance) <LLN - 60 ml/min/1.73 m2 or proteinuria 2+ present; urine protein/creatinine >0.5",
      "2": "eGFR or CrCl 59 - 30 ml/min/1.73 m2",
      "3": "eGFR or CrCl 29 - 15 ml/min/1.73 m2",
      "4": "eGFR or CrCl <15 ml/min/1.73 m2; dialysis or renal transplant indicated",
      "5": "Death",
    },
    grades: [
      rule(
        1,
        [below(times("1", "LLN"), abs("60"))],
        [],
        ["proteinuria 2+ present (dipstick)", "urine protein/creatinine ratio > 0.5"],
      ),
      rule(2, [below(abs("60"), abs("30"))]),
      rule(3, [below(abs("30"), abs("15"))]),
      rule(4, [below(abs("15"))], ["dialysis or renal transplant indicated"]),
    ],
    source: CTCAE_V403_SOURCE,
    notes: [
      "The printed integer ranges 59 - 30 and 29 - 15 are read as continuous intervals [30, 60) and [15, 30), so 59.5 is grade 2 and 29.5 grade 3 (README §3.2, an ambiguity of the standard).",
      "Proteinuria 2+ and a urine protein/creatinine ratio > 0.5 are grade 1 alternatives measured otherwise: an eGFR that is not grade 1 or more leaves the grade at 0 to 1 and names them (issue 10, defect 5).",
    ],
  },
];

/** Recursively freeze plain data so that no caller can edit the shared table. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The CTCAE v4.03 laboratory grading table (README §3), one frozen entry per term. */
export const CTCAE_V403: readonly CtcaeTermEntry[] = deepFreeze(TERMS);

/** Ids of the terms in `CTCAE_V403`. */
export type CtcaeV403TermId =
  | "anemia"
  | "neutrophil_count_decreased"
  | "platelet_count_decreased"
  | "lymphocyte_count_decreased"
  | "white_blood_cell_decreased"
  | "creatinine_increased"
  | "blood_bilirubin_increased"
  | "aspartate_aminotransferase_increased"
  | "alanine_aminotransferase_increased"
  | "hypoalbuminemia"
  | "chronic_kidney_disease";

const BY_ID = new Map(CTCAE_V403.map((e) => [e.term, e]));

/** Look a term up by id; undefined for a term this table does not hold. */
export function ctcaeTerm(id: string): CtcaeTermEntry | undefined {
  return BY_ID.get(id);
}

/** The table as the compiler stores it in the IR: a fresh, mutable, JSON-only copy. */
export interface CtcaeTableJson {
  standard: "NCI-CTCAE";
  version: "4.03";
  released: "2010-06-14";
  source: string;
  terms: CtcaeTermEntry[];
}

/** A JSON-serialisable copy of the whole table, with its provenance (README §3). */
export function ctcaeV403Json(): CtcaeTableJson {
  return {
    standard: "NCI-CTCAE",
    version: "4.03",
    released: "2010-06-14",
    source: CTCAE_V403_SOURCE,
    terms: JSON.parse(JSON.stringify(CTCAE_V403)) as CtcaeTermEntry[],
  };
}

/**
 * Grade a value by term id: `gradeCtcae(ctcaeTerm(id), input)` (README §3.2).
 * Throws for an id the table does not hold, since that is a compiler bug, not data.
 */
export function gradeCtcaeTerm(id: CtcaeV403TermId, input: CtcaeInput): CtcaeResult {
  const entry = ctcaeTerm(id);
  if (entry === undefined) throw new RangeError(`CTCAE v4.03: unknown term "${id}"`);
  return gradeCtcae(entry, input);
}
