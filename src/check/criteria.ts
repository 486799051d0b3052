/**
 * Eligibility criteria and parameters: ids unique across the whole protocol (nested
 * sub-criteria included), group counts that make sense, rules that are conditions.
 */
import type * as A from "../ast/nodes.js";
import type { IrCriterion, IrDefinition, IrParameter } from "../ir/types.js";
import { CheckContext, irSpan, lowerTrace } from "./context.js";
import { checkCondition, checkExpr } from "./expressions.js";
import { collectNeeds, sorted } from "../ir/walk.js";

/** Lower every parameter first: rules inline their values. */
export function checkParameters(ctx: CheckContext): IrParameter[] {
  const out: IrParameter[] = [];
  for (const p of ctx.parameters.values()) {
    const d = p.ast;
    const value = checkExpr(ctx, d.value, { section: "eligibility" });
    if (!ctx.poisoned.has(value) && value.kind !== "quantity" && value.kind !== "duration" && value.kind !== "number") {
      ctx.report("TRC3001", "parameterSValueMust", { value: value.text }, d.value.span);
    }
    const trace = lowerTrace(ctx, d.trace);
    p.ir = { name: d.name.text, label: d.label, value, trace, span: irSpan(d.span) };
    out.push(p.ir);
  }
  return out;
}

/** Check the inclusion and exclusion criteria, in source order. */
export function checkCriteria(
  ctx: CheckContext,
  decls: A.CriterionDecl[],
): { inclusion: IrCriterion[]; exclusion: IrCriterion[] } {
  const ids = new Map<string, A.Span>();
  const inclusion: IrCriterion[] = [];
  const exclusion: IrCriterion[] = [];
  // Definitions are all checked before the criteria (src/check/index.ts): one map for every
  // criterion's reads (built per criterion, it made checking quadratic in the protocol's size).
  const defs = ctx.checkedDefinitions();
  for (const d of decls) {
    const ir = checkCriterion(ctx, d, ids, defs);
    (d.role === "exclusion" ? exclusion : inclusion).push(ir);
  }
  return { inclusion, exclusion };
}

function checkCriterion(
  ctx: CheckContext,
  d: A.CriterionDecl,
  ids: Map<string, A.Span>,
  defs: ReadonlyMap<string, IrDefinition>,
): IrCriterion {
  const prior = ids.get(d.id.text);
  if (prior) {
    ctx.report("TRC2003", "criterionIdUsedTwice", { id: d.id.text }, d.id.span, {
      related: [{ message: "first used here", span: prior }],
    });
  } else ids.set(d.id.text, d.id.span);
  ctx.currentRule = d.id.text;
  const trace = lowerTrace(ctx, d.trace);
  let body: IrCriterion["body"];
  if (d.body.kind === "Rule") {
    body = { kind: "rule", expr: checkCondition(ctx, d.body.expr, { section: "eligibility" }) };
  } else {
    const children = d.body.children.map((c) => checkCriterion(ctx, c, ids, defs));
    const count = d.body.mode === "all" ? children.length : d.body.count;
    if (d.body.mode === "atLeast" && (count < 1 || count > children.length)) {
      ctx.report("TRC5003", "atLeastNeedsBetween", { count, parts: children.length }, d.body.span);
    }
    if (children.length === 0) ctx.report("TRC5003", "groupCriteriaCannotEmpty", {}, d.body.span);
    body = { kind: "group", mode: d.body.mode, count, children };
  }
  const needs = { elements: new Set<string>(), anchors: new Set<string>(), fields: new Set<string>() };
  const visit = (b: IrCriterion["body"]): void => {
    if (b.kind === "rule") collectNeeds(b.expr, defs, needs);
    else b.children.forEach((c) => visit(c.body));
  };
  visit(body);
  return {
    id: d.id.text,
    role: d.role,
    text: d.text,
    trace,
    body,
    reads: sorted(needs.elements),
    anchors: sorted(needs.anchors),
    span: irSpan(d.span),
  };
}
