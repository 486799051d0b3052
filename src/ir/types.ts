/**
 * The intermediate representation: the checked protocol as plain, JSON-serialisable data.
 *
 * This file is the contract between the front end (`src/check` builds it) and every
 * later stage: the lowering (`src/lower`) and the targets (the reference interpreter, the
 * TypeScript evaluators, the forms, the documents) read this and nothing else. Names are
 * resolved, units are normalised (a threshold is stored in the unit of the element it is
 * compared with, converted exactly), every node keeps its source span, and every rule
 * keeps its protocol text. Numbers are decimal strings, never floats.
 *
 * The IR is immutable once built: every field is `readonly`. A change of shape is a
 * change of `irVersion`; `trialc check --emit-ir` prints it, and
 * `tests/ir/golden/lu177-octreotate.ir.json` is the seed protocol's, reviewed like code.
 */

import type { CtcaeTermEntry } from "../runtime/ctcae.js";
import type { Normalisation } from "../runtime/bsa.js";

/** Where a node came from: enough to print `file:line:col`. Lines and columns count from 1. */
export interface IrSpan {
  /** The `.trial` file, as it was given to the compiler. */
  readonly file: string;
  /** First line of the node. */
  readonly line: number;
  /** First column of the node. */
  readonly column: number;
  /** Last line of the node. */
  readonly endLine: number;
  /** Column just after the node's last character. */
  readonly endColumn: number;
}

/** The value types of the language. */
export type IrType =
  "boolean" | "integer" | "decimal" | "quantity" | "date" | "datetime" | "duration" | "text" | "code" | "records";

/** The duration units; `mo` and `a` are applied with calendar arithmetic. */
export type DurationUnit = "min" | "h" | "d" | "wk" | "mo" | "a";

/** A length of time: `4 wk`. */
export interface IrDuration {
  /** The amount, a decimal string. */
  readonly amount: string;
  /** Its unit. */
  readonly unit: DurationUnit;
}

// ---------------------------------------------------------------------------
// Expressions: a union discriminated on `kind`
// ---------------------------------------------------------------------------

/** Fields every expression node carries. */
export interface IrExprBase {
  /** The node's value type, as the checker inferred it. */
  readonly type: IrType;
  /** For quantities: the UCUM unit the value is expressed in after normalisation. */
  readonly unit?: string;
  /** The node's source text, quoted in explanations. */
  readonly text: string;
  /** Where the node is in the source. */
  readonly span: IrSpan;
}

/** `true` or `false`. */
export interface IrBool extends IrExprBase {
  readonly kind: "bool";
  /** The literal. */
  readonly value: boolean;
}

/** A pure number. */
export interface IrNumber extends IrExprBase {
  readonly kind: "number";
  /** The number, a decimal string. */
  readonly value: string;
}

/** A quantity constant, converted exactly into `unit` (the unit of what it is compared with). */
export interface IrQuantity extends IrExprBase {
  readonly kind: "quantity";
  /** The converted value, a decimal string. */
  readonly value: string;
  /** The UCUM unit of `value`. */
  readonly unit: string;
  /** What the author wrote, before conversion. */
  readonly written: { readonly value: string; readonly unit: string };
  /** The parameter the constant came from, when it was written as a parameter's name. */
  readonly param?: string;
}

/** A duration constant: `4 wk`. */
export interface IrDurationLit extends IrExprBase {
  readonly kind: "duration";
  /** The duration. */
  readonly duration: IrDuration;
  /** The parameter the constant came from, when it was written as a parameter's name. */
  readonly param?: string;
}

/** A text literal. */
export interface IrString extends IrExprBase {
  readonly kind: "string";
  /** The text, unescaped. */
  readonly value: string;
}

/** A code of a coded element's code list. */
export interface IrCodeLit extends IrExprBase {
  readonly kind: "code";
  /** The code. */
  readonly value: string;
  /** Its label in the code list. */
  readonly label: string;
}

/** A top-level data element. */
export interface IrElementRef extends IrExprBase {
  readonly kind: "element";
  /** The element's name in the data dictionary. */
  readonly name: string;
}

/** A field of the record a quantifier is ranging over. */
export interface IrFieldRef extends IrExprBase {
  readonly kind: "field";
  /** The records element. */
  readonly record: string;
  /** The field's name. */
  readonly name: string;
}

/** A parameter of a parameterised definition, bound at the call site. */
export interface IrArg extends IrExprBase {
  readonly kind: "arg";
  /** The parameter's name. */
  readonly name: string;
}

/** A time anchor supplied by the caller (inclusion date, D0, the current cycle's date). */
export interface IrAnchorRef extends IrExprBase {
  readonly kind: "anchor";
  /** The anchor's name. */
  readonly name: string;
}

/** Use of a named definition. */
export interface IrDefine extends IrExprBase {
  readonly kind: "define";
  /** The definition's name. */
  readonly name: string;
  /** The arguments, binding the definition's parameters in order. */
  readonly args: readonly IrExpr[];
}

/** Kleene conjunction or disjunction. */
export interface IrLogic extends IrExprBase {
  readonly kind: "and" | "or";
  /** The operands, in source order (at least two). */
  readonly args: readonly IrExpr[];
}

/** Kleene negation. */
export interface IrNot extends IrExprBase {
  readonly kind: "not";
  /** The negated condition. */
  readonly arg: IrExpr;
}

/** `if cond then a` (true when cond is false), or with `otherwise`. */
export interface IrIf extends IrExprBase {
  readonly kind: "if";
  /** The condition. */
  readonly cond: IrExpr;
  /** The value when the condition holds. */
  readonly then: IrExpr;
  /** The value when it does not; null means true. */
  readonly otherwise: IrExpr | null;
}

/** A comparison; quantities on both sides are in the same unit. */
export interface IrCompare extends IrExprBase {
  readonly kind: "compare";
  /** The operator, exactly as the protocol's boundary says (>= is not >). */
  readonly op: CompareOp;
  /** The left operand. */
  readonly left: IrExpr;
  /** The right operand; an `IrRefMultiple` for `<= 1.5 x ULN`. */
  readonly right: IrExpr;
}

/** Membership of a code in a set: `histology in {…}`. */
export interface IrIn extends IrExprBase {
  readonly kind: "in";
  /** The coded value tested. */
  readonly arg: IrExpr;
  /** The codes of the set. */
  readonly values: readonly string[];
}

/** `factor x ULN` (or LLN) of the element on the other side of the comparison. */
export interface IrRefMultiple extends IrExprBase {
  readonly kind: "refMultiple";
  /** The multiple, a decimal string. */
  readonly factor: string;
  /** Which reference limit. */
  readonly limit: "ULN" | "LLN";
  /** The element (or record field) whose limit is meant. */
  readonly of: string;
  /** The records element, when `of` is a record field. */
  readonly ofRecord?: string;
}

/** A time point shifted by a duration: `D0 - 4 wk`. */
export interface IrShift extends IrExprBase {
  readonly kind: "shift";
  /** The time point shifted. */
  readonly base: IrExpr;
  /** Later (1) or earlier (-1). */
  readonly sign: 1 | -1;
  /** The duration. */
  readonly duration: IrExpr;
}

/** `subject within amount before|after anchor`: a closed window. */
export interface IrWithin extends IrExprBase {
  readonly kind: "within";
  /** Which side of the anchor the window lies. */
  readonly direction: "before" | "after";
  /** The time point tested. */
  readonly subject: IrExpr;
  /** The window's length. */
  readonly amount: IrExpr;
  /** The reference time point. */
  readonly anchor: IrExpr;
}

/** `subject at least amount before|after anchor`: closed at the amount. */
export interface IrAtLeast extends IrExprBase {
  readonly kind: "atLeast";
  /** Which side of the anchor. */
  readonly direction: "before" | "after";
  /** The time point tested. */
  readonly subject: IrExpr;
  /** The least distance. */
  readonly amount: IrExpr;
  /** The reference time point. */
  readonly anchor: IrExpr;
}

/** `subject between low and high`: both bounds included. */
export interface IrBetween extends IrExprBase {
  readonly kind: "between";
  /** The value or time point tested. */
  readonly subject: IrExpr;
  /** The lower bound (included). */
  readonly low: IrExpr;
  /** The upper bound (included). */
  readonly high: IrExpr;
}

/** `subject before|after anchor`: strict. */
export interface IrOrder extends IrExprBase {
  readonly kind: "order";
  /** Strictly before or strictly after. */
  readonly direction: "before" | "after";
  /** The time point tested. */
  readonly subject: IrExpr;
  /** The reference time point. */
  readonly anchor: IrExpr;
}

/** `any|all|none|count records where …`. */
export interface IrQuantifier extends IrExprBase {
  readonly kind: "quantifier";
  /** The quantifier. */
  readonly quantifier: "any" | "all" | "none" | "count";
  /** The records element ranged over. */
  readonly records: string;
  /** The condition on each record (fields read as `IrFieldRef`); null means every record. */
  readonly where: IrExpr | null;
}

/** A built-in function: `age(date, at)`, `successive_rises(records, value, group, order)`. */
export interface IrBuiltin extends IrExprBase {
  readonly kind: "builtin";
  /** Which built-in. */
  readonly fn: BuiltinName;
  /** Its arguments, in the built-in's order. */
  readonly args: readonly IrExpr[];
}

/** Toxicity only: cumulative or projected absorbed dose to an organ. */
export interface IrOrganDose extends IrExprBase {
  readonly kind: "organDose";
  /** Given so far, or including the next cycle at the last cycle's dose. */
  readonly measure: "cumulative" | "projected";
  /** The organ's name in the toxicity section. */
  readonly organ: string;
}

/** Toxicity only: the CTCAE grade of a graded term. */
export interface IrGradeRef extends IrExprBase {
  readonly kind: "grade";
  /** The graded term's name in the toxicity section. */
  readonly term: string;
}

/** Response only: a variable the section provides (`change`). */
export interface IrVar extends IrExprBase {
  readonly kind: "var";
  /** The variable's name. */
  readonly name: string;
}

/**
 * A yes/no data element used as a condition on its own (`advanced_disease`), so that
 * the explanation shows its value and who attests it.
 */
export interface IrFact extends IrExprBase {
  readonly kind: "fact";
  /** The boolean element read. */
  readonly arg: IrExpr;
  /** Who attests it, when the element says so. */
  readonly attestedBy?: "investigator" | "patient";
}

/** An expression: every node a rule, definition or condition is made of. */
export type IrExpr =
  | IrBool
  | IrNumber
  | IrQuantity
  | IrDurationLit
  | IrString
  | IrCodeLit
  | IrElementRef
  | IrFieldRef
  | IrArg
  | IrAnchorRef
  | IrDefine
  | IrLogic
  | IrNot
  | IrIf
  | IrCompare
  | IrIn
  | IrRefMultiple
  | IrShift
  | IrWithin
  | IrAtLeast
  | IrBetween
  | IrOrder
  | IrQuantifier
  | IrBuiltin
  | IrOrganDose
  | IrGradeRef
  | IrVar
  | IrFact;

/**
 * A comparison with a CTCAE grade after lowering (`src/lower/grade-tests.ts`): a `grade`
 * node that carries the comparison it came from, `grade TERM op N` or
 * `grade TERM op grade OTHER`. The checker never produces it; only the lowering does,
 * because a grade known only as a range ("0 or 1") needs a test over the range.
 */
export interface IrGradeTest extends IrGradeRef {
  /** The comparison, with the grade on the left. */
  readonly test: {
    /** The operator (flipped when the grade was on the right). */
    readonly op: CompareOp;
    /** A grade number (decimal string) or another graded term. */
    readonly right: { readonly value: string } | { readonly grade: string };
  };
}

/** An expression after lowering: an `IrExpr` in which grade comparisons may be `IrGradeTest`s. */
export type IrLoweredExpr = IrExpr | IrGradeTest;

/** The comparison operators. */
export type CompareOp = "<" | "<=" | ">" | ">=" | "=" | "!=";
/** The built-in functions. */
export type BuiltinName = "age" | "successive_rises";
/** The discriminants of `IrExpr`. */
export type IrExprKind = IrExpr["kind"];

// ---------------------------------------------------------------------------
// Traceability
// ---------------------------------------------------------------------------

/** A quotation of the protocol (or another source) a rule encodes. */
export interface IrCite {
  /** The source's name (an `IrSource`). */
  readonly source: string;
  /** The quoted text, verbatim. */
  readonly text: string;
}

/** A reading of ambiguous protocol text that the encoding adopted. */
export interface IrInterpretation {
  /** What was decided, in words. */
  readonly text: string;
  /** Where the reasoning is recorded (`domain §7.23`), if anywhere. */
  readonly ref: string | null;
  /** Sources the interpretation relies on. */
  readonly sources: readonly string[];
}

/** Where a rule or section comes from. */
export interface IrTrace {
  /** The protocol text it encodes. */
  readonly cites: readonly IrCite[];
  /** The interpretations it adopts. */
  readonly interpretations: readonly IrInterpretation[];
  /** Sources named for values that do not come from the protocol. */
  readonly sources: readonly string[];
}

/** A declared source: the protocol, a paper, a standard, a reference note. */
export interface IrSource {
  /** The name rules cite it by. */
  readonly name: string;
  /** The full citation. */
  readonly citation: string;
  /** What kind of source it is (documents flag values not from the protocol). */
  readonly kind: "protocol" | "literature" | "standard" | "reference";
}

// ---------------------------------------------------------------------------
// Data dictionary
// ---------------------------------------------------------------------------

/** The terminologies a standard code may come from. */
export type IrCodeSystem = "LOINC" | "SNOMED" | "ATC" | "RxNorm" | "ICD10" | "UCUM";

/**
 * A standard terminology code bound to a data element, a record field or a code value
 * (`code LOINC "718-7"`). Its syntax (check digits, shape) has been validated, not its
 * existence. Contract relied on by the FHIR import and the SQL/OMOP target
 * (`src/emit/sql/binding.ts`): keep the field names.
 */
export interface IrCode {
  /** The terminology. */
  readonly system: IrCodeSystem;
  /** The code as the terminology writes it (`718-7`, `248153007`, `H01CB`). */
  readonly code: string;
}

/** One value of a `code(...)` type: `male "Male" code SNOMED "248153007"`. */
export interface IrCodeValue {
  /** The code, as data carry it (`male`). */
  readonly code: string;
  /** Its label. */
  readonly label: string;
  /** Standard codes this value stands for, in source order (empty when none is bound). */
  readonly codes: readonly IrCode[];
}

/** A data element (or a field of a records element): what is collected and how it is checked. */
export interface IrElement {
  /** The name rules and data use. */
  readonly name: string;
  /** The label forms and documents print. */
  readonly label: string;
  /** The element's data type. */
  readonly type: "decimal" | "integer" | "boolean" | "date" | "datetime" | "text" | "code" | "attestation" | "records";
  /** UCUM unit of a decimal quantity; absent for a pure number. */
  readonly unit?: string;
  /** Plausible range, in `unit`; values outside are rejected as data errors. */
  readonly range?: { readonly low: string; readonly high: string };
  /** Whether the data carry an upper / lower limit of normal beside the value. */
  readonly reference: { readonly uln: boolean; readonly lln: boolean };
  /** Molar mass in g/mol, allowing mass ↔ substance conversion. */
  readonly molarMass?: string;
  /** The values of a `code(...)` type, in declaration order. */
  readonly values?: readonly IrCodeValue[];
  /** Standard codes bound to the element or field, in source order (empty when none is bound). */
  readonly codes: readonly IrCode[];
  /** Who attests an `attestation` (or yes/no) element. */
  readonly attestedBy?: "investigator" | "patient";
  /** The form that captures it; null when none does. */
  readonly form: string | null;
  /** The condition under which a value is required (`required when …`). */
  readonly requiredWhen?: IrExpr;
  /** Declared `capture only`: collected, read by no rule, and that is intended. */
  readonly captureOnly: boolean;
  /**
   * For a measured element (a top-level decimal with a unit): which of its results
   * rules read. The latest one, optionally only of a method, optionally in a closed
   * window of anchor-relative times.
   */
  readonly select?: {
    readonly method?: string;
    readonly window?: { readonly low: IrRelativeTime; readonly high: IrRelativeTime };
    readonly text: string;
  };
  /**
   * For `records`: what one row is called in sentences, singular and plural
   * (`noun "somatostatin receptor scan"`; the plural as written, else the regular English
   * plural). Absent when not declared: documents then derive a noun from the name.
   */
  readonly noun?: { readonly singular: string; readonly plural: string };
  /**
   * For a measured element: a declared conversion of its absolute values
   * (`normalise gfr from decimal mL/min to 1.73 m2 by bsa`).
   */
  readonly normalise?: IrNormalisation;
  /** Record fields, for `records`. */
  readonly fields?: readonly IrElement[];
  /** Which rules read this element (criterion ids, definitions, toxicity rules ...), sorted. */
  readonly readBy: readonly string[];
  /** The declaration. */
  readonly span: IrSpan;
}

/**
 * A declared conversion of a measured element's absolute values into its unit, which is
 * that unit with an annotation (`mL/min` → `mL/min/{1.73_m2}`): `value × area / BSA`.
 * Without one, units that differ by an annotation are different kinds, never equated.
 * The units and where the BSA comes from are the run time's `Normalisation` (`from`,
 * `area`, `bsa`: an element, or a formula of height and weight with its label).
 */
export interface IrNormalisation extends Normalisation {
  /** The declaration as written (`normalise gfr from decimal mL/min to 1.73 m2 by bsa`), for documents. */
  readonly text: string;
  /** Its sources (at least one) and the reading adopted. */
  readonly trace: IrTrace;
  /** The declaration. */
  readonly span: IrSpan;
}

/** A case report form: the elements it captures. */
export interface IrForm {
  /** The form's name. */
  readonly name: string;
  /** Its title. */
  readonly label: string;
  /** The elements it captures, in declaration order. */
  readonly elements: readonly string[];
}

/** A reference date rules are relative to (inclusion, D0, the current cycle). */
export interface IrAnchor {
  /** The name rules use. */
  readonly name: string;
  /** What the date is, in words. */
  readonly label: string;
  /** Whether it recurs with every cycle (`cycle`) rather than being one date. */
  readonly repeating: boolean;
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/** A criterion's body: one rule, or a group of sub-criteria. */
export type IrCriterionBody =
  | {
      readonly kind: "rule";
      /** The condition that must hold (inclusion) or must not (exclusion). */
      readonly expr: IrExpr;
    }
  | {
      readonly kind: "group";
      /** Every sub-criterion, or at least `count` of them. */
      readonly mode: "all" | "atLeast";
      /** How many sub-criteria must be met (all of them for `all`). */
      readonly count: number;
      /** The sub-criteria, in source order. */
      readonly children: readonly IrCriterion[];
    };

/** An eligibility criterion, with the protocol's words. */
export interface IrCriterion {
  /** Its id (`I1`, `E3`, `I2a`). */
  readonly id: string;
  /** Inclusion, exclusion, or a sub-criterion of a group. */
  readonly role: "inclusion" | "exclusion" | "criterion";
  /** The protocol's text of the criterion. */
  readonly text: string;
  /** Where it comes from. */
  readonly trace: IrTrace;
  /** What decides it. */
  readonly body: IrCriterionBody;
  /** Data elements the criterion reads, directly or through definitions (sorted). */
  readonly reads: readonly string[];
  /** Anchors the criterion needs (sorted). */
  readonly anchors: readonly string[];
  /** The declaration. */
  readonly span: IrSpan;
}

/** A named definition, optionally with parameters. */
export interface IrDefinition {
  /** The name rules call it by. */
  readonly name: string;
  /** Its parameters' names, in order. */
  readonly params: readonly string[];
  /** What it means, in words (may be empty). */
  readonly label: string;
  /** Where it comes from. */
  readonly trace: IrTrace;
  /** Its body. */
  readonly expr: IrExpr;
  /** The declaration. */
  readonly span: IrSpan;
}

/** A named constant (a limit, a dose), with its source. */
export interface IrParameter {
  /** The name rules use. */
  readonly name: string;
  /** What it is, in words. */
  readonly label: string;
  /** Its value: a number, quantity or duration constant. */
  readonly value: IrExpr;
  /** Where the value comes from (literature when not from the protocol). */
  readonly trace: IrTrace;
  /** The declaration. */
  readonly span: IrSpan;
}

// ---------------------------------------------------------------------------
// Schedule, toxicity, response
// ---------------------------------------------------------------------------

/** A point in time relative to an anchor: `D0 - 4 wk` is anchor D0 with offsets [-4 wk]. */
export interface IrRelativeTime {
  /** The anchor's name. */
  readonly anchor: string;
  /** The shifts applied in order. */
  readonly offsets: readonly { readonly sign: 1 | -1; readonly duration: IrDuration }[];
  /** The source text. */
  readonly text: string;
}

/** A treatment given in cycles. */
export interface IrTreatment {
  /** Its name. */
  readonly name: string;
  /** What it is, in words. */
  readonly label: string;
  /** The dose per cycle, with an optional tolerance; null when the protocol gives none. */
  readonly dose: {
    /** The dose, a decimal string. */
    readonly value: string;
    /** Its UCUM unit (`GBq`). */
    readonly unit: string;
    /** The tolerance around it (and the parameter it came from), when the protocol gives one. */
    readonly tolerance: { readonly value: string; readonly unit: string; readonly param?: string } | null;
  } | null;
  /** The route of administration, as written. */
  readonly route: string | null;
  /** How many cycles; null when not said. */
  readonly cycles: number | null;
  /** The anchor the first cycle is given at; null when not said. */
  readonly firstAt: string | null;
  /** The least and greatest interval between cycles. */
  readonly spacing: { readonly min: IrDuration; readonly max: IrDuration } | null;
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** One step of a treatment day (premedication, infusion …). */
export interface IrStep {
  /** Its name. */
  readonly name: string;
  /** What happens, in words. */
  readonly label: string;
  /** At an offset from the day's start, or before/after another step. */
  readonly timing:
    { readonly kind: "at"; readonly offset: IrDuration } | { readonly kind: "before" | "after"; readonly step: string };
  /** How long it lasts. */
  readonly lasting: { readonly min: IrDuration; readonly max: IrDuration } | null;
}

/** A treatment day: its steps in order. */
export interface IrDay {
  /** Its title. */
  readonly label: string;
  /** The steps, in source order. */
  readonly steps: readonly IrStep[];
  /** How long the whole day lasts. */
  readonly total: { readonly min: IrDuration; readonly max: IrDuration } | null;
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** A visit of the schedule, once or every cycle. */
export interface IrVisit {
  /** Its name (events name it). */
  readonly name: string;
  /** What it is, in words. */
  readonly label: string;
  /** Whether it recurs with every cycle. */
  readonly eachCycle: boolean;
  /** At a time point, or in a closed window. */
  readonly timing:
    | { readonly kind: "at"; readonly at: IrRelativeTime }
    | { readonly kind: "between"; readonly low: IrRelativeTime; readonly high: IrRelativeTime };
  /** What is done at the visit, as written. */
  readonly procedures: readonly string[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** A condition that must hold before treatment (or before each cycle). */
export interface IrRequirement {
  /** Its name. */
  readonly name: string;
  /** What it requires, in words. */
  readonly label: string;
  /** Whether it is checked before every cycle rather than once. */
  readonly eachCycle: boolean;
  /** The condition. */
  readonly expr: IrExpr;
  /** Data elements it reads (sorted). */
  readonly reads: readonly string[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** The schedule section. */
export interface IrSchedule {
  /** The treatments, in source order. */
  readonly treatments: readonly IrTreatment[];
  /** The treatment days, in source order. */
  readonly days: readonly IrDay[];
  /** The visits, in source order. */
  readonly visits: readonly IrVisit[];
  /** The requirements, in source order. */
  readonly requirements: readonly IrRequirement[];
  /** Where the section comes from. */
  readonly trace: IrTrace;
}

/** An organ at risk whose absorbed dose is tracked against a limit. */
export interface IrOrgan {
  /** Its name in rules. */
  readonly name: string;
  /** Its label. */
  readonly label: string;
  /** The records element holding the per-cycle absorbed dose. */
  readonly records: string;
  /** The field of those records holding the dose. */
  readonly field: string;
  /** The dose's UCUM unit. */
  readonly unit: string;
  /** The limit: the parameter that gives it, and its value in `unit`. */
  readonly limit: { readonly param: string; readonly value: string; readonly unit: string };
}

/** A CTCAE term graded from a data element. */
export interface IrGrade {
  /** The term's name in rules. */
  readonly term: string;
  /** The standard's name of the term. */
  readonly label: string;
  /** The element graded. */
  readonly element: string;
  /** Unit of the element (graded after exact conversion to the table's unit). */
  readonly unit?: string;
  /**
   * The standard's own words for grades 1–5 (CTCAE v4.03, verbatim), copied by the
   * checker so that documents can print the grading without importing the stdlib.
   * Optional only so that hand-built IR stays valid; the checker always fills it.
   */
  readonly gradeTexts?: readonly { readonly grade: 1 | 2 | 3 | 4 | 5; readonly text: string }[];
  /**
   * The grading table entry of the term (criteria as data, with its source), copied
   * from the library by the checker: evaluators grade from the IR alone.
   */
  readonly entry: CtcaeTermEntry;
}

/** A rule that stops or delays treatment. */
export interface IrToxRule {
  /** Stop treatment, or delay the next cycle. */
  readonly action: "stop" | "delay";
  /** Its name. */
  readonly name: string;
  /** What it says, in words. */
  readonly label: string;
  /** The condition under which it applies. */
  readonly when: IrExpr;
  /**
   * Delay rules: the longest the delay may last (from the date the cycle was due) and what
   * happens after it: treatment stops, or what the protocol says in words. Absent on stop
   * rules and on delays the protocol gives no maximum (the checker warns, TRC7005).
   */
  readonly maxDelay?: {
    readonly duration: IrDuration;
    readonly then: { readonly kind: "stop" } | { readonly kind: "text"; readonly text: string };
  };
  /** Data elements it reads (sorted). */
  readonly reads: readonly string[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** The toxicity section. */
export interface IrToxicity {
  /** Organs at risk, in source order. */
  readonly organs: readonly IrOrgan[];
  /** Graded terms, in source order. */
  readonly grades: readonly IrGrade[];
  /** Stop and delay rules, in source order. */
  readonly rules: readonly IrToxRule[];
  /** The most cycles given; null when not said. */
  readonly maxCycles: number | null;
  /** Where the section comes from. */
  readonly trace: IrTrace;
}

/** A category of the lesion-level response. */
export interface IrLesionCategory {
  /** Its name. */
  readonly name: string;
  /** Its label. */
  readonly label: string;
  /** The condition on the response variables; null for the catch-all (`otherwise`). */
  readonly when: IrExpr | null;
}

/** Lesion-level response: categories of the change of a measured lesion value. */
export interface IrLesionResponse {
  /** The records element of lesion measurements. */
  readonly records: string;
  /** The measured field. */
  readonly field: string;
  /** Its UCUM unit. */
  readonly unit: string;
  /** What the change is measured from. */
  readonly reference: "baseline" | "nadir";
  /** The categories, first match wins. */
  readonly categories: readonly IrLesionCategory[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** The protocol's RECIST 1.1 settings. */
export interface IrRecist {
  /** Whether responses need confirmation, and the least interval. */
  readonly confirmation: { readonly required: boolean; readonly minIntervalDays: number };
  /** Not-evaluable time points allowed between two evaluable ones. */
  readonly maxNotEvaluableBetween: number;
  /** The least time from an anchor for stable disease to count as best response. */
  readonly stableDiseaseMinimum: { readonly days: number; readonly anchor: string } | null;
  /** The size (mm, decimal string) recorded for a lesion too small to measure. */
  readonly tooSmallToMeasureMm: string;
  /** Where the settings come from. */
  readonly trace: IrTrace;
}

/** The response section. */
export interface IrResponse {
  /** Lesion-level response, when the protocol defines one. */
  readonly lesion: IrLesionResponse | null;
  /** RECIST 1.1, when the protocol uses it. */
  readonly recist: IrRecist | null;
  /** Where the section comes from. */
  readonly trace: IrTrace;
}

// ---------------------------------------------------------------------------
// The protocol
// ---------------------------------------------------------------------------

/** The trial's identity and metadata. */
export interface IrTrial {
  /** The registry id (`NCT01842165`). */
  readonly id: string;
  /** The title. */
  readonly title: string;
  /**
   * Every metadata line, in source order: `phase` → ["3"], `registry` → ["EudraCT", "2012-…"].
   * `source` names where a value the protocol text does not give comes from (`from domain`).
   */
  readonly meta: readonly { readonly key: string; readonly values: readonly string[]; readonly source?: string }[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** One endpoint: what is measured, and the data elements (or records fields) it needs. */
export interface IrEndpoint {
  /** Its name. */
  readonly name: string;
  /** What it measures. */
  readonly label: string;
  /** `element` or `records.field` keys, as in `readBy`. */
  readonly uses: readonly string[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** One objective of the trial, with its endpoints. */
export interface IrObjective {
  /** Its id (`P1`). */
  readonly id: string;
  /** Primary, secondary or exploratory. */
  readonly level: "primary" | "secondary" | "exploratory";
  /** The objective as the protocol states it. */
  readonly text: string;
  /** The unit of analysis, when said. */
  readonly basis: "lesion" | "patient" | null;
  /** Its endpoints, in source order. */
  readonly endpoints: readonly IrEndpoint[];
  /** Where it comes from. */
  readonly trace: IrTrace;
}

/** The objectives section. */
export interface IrObjectives {
  /** The objectives, in source order. */
  readonly objectives: readonly IrObjective[];
  /** Where the section comes from. */
  readonly trace: IrTrace;
}

/** A checked protocol: the root of the IR. */
export interface IrProtocol {
  /** The IR's shape version; changes when this file changes incompatibly. */
  readonly irVersion: 1;
  /** The source file and the SHA-256 of its text; generated files repeat them. */
  readonly source: { readonly file: string; readonly sha256: string };
  /** The trial. */
  readonly trial: IrTrial;
  /** Standard libraries used, with versions (`ctcae 4.03`, `recist 1.1`). */
  readonly libraries: readonly { readonly name: string; readonly version: string }[];
  /** The trial's IANA time zone (`timezone "Europe/Brussels"`): date-times are read in it. */
  readonly timeZone?: string;
  /** Declared sources, in source order. */
  readonly sources: readonly IrSource[];
  /** Reference dates, in source order. */
  readonly anchors: readonly IrAnchor[];
  /** Case report forms, in source order. */
  readonly forms: readonly IrForm[];
  /** The data dictionary, in source order. */
  readonly elements: readonly IrElement[];
  /** Named definitions that checked, in source order. */
  readonly definitions: readonly IrDefinition[];
  /** Parameters, in source order. */
  readonly parameters: readonly IrParameter[];
  /** The eligibility criteria, in source order. */
  readonly eligibility: { readonly inclusion: readonly IrCriterion[]; readonly exclusion: readonly IrCriterion[] };
  /** The schedule section, if any. */
  readonly schedule: IrSchedule | null;
  /** The toxicity section, if any. */
  readonly toxicity: IrToxicity | null;
  /** The response section, if any. */
  readonly response: IrResponse | null;
  /** Objectives and endpoints; absent or null when the protocol has no `objectives` section. */
  readonly objectives?: IrObjectives | null;
}
