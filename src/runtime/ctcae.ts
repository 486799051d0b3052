/**
 * CTCAE laboratory grading, driven by table data alone.
 *
 * Generated evaluators embed the CTCAE table (from `src/stdlib/ctcae-v4.03.ts`,
 * carried in the IR as JSON) and call `gradeCtcae(entry, input)`. This file
 * therefore imports nothing but decimal.js: the table entry is an argument, not
 * an import, so the same code grades any embedded copy of the table.
 *
 * Semantics follow the trialc domain README §3.2 (boundary semantics):
 * - each grade lists criteria; criteria of one grade are alternatives (';' in the
 *   CTCAE text means "or"), and the result is the highest grade any alternative meets;
 * - bounds are absolute numbers or multiples of ULN, LLN or baseline, each with its
 *   own inclusiveness, so "<10.0 - 8.0" is `8.0 <= x < 10.0` and ">1.5 - 3.0 x ULN"
 *   is `1.5·ULN < x <= 3.0·ULN`;
 * - every comparison is exact (Decimal, multiplication only, never division), so
 *   bilirubin 1.8 with ULN 1.2 is exactly 1.5 × ULN, a float hazard listed in §3.3;
 * - a criterion that needs a missing reference is *unknown*, not false, and the
 *   grade is `null` with the range it could still take (three-valued logic).
 */
import { Decimal } from "decimal.js";

/** Exact decimals; 50 significant digits keep every product of table values exact. */
const D = Decimal.clone({ precision: 50 });

/** The references a bound can be a multiple of (CTCAE v4.03: ULN, LLN, "x baseline"). */
export type CtcaeReference = "ULN" | "LLN" | "baseline";

/**
 * One end of a grade interval: an absolute number in the term's unit, or
 * `value × reference` when `multipleOf` is set (e.g. `{ multipleOf: "ULN", value: "1.5" }`).
 * Numbers are decimal strings so that no float ever enters the table.
 */
export interface CtcaeBound {
  value: string;
  multipleOf?: CtcaeReference;
}

/**
 * One alternative of a grade (CTCAE §"Grades": a semicolon means "or").
 * The value x meets it when `low (<|<=) x (<|<=) high`; a missing end is unbounded.
 */
export interface CtcaeCriterion {
  low?: CtcaeBound;
  lowInclusive?: boolean;
  high?: CtcaeBound;
  highInclusive?: boolean;
}

/** The criteria of one grade, as data. */
export interface CtcaeGradeRule {
  grade: 1 | 2 | 3 | 4;
  /** Alternatives assessable from the laboratory value; empty when the grade is clinical only. */
  criteria: readonly CtcaeCriterion[];
  /**
   * Alternatives of the verbatim text that need clinical facts ("transfusion indicated",
   * "life-threatening"). Domain README §3.2: never assigned from a laboratory value.
   */
  clinical: readonly string[];
  /**
   * Alternatives measured by something other than this analyte (CKD grade 1: proteinuria
   * 2+, urine protein/creatinine > 0.5). Not seen by the grading of this value, so they
   * keep this grade possible: the grade is a range that names them.
   */
  otherMeasurements?: readonly string[];
}

/** One CTCAE term of the grading table (JSON-serialisable plain data). */
export interface CtcaeTermEntry {
  /** Stable id, snake_case of the CTCAE term, e.g. `platelet_count_decreased`. */
  term: string;
  /** The CTCAE term as printed, e.g. "Platelet count decreased". */
  label: string;
  /** Short analyte name used in explanations, e.g. "platelets". */
  analyte: string;
  version: "4.03";
  /**
   * UCUM unit of the absolute thresholds. For terms graded only against references it is
   * "1": thresholds are dimensionless multiples, and the value must be in the reference's unit.
   */
  unit: string;
  /** References the thresholds are multiples of, when any (creatinine: ULN and baseline). */
  relativeTo?: readonly ("ULN" | "baseline")[];
  /** Whether the abnormality is a fall ("decreasing") or a rise ("increasing") of the value. */
  direction: "decreasing" | "increasing";
  /** Verbatim grade texts 1–5 for documents ("-" where CTCAE prints no such grade). */
  gradeTexts: Readonly<Record<"1" | "2" | "3" | "4" | "5", string>>;
  /** Grade criteria as data, one rule per printed grade 1–4. */
  grades: readonly CtcaeGradeRule[];
  /** Where the entry comes from. */
  source: string;
  /** Encoding decisions for this term (ambiguities of the standard). */
  notes?: readonly string[];
}

/** A decimal as accepted by the grading API: a Decimal (from any clone) or a decimal string. */
export type DecimalInput = Decimal | string;

/** The laboratory value and the references it may be compared with, all in one unit. */
export interface CtcaeInput {
  value: DecimalInput;
  uln?: DecimalInput;
  lln?: DecimalInput;
  baseline?: DecimalInput;
}

/** A CTCAE grade as read from a value; 0 means no grade applies (CTCAE has no printed grade 0). */
export type CtcaeGrade = 0 | 1 | 2 | 3 | 4;

/**
 * The grading outcome. `grade` is null when a missing reference decides between grades;
 * then `atLeast`/`atMost` give the grades still possible. `criterion` is the met criterion.
 */
export interface CtcaeResult {
  grade: CtcaeGrade | null;
  atLeast?: CtcaeGrade;
  atMost?: CtcaeGrade;
  explanation: string;
  criterion?: string;
  /** Other measurements that would decide an undecided grade (see `otherMeasurements`). */
  needs?: string[];
}

type Truth = true | false | "unknown";

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a decimal input exactly; rejects floats' cousins ("NaN", "Infinity", hex). */
function toDecimal(v: DecimalInput, what: string): Decimal {
  if (typeof v === "string") {
    const s = v.trim();
    if (!DECIMAL_TEXT.test(s)) throw new TypeError(`CTCAE: ${what} "${v}" is not a decimal number`);
    return new D(s);
  }
  if (Decimal.isDecimal(v) && v.isFinite()) return new D(v);
  throw new TypeError(`CTCAE: ${what} must be a finite Decimal or a decimal string`);
}

function references(input: CtcaeInput): Partial<Record<CtcaeReference, Decimal>> {
  const refs: Partial<Record<CtcaeReference, Decimal>> = {};
  const given: [CtcaeReference, DecimalInput | undefined][] = [
    ["ULN", input.uln],
    ["LLN", input.lln],
    ["baseline", input.baseline],
  ];
  for (const [name, v] of given) {
    if (v === undefined) continue;
    const d = toDecimal(v, name);
    // A non-positive reference makes every multiple meaningless; it is bad data, not a grade.
    if (d.lte(0)) throw new RangeError(`CTCAE: ${name} must be positive, got ${d.toString()}`);
    refs[name] = d;
  }
  return refs;
}

/** The bound's value, or undefined when its reference is missing. */
function resolve(b: CtcaeBound, refs: Partial<Record<CtcaeReference, Decimal>>): Decimal | undefined {
  if (b.multipleOf === undefined) return new D(b.value);
  const ref = refs[b.multipleOf];
  return ref === undefined ? undefined : ref.times(b.value);
}

function symbol(b: CtcaeBound): string {
  if (b.multipleOf === undefined) return b.value;
  return new D(b.value).eq(1) ? b.multipleOf : `${b.value} × ${b.multipleOf}`;
}

/** A criterion in symbols, e.g. "ULN < x <= 1.5 × ULN" or "50.0 <= x < 75.0", for documents. */
export function describeCriterion(c: CtcaeCriterion): string {
  return render(c, symbol);
}

function render(c: CtcaeCriterion, show: (b: CtcaeBound) => string): string {
  const lo = c.low ? `${show(c.low)} ${c.lowInclusive ? "<=" : "<"} ` : "";
  const hi = c.high ? ` ${c.highInclusive ? "<=" : "<"} ${show(c.high)}` : "";
  return `${lo}x${hi}`;
}

/** Three-valued truth of `low ? x ? high`: false wins over unknown, unknown over true. */
function evaluate(c: CtcaeCriterion, x: Decimal, refs: Partial<Record<CtcaeReference, Decimal>>): Truth {
  const sides: Truth[] = [];
  if (c.low) {
    const lo = resolve(c.low, refs);
    sides.push(lo === undefined ? "unknown" : c.lowInclusive ? x.gte(lo) : x.gt(lo));
  }
  if (c.high) {
    const hi = resolve(c.high, refs);
    sides.push(hi === undefined ? "unknown" : c.highInclusive ? x.lte(hi) : x.lt(hi));
  }
  if (sides.includes(false)) return false;
  return sides.includes("unknown") ? "unknown" : true;
}

function missingRefs(c: CtcaeCriterion, refs: Partial<Record<CtcaeReference, Decimal>>): CtcaeReference[] {
  return [c.low, c.high].flatMap((b) =>
    b?.multipleOf !== undefined && refs[b.multipleOf] === undefined ? [b.multipleOf] : [],
  );
}

/**
 * Grade a laboratory value with one CTCAE table entry (domain README §3.2).
 *
 * The value and every reference must be in the same unit (the entry's `unit` for
 * absolute thresholds); unit conversion is the caller's job. The grade is the highest
 * grade whose criteria some alternative meets; clinical-only alternatives are ignored.
 * When a missing reference leaves a higher grade undecided, the grade is `null` and
 * `atLeast`/`atMost` bound it, e.g. platelets 180 without LLN: 0 or 1.
 */
export function gradeCtcae(entry: CtcaeTermEntry, input: CtcaeInput): CtcaeResult {
  const x = toDecimal(input.value, "value");
  const refs = references(input);
  let met: { grade: CtcaeGrade; criterion: CtcaeCriterion } | undefined;
  let highestUnknown: { grade: CtcaeGrade; needs: CtcaeReference[]; criterion: CtcaeCriterion } | undefined;
  for (const rule of entry.grades) {
    for (const c of rule.criteria) {
      const t = evaluate(c, x, refs);
      if (t === true && (met === undefined || rule.grade > met.grade)) met = { grade: rule.grade, criterion: c };
      if (t === "unknown" && (highestUnknown === undefined || rule.grade > highestUnknown.grade)) {
        highestUnknown = { grade: rule.grade, needs: missingRefs(c, refs), criterion: c };
      }
    }
  }
  const head = `${entry.analyte} ${x.toString()}${entry.unit === "1" ? "" : ` ${entry.unit}`}${refText(refs)}`;
  const known: CtcaeGrade = met?.grade ?? 0;
  if (highestUnknown !== undefined && highestUnknown.grade > known) {
    const u = highestUnknown;
    const why = `grade ${u.grade} (${describeCriterion(u.criterion)}) needs ${u.needs.join(" and ")}`;
    return {
      grade: null,
      atLeast: known,
      atMost: u.grade,
      explanation: `${head}: ${why} → grade unknown, at least ${known}, at most ${u.grade}`,
    };
  }
  // A higher grade reachable through another measurement keeps the grade open.
  const other = entry.grades
    .filter((r) => r.grade > known && r.otherMeasurements?.length)
    .sort((a, b) => b.grade - a.grade)[0];
  if (other) {
    const needs = [...other.otherMeasurements!];
    const why = met
      ? `${describeCriterion(met.criterion)} → grade ${known}`
      : `no grade 1–4 criterion of ${entry.analyte} met`;
    return {
      grade: null,
      atLeast: known,
      atMost: other.grade,
      needs,
      explanation: `${head}: ${why}; grade ${other.grade} is also met by ${needs.join(" or ")}, not given → grade unknown, at least ${known}, at most ${other.grade}`,
    };
  }
  if (met === undefined) {
    return { grade: 0, explanation: `${head}: no grade 1–4 criterion met → grade 0` };
  }
  const symbolic = describeCriterion(met.criterion);
  // Absolute bounds keep their printed text ("75.0"); multiples show their exact product.
  const numeric = render(met.criterion, (b) =>
    b.multipleOf === undefined ? b.value : (resolve(b, refs)?.toString() ?? symbol(b)),
  );
  const shown = numeric === symbolic ? numeric : `${numeric} [${symbolic}]`;
  return { grade: met.grade, explanation: `${head}: ${shown} → grade ${met.grade}`, criterion: symbolic };
}

function refText(refs: Partial<Record<CtcaeReference, Decimal>>): string {
  const parts = (Object.keys(refs) as CtcaeReference[]).map((k) => `${k} ${refs[k]?.toString() ?? ""}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}
