/**
 * The response section: per-lesion change categories and the RECIST 1.1 settings
 * (confirmation, NE tolerance, minimum duration of stable disease).
 */
import type * as A from "../ast/nodes.js";
import type { IrDuration, IrResponse } from "../ir/types.js";
import { commensurability, convert } from "../runtime/units.js";
import { dec } from "../runtime/decimal.js";
import { CheckContext, lowerTrace, type Scope } from "./context.js";
import { checkCondition, checkExpr } from "./expressions.js";
import { checkDuration } from "./time.js";

/** Whole days in a duration; months and years are not allowed where days are counted. */
function days(ctx: CheckContext, d: IrDuration, span: A.Span): number {
  if (d.unit === "mo" || d.unit === "a") {
    ctx.report("TRC4002", "giveThisIntervalDays", {}, span);
    return 0;
  }
  return convert(dec(d.amount), d.unit, "d").toNumber();
}

export function checkResponse(ctx: CheckContext, d: A.ResponseDecl): IrResponse {
  let lesion: IrResponse["lesion"] = null;
  if (d.lesion) {
    const l = d.lesion;
    const rec = [...ctx.elements.values()].find(
      (e) => e.ir.type === "records" && e.ir.fields?.some((f) => f.name === l.field.text),
    );
    const field = rec?.ir.fields?.find((f) => f.name === l.field.text);
    if (!rec || !field)
      ctx.unknown(
        "TRC2001",
        "lesion field",
        l.field.text,
        l.field.span,
        [...ctx.elements.values()].flatMap((e) => e.ir.fields?.map((f) => f.name) ?? []),
      );
    else if (!field.unit) ctx.report("TRC3003", "needsLengthUnitMeasure", { name: field.name }, l.field.span);
    const scope: Scope = { section: "response", vars: new Map([["change", { type: "quantity", unit: "%" }]]) };
    let otherwise = 0;
    const categories = l.categories.map((c) => {
      if (!c.when) otherwise++;
      return { name: c.name.text, label: c.label, when: c.when ? checkCondition(ctx, c.when, scope) : null };
    });
    if (otherwise !== 1) ctx.report("TRC5003", "lesionResponseNeedsExactly", {}, l.span);
    if (rec && field?.unit)
      lesion = {
        records: rec.ir.name,
        field: field.name,
        unit: field.unit,
        reference: l.reference,
        categories,
        trace: lowerTrace(ctx, l.trace),
      };
  }
  let recist: IrResponse["recist"] = null;
  if (d.recist) {
    const r = d.recist;
    if (!ctx.libraries.has("recist")) ctx.report("TRC2008", "addUseRecistProtocol", {}, r.span);
    const scope: Scope = { section: "response" };
    const after = r.confirmation?.after ? checkDuration(ctx, r.confirmation.after, scope) : null;
    const sd = r.stableDiseaseMinimum ? checkDuration(ctx, r.stableDiseaseMinimum.amount, scope) : null;
    if (r.stableDiseaseMinimum && !ctx.anchors.has(r.stableDiseaseMinimum.anchor.text))
      ctx.unknown(
        "TRC2001",
        "time anchor",
        r.stableDiseaseMinimum.anchor.text,
        r.stableDiseaseMinimum.anchor.span,
        ctx.anchors.keys(),
      );
    const small = r.tooSmallToMeasure ? checkExpr(ctx, r.tooSmallToMeasure, scope) : null;
    let tooSmall = "5";
    if (small && small.kind === "quantity" && commensurability(small.unit, "mm") === "same")
      tooSmall = convert(dec(small.value), small.unit, "mm").toString();
    else if (small && !ctx.poisoned.has(small))
      ctx.report("TRC3003", "tooSmallMeasureLength", {}, r.tooSmallToMeasure!.span);
    recist = {
      confirmation: {
        required: r.confirmation?.required ?? false,
        minIntervalDays: after && after.kind === "duration" ? days(ctx, after.duration, r.confirmation!.span) : 28,
      },
      maxNotEvaluableBetween: r.maxNotEvaluableBetween?.count ?? 1,
      stableDiseaseMinimum:
        sd && sd.kind === "duration" && r.stableDiseaseMinimum
          ? { days: days(ctx, sd.duration, r.stableDiseaseMinimum.span), anchor: r.stableDiseaseMinimum.anchor.text }
          : null,
      tooSmallToMeasureMm: tooSmall,
      trace: lowerTrace(ctx, r.trace),
    };
  }
  return { lesion, recist, trace: lowerTrace(ctx, d.trace) };
}
