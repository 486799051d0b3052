/**
 * `evaluateEligibility` by interpretation of the IR: the same result type as the
 * generated `eligibility.ts`, which is tested against it.
 */
import type { IrCriterion, IrProtocol } from "../ir/types.js";
import { newCtx, type EvalCtx } from "../runtime/ops.js";
import {
  catchDataErrors,
  groupCriterion,
  overall,
  ruleCriterion,
  type CriterionResult,
  type EligibilityResult,
} from "../runtime/eligibility.js";
import { normalizePatient, type DataProblem } from "../runtime/patient.js";
import { selectResults } from "../runtime/observations.js";
import { resolveAnchors, type AnchorOptions } from "../runtime/anchors.js";
import { lower } from "../lower/index.js";
import { evalExpr, type Env } from "./expr.js";

export type EvaluationOutcome = { ok: true; result: EligibilityResult } | { ok: false; errors: DataProblem[] };

export function evaluateEligibility(ir: IrProtocol, raw: unknown, options: AnchorOptions = {}): EvaluationOutcome {
  const anchorNames = ir.anchors.map((a) => a.name);
  const zone = ir.timeZone ? { timeZone: ir.timeZone } : {};
  const { dictionary } = lower(ir);
  const norm = normalizePatient(dictionary, anchorNames, raw, zone);
  if (!norm.ok) return norm;
  const anchors = resolveAnchors(anchorNames, norm.anchors, options, ir.timeZone);
  if (!anchors.ok) return anchors;
  const ctx = newCtx(selectResults(dictionary, norm.results, anchors.anchors, norm.data), anchors.anchors);
  const env: Env = { defs: new Map(ir.definitions.map((d) => [d.name, d])) };
  const run = (c: IrCriterion): CriterionResult => evalCriterion(ctx, c, env);
  return catchDataErrors(() => {
    const result = overall(
      { id: ir.trial.id, source: ir.source.file, sha256: ir.source.sha256 },
      anchors.shown,
      ir.eligibility.inclusion.map(run),
      ir.eligibility.exclusion.map(run),
      [...norm.warnings, ...anchors.warnings],
    );
    return { ok: true as const, result };
  });
}

function evalCriterion(ctx: EvalCtx, c: IrCriterion, env: Env): CriterionResult {
  if (c.body.kind === "rule") {
    const expr = c.body.expr;
    return ruleCriterion(ctx, c.id, c.role, c.text, (x) => evalExpr(x, expr, env));
  }
  return groupCriterion(
    c.id,
    c.role,
    c.text,
    c.body.count,
    c.body.children.map((k) => evalCriterion(ctx, k, env)),
  );
}
