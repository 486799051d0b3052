/**
 * The solver behind the consistency analysis (`consistency.ts`): rules as formulas over
 * numeric coordinates, and an exact search for a patient that makes a formula true.
 *
 * A numeric data element gives up to three coordinates: its value in the element's unit
 * (`abs`), and its value as a multiple of its ULN or LLN. Every threshold a rule compares
 * a coordinate with, an eligibility threshold, a `2 x ULN`, or a CTCAE grade boundary
 * converted exactly into the element's unit, cuts the coordinate's line into intervals
 * inside which no rule changes its verdict. Trying one value at each threshold, one
 * inside each gap and one beyond each end therefore decides satisfiability exactly for
 * the numeric part. Everything else a rule reads (a date window, a code, a quantifier over
 * records, an attestation) is an opaque yes/no atom that the search may set either way:
 * an over-approximation, so "no patient can" findings are sound and "some patient can"
 * findings are confirmed by the evaluators in the property tests.
 *
 * Numbers are exact decimals; the search is three-valued (Kleene) so a partial
 * assignment that already falsifies the formula is cut off.
 */
import type { IrElement, IrExpr, IrGrade, IrProtocol } from "../ir/types.js";
import type { CtcaeBound, CtcaeCriterion } from "../runtime/ctcae.js";
import { Decimal, dec } from "../runtime/decimal.js";
import { convert } from "../runtime/units.js";
import { holds, type Op } from "../runtime/compare-op.js";

export type { Op };

/** `abs` is the value in the element's unit; `ULN`/`LLN` the value as a multiple of that limit. */
export type Scale = "abs" | "ULN" | "LLN";

/** One numeric coordinate of the search. */
export interface Coord {
  key: string;
  element: IrElement;
  scale: Scale;
}

/** A formula: the rules' shape, with numeric comparisons and grades made explicit. */
export type Formula =
  | { k: "const"; value: boolean }
  | { k: "cmp"; coord: string; op: Op; value: Decimal; source: IrExpr }
  /** CTCAE grade of `term` compared with `n`, graded from the coordinates at baseline. */
  | { k: "grade"; grade: IrGrade; op: Op; n: number; source: IrExpr }
  | { k: "opaque"; key: string; text: string }
  | { k: "and" | "or"; args: Formula[] }
  | { k: "atLeast"; n: number; args: Formula[] }
  | { k: "not"; arg: Formula };

type T = true | false | "unknown";

/** An assignment: coordinate values and opaque atoms' truth. */
export interface Assignment {
  num: Map<string, Decimal>;
  bool: Map<string, boolean>;
}

const ONE = dec(1);
const FLIP: Record<Op, Op> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };

/** The formula builder: holds the protocol's coordinates and the thresholds seen on each. */
export class FormulaBuilder {
  readonly coords = new Map<string, Coord>();
  /** The thresholds seen on each coordinate, each once (by its exact decimal text). */
  readonly thresholds = new Map<string, Map<string, Decimal>>();
  /** `candidates(key)`, until a new threshold on `key` is seen (a formula is lowered once, solved many times). */
  private readonly tries = new Map<string, Decimal[]>();
  /**
   * Candidates by everything they depend on (the thresholds' exact texts, the range, the
   * element's type, the scale, positivity): coordinates cut at the same places share them.
   * A protocol of 10,000 thresholds on a few dozen distinct cuts computes a few dozen.
   */
  private readonly cuts = new Map<string, Decimal[]>();
  /** Literals read once each: a protocol repeats its thresholds and ranges. */
  private readonly literals = new Map<string, Decimal>();
  /** The exact text of each literal read (what `thresholds` is keyed by), by identity. */
  private readonly texts = new Map<Decimal, string>();
  private readonly elements: Map<string, IrElement>;
  private readonly grades: Map<string, IrGrade>;
  private readonly defs: Map<string, IrExpr>;

  constructor(ir: IrProtocol) {
    this.elements = new Map(ir.elements.map((e) => [e.name, e]));
    this.grades = new Map((ir.toxicity?.grades ?? []).map((g) => [g.term, g]));
    this.defs = new Map(ir.definitions.filter((d) => d.params.length === 0).map((d) => [d.name, d.expr]));
  }

  /** The coordinate of element `name` on `scale`, registered on first use. */
  coord(name: string, scale: Scale): string | null {
    const element = this.elements.get(name);
    if (!element || (element.type !== "decimal" && element.type !== "integer")) return null;
    const key = scale === "abs" ? name : `${name}@${scale}`;
    if (!this.coords.has(key)) {
      this.coords.set(key, { key, element, scale });
      this.thresholds.set(key, new Map());
      if (scale === "abs" && element.range)
        for (const b of [element.range.low, element.range.high]) this.note(key, this.literal(b));
    }
    return key;
  }

  /** An exact decimal literal, read once. */
  private literal(text: string): Decimal {
    let v = this.literals.get(text);
    if (v === undefined) this.literals.set(text, (v = dec(text)));
    return v;
  }

  private note(key: string, v: Decimal): void {
    const seen = this.thresholds.get(key)!;
    let text = this.texts.get(v);
    if (text === undefined) this.texts.set(v, (text = v.toString()));
    if (seen.has(text)) return;
    seen.set(text, v);
    this.tries.delete(key);
  }

  /**
   * Lower a rule. `baseline` lowers toxicity terms as they stand before cycle 1: no dose
   * has been delivered (organ dose comparisons are false) and the baseline is the value.
   */
  lower(e: IrExpr, baseline = false): Formula {
    switch (e.kind) {
      case "bool":
        return { k: "const", value: e.value };
      case "and":
      case "or":
        return { k: e.kind, args: e.args.map((a) => this.lower(a, baseline)) };
      case "not":
        return { k: "not", arg: this.lower(e.arg, baseline) };
      case "if": {
        const c = this.lower(e.cond, baseline);
        const then = this.lower(e.then, baseline);
        const otherwise = e.otherwise ? this.lower(e.otherwise, baseline) : ({ k: "const", value: true } as const);
        return {
          k: "and",
          args: [
            { k: "or", args: [{ k: "not", arg: c }, then] },
            { k: "or", args: [c, otherwise] },
          ],
        };
      }
      case "define": {
        const body = e.args.length === 0 ? this.defs.get(e.name) : undefined;
        return body ? this.lower(body, baseline) : this.opaque(e);
      }
      case "compare":
        return this.compare(e, baseline) ?? this.opaque(e);
      default:
        return this.opaque(e);
    }
  }

  private compare(e: Extract<IrExpr, { kind: "compare" }>, baseline: boolean): Formula | null {
    let { left, right, op } = e;
    if (left.kind !== "element" && left.kind !== "grade" && left.kind !== "organDose") {
      [left, right, op] = [right, left, FLIP[op]];
    }
    if (left.kind === "organDose" && baseline) return { k: "const", value: false };
    if (left.kind === "grade" && right.kind === "number") {
      const grade = this.grades.get(left.term);
      if (!grade) return null;
      this.gradeCoords(grade);
      return { k: "grade", grade, op, n: Number(right.value), source: e };
    }
    if (left.kind !== "element") return null;
    if (right.kind === "number" || right.kind === "quantity") {
      const key = this.coord(left.name, "abs");
      if (!key) return null;
      const value = this.literal(right.value);
      this.note(key, value);
      return { k: "cmp", coord: key, op, value, source: e };
    }
    if (right.kind === "refMultiple" && right.of === left.name && right.ofRecord === undefined) {
      const key = this.coord(left.name, right.limit);
      if (!key) return null;
      const value = this.literal(right.factor);
      this.note(key, value);
      return { k: "cmp", coord: key, op, value, source: e };
    }
    return null;
  }

  /** Register the coordinates a graded term reads and its boundaries, in the element's unit. */
  private gradeCoords(g: IrGrade): void {
    for (const rule of g.entry.grades)
      for (const c of rule.criteria)
        for (const b of [c.low, c.high]) {
          if (!b || b.multipleOf === "baseline") continue;
          const scale: Scale = b.multipleOf ?? "abs";
          const key = this.coord(g.element, scale);
          if (key) this.note(key, this.boundary(g, b));
        }
  }

  /**
   * A CTCAE boundary as the graded element's coordinate reads it: in the element's unit,
   * or as a multiple of a limit or of the baseline. Kept once computed, by grade and
   * bound: the search asks for it at every step, and an exact conversion is costly.
   */
  private readonly boundaries = new Map<IrGrade, Map<CtcaeBound, Decimal>>();
  boundary(g: IrGrade, bound: CtcaeBound): Decimal {
    let of = this.boundaries.get(g);
    if (!of) this.boundaries.set(g, (of = new Map()));
    let known = of.get(bound);
    if (!known) of.set(bound, (known = bound.multipleOf ? dec(bound.value) : this.toElementUnit(g, bound.value)));
    return known;
  }

  /** A CTCAE absolute boundary in the element's unit, converted exactly. */
  private toElementUnit(g: IrGrade, value: string): Decimal {
    const element = this.elements.get(g.element)!;
    const unit = g.entry.unit;
    if (unit === "1" || !element.unit || unit === element.unit) return dec(value);
    return convert(dec(value), unit, element.unit, element.molarMass);
  }

  private opaque(e: IrExpr): Formula {
    // The same condition written twice is the same atom: key on its shape, not its place.
    const key = JSON.stringify(e, (k, v) => (k === "span" || k === "text" ? undefined : v));
    return { k: "opaque", key, text: e.text };
  }

  /**
   * Values to try on a coordinate: every threshold, a value inside each gap between
   * neighbouring thresholds, and one beyond each end, all inside the plausible range
   * (integers for integer elements; multiples of a limit are positive).
   */
  candidates(key: string): Decimal[] {
    let known = this.tries.get(key);
    if (known) return known;
    const c = this.coords.get(key)!;
    const cuts = [...this.thresholds.get(key)!.keys()].sort().join(" ");
    const range = c.scale === "abs" && c.element.range ? `${c.element.range.low}..${c.element.range.high}` : "";
    const limits = c.element.reference.uln || c.element.reference.lln ? "limited" : "";
    const shape = `${c.element.type}|${c.scale}|${limits}|${range}|${cuts}`;
    known = this.cuts.get(shape);
    if (!known) this.cuts.set(shape, (known = this.computeCandidates(key)));
    this.tries.set(key, known);
    return known;
  }

  private computeCandidates(key: string): Decimal[] {
    const c = this.coords.get(key)!;
    const ts = uniqueSorted([...(this.thresholds.get(key)?.values() ?? [])]);
    const out: Decimal[] = [];
    if (ts.length === 0) out.push(c.scale === "abs" ? dec(1) : dec(1));
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      if (i === 0) out.push(c.scale === "abs" ? t.minus(1) : t.div(2));
      out.push(t);
      const next = ts[i + 1];
      out.push(next ? t.plus(next).div(2) : t.plus(1));
    }
    const integer = c.element.type === "integer" && c.scale === "abs";
    const pts = integer ? out.flatMap((v) => [v.floor(), v.ceil()]) : out;
    // A value with a limit beside it is positive (it is some multiple of that limit).
    const positive = c.scale !== "abs" || c.element.reference.uln || c.element.reference.lln;
    const low = c.scale === "abs" && c.element.range ? dec(c.element.range.low) : null;
    const high = c.scale === "abs" && c.element.range ? dec(c.element.range.high) : null;
    return uniqueSorted(
      pts.filter((v) => (low ? v.gte(low) : true) && (high ? v.lte(high) : true) && (!positive || v.gt(0))),
    );
  }
}

function uniqueSorted(xs: Decimal[]): Decimal[] {
  const sorted = [...xs].sort((a, b) => a.cmp(b));
  return sorted.filter((v, i) => i === 0 || !v.eq(sorted[i - 1]!));
}

function cmp(a: Decimal, op: Op, b: Decimal): boolean {
  return holds(op, a.cmp(b));
}

/** Kleene evaluation of a formula under a partial assignment. */
export function evaluate(f: Formula, a: Assignment, b: FormulaBuilder): T {
  switch (f.k) {
    case "const":
      return f.value;
    case "cmp": {
      const v = a.num.get(f.coord);
      return v === undefined ? "unknown" : cmp(v, f.op, f.value);
    }
    case "grade": {
      const [lo, hi] = gradeRange(f.grade, a, b);
      let yes = 0;
      for (let g = lo; g <= hi; g++) if (holds(f.op, Math.sign(g - f.n))) yes++;
      return yes === hi - lo + 1 ? true : yes === 0 ? false : "unknown";
    }
    case "opaque": {
      const v = a.bool.get(f.key);
      return v === undefined ? "unknown" : v;
    }
    case "not": {
      const v = evaluate(f.arg, a, b);
      return v === "unknown" ? v : !v;
    }
    case "and":
    case "or":
    case "atLeast": {
      let yes = 0;
      let open = 0;
      for (const x of f.args) {
        const v = evaluate(x, a, b);
        if (v === true) yes++;
        else if (v === "unknown") open++;
      }
      const need = f.k === "atLeast" ? f.n : f.k === "and" ? f.args.length : 1;
      if (yes >= need) return true;
      return yes + open >= need ? "unknown" : false;
    }
  }
}

/**
 * The CTCAE grades still possible at baseline under a partial assignment: the highest
 * grade a criterion surely meets, and the highest one a criterion may still meet.
 */
export function gradeRange(g: IrGrade, a: Assignment, b: FormulaBuilder): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const rule of g.entry.grades) {
    for (const c of rule.criteria) {
      const met = criterionMet(g, c, a, b);
      if (met === true) lo = Math.max(lo, rule.grade);
      if (met !== false) hi = Math.max(hi, rule.grade);
    }
  }
  return [lo, Math.max(lo, hi)];
}

/** The grade at baseline, as text: `2`, or `1 to 2` while the assignment leaves it open. */
export function gradeAt(g: IrGrade, a: Assignment, b: FormulaBuilder): string {
  const [lo, hi] = gradeRange(g, a, b);
  return lo === hi ? String(lo) : `${lo} to ${hi}`;
}

/** Drop from a satisfying assignment every value the formula does not need to stay true. */
export function minimise(f: Formula, a: Assignment, b: FormulaBuilder): Assignment {
  const out: Assignment = { num: new Map(a.num), bool: new Map(a.bool) };
  for (const [k, v] of [...out.num].reverse()) {
    out.num.delete(k);
    if (evaluate(f, out, b) !== true) out.num.set(k, v);
  }
  return out;
}

function criterionMet(g: IrGrade, c: CtcaeCriterion, a: Assignment, b: FormulaBuilder): boolean | null {
  const side = (bound: CtcaeBound | undefined, inclusive: boolean | undefined, low: boolean): boolean | null => {
    if (!bound) return true;
    // Before cycle 1 the baseline is the value itself: the value is 1 x baseline.
    if (bound.multipleOf === "baseline") return cmp(ONE, opFor(low, inclusive), b.boundary(g, bound));
    const scale: Scale = bound.multipleOf ?? "abs";
    const key = scale === "abs" ? g.element : `${g.element}@${scale}`;
    const v = a.num.get(key);
    if (v === undefined) return null;
    return cmp(v, opFor(low, inclusive), b.boundary(g, bound));
  };
  const lo = side(c.low, c.lowInclusive, true);
  const hi = side(c.high, c.highInclusive, false);
  if (lo === false || hi === false) return false;
  return lo === null || hi === null ? null : true;
}

const opFor = (low: boolean, inclusive: boolean | undefined): Op =>
  low ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";

/** The coordinates and opaque atoms a formula reads, in first-use order. */
export function variablesOf(f: Formula, b: FormulaBuilder, out = { num: new Set<string>(), bool: new Set<string>() }) {
  switch (f.k) {
    case "cmp":
      out.num.add(f.coord);
      break;
    case "grade":
      for (const key of [f.grade.element, `${f.grade.element}@ULN`, `${f.grade.element}@LLN`])
        if (b.coords.has(key)) out.num.add(key);
      break;
    case "opaque":
      out.bool.add(f.key);
      break;
    case "not":
      variablesOf(f.arg, b, out);
      break;
    case "and":
    case "or":
    case "atLeast":
      for (const x of f.args) variablesOf(x, b, out);
      break;
  }
  return out;
}

/** The most assignments one search may try: a protocol past it gets no finding, never a wrong one. */
export const SEARCH_BUDGET = 200_000;

/**
 * Find an assignment making `f` true, or prove there is none (`null`); `"budget"` when the
 * search gave up. Numeric coordinates come first (they decide most formulas), then atoms.
 */
export function solve(f: Formula, b: FormulaBuilder): Assignment | null | "budget" {
  const vars = variablesOf(f, b);
  const order: ({ k: "num"; key: string; values: Decimal[] } | { k: "bool"; key: string })[] = [
    ...[...vars.num].map((key) => ({ k: "num" as const, key, values: b.candidates(key) })),
    ...[...vars.bool].map((key) => ({ k: "bool" as const, key })),
  ];
  const a: Assignment = { num: new Map(), bool: new Map() };
  let steps = 0;
  const go = (i: number): boolean | "budget" => {
    if (++steps > SEARCH_BUDGET) return "budget";
    const v = evaluate(f, a, b);
    if (v === false) return false;
    if (v === true) return true;
    const x = order[i];
    if (!x) return false;
    const tries: (Decimal | boolean)[] = x.k === "num" ? x.values : [true, false];
    for (const t of tries) {
      if (x.k === "num") a.num.set(x.key, t as Decimal);
      else a.bool.set(x.key, t as boolean);
      const r = go(i + 1);
      if (r !== false) return r;
    }
    if (x.k === "num") a.num.delete(x.key);
    else a.bool.delete(x.key);
    return false;
  };
  const r = go(0);
  return r === "budget" ? "budget" : r ? a : null;
}

/** A decimal as a person reads it: no exponent, no trailing zeros. */
export function show(v: Decimal): string {
  return v
    .toFixed()
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
}

export { Decimal };
