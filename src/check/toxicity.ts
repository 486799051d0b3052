/**
 * The toxicity section: organs at risk with their dose limits, the CTCAE terms
 * graded from laboratory values, and the stop / delay rules.
 */
import type * as A from "../ast/nodes.js";
import type { IrGrade, IrOrgan, IrToxicity, IrToxRule } from "../ir/types.js";

import { checkDuration } from "./time.js";
import { commensurability, convert } from "../runtime/units.js";
import { dec } from "../runtime/decimal.js";
import { ctcaeTerm, CTCAE_V403 } from "../stdlib/ctcae-v4.03.js";
import { CheckContext, lowerTrace } from "./context.js";
import { checkCondition } from "./expressions.js";
import { collectNeeds, sorted } from "../ir/walk.js";

export function checkToxicity(ctx: CheckContext, d: A.ToxicityDecl): IrToxicity {
  const organs = d.organs.flatMap((o) => {
    const ir = checkOrgan(ctx, o);
    return ir ? [ir] : [];
  });
  if (d.grades.length > 0 && !ctx.libraries.has("ctcae"))
    ctx.report("TRC2008", "gradingUsesCtcaeAdd", {}, d.grades[0]!.span);
  const grades = d.grades.flatMap((g) => {
    const ir = checkGrade(ctx, g);
    return ir ? [ir] : [];
  });
  const defs = ctx.checkedDefinitions();
  const names = new Map<string, A.Span>();
  const rules = d.rules.map((r) => {
    const prior = names.get(r.name.text);
    if (prior)
      ctx.report("TRC2002", "ruleDeclaredTwice", { name: r.name.text }, r.name.span, {
        related: [{ message: "first declared here", span: prior }],
      });
    names.set(r.name.text, r.name.span);
    ctx.currentRule = `toxicity.${r.name.text}`;
    const when = checkCondition(ctx, r.when, { section: "toxicity" });
    const maxDelay = checkMaxDelay(ctx, r);
    return {
      action: r.action,
      name: r.name.text,
      label: r.label,
      when,
      ...(maxDelay ? { maxDelay } : {}),
      reads: sorted(collectNeeds(when, defs).elements),
      trace: lowerTrace(ctx, r.trace),
    };
  });
  if (d.maxCycles && d.maxCycles.count < 1) ctx.report("TRC5003", "maxCyclesMustAt", {}, d.maxCycles.span);
  return { organs, grades, rules, maxCycles: d.maxCycles?.count ?? null, trace: lowerTrace(ctx, d.trace) };
}

/** `organ kidneys "Kidneys" dose dosimetry.kidney_dose limit kidney_dose_limit`. */
function checkOrgan(ctx: CheckContext, o: A.OrganDecl): IrOrgan | null {
  const rec = ctx.elements.get(o.dose.base.text);
  if (!rec || rec.ir.type !== "records") {
    ctx.unknown(
      "TRC2001",
      "list of records",
      o.dose.base.text,
      o.dose.base.span,
      [...ctx.elements.values()].filter((e) => e.ir.type === "records").map((e) => e.ir.name),
    );
    return null;
  }
  const field = rec.ir.fields?.find((f) => f.name === o.dose.field.text);
  if (!field) {
    ctx.unknown(
      "TRC2001",
      `field of "${rec.ir.name}"`,
      o.dose.field.text,
      o.dose.field.span,
      (rec.ir.fields ?? []).map((f) => f.name),
    );
    return null;
  }
  if (!field.unit || commensurability(field.unit, "Gy") !== "same") {
    ctx.report("TRC3003", "organDoseAbsorbedDose", { name: field.name, unit: field.unit ?? "no unit" }, o.dose.span);
    return null;
  }
  const p = ctx.parameters.get(o.limit.text);
  if (!p) {
    ctx.unknown("TRC2001", "parameter", o.limit.text, o.limit.span, ctx.parameters.keys());
    return null;
  }
  p.used = true;
  const v = p.ir?.value;
  if (!v || v.kind !== "quantity" || commensurability(v.unit, field.unit) !== "same") {
    ctx.report("TRC3003", "limitMustAbsorbedDose", { limit: o.limit.text }, o.limit.span);
    return null;
  }
  if (!ctx.parameters.get(o.limit.text)?.ast.trace.sources.length)
    ctx.report("TRC5005", "doseLimitDoesNot", { limit: o.limit.text }, o.limit.span);
  ctx.organs.set(o.name.text, { unit: field.unit, span: o.name.span });
  const value = convert(dec(v.value), v.unit, field.unit).toString();
  return {
    name: o.name.text,
    label: o.label,
    records: rec.ir.name,
    field: field.name,
    unit: field.unit,
    limit: { param: o.limit.text, value, unit: field.unit },
  };
}

/** `grade anemia "Anemia" from hemoglobin`: the element must be gradable by that term. */
function checkGrade(ctx: CheckContext, g: A.GradeDecl): IrGrade | null {
  const term = ctcaeTerm(g.term.text);
  if (!term) {
    ctx.unknown(
      "TRC2008",
      "CTCAE v4.03 term",
      g.term.text,
      g.term.span,
      CTCAE_V403.map((t) => t.term),
    );
    return null;
  }
  const el = ctx.elements.get(g.from.text);
  if (!el) {
    ctx.unknown("TRC2001", "data element", g.from.text, g.from.span, ctx.elements.keys());
    return null;
  }
  if (term.unit !== "1") {
    const c = el.ir.unit ? commensurability(el.ir.unit, term.unit, el.ir.molarMass) : "incompatible";
    if (c !== "same") {
      ctx.report(
        "TRC3003",
        "gradedBut",
        { term: term.term, unit: term.unit, name: el.ir.name, actual: el.ir.unit ?? "no unit" },
        g.from.span,
      );
      return null;
    }
  }
  if (term.relativeTo?.includes("ULN") && !el.ir.reference.uln) {
    ctx.report("TRC3005", "gradedAgainstUlnDeclare", { term: term.term, name: el.ir.name }, g.from.span);
    return null;
  }
  ctx.gradedTerms.set(g.term.text, g.term.span);
  // The verbatim grade texts travel in the IR: documents print them and read only the IR.
  const gradeTexts = ([1, 2, 3, 4, 5] as const).map((grade) => ({ grade, text: term.gradeTexts[`${grade}`] }));
  const entry = JSON.parse(JSON.stringify(term)) as typeof term;
  return {
    term: g.term.text,
    label: g.label,
    element: el.ir.name,
    ...(el.ir.unit ? { unit: el.ir.unit } : {}),
    gradeTexts,
    entry,
  };
}

/** `max 6 wk then stop` on a delay rule; a delay without one is warned about (TRC7005). */
function checkMaxDelay(ctx: CheckContext, r: A.ToxRuleDecl): IrToxRule["maxDelay"] | null {
  if (!r.maxDelay) {
    if (r.action === "delay")
      ctx.report("TRC7005", "delayWithoutMaximum", { rule: r.name.text }, r.name.span, {
        hint: 'add "max 6 wk then stop" (or then "what the protocol says") after the condition',
      });
    return null;
  }
  if (r.action === "stop") {
    ctx.report("TRC5004", "stopRuleNoMaxDelay", {}, r.maxDelay.span);
    return null;
  }
  const d = checkDuration(ctx, r.maxDelay.duration, { section: "toxicity" });
  if (d.kind !== "duration") return null;
  return { duration: d.duration, then: r.maxDelay.then };
}
