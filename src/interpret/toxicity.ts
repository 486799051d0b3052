/**
 * `decideCycle` by interpretation of the IR: the oracle the generated `toxicity.ts` is
 * tested against. Both call the same run time (`src/runtime/toxicity.ts`) with the same
 * lowered spec and conditions (`src/lower/toxicity.ts`); only the rule conditions'
 * evaluation differs (interpreted here, compiled there).
 */
import type { IrLoweredExpr, IrProtocol } from "../ir/types.js";
import {
  decideCycle as decide,
  gradeTest,
  gradeValue,
  organDose,
  type DecisionOutcome,
  type RuleCondition,
} from "../runtime/toxicity.js";
import type { EvalCtx } from "../runtime/ops.js";
import type { Val } from "../runtime/values.js";
import { lower } from "../lower/index.js";
import { isGradeTest } from "../lower/grade-tests.js";
import { evalExpr, type Env } from "./expr.js";

/** The section-specific terms, evaluated with the shared run time. */
function extra(st: Parameters<RuleCondition>[1]): (ctx: EvalCtx, e: IrLoweredExpr) => Val {
  return (ctx, e) => {
    if (e.kind === "organDose") return organDose(ctx, st, e.measure, e.organ, e.text);
    if (isGradeTest(e)) return gradeTest(ctx, st, e.term, e.test.op, e.test.right, e.text);
    if (e.kind === "grade") return gradeValue(ctx, st, e.term, e.text);
    throw new Error(`"${e.text}" cannot be evaluated in the toxicity section`);
  };
}

/** Decide the next cycle for a history (JSON), interpreting the protocol's rules. */
export function decideCycle(ir: IrProtocol, history: unknown): DecisionOutcome {
  const tox = lower(ir).toxicity;
  if (!tox) throw new Error("the protocol has no toxicity section");
  const defs = new Map(ir.definitions.map((d) => [d.name, d]));
  const rules: Record<string, RuleCondition> = {};
  for (const { rule, when } of tox.rules)
    rules[rule.name] = (ctx, st) => evalExpr(ctx, when, { defs, extra: extra(st) } satisfies Env);
  return decide(tox.spec, history, rules);
}
