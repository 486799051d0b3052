/**
 * `decideCycle` by interpretation of the IR: the oracle the generated `toxicity.ts` is
 * tested against. Both call the same run time (`src/runtime/toxicity.ts`) with the same
 * spec (`toxicitySpec`); only the rule conditions differ (interpreted here, compiled there).
 *
 * `lowerGradeTests` is the one lowering step both targets share: a comparison with a
 * CTCAE grade becomes a grade test, because a grade may be known only as a range
 * (a missing LLN leaves "0 or 1") and a plain number comparison cannot say "false for
 * every grade of the range".
 */
import type { CompareOp, IrExpr, IrProtocol, IrSource, IrToxRule, IrTrace } from "../ir/types.js";
import {
  decideCycle as decide,
  gradeTest,
  gradeValue,
  organDose,
  type DecisionOutcome,
  type RuleCondition,
  type SourceRef,
  type ToxicitySpec,
} from "../runtime/toxicity.js";
import type { EvalCtx } from "../runtime/ops.js";
import type { Val } from "../runtime/values.js";
import { dictionaryOf } from "./eligibility.js";
import { evalExpr, type Env } from "./expr.js";

/** A `grade` node carrying the comparison it came from: `grade TERM op N` or `grade TERM op grade OTHER`. */
export type GradeTestNode = Extract<IrExpr, { kind: "grade" }> & {
  test: { op: CompareOp; right: { value: string } | { grade: string } };
};

/** Whether a node is a lowered grade test. */
export function isGradeTest(e: IrExpr): e is GradeTestNode {
  return e.kind === "grade" && "test" in e;
}

const FLIP: Record<CompareOp, CompareOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };

/**
 * Turn every comparison with a grade into a grade test (the grade on the left:
 * `2 <= grade x` becomes `grade x >= 2`), keeping the comparison's text and span.
 * Grades only occur in conditions, so only condition positions are searched.
 */
export function lowerGradeTests(e: IrExpr): IrExpr {
  const lower = lowerGradeTests;
  switch (e.kind) {
    case "compare": {
      const test = (term: Extract<IrExpr, { kind: "grade" }>, op: CompareOp, other: IrExpr): GradeTestNode => ({
        kind: "grade",
        term: term.term,
        type: "boolean",
        text: e.text,
        span: e.span,
        test: {
          op,
          right: other.kind === "grade" ? { grade: other.term } : { value: (other as { value: string }).value },
        },
      });
      if (e.left.kind === "grade" && (e.right.kind === "number" || e.right.kind === "grade"))
        return test(e.left, e.op, e.right);
      if (e.right.kind === "grade" && e.left.kind === "number") return test(e.right, FLIP[e.op], e.left);
      return e;
    }
    case "and":
    case "or":
      return { ...e, args: e.args.map(lower) };
    case "not":
      return { ...e, arg: lower(e.arg) };
    case "if":
      return { ...e, cond: lower(e.cond), then: lower(e.then), otherwise: e.otherwise ? lower(e.otherwise) : null };
    case "quantifier":
      return { ...e, where: e.where ? lower(e.where) : null };
    default:
      return e;
  }
}

/** The sources a trace names, directly and through its interpretations, in order of first mention. */
function traceSources(trace: IrTrace): string[] {
  return [...new Set([...trace.sources, ...trace.interpretations.flatMap((i) => i.sources)])];
}

/** The protocol's toxicity section as the run time needs it; null when the protocol has none. */
export function toxicitySpec(ir: IrProtocol): ToxicitySpec | null {
  const tox = ir.toxicity;
  if (!tox) return null;
  const byName = new Map<string, IrSource>(ir.sources.map((s) => [s.name, s]));
  const refs = (names: string[]): SourceRef[] =>
    names.flatMap((n) => {
      const s = byName.get(n);
      return s ? [{ name: s.name, citation: s.citation, kind: s.kind }] : [];
    });
  const params = new Map(ir.parameters.map((p) => [p.name, p]));
  const organs = tox.organs.map((o) => {
    const p = params.get(o.limit.param);
    const limit = {
      param: o.limit.param,
      label: p?.label ?? o.limit.param,
      value: o.limit.value,
      unit: o.limit.unit,
      sources: refs(p ? traceSources(p.trace) : []),
    };
    return { name: o.name, label: o.label, records: o.records, field: o.field, unit: o.unit, limit };
  });
  const dict = dictionaryOf(ir);
  const dosimetryNames = new Set(tox.organs.map((o) => o.records));
  const labNames = new Set(
    [...tox.grades.map((g) => g.element), ...tox.rules.flatMap((r) => r.reads)].filter((n) => !dosimetryNames.has(n)),
  );
  return {
    protocol: { id: ir.trial.id, source: ir.source.file, sha256: ir.source.sha256 },
    organs,
    grades: tox.grades.map((g) => ({ term: g.term, label: g.label, element: g.element, entry: g.entry })),
    rules: tox.rules.map((r) => {
      // A rule comparing with a limit parameter also names that parameter's sources.
      const used = parametersIn(r.when).filter((n) => params.has(n));
      const names = [
        ...new Set([...traceSources(r.trace), ...used.flatMap((n) => traceSources(params.get(n)!.trace))]),
      ];
      return {
        action: r.action,
        name: r.name,
        label: r.label,
        when: r.when.text,
        interpretations: r.trace.interpretations.map((i) => (i.ref ? `${i.text} (${i.ref})` : i.text)),
        sources: refs(names),
        ...(r.action === "delay" ? { maxDelay: maxDelayText(r) } : {}),
      };
    }),
    maxCycles: tox.maxCycles,
    labs: dict.filter((e) => labNames.has(e.name)),
    dosimetry: dict.filter((e) => dosimetryNames.has(e.name)),
  };
}

/** The parameters an expression uses (constants keep the parameter's name). */
function parametersIn(e: IrExpr): string[] {
  const out: string[] = [];
  const visit = (x: IrExpr): void => {
    if ((x.kind === "quantity" || x.kind === "duration") && x.param) out.push(x.param);
    for (const c of Object.values(x)) {
      if (Array.isArray(c)) c.forEach((y) => isExpr(y) && visit(y));
      else if (isExpr(c)) visit(c);
    }
  };
  visit(e);
  return [...new Set(out)];
}

const isExpr = (x: unknown): x is IrExpr => typeof x === "object" && x !== null && "kind" in x && "span" in x;

/** The section-specific terms, evaluated with the shared run time. */
function extra(st: Parameters<RuleCondition>[1]): (ctx: EvalCtx, e: IrExpr) => Val {
  return (ctx, e) => {
    if (e.kind === "organDose") return organDose(ctx, st, e.measure, e.organ, e.text);
    if (isGradeTest(e)) return gradeTest(ctx, st, e.term, e.test.op, e.test.right, e.text);
    if (e.kind === "grade") return gradeValue(ctx, st, e.term, e.text);
    throw new Error(`"${e.text}" cannot be evaluated in the toxicity section`);
  };
}

/** Decide the next cycle for a history (JSON), interpreting the protocol's rules. */
export function decideCycle(ir: IrProtocol, history: unknown): DecisionOutcome {
  const spec = toxicitySpec(ir);
  if (!spec) throw new Error("the protocol has no toxicity section");
  const defs = new Map(ir.definitions.map((d) => [d.name, d]));
  const rules: Record<string, RuleCondition> = {};
  for (const r of ir.toxicity!.rules) {
    const when = lowerGradeTests(r.when);
    rules[r.name] = (ctx, st) => evalExpr(ctx, when, { defs, extra: extra(st) } satisfies Env);
  }
  return decide(spec, history, rules);
}

/** A delay's maximum as the decision states it: "at most 6 wk from the due date, then stop". */
export function maxDelayText(r: IrToxRule): string | null {
  if (!r.maxDelay) return null;
  const d = `${r.maxDelay.duration.amount} ${r.maxDelay.duration.unit}`;
  return `at most ${d} from the due date, then ${r.maxDelay.then.kind === "stop" ? "stop" : r.maxDelay.then.text}`;
}
