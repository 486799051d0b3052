/**
 * Result selections of measured elements: `select latest [by "method"] [between LOW and HIGH]`.
 * Only a measured element (a top-level decimal with a unit) holds results to select from;
 * the window's bounds hang off anchors by fixed durations, low before high.
 */
import type * as A from "../ast/nodes.js";
import type { IrElement, IrRelativeTime } from "../ir/types.js";
import { relativeTime } from "../ir/time.js";
import { isDurationUnit } from "../runtime/units.js";
import type { CheckContext } from "./context.js";
import { checkRelativeOrder, checkTimePoint } from "./time.js";

/** The element's selection, or undefined (with a diagnostic) when it is not valid. */
export function checkSelection(
  ctx: CheckContext,
  el: IrElement,
  sel: NonNullable<A.ElementDecl["select"]>,
): IrElement["select"] {
  if (el.type !== "decimal" || !el.unit) {
    ctx.report("TRC5004", "selectNeedsMeasured", {}, sel.span);
    return undefined;
  }
  const rel = (e: A.Expr): IrRelativeTime | null => {
    const ir = checkTimePoint(ctx, e, { section: "data" });
    if (ctx.poisoned.has(ir)) return null;
    const r = relativeTime(ir);
    if (!r || r.offsets.some((o) => !isDurationUnit(o.duration.unit))) {
      ctx.report("TRC4003", "selectionWindowFixed", { text: ir.text }, e.span);
      return null;
    }
    return r;
  };
  const method = sel.method?.trim();
  if (sel.method !== null && !method) ctx.report("TRC5004", "selectMethodEmpty", {}, sel.span);
  let window: { low: IrRelativeTime; high: IrRelativeTime } | undefined;
  if (sel.low && sel.high) {
    const low = rel(sel.low);
    const high = rel(sel.high);
    if (!low || !high) return undefined;
    checkRelativeOrder(ctx, low, high, sel.span);
    window = { low, high };
  }
  const text = [
    "latest",
    ...(method ? [`by "${method}"`] : []),
    ...(window ? [`between ${window.low.text} and ${window.high.text}`] : []),
  ].join(" ");
  return Object.assign({}, method ? { method } : {}, window ? { window } : {}, { text });
}
