/**
 * The last check: what is declared but never used. Definitions and parameters no
 * rule uses, data elements no rule reads (unless declared `capture only`), and
 * elements a rule reads that no form captures.
 */
import type * as A from "../ast/nodes.js";
import type { IrElement, IrProtocol } from "../ir/types.js";
import { collectNeeds } from "../ir/walk.js";
import { CheckContext } from "./context.js";

/** Fill `readBy` on every element from the rules of the protocol. */
export function recordReads(ir: IrProtocol): void {
  const defs = new Map(ir.definitions.map((d) => [d.name, d]));
  const reads = new Map<string, Set<string>>();
  const add = (element: string, by: string) => {
    let s = reads.get(element);
    if (!s) reads.set(element, (s = new Set()));
    s.add(by);
  };
  const walkCriteria = (cs: IrProtocol["eligibility"]["inclusion"]) => {
    for (const c of cs) {
      for (const e of c.reads) add(e, c.id);
      if (c.body.kind === "group") walkCriteria(c.body.children);
    }
  };
  walkCriteria(ir.eligibility.inclusion);
  walkCriteria(ir.eligibility.exclusion);
  for (const r of ir.schedule?.requirements ?? []) for (const e of r.reads) add(e, `schedule.${r.name}`);
  for (const r of ir.toxicity?.rules ?? []) for (const e of r.reads) add(e, `toxicity.${r.name}`);
  for (const g of ir.toxicity?.grades ?? []) add(g.element, `toxicity.grade.${g.term}`);
  for (const o of ir.toxicity?.organs ?? []) add(o.records, `toxicity.organ.${o.name}`);
  if (ir.response?.lesion) add(ir.response.lesion.records, "response.lesion");
  for (const el of ir.elements)
    if (el.requiredWhen) for (const e of collectNeeds(el.requiredWhen, defs).elements) add(e, `data.${el.name}`);
  for (const el of ir.elements) el.readBy = [...(reads.get(el.name) ?? [])].sort();
}

export function checkUsage(ctx: CheckContext, ir: IrProtocol, elementDecls: Map<string, A.ElementDecl>): void {
  for (const d of ctx.defines.values())
    if (!d.used) ctx.error("TRC2004", `definition "${d.ast.name.text}" is never used`, d.ast.name.span);
  for (const p of ctx.parameters.values())
    if (!p.used) ctx.error("TRC2004", `parameter "${p.ast.name.text}" is never used`, p.ast.name.span);
  for (const el of ir.elements) {
    const decl = elementDecls.get(el.name);
    if (!decl) continue;
    if (el.readBy.length === 0 && !el.captureOnly)
      ctx.error("TRC6001", `data element "${el.name}" is read by no rule: use it, or declare it "capture only"`, decl.name.span);
    if (el.readBy.length > 0 && el.form === null)
      ctx.error("TRC6002", `data element "${el.name}" is read by ${el.readBy[0]} but no form captures it: add "form …"`, decl.name.span);
  }
}

/** Group elements by the form that captures them, in declaration order. */
export function formsOf(forms: A.FormDecl[], elements: IrElement[]): IrProtocol["forms"] {
  return forms.map((f) => ({ name: f.name.text, label: f.label, elements: elements.filter((e) => e.form === f.name.text).map((e) => e.name) }));
}
