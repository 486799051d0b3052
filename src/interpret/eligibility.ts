/**
 * `evaluateEligibility` by interpretation of the IR: the same result type as the
 * generated `eligibility.ts`, which is tested against it.
 */
import type { IrCriterion, IrElement, IrProtocol } from "../ir/types.js";
import { newCtx, type EvalCtx } from "../runtime/ops.js";
import {
  catchDataErrors,
  groupCriterion,
  overall,
  ruleCriterion,
  type CriterionResult,
  type EligibilityResult,
} from "../runtime/eligibility.js";
import { normalizePatient, type DataProblem, type DictElement } from "../runtime/patient.js";
import { selectResults } from "../runtime/observations.js";
import { resolveAnchors, type AnchorOptions } from "../runtime/anchors.js";
import { evalExpr, type Env } from "./expr.js";

const dictionaries = new WeakMap<IrProtocol, DictElement[]>();

/** The run-time data dictionary of a protocol (what patient data is checked against), built once per IR. */
export function dictionaryOf(ir: IrProtocol): DictElement[] {
  let dict = dictionaries.get(ir);
  if (!dict) dictionaries.set(ir, (dict = buildDictionary(ir)));
  return dict;
}

function buildDictionary(ir: IrProtocol): DictElement[] {
  const conv = (e: IrElement): DictElement => ({
    name: e.name,
    type: e.type,
    ...(e.unit ? { unit: e.unit } : {}),
    ...(e.range ? { range: e.range } : {}),
    reference: e.reference,
    ...(e.molarMass ? { molarMass: e.molarMass } : {}),
    ...(e.codes ? { codes: e.codes.map((c) => c.code) } : {}),
    ...(e.fields ? { fields: e.fields.map(conv) } : {}),
    ...(e.select ? { select: e.select } : {}),
  });
  return ir.elements.map(conv);
}

export type EvaluationOutcome = { ok: true; result: EligibilityResult } | { ok: false; errors: DataProblem[] };

export function evaluateEligibility(ir: IrProtocol, raw: unknown, options: AnchorOptions = {}): EvaluationOutcome {
  const anchorNames = ir.anchors.map((a) => a.name);
  const zone = ir.timeZone ? { timeZone: ir.timeZone } : {};
  const norm = normalizePatient(dictionaryOf(ir), anchorNames, raw, zone);
  if (!norm.ok) return norm;
  const anchors = resolveAnchors(anchorNames, norm.anchors, options, ir.timeZone);
  if (!anchors.ok) return anchors;
  const ctx = newCtx(selectResults(dictionaryOf(ir), norm.results, anchors.anchors, norm.data), anchors.anchors);
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
