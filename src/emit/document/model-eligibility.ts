/**
 * The eligibility checklist and the definitions it uses, as view models.
 *
 * Each criterion keeps the protocol's id and wording; leaves add the rule in plain
 * language and the data a screener must collect (with the form it is on), so the
 * printout works as a screening worksheet.
 */
import type { IrCriterion, IrDefinition, IrElement, IrExpr } from "../../ir/types.js";
import { plainRule } from "./plain-language.js";
import { criterionRef, formLabel, subExpressions, traceModel, type DocContext } from "./model-common.js";
import type { CriterionModel, DataNeedModel, DefinitionModel } from "./model-types.js";
import { relativeTimeText, unitText } from "./format.js";

const ROLE: Record<IrCriterion["role"], string> = {
  inclusion: "Inclusion",
  exclusion: "Exclusion",
  criterion: "Criterion",
};

/** A criterion and its nested parts. */
export function criterionModel(ctx: DocContext, c: IrCriterion, depth = 0): CriterionModel {
  const leaf = c.body.kind === "rule";
  return {
    id: c.id,
    partOf: ctx.parents.get(c.id)?.join(" › ") ?? null,
    role: ROLE[c.role],
    text: comparators(c.text),
    rule: c.body.kind === "rule" ? comparators(plainRule(c.body.expr, ctx.plain)) : null,
    ruleSource: c.body.kind === "rule" ? c.body.expr.text : null,
    defines: c.body.kind === "rule" ? definitionsIn(c.body.expr) : [],
    group: c.body.kind === "group" ? groupText(c.body.mode, c.body.count, c.body.children.length) : null,
    children: c.body.kind === "group" ? c.body.children.map((x) => criterionModel(ctx, x, depth + 1)) : [],
    depth,
    // Only leaves list their data: a group's needs are its parts' needs, printed there.
    data: leaf ? dataNeeds(ctx, c.reads) : [],
    fields: leaf
      ? dataNeeds(ctx, c.reads).flatMap((d) =>
          d.value === null || d.value === undefined
            ? []
            : [{ label: d.label, unit: d.value, limits: d.limits ?? "", which: d.which ?? "" }],
        )
      : [],
    dates: leaf ? c.anchors.map((a) => anchorText(ctx, a)) : [],
    trace: traceModel(ctx, c.trace),
  };
}

function groupText(mode: "all" | "atLeast", count: number, of: number): string {
  if (mode === "all") return "All of the following must hold";
  return count === 1
    ? `At least 1 of the following ${of} must hold`
    : `At least ${count} of the following ${of} must hold`;
}

function anchorText(ctx: DocContext, name: string): string {
  const a = ctx.ir.anchors.find((x) => x.name === name);
  return a ? `${name} (${a.label})` : name;
}

/** The elements a rule reads, with their forms, in data-dictionary order. */
function dataNeeds(ctx: DocContext, reads: readonly string[]): DataNeedModel[] {
  const wanted = new Set(reads);
  return ctx.ir.elements
    .filter((e) => wanted.has(e.name))
    .map((e) => ({
      label: e.label,
      form: formLabel(ctx, e.form),
      // A number the site writes down, in the element's unit, with the date it was measured.
      value: e.type === "decimal" || e.type === "integer" ? (e.unit ? unitText(e.unit).text : "") : null,
      limits: [e.reference.uln ? "ULN" : "", e.reference.lln ? "LLN" : ""].filter(Boolean).join(", "),
      which: selectionText(e.select),
    }));
}

/** Which result a site copies onto the form: the one the rules read. */
function selectionText(select: IrElement["select"]): string {
  if (!select) return "";
  const by = select.method ? ` by ${select.method}` : "";
  const window = select.window
    ? `, from ${relativeTimeText(select.window.low)} to ${relativeTimeText(select.window.high)}`
    : "";
  return `latest result${by}${window}`;
}

/** The definitions a rule uses directly, each once: the checklist points to where they are spelt out. */
function definitionsIn(e: IrExpr): string[] {
  return [...new Set(subExpressions(e).flatMap((x) => (x.kind === "define" ? [x.name] : [])))];
}

/** The definitions, each with the criteria and rules that use it. */
export function definitionModels(ctx: DocContext): DefinitionModel[] {
  const users = definitionUsers(ctx);
  return ctx.ir.definitions.map((d) => ({
    name: d.name,
    label: d.label,
    params: d.params.map((p) => `‹${p}›`).join(", "),
    rule: comparators(plainRule(d.expr, ctx.plain)),
    ruleSource: d.expr.text,
    usedBy: (users.get(d.name) ?? []).map((u) => criterionRef(ctx, u)).join(", "),
    trace: traceModel(ctx, d.trace),
  }));
}

/** Which rules use each definition directly (criterion ids, definition names, section rules). */
export function definitionUsers(ctx: DocContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const note = (user: string, e: IrExpr) => {
    for (const x of subExpressions(e))
      if (x.kind === "define") {
        const list = out.get(x.name) ?? [];
        if (!list.includes(user)) list.push(user);
        out.set(x.name, list);
      }
  };
  const visit = (c: IrCriterion): void => {
    if (c.body.kind === "rule") note(c.id, c.body.expr);
    else c.body.children.forEach(visit);
  };
  [...ctx.ir.eligibility.inclusion, ...ctx.ir.eligibility.exclusion].forEach(visit);
  ctx.ir.definitions.forEach((d: IrDefinition) => note(d.name, d.expr));
  ctx.ir.schedule?.requirements.forEach((r) => note(r.name, r.expr));
  ctx.ir.toxicity?.rules.forEach((r) => note(r.name, r.when));
  return out;
}

/**
 * Comparators and powers as a printed form shows them: ≥, ≤, ≠, × and 10³/µL (never >=,
 * <=, !=, x or 10^3/uL, as criteria are often typed).
 */
export function comparators(text: string): string {
  return text
    .replace(/>=/g, "≥")
    .replace(/<=/g, "≤")
    .replace(/!=/g, "≠")
    .replace(/(\d) x (ULN|LLN)/g, "$1 × $2")
    .replace(
      /(\d) x 10\^(-?\d+)(\/[A-Za-z]+)?/g,
      (_m, n: string, p: string, per = "") => `${n} × ${unitText(`10*${p}${per}`).text}`,
    );
}
