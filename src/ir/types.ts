/**
 * The intermediate representation: the checked protocol as plain, JSON-serialisable data.
 *
 * Every target (the TypeScript evaluators, the reference interpreter, the forms, the
 * documents) reads this and nothing else. Names are resolved, units are normalised
 * (a threshold is stored in the unit of the element it is compared with, converted
 * exactly), every node keeps its source span, and every rule keeps its protocol text.
 * Numbers are decimal strings, never floats.
 */

import type { CtcaeTermEntry } from "../runtime/ctcae.js";

/** Where a node came from: enough to print `file:line:col`. */
export interface IrSpan {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The value types of the language. */
export type IrType =
  "boolean" | "integer" | "decimal" | "quantity" | "date" | "datetime" | "duration" | "text" | "code" | "records";

/** The duration units; `mo` and `a` are applied with calendar arithmetic. */
export type DurationUnit = "min" | "h" | "d" | "wk" | "mo" | "a";

export interface IrDuration {
  amount: string;
  unit: DurationUnit;
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

/** Fields every expression node carries. `text` is its source text, for explanations. */
interface ExprBase {
  type: IrType;
  /** For quantities: the UCUM unit the value is expressed in after normalisation. */
  unit?: string;
  text: string;
  span: IrSpan;
}

export type IrExpr =
  | (ExprBase & { kind: "bool"; value: boolean })
  | (ExprBase & { kind: "number"; value: string })
  /** A quantity constant, converted exactly into `unit`; `written` is what the author wrote. */
  | (ExprBase & {
      kind: "quantity";
      value: string;
      unit: string;
      written: { value: string; unit: string };
      param?: string;
    })
  | (ExprBase & { kind: "duration"; duration: IrDuration; param?: string })
  | (ExprBase & { kind: "string"; value: string })
  | (ExprBase & { kind: "code"; value: string; label: string })
  /** A top-level data element. */
  | (ExprBase & { kind: "element"; name: string })
  /** A field of the record a quantifier is ranging over (`record` is the records element). */
  | (ExprBase & { kind: "field"; record: string; name: string })
  /** A parameter of a parameterised definition, bound at the call site. */
  | (ExprBase & { kind: "arg"; name: string })
  /** A time anchor supplied by the caller (inclusion date, D0, the current cycle's date). */
  | (ExprBase & { kind: "anchor"; name: string })
  /** Use of a named definition; `args` bind its parameters. */
  | (ExprBase & { kind: "define"; name: string; args: IrExpr[] })
  | (ExprBase & { kind: "and" | "or"; args: IrExpr[] })
  | (ExprBase & { kind: "not"; arg: IrExpr })
  /** `if cond then a` (true when cond is false), or with `otherwise`. */
  | (ExprBase & { kind: "if"; cond: IrExpr; then: IrExpr; otherwise: IrExpr | null })
  | (ExprBase & { kind: "compare"; op: CompareOp; left: IrExpr; right: IrExpr })
  | (ExprBase & { kind: "in"; arg: IrExpr; values: string[] })
  /** `factor x ULN` of the element `of` (the other side of the comparison). */
  | (ExprBase & { kind: "refMultiple"; factor: string; limit: "ULN" | "LLN"; of: string; ofRecord?: string })
  /** A time point shifted by a duration: `D0 - 4 wk`. */
  | (ExprBase & { kind: "shift"; base: IrExpr; sign: 1 | -1; duration: IrExpr })
  /** Windows over time points; all bounds closed except `before`/`after` (strict). */
  | (ExprBase & { kind: "within"; direction: "before" | "after"; subject: IrExpr; amount: IrExpr; anchor: IrExpr })
  | (ExprBase & { kind: "atLeast"; direction: "before" | "after"; subject: IrExpr; amount: IrExpr; anchor: IrExpr })
  | (ExprBase & { kind: "between"; subject: IrExpr; low: IrExpr; high: IrExpr })
  | (ExprBase & { kind: "order"; direction: "before" | "after"; subject: IrExpr; anchor: IrExpr })
  /** `any|all|none|count records where …`. */
  | (ExprBase & {
      kind: "quantifier";
      quantifier: "any" | "all" | "none" | "count";
      records: string;
      where: IrExpr | null;
    })
  /** A built-in function: `age(date, at)`, `successive_rises(records, value, group, order)`. */
  | (ExprBase & { kind: "builtin"; fn: BuiltinName; args: IrExpr[] })
  /** Toxicity only: cumulative or projected absorbed dose to an organ. */
  | (ExprBase & { kind: "organDose"; measure: "cumulative" | "projected"; organ: string })
  /** Toxicity only: the CTCAE grade of a graded term. */
  | (ExprBase & { kind: "grade"; term: string })
  /** Response only: a variable the section provides (`change`). */
  | (ExprBase & { kind: "var"; name: string })
  /**
   * A yes/no data element used as a condition on its own (`advanced_disease`), so that
   * the explanation shows its value and who attests it.
   */
  | (ExprBase & { kind: "fact"; arg: IrExpr; attestedBy?: "investigator" | "patient" });

export type CompareOp = "<" | "<=" | ">" | ">=" | "=" | "!=";
export type BuiltinName = "age" | "successive_rises";
export type IrExprKind = IrExpr["kind"];

// ---------------------------------------------------------------------------
// Traceability
// ---------------------------------------------------------------------------

export interface IrCite {
  source: string;
  text: string;
}
export interface IrInterpretation {
  text: string;
  ref: string | null;
  sources: string[];
}
export interface IrTrace {
  cites: IrCite[];
  interpretations: IrInterpretation[];
  /** Sources named for values that do not come from the protocol. */
  sources: string[];
}

export interface IrSource {
  name: string;
  citation: string;
  kind: "protocol" | "literature" | "standard" | "reference";
}

// ---------------------------------------------------------------------------
// Data dictionary
// ---------------------------------------------------------------------------

export interface IrCode {
  code: string;
  label: string;
}

export interface IrElement {
  name: string;
  label: string;
  type: "decimal" | "integer" | "boolean" | "date" | "datetime" | "text" | "code" | "attestation" | "records";
  /** UCUM unit of a decimal quantity; absent for a pure number. */
  unit?: string;
  /** Plausible range, in `unit`. */
  range?: { low: string; high: string };
  /** Whether the data carry an upper / lower limit of normal beside the value. */
  reference: { uln: boolean; lln: boolean };
  /** Molar mass in g/mol, allowing mass ↔ substance conversion. */
  molarMass?: string;
  codes?: IrCode[];
  attestedBy?: "investigator" | "patient";
  form: string | null;
  requiredWhen?: IrExpr;
  captureOnly: boolean;
  /**
   * For a measured element (a top-level decimal with a unit): which of its results
   * rules read. The latest one, optionally only of a method, optionally in a closed
   * window of anchor-relative times.
   */
  select?: { method?: string; window?: { low: IrRelativeTime; high: IrRelativeTime }; text: string };
  /** Record fields, for `records`. */
  fields?: IrElement[];
  /** Which rules read this element (criterion ids, definitions, toxicity rules ...). */
  readBy: string[];
  span: IrSpan;
}

export interface IrForm {
  name: string;
  label: string;
  elements: string[];
}
export interface IrAnchor {
  name: string;
  label: string;
  repeating: boolean;
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

export type IrCriterionBody =
  { kind: "rule"; expr: IrExpr } | { kind: "group"; mode: "all" | "atLeast"; count: number; children: IrCriterion[] };

export interface IrCriterion {
  id: string;
  role: "inclusion" | "exclusion" | "criterion";
  text: string;
  trace: IrTrace;
  body: IrCriterionBody;
  /** Data elements the criterion reads, directly or through definitions (sorted). */
  reads: string[];
  /** Anchors the criterion needs (sorted). */
  anchors: string[];
  span: IrSpan;
}

export interface IrDefinition {
  name: string;
  params: string[];
  label: string;
  trace: IrTrace;
  expr: IrExpr;
  span: IrSpan;
}

export interface IrParameter {
  name: string;
  label: string;
  value: IrExpr;
  trace: IrTrace;
  span: IrSpan;
}

// ---------------------------------------------------------------------------
// Schedule, toxicity, response
// ---------------------------------------------------------------------------

/** A point in time relative to an anchor: `D0 - 4 wk` is anchor D0 with offsets [-4 wk]. */
export interface IrRelativeTime {
  anchor: string;
  offsets: { sign: 1 | -1; duration: IrDuration }[];
  text: string;
}

export interface IrTreatment {
  name: string;
  label: string;
  dose: { value: string; unit: string; tolerance: { value: string; unit: string; param?: string } | null } | null;
  route: string | null;
  cycles: number | null;
  firstAt: string | null;
  spacing: { min: IrDuration; max: IrDuration } | null;
  trace: IrTrace;
}

export interface IrStep {
  name: string;
  label: string;
  timing: { kind: "at"; offset: IrDuration } | { kind: "before" | "after"; step: string };
  lasting: { min: IrDuration; max: IrDuration } | null;
}

export interface IrDay {
  label: string;
  steps: IrStep[];
  total: { min: IrDuration; max: IrDuration } | null;
  trace: IrTrace;
}

export interface IrVisit {
  name: string;
  label: string;
  eachCycle: boolean;
  timing: { kind: "at"; at: IrRelativeTime } | { kind: "between"; low: IrRelativeTime; high: IrRelativeTime };
  procedures: string[];
  trace: IrTrace;
}

export interface IrRequirement {
  name: string;
  label: string;
  eachCycle: boolean;
  expr: IrExpr;
  reads: string[];
  trace: IrTrace;
}

export interface IrSchedule {
  treatments: IrTreatment[];
  days: IrDay[];
  visits: IrVisit[];
  requirements: IrRequirement[];
  trace: IrTrace;
}

export interface IrOrgan {
  name: string;
  label: string;
  /** The records element and field holding the per-cycle absorbed dose. */
  records: string;
  field: string;
  unit: string;
  limit: { param: string; value: string; unit: string };
}

export interface IrGrade {
  term: string;
  label: string;
  element: string;
  /** Unit of the element (graded after exact conversion to the table's unit). */
  unit?: string;
  /**
   * The standard's own words for grades 1–5 (CTCAE v4.03, verbatim), copied by the
   * checker so that documents can print the grading without importing the stdlib.
   * Optional only so that hand-built IR stays valid; the checker always fills it.
   */
  gradeTexts?: { grade: 1 | 2 | 3 | 4 | 5; text: string }[];
  /**
   * The grading table entry of the term (criteria as data, with its source), copied
   * from the library by the checker: evaluators grade from the IR alone.
   */
  entry: CtcaeTermEntry;
}

export interface IrToxRule {
  action: "stop" | "delay";
  name: string;
  label: string;
  when: IrExpr;
  reads: string[];
  trace: IrTrace;
}

export interface IrToxicity {
  organs: IrOrgan[];
  grades: IrGrade[];
  rules: IrToxRule[];
  maxCycles: number | null;
  trace: IrTrace;
}

export interface IrLesionResponse {
  records: string;
  field: string;
  unit: string;
  reference: "baseline" | "nadir";
  categories: { name: string; label: string; when: IrExpr | null }[];
  trace: IrTrace;
}

export interface IrRecist {
  confirmation: { required: boolean; minIntervalDays: number };
  maxNotEvaluableBetween: number;
  stableDiseaseMinimum: { days: number; anchor: string } | null;
  tooSmallToMeasureMm: string;
  trace: IrTrace;
}

export interface IrResponse {
  lesion: IrLesionResponse | null;
  recist: IrRecist | null;
  trace: IrTrace;
}

// ---------------------------------------------------------------------------
// The protocol
// ---------------------------------------------------------------------------

export interface IrTrial {
  id: string;
  title: string;
  /** Every metadata line, in source order: `phase` → ["3"], `registry` → ["EudraCT", "2012-…"]. */
  meta: { key: string; values: string[] }[];
  trace: IrTrace;
}

export interface IrProtocol {
  irVersion: 1;
  source: { file: string; sha256: string };
  trial: IrTrial;
  libraries: { name: string; version: string }[];
  /** The trial's IANA time zone (`timezone "Europe/Brussels"`): date-times are read in it. */
  timeZone?: string;
  sources: IrSource[];
  anchors: IrAnchor[];
  forms: IrForm[];
  elements: IrElement[];
  definitions: IrDefinition[];
  parameters: IrParameter[];
  eligibility: { inclusion: IrCriterion[]; exclusion: IrCriterion[] };
  schedule: IrSchedule | null;
  toxicity: IrToxicity | null;
  response: IrResponse | null;
}
