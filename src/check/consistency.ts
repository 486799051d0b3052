/**
 * Do the protocol's sections agree? A pass over the checked IR (run only when it has no
 * errors) that looks for what a medical reviewer would circle:
 *
 * - TRC7001: a patient who meets every eligibility criterion at baseline would already be
 *   delayed or stopped by a toxicity rule before cycle 1 (both rules read the same
 *   numeric element; the witness is a value of it);
 * - TRC7002: a criterion no patient can meet (an empty interval such as `x > 5 and x < 3`);
 * - TRC7003: a criterion that always holds, or that always holds once another one does;
 * - TRC7004: two criteria that contradict: two inclusions no patient meets together, or an
 *   inclusion every patient meeting it is excluded by.
 *
 * Only numeric elements are compared (thresholds, ULN/LLN multiples, CTCAE boundaries,
 * exactly, in the element's unit; see `consistency-solve.ts`); dates, codes and
 * quantifiers are free atoms, so a finding never rests on them.
 */
import type * as A from "../ast/nodes.js";
import type { IrCriterion, IrProtocol, IrToxRule } from "../ir/types.js";
import type { Related } from "../diagnostics/diagnostic.js";
import type { CheckContext } from "./context.js";
import {
  evaluate,
  FormulaBuilder,
  gradeAt,
  minimise,
  show,
  solve,
  variablesOf,
  type Assignment,
  type Formula,
} from "./consistency-solve.js";

/** Spans of the AST nodes findings point at: criteria by id, toxicity rules by name. */
export interface ConsistencySpans {
  criteria: Map<string, A.Span>;
  toxRules: Map<string, A.Span>;
}

/** Collect the spans findings point at from the parsed file. */
export function consistencySpans(file: A.TrialFile): ConsistencySpans {
  const criteria = new Map<string, A.Span>();
  const visit = (c: A.CriterionDecl) => {
    criteria.set(c.id.text, c.span);
    if (c.body.kind === "Group") c.body.children.forEach(visit);
  };
  const toxRules = new Map<string, A.Span>();
  for (const d of file.decls) {
    if (d.kind === "CriterionDecl") visit(d);
    if (d.kind === "ToxicityDecl") for (const r of d.rules) toxRules.set(r.name.text, r.span);
  }
  return { criteria, toxRules };
}

/** Where a finding points: a criterion (by id) or a toxicity rule (by name). */
export type FindingPlace = { criterion: string } | { rule: string };

/** One finding, with the witness assignment when there is one (tests confirm it with the evaluators). */
export interface Finding {
  code: "TRC7001" | "TRC7002" | "TRC7003" | "TRC7004";
  message: string;
  at: FindingPlace;
  related: { at: FindingPlace; message: string }[];
  witness?: Assignment;
}

/** Run every consistency check and report its findings on `ctx`, pointing at both rules. */
export function checkConsistency(ctx: CheckContext, ir: IrProtocol, spans: ConsistencySpans): void {
  const where = (p: FindingPlace) => ("criterion" in p ? spans.criteria.get(p.criterion) : spans.toxRules.get(p.rule));
  for (const f of analyseConsistency(ir).findings) {
    const at = where(f.at);
    if (!at) continue;
    const related: Related[] = f.related.flatMap((r) => {
      const span = where(r.at);
      return span ? [{ message: r.message, span }] : [];
    });
    ctx.report(f.code, "finding", { finding: f.message }, at, { related });
  }
}

/** Every finding on a protocol, and the formula builder that can evaluate their witnesses. */
export function analyseConsistency(ir: IrProtocol): { findings: Finding[]; builder: FormulaBuilder } {
  const findings: Finding[] = [];
  const b = new FormulaBuilder(ir);
  // Each criterion's formula is lowered once: the passes below ask for it again and again.
  const formulas = new Map<IrCriterion, Formula>();
  const formula = (c: IrCriterion): Formula => {
    let f = formulas.get(c);
    if (f) return f;
    f =
      c.body.kind === "rule"
        ? b.lower(c.body.expr)
        : c.body.mode === "all"
          ? { k: "and", args: c.body.children.map(formula) }
          : { k: "atLeast", n: c.body.count, args: c.body.children.map(formula) };
    formulas.set(c, f);
    return f;
  };
  const span = (criterion: string): FindingPlace => ({ criterion });
  const nums = (f: Formula) => variablesOf(f, b).num;
  const warn = (
    code: Finding["code"],
    message: string,
    at: FindingPlace,
    related: Finding["related"],
    witness?: Assignment,
  ) => findings.push(witness ? { code, message, at, related, witness } : { code, message, at, related });

  // TRC7002 / TRC7003: each criterion on its own (sub-criteria included).
  const all: IrCriterion[] = [];
  const flatten = (c: IrCriterion) => {
    all.push(c);
    if (c.body.kind === "group") c.body.children.forEach(flatten);
  };
  [...ir.eligibility.inclusion, ...ir.eligibility.exclusion].forEach(flatten);
  const unmeetable = new Set<string>(); // reported alone: never met, or always holds
  const neverMet = new Set<string>();
  for (const c of all) {
    const f = formula(c);
    if (nums(f).size === 0) continue;
    if (solve(f, b) === null) {
      unmeetable.add(c.id);
      neverMet.add(c.id);
      warn("TRC7002", `${c.id} can never be met: ${emptyWhy(f, b)}`, span(c.id), []);
    } else if (solve({ k: "not", arg: f }, b) === null) {
      unmeetable.add(c.id);
      warn("TRC7003", `${c.id} always holds: every value of ${coordList(nums(f), b)} meets it`, span(c.id), []);
    }
  }

  // Pairs: the conjunctive inclusions (top level and inside `all of`), the exclusions.
  const conj: IrCriterion[] = [];
  const collect = (c: IrCriterion) =>
    c.body.kind === "group" && c.body.mode === "all" ? c.body.children.forEach(collect) : conj.push(c);
  ir.eligibility.inclusion.forEach(collect);
  const incl = conj.filter((c) => !unmeetable.has(c.id)).map((c) => ({ c, f: formula(c) }));
  const excl = ir.eligibility.exclusion.filter((c) => !unmeetable.has(c.id)).map((c) => ({ c, f: formula(c) }));
  // Only criteria that read a common value can contradict or imply each other: an index
  // from each value to its readers keeps this linear for protocols whose criteria do not.
  const inclNums = incl.map((x) => nums(x.f));
  const exclNums = excl.map((x) => nums(x.f));
  const readers = (of: Set<string>[]) => {
    const index = new Map<string, number[]>();
    of.forEach((vars, k) =>
      vars.forEach((v) => {
        const list = index.get(v);
        if (list) list.push(k);
        else index.set(v, [k]);
      }),
    );
    return index;
  };
  const inclReaders = readers(inclNums);
  const exclReaders = readers(exclNums);
  const sharing = (vars: Set<string>, index: Map<string, number[]>) =>
    [...new Set([...vars].flatMap((v) => index.get(v) ?? []))].sort((a, b) => a - b);
  for (let i = 0; i < incl.length; i++) {
    for (const j of sharing(inclNums[i]!, inclReaders)) {
      const [x, y] = [incl[i]!, incl[j]!];
      if (i === j) continue;
      if (i < j && solve({ k: "and", args: [x.f, y.f] }, b) === null) {
        const w = solve(x.f, b);
        warn(
          "TRC7004",
          `${x.c.id} and ${y.c.id} contradict: no patient meets both` +
            (w && w !== "budget" ? ` (${witness(w, x.f, b)} meets ${x.c.id} but not ${y.c.id})` : ""),
          span(x.c.id),
          [{ message: `${y.c.id} is here`, at: span(y.c.id) }],
        );
      } else if (solve({ k: "and", args: [y.f, { k: "not", arg: x.f }] }, b) === null) {
        const w = solve(y.f, b);
        if (w === null || w === "budget") continue;
        warn(
          "TRC7003",
          `${x.c.id} always holds when ${y.c.id} does: it adds nothing (e.g. ${witness(w, y.f, b)} meets both)`,
          span(x.c.id),
          [{ message: `${y.c.id} is here`, at: span(y.c.id) }],
        );
      }
    }
    for (const k of sharing(inclNums[i]!, exclReaders)) {
      const [x, y] = [excl[k]!, incl[i]!];
      if (solve({ k: "and", args: [y.f, { k: "not", arg: x.f }] }, b) !== null) continue;
      const w = solve({ k: "and", args: [y.f, x.f] }, b);
      if (w === null || w === "budget") continue;
      warn(
        "TRC7004",
        `inclusion ${y.c.id} and exclusion ${x.c.id} contradict: every patient who meets ${y.c.id} is excluded by ${x.c.id} (e.g. ${witness(w, y.f, b)})`,
        span(y.c.id),
        [{ message: `exclusion ${x.c.id} is here`, at: span(x.c.id) }],
        w,
      );
    }
  }

  // TRC7001: eligible at baseline, yet delayed or stopped before cycle 1.
  if (!ir.toxicity) return { findings, builder: b };
  // A criterion already reported as never met would hide every other finding: leave it out.
  const kept = (c: IrCriterion) => !neverMet.has(c.id);
  const parts: Formula[] = [
    ...ir.eligibility.inclusion.filter(kept).map(formula),
    ...ir.eligibility.exclusion.filter(kept).map((c): Formula => ({ k: "not", arg: formula(c) })),
  ];
  const eligibleNums = nums({ k: "and", args: parts });
  // One eligible patient, for the values a finding's search leaves free; none, no finding.
  const anyEligible = solve({ k: "and", args: parts }, b);
  if (anyEligible === null || anyEligible === "budget") return { findings, builder: b };
  for (const rule of ir.toxicity.rules) {
    const when = b.lower(rule.when, true);
    const elements = new Set([...nums(when)].map((k) => b.coords.get(k)!.element.name));
    for (const element of [...elements].sort()) {
      if (![...eligibleNums].some((k) => b.coords.get(k)!.element.name === element)) continue;
      const fires = restrict(when, element, b);
      const both: Formula = { k: "and", args: [...cone(parts, fires, b), fires] };
      const w = solve(both, b);
      if (w === null || w === "budget") continue;
      // The cone's variables are the only ones `w` sets: the merge is a whole eligible patient.
      const whole: Assignment = {
        num: new Map([...anyEligible.num, ...w.num]),
        bool: new Map([...anyEligible.bool, ...w.bool]),
      };
      reportBaseline(rule, element, minimise(both, w, b), fires, whole);
    }
  }

  function reportBaseline(rule: IrToxRule, element: string, w: Assignment, fires: Formula, whole: Assignment) {
    const readers = all.filter(
      (c) => c.body.kind === "rule" && [...nums(formula(c))].some((k) => b.coords.get(k)!.element.name === element),
    );
    const grades = gradesIn(fires)
      .map((g) => `${g.term} is grade ${gradeAt(g, w, b)}`)
      .join(", ");
    warn(
      "TRC7001",
      `a patient who meets eligibility can already be ${rule.action === "delay" ? "delayed" : "stopped"} by "${rule.name}" before cycle 1: ` +
        `${witness(w, fires, b)} is accepted by ${readers.map((c) => c.id).join(", ") || "the eligibility criteria"}` +
        (grades ? `, and ${grades}` : "") +
        ` (${rule.when.text})`,
      { rule: rule.name },
      readers.map((c) => ({
        message: `${c.id} accepts it: ${c.body.kind === "rule" ? c.body.expr.text : c.text}`,
        at: span(c.id),
      })),
      whole,
    );
  }
  return { findings, builder: b };
}

/**
 * The criteria that can matter to `f`: those sharing a variable with it, directly or through
 * other criteria. The rest are independent of it, so leaving them out changes no answer
 * (their own satisfiability is what TRC7002/TRC7004 look at) and keeps the search small.
 */
function cone(parts: Formula[], f: Formula, b: FormulaBuilder): Formula[] {
  const vars = (x: Formula) => {
    const v = variablesOf(x, b);
    return new Set([...v.num, ...v.bool]);
  };
  const reached = vars(f);
  const of = parts.map(vars);
  const taken = new Set<number>();
  for (let grew = true; grew;) {
    grew = false;
    of.forEach((v, i) => {
      if (taken.has(i) || ![...v].some((k) => reached.has(k))) return;
      taken.add(i);
      v.forEach((k) => reached.add(k));
      grew = true;
    });
  }
  return parts.filter((_, i) => taken.has(i));
}

/** The rule as it fires on `element` alone: every other condition is taken as not met. */
function restrict(f: Formula, element: string, b: FormulaBuilder): Formula {
  switch (f.k) {
    case "cmp":
      return b.coords.get(f.coord)!.element.name === element ? f : { k: "const", value: false };
    case "grade":
      return f.grade.element === element ? f : { k: "const", value: false };
    case "opaque":
      return { k: "const", value: false };
    case "not":
      return { k: "not", arg: restrict(f.arg, element, b) };
    case "and":
    case "or":
    case "atLeast":
      return Object.assign({}, f, { args: f.args.map((x) => restrict(x, element, b)) });
    default:
      return f;
  }
}

function gradesIn(f: Formula): Extract<Formula, { k: "grade" }>["grade"][] {
  if (f.k === "grade") return [f.grade];
  if (f.k === "not") return gradesIn(f.arg);
  if (f.k === "and" || f.k === "or" || f.k === "atLeast") {
    const seen = new Map(f.args.flatMap(gradesIn).map((g) => [g.term, g]));
    return [...seen.values()];
  }
  return [];
}

/** The witness values of the coordinates a formula reads: `gfr = 55 mL/min/{1.73_m2}`, `ast = 6 x ULN`. */
export function witness(a: Assignment, f: Formula, b: FormulaBuilder): string {
  return [...variablesOf(f, b).num]
    .filter((k) => a.num.has(k))
    .map((k) => {
      const c = b.coords.get(k)!;
      const v = show(a.num.get(k)!);
      return c.scale === "abs"
        ? `${c.element.name} = ${v}${c.element.unit ? ` ${c.element.unit}` : ""}`
        : `${c.element.name} = ${v} x ${c.scale}`;
    })
    .join(" and ");
}

function coordList(keys: Set<string>, b: FormulaBuilder): string {
  return [...keys].map((k) => b.coords.get(k)!.element.name).join(", ");
}

/** Why no value meets a formula: the comparisons on each coordinate, side by side. */
function emptyWhy(f: Formula, b: FormulaBuilder): string {
  const parts: string[] = [];
  const visit = (x: Formula) => {
    if (x.k === "cmp" || x.k === "grade") parts.push(x.source.text);
    else if (x.k === "not") visit(x.arg);
    else if (x.k === "and" || x.k === "or" || x.k === "atLeast") x.args.forEach(visit);
  };
  visit(f);
  return `no value of ${coordList(variablesOf(f, b).num, b)} satisfies ${parts.map((p) => `"${p}"`).join(" together with ")}`;
}

// Re-exported for the property tests, which confirm each witness with the evaluators.
export { evaluate, FormulaBuilder, solve };
