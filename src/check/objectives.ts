/**
 * The objectives section: each objective's endpoints name the data they need, so the data
 * dictionary, the forms and the document can say what every element is collected for, and
 * an endpoint whose data no form collects is reported (TRC6003).
 */
import type * as A from "../ast/nodes.js";
import type { IrObjectives } from "../ir/types.js";

import { CheckContext, lowerTrace } from "./context.js";

export function checkObjectives(ctx: CheckContext, d: A.ObjectivesDecl): IrObjectives {
  const seen = new Map<string, A.Span>();
  const unique = (n: A.Name, what: string) => {
    const prior = seen.get(n.text);
    if (prior)
      ctx.report("TRC2002", "declaredTwice", { what, name: n.text }, n.span, {
        related: [{ message: "first declared here", span: prior }],
      });
    else seen.set(n.text, n.span);
  };
  const objectives = d.objectives.map((o) => {
    unique(o.id, "objective");
    return {
      id: o.id.text,
      level: o.level,
      text: o.text,
      basis: o.basis,
      trace: lowerTrace(ctx, o.trace),
      endpoints: o.endpoints.map((e) => {
        unique(e.name, "endpoint");
        return {
          name: e.name.text,
          label: e.label,
          uses: e.uses.flatMap((u) => use(ctx, e, u)),
          trace: lowerTrace(ctx, e.trace),
        };
      }),
    };
  });
  return { objectives, trace: lowerTrace(ctx, d.trace) };
}

/** Resolve one `uses` entry to its `element` or `records.field` key; report what is wrong with it. */
function use(ctx: CheckContext, e: A.EndpointDecl, u: A.EndpointDecl["uses"][number]): string[] {
  const el = ctx.elements.get(u.base.text);
  if (!el) {
    ctx.unknown("TRC2001", "data element", u.base.text, u.base.span, ctx.elements.keys());
    return [];
  }
  if (u.field) {
    const fields = el.ir.fields ?? [];
    if (el.ir.type !== "records") {
      ctx.report("TRC2001", "notRecords", { name: u.base.text, field: u.field.text }, u.field.span);
      return [];
    }
    if (!fields.some((f) => f.name === u.field!.text)) {
      ctx.unknown(
        "TRC2001",
        `field of the records "${u.base.text}":`,
        u.field.text,
        u.field.span,
        fields.map((f) => f.name),
      );
      return [];
    }
  }
  if (el.ir.form === null)
    ctx.report("TRC6003", "endpointDataNoForm", { endpoint: e.name.text, element: u.base.text }, u.span);
  return [u.field ? `${u.base.text}.${u.field.text}` : u.base.text];
}
