/**
 * The abstract syntax tree of a `.trial` file.
 *
 * Built from Chevrotain's CST by `src/syntax/to-ast.ts`; read only by `src/check`.
 * Every node is plain data with a literal `kind` and a `span`, so that
 * `switch (node.kind)` is exhaustive and every diagnostic can point at source.
 * Numbers are kept as their decimal source text: nothing here is a float.
 */

/** A range of source text. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** An identifier together with where it was written. */
export interface Name {
  text: string;
  span: Span;
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

export type Expr =
  | NumberLit
  | QuantityLit
  | StringLit
  | BoolLit
  | NameRef
  | PathRef
  | Call
  | UlnMultiple
  | Logical
  | Not
  | Compare
  | InSet
  | Arith
  | Within
  | AtLeast
  | Between
  | BeforeAfter
  | Quantifier
  | IfThen
  | OrganDose
  | GradeOf
  | Paren;

/** `18` or `1.5`: a plain number. `value` is the exact decimal text. */
export interface NumberLit {
  kind: "NumberLit";
  value: string;
  span: Span;
}
/** `9 g/dL`, `48 h`, `12 mo`: a number with a UCUM unit (or a duration unit alias). */
export interface QuantityLit {
  kind: "QuantityLit";
  value: string;
  unit: string;
  unitSpan: Span;
  span: Span;
}
export interface StringLit {
  kind: "StringLit";
  value: string;
  span: Span;
}
export interface BoolLit {
  kind: "BoolLit";
  value: boolean;
  span: Span;
}
/** A bare name: a data element, record field, definition, parameter, anchor or code value. */
export interface NameRef {
  kind: "NameRef";
  name: string;
  span: Span;
}
/** `dosimetry.kidney_dose`: a field of a repeating record. */
export interface PathRef {
  kind: "PathRef";
  base: Name;
  field: Name;
  span: Span;
}
/** `age(birth_date, inclusion)`, or a parameterised definition `baseline_done(mri)`. */
export interface Call {
  kind: "Call";
  callee: Name;
  args: Expr[];
  span: Span;
}
/** `2 x ULN`, `0.5 x LLN`: a multiple of the reference limit of the element it is compared with. */
export interface UlnMultiple {
  kind: "UlnMultiple";
  factor: string;
  limit: "ULN" | "LLN";
  span: Span;
}
export interface Logical {
  kind: "Logical";
  op: "and" | "or";
  left: Expr;
  right: Expr;
  span: Span;
}
export interface Not {
  kind: "Not";
  operand: Expr;
  span: Span;
}
export type CompareOp = "<" | "<=" | ">" | ">=" | "=" | "!=";
export interface Compare {
  kind: "Compare";
  op: CompareOp;
  left: Expr;
  right: Expr;
  span: Span;
}
/** `primary_site in (pancreas, stomach)`. */
export interface InSet {
  kind: "InSet";
  operand: Expr;
  values: Name[];
  span: Span;
}
/** `D0 - 4 wk`, `cycle + 1 d`. */
export interface Arith {
  kind: "Arith";
  op: "+" | "-";
  left: Expr;
  right: Expr;
  span: Span;
}
/** `date within 12 mo before inclusion`: subject in the closed window [anchor - amount, anchor] (or after). */
export interface Within {
  kind: "Within";
  subject: Expr;
  amount: Expr;
  direction: "before" | "after";
  anchor: Expr;
  span: Span;
}
/** `last_dose at least 4 wk before D0`: subject <= anchor - amount (or >= anchor + amount). */
export interface AtLeast {
  kind: "AtLeast";
  subject: Expr;
  amount: Expr;
  direction: "before" | "after";
  anchor: Expr;
  span: Span;
}
/** `date between D0 - 4 wk and D0 - 1 d`: closed on both ends. */
export interface Between {
  kind: "Between";
  subject: Expr;
  low: Expr;
  high: Expr;
  span: Span;
}
/** `consent_at before first_procedure_at`: strictly earlier (or later). */
export interface BeforeAfter {
  kind: "BeforeAfter";
  subject: Expr;
  direction: "before" | "after";
  anchor: Expr;
  span: Span;
}
/** `any lesions where ...`, `all`, `none`, `count` (count yields an integer). */
export interface Quantifier {
  kind: "Quantifier";
  quantifier: "any" | "all" | "none" | "count";
  collection: Name;
  where: Expr | null;
  span: Span;
}
/** `if a then b` (true when a is false) or `if a then b else c`. */
export interface IfThen {
  kind: "IfThen";
  cond: Expr;
  then: Expr;
  otherwise: Expr | null;
  span: Span;
}
/** `cumulative kidneys`, `projected bone_marrow`: toxicity-only organ dose terms. */
export interface OrganDose {
  kind: "OrganDose";
  measure: "cumulative" | "projected";
  organ: Name;
  span: Span;
}
/** `grade platelet_count_decreased`: the CTCAE grade of a graded term (toxicity only). */
export interface GradeOf {
  kind: "GradeOf";
  term: Name;
  span: Span;
}
/** Parentheses, kept so that spans and the printed rule match the source. */
export interface Paren {
  kind: "Paren";
  inner: Expr;
  span: Span;
}

// ---------------------------------------------------------------------------
// Traceability
// ---------------------------------------------------------------------------

/** `cite seed "protocol words"`: the protocol text a rule encodes. */
export interface Cite {
  kind: "Cite";
  source: Name;
  text: string;
  span: Span;
}
/** `interpretation "reading adopted" ref "domain §7.3" source x`: a reading of ambiguous text. */
export interface Interpretation {
  kind: "Interpretation";
  text: string;
  ref: string | null;
  sources: Name[];
  span: Span;
}
/** `source emami1991`: a value that does not come from the protocol names where it does come from. */
export interface SourceRef {
  kind: "SourceRef";
  source: Name;
  span: Span;
}

/** What any traceable declaration may carry. */
export interface Trace {
  cites: Cite[];
  interpretations: Interpretation[];
  sources: SourceRef[];
}

// ---------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------

export type Decl =
  | TrialDecl
  | UseDecl
  | SourceDecl
  | AnchorDecl
  | FormDecl
  | DataDecl
  | CriterionDecl
  | DefineDecl
  | ParameterDecl
  | ScheduleDecl
  | ToxicityDecl
  | ResponseDecl
  | ObjectivesDecl
  | NormaliseDecl;

/** One metadata line: `phase "3"`, `official title "..."`, `registry "EudraCT" "2012-..."`. */
export interface MetaProp {
  key: string;
  values: string[];
  /** `from SOURCE`: the value is not in the protocol text; this source gives it. */
  source: Name | null;
  span: Span;
}
export interface TrialDecl {
  kind: "TrialDecl";
  id: string;
  props: MetaProp[];
  trace: Trace;
  span: Span;
}
/** `use ctcae "4.03"`. */
export interface UseDecl {
  kind: "UseDecl";
  library: Name;
  version: string;
  span: Span;
}
export type SourceKind = "protocol" | "literature" | "standard" | "reference";
export interface SourceDecl {
  kind: "SourceDecl";
  name: Name;
  citation: string;
  sourceKind: SourceKind;
  span: Span;
}
export interface AnchorDecl {
  kind: "AnchorDecl";
  name: Name;
  label: string;
  repeating: boolean;
  span: Span;
}
export interface FormDecl {
  kind: "FormDecl";
  name: Name;
  label: string;
  span: Span;
}

/** The data dictionary block. */
export interface DataDecl {
  kind: "DataDecl";
  elements: ElementDecl[];
  span: Span;
}

export type TypeSpec =
  | { kind: "decimal"; unit: Name | null }
  | { kind: "integer" }
  | { kind: "boolean" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "text" }
  | { kind: "code"; options: CodeOption[] }
  | { kind: "attestation"; by: "investigator" | "patient" }
  | { kind: "records" };

export interface CodeOption {
  code: Name;
  label: string;
  /** Standard codes bound to this value (`male "Male" code SNOMED "248153007"`). */
  codes: CodeBinding[];
}

/** `code LOINC "718-7"`: a standard terminology code; the checker validates system and syntax. */
export interface CodeBinding {
  system: Name;
  code: string;
  span: Span;
}

/** `hemoglobin: decimal g/dL range 1 to 25 with ULN molar mass 16114.5 g/mol "Hemoglobin" form labs`. */
export interface ElementDecl {
  kind: "ElementDecl";
  name: Name;
  type: TypeSpec;
  typeSpan: Span;
  label: string;
  form: Name | null;
  /** `range LOW to HIGH`, plausible values, in the element's unit. */
  range: { low: string; high: string; span: Span } | null;
  withUln: boolean;
  withLln: boolean;
  molarMass: { value: string; unit: Name } | null;
  /** `required when <expr>`: a conditional requirement on the form. */
  requiredWhen: Expr | null;
  captureOnly: boolean;
  /** Standard codes bound to the element (`code LOINC "718-7"`), in source order. */
  codes: CodeBinding[];
  /** `select latest [by "method"] [between LOW and HIGH]`: which result of a measured element rules read. */
  select: { method: string | null; low: Expr | null; high: Expr | null; span: Span } | null;
  /**
   * `noun "somatostatin receptor scan" [plural "…"]`: what one row of a records element is
   * called in sentences ("at least one somatostatin receptor scan with …"); plural as written.
   */
  noun: { singular: string; plural: string | null; span: Span } | null;
  /** Record fields, for `records`. */
  fields: ElementDecl[];
  span: Span;
}

export type RuleBody =
  | { kind: "Rule"; expr: Expr; span: Span }
  | { kind: "Group"; mode: "all" | "atLeast"; count: number; children: CriterionDecl[]; span: Span };

/** `inclusion I1 "text" { ... }`, `exclusion E2 ...`, or a nested `criterion I3a ...`. */
export interface CriterionDecl {
  kind: "CriterionDecl";
  role: "inclusion" | "exclusion" | "criterion";
  id: Name;
  text: string;
  trace: Trace;
  body: RuleBody;
  span: Span;
}

/** `define name(params) "label" { cite ... rule expr }`. */
export interface DefineDecl {
  kind: "DefineDecl";
  name: Name;
  params: Name[];
  label: string;
  trace: Trace;
  expr: Expr;
  span: Span;
}

/** `parameter kidney_dose_limit "label" = 23 Gy { source emami1991 }`. */
/**
 * `normalise gfr from decimal mL/min to 1.73 m2 by bsa { source domain }`: a measured
 * element's results in the absolute unit `from` are normalised to the reference area
 * (`value × 1.73 m2 / BSA`), the BSA read from a data element (`by bsa`) or computed by
 * a named formula from others (`by du_bois(height, weight)`).
 */
export interface NormaliseDecl {
  kind: "NormaliseDecl";
  element: Name;
  /** The absolute unit, as written after `from decimal`. */
  from: Name;
  /** The reference area, `1.73 m2`. */
  area: { value: string; unit: Name; span: Span };
  /** The BSA element, or the formula's name. */
  by: Name;
  /** The formula's arguments (`(height, weight)`); null for an element. */
  args: Name[] | null;
  trace: Trace;
  /** The declaration without its block: what documents quote. */
  header: Span;
  span: Span;
}

export interface ParameterDecl {
  kind: "ParameterDecl";
  name: Name;
  label: string;
  value: Expr;
  trace: Trace;
  span: Span;
}

export interface DurationRange {
  min: Expr;
  max: Expr;
  span: Span;
}

export interface ScheduleDecl {
  kind: "ScheduleDecl";
  trace: Trace;
  treatments: TreatmentDecl[];
  days: DayDecl[];
  visits: VisitDecl[];
  requires: RequireDecl[];
  span: Span;
}
export interface TreatmentDecl {
  kind: "TreatmentDecl";
  name: Name;
  label: string;
  dose: { amount: Expr; tolerance: Expr | null; span: Span } | null;
  route: string | null;
  cycles: { count: number; span: Span } | null;
  firstAt: Name | null;
  spacing: DurationRange | null;
  trace: Trace;
  span: Span;
}
export interface DayDecl {
  kind: "DayDecl";
  label: string;
  steps: StepDecl[];
  total: DurationRange | null;
  trace: Trace;
  span: Span;
}
export type StepTiming = { kind: "at"; offset: Expr } | { kind: "before"; step: Name } | { kind: "after"; step: Name };
export interface StepDecl {
  kind: "StepDecl";
  name: Name;
  label: string;
  timing: StepTiming;
  lasting: DurationRange | null;
  span: Span;
}
export type VisitTiming = { kind: "at"; at: Expr } | { kind: "between"; low: Expr; high: Expr };
export interface VisitDecl {
  kind: "VisitDecl";
  name: Name;
  label: string;
  eachCycle: boolean;
  timing: VisitTiming;
  procedures: string[];
  trace: Trace;
  span: Span;
}
export interface RequireDecl {
  kind: "RequireDecl";
  name: Name;
  label: string;
  eachCycle: boolean;
  expr: Expr;
  trace: Trace;
  span: Span;
}

export interface ToxicityDecl {
  kind: "ToxicityDecl";
  trace: Trace;
  organs: OrganDecl[];
  grades: GradeDecl[];
  rules: ToxRuleDecl[];
  maxCycles: { count: number; span: Span } | null;
  span: Span;
}
/** `organ kidneys "Kidneys" dose dosimetry.kidney_dose limit kidney_dose_limit`. */
export interface OrganDecl {
  kind: "OrganDecl";
  name: Name;
  label: string;
  dose: PathRef;
  limit: Name;
  span: Span;
}
/** `grade anemia "Anemia" from hemoglobin`: a CTCAE term graded from a data element. */
export interface GradeDecl {
  kind: "GradeDecl";
  term: Name;
  label: string;
  from: Name;
  span: Span;
}
export interface ToxRuleDecl {
  kind: "ToxRuleDecl";
  action: "stop" | "delay";
  name: Name;
  label: string;
  when: Expr;
  /** `max 6 wk then stop`: how long the delay may last and what happens then (delay rules only). */
  maxDelay: { duration: Expr; then: { kind: "stop" } | { kind: "text"; text: string }; span: Span } | null;
  trace: Trace;
  span: Span;
}

export interface ResponseDecl {
  kind: "ResponseDecl";
  trace: Trace;
  lesion: LesionResponseDecl | null;
  recist: RecistDecl | null;
  span: Span;
}
/** `lesion change of longest_diameter from baseline { category ... }`. */
export interface LesionResponseDecl {
  kind: "LesionResponseDecl";
  field: Name;
  reference: "baseline" | "nadir";
  categories: { name: Name; label: string; when: Expr | null; span: Span }[];
  trace: Trace;
  span: Span;
}
export interface RecistDecl {
  kind: "RecistDecl";
  confirmation: { required: boolean; after: Expr | null; span: Span } | null;
  maxNotEvaluableBetween: { count: number; span: Span } | null;
  stableDiseaseMinimum: { amount: Expr; anchor: Name; span: Span } | null;
  tooSmallToMeasure: Expr | null;
  trace: Trace;
  span: Span;
}

/** A whole `.trial` file. */
export interface TrialFile {
  kind: "TrialFile";
  file: string;
  decls: Decl[];
  span: Span;
}

/** `objectives { trace* objective* }`: the trial's objectives and their endpoints. */
export interface ObjectivesDecl {
  kind: "ObjectivesDecl";
  trace: Trace;
  objectives: ObjectiveDecl[];
  span: Span;
}

/** `primary P1 "To assess ..." per lesion { trace* endpoint* }`. */
export interface ObjectiveDecl {
  kind: "ObjectiveDecl";
  level: "primary" | "secondary" | "exploratory";
  id: Name;
  text: string;
  /** `per lesion` or `per patient`: the unit of analysis; null when not said. */
  basis: "lesion" | "patient" | null;
  trace: Trace;
  endpoints: EndpointDecl[];
  span: Span;
}

/** `endpoint NAME "label" uses element, records.field [{ trace* }]`. */
export interface EndpointDecl {
  kind: "EndpointDecl";
  name: Name;
  label: string;
  /** The data the endpoint needs: an element, or a field of a records element. */
  uses: { base: Name; field: Name | null; span: Span }[];
  trace: Trace;
  span: Span;
}
