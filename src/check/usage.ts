/**
 * The last check: what is declared but never used. Definitions and parameters no
 * rule uses, data elements no rule reads (unless declared `capture only`), and
 * elements a rule reads that no form captures.
 */
import type * as A from "../ast/nodes.js";
import type { IrCriterion, IrElement, IrExpr, IrNormalisation, IrProtocol } from "../ir/types.js";
import { collectNeeds } from "../ir/walk.js";
import { CheckContext } from "./context.js";

/** The checked rules whose reads make `readBy`: everything of the IR but the data dictionary. */
export type CheckedRules = Pick<
  IrProtocol,
  "definitions" | "eligibility" | "schedule" | "toxicity" | "response" | "objectives"
>;

/**
 * Which rules read each element and record field (keyed `name` and `records.field`),
 * from the checked rules and the elements' `required when` conditions. Computed before
 * the IR is assembled, so that the IR is never changed once built.
 */
export function readsOf(
  rules: CheckedRules,
  requiredWhen: ReadonlyMap<string, IrExpr>,
  normalisations: ReadonlyMap<string, IrNormalisation> = new Map(),
): Map<string, string[]> {
  const defs = new Map(rules.definitions.map((d) => [d.name, d]));
  const reads = new Map<string, Set<string>>();
  const add = (key: string, by: string) => {
    let s = reads.get(key);
    if (!s) reads.set(key, (s = new Set()));
    s.add(by);
  };
  const addExpr = (e: IrExpr, by: string) => {
    const needs = collectNeeds(e, defs);
    for (const key of [...needs.elements, ...needs.fields]) add(key, by);
  };
  const walkCriteria = (cs: readonly IrCriterion[]) => {
    for (const c of cs) {
      if (c.body.kind === "rule") addExpr(c.body.expr, c.id);
      else walkCriteria(c.body.children);
    }
  };
  walkCriteria(rules.eligibility.inclusion);
  walkCriteria(rules.eligibility.exclusion);
  for (const r of rules.schedule?.requirements ?? []) addExpr(r.expr, `schedule.${r.name}`);
  for (const r of rules.toxicity?.rules ?? []) addExpr(r.when, `toxicity.${r.name}`);
  for (const g of rules.toxicity?.grades ?? []) add(g.element, `toxicity.grade.${g.term}`);
  for (const o of rules.toxicity?.organs ?? [])
    for (const key of [o.records, `${o.records}.${o.field}`]) add(key, `toxicity.organ.${o.name}`);
  const lesion = rules.response?.lesion;
  if (lesion) for (const key of [lesion.records, `${lesion.records}.${lesion.field}`]) add(key, "response.lesion");
  for (const [name, when] of requiredWhen) addExpr(when, `data.${name}`);
  // A BSA (or height and weight) is read to normalise an element's absolute values.
  for (const [name, n] of normalisations)
    for (const key of n.bsa.kind === "element" ? [n.bsa.element] : [n.bsa.height, n.bsa.weight])
      add(key, `normalise.${name}`);
  // Endpoints read the data they need: an element collected for an endpoint is used.
  for (const o of rules.objectives?.objectives ?? [])
    for (const e of o.endpoints)
      for (const key of e.uses) {
        add(key, `endpoint.${e.name}`);
        if (key.includes(".")) add(key.split(".")[0]!, `endpoint.${e.name}`);
      }
  return new Map([...reads].map(([k, s]) => [k, [...s].sort()]));
}

/** An element as the IR has it: its `required when` condition and who reads it (and its fields) added. */
export function finishElement(
  el: IrElement,
  requiredWhen: IrExpr | undefined,
  reads: ReadonlyMap<string, string[]>,
): IrElement {
  // Object.assign, not `{ ...el, readBy }`: see tests/architecture/object-spread.test.ts.
  return Object.assign(
    {},
    el,
    { readBy: reads.get(el.name) ?? [] },
    el.fields
      ? { fields: el.fields.map((f) => Object.assign({}, f, { readBy: reads.get(`${el.name}.${f.name}`) ?? [] })) }
      : {},
    requiredWhen ? { requiredWhen } : {},
  );
}

export function checkUsage(ctx: CheckContext, ir: IrProtocol, elementDecls: Map<string, A.ElementDecl>): void {
  for (const d of ctx.defines.values())
    if (!d.used) ctx.report("TRC2004", "definitionNeverUsed", { name: d.ast.name.text }, d.ast.name.span);
  for (const p of ctx.parameters.values())
    if (!p.used) ctx.report("TRC2004", "parameterNeverUsed", { name: p.ast.name.text }, p.ast.name.span);
  for (const el of ir.elements) {
    const decl = elementDecls.get(el.name);
    if (!decl) continue;
    if (el.readBy.length === 0 && !el.captureOnly)
      ctx.report("TRC6001", "dataElementReadBy", { name: el.name }, decl.name.span);
    // A field of a records element that rules read: every field is on the form too.
    if (el.readBy.length > 0 && !el.captureOnly)
      for (const f of el.fields ?? []) {
        const fdecl = decl.fields.find((x) => x.name.text === f.name);
        if (fdecl && f.readBy.length === 0 && !f.captureOnly)
          ctx.report("TRC6001", "fieldReadByNo", { records: el.name, field: f.name }, fdecl.name.span);
      }
    if (el.readBy.length > 0 && el.form === null)
      ctx.report("TRC6002", "dataElementReadBy", { name: el.name, readBy: el.readBy[0]! }, decl.name.span);
  }
}

/** Group elements by the form that captures them, in declaration order. */
export function formsOf(forms: A.FormDecl[], elements: IrElement[]): IrProtocol["forms"] {
  return forms.map((f) => ({
    name: f.name.text,
    label: f.label,
    elements: elements.filter((e) => e.form === f.name.text).map((e) => e.name),
  }));
}
