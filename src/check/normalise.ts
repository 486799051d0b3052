/**
 * Declared normalisations: `normalise gfr from decimal mL/min to 1.73 m2 by bsa`.
 *
 * The units must fit together: the normalised element is measured in a unit with an
 * annotation (`mL/min/{1.73_m2}`), `from` is of its kind but for that annotation
 * (`mL/min`: the source unit × m2 / m2 is the element's kind), the reference area is an
 * area, and the body-surface area an area in m2 (an element), or computed by a named
 * formula from a length and a mass. Each element the BSA is read from needs a plausible
 * range above 0, so that no BSA of 0 can reach a division; and the declaration names
 * its source.
 */
import type * as A from "../ast/nodes.js";
import type { IrElement, IrNormalisation } from "../ir/types.js";
import { parseDecimal } from "../runtime/decimal.js";
import { commensurability, differOnlyByAnnotations, unitAlias, validateUnit } from "../runtime/units.js";
import { BSA_FORMULAS, type BsaFormula } from "../runtime/bsa-formulas.js";
import { CheckContext, irSpan, lowerTrace } from "./context.js";

/** The normalisation of each element that declares one, by element name. */
export function checkNormalisations(ctx: CheckContext, decls: A.NormaliseDecl[]): Map<string, IrNormalisation> {
  const out = new Map<string, IrNormalisation>();
  const first = new Map<string, A.NormaliseDecl>();
  for (const d of decls) {
    // Each one is checked, so that one run reports every problem; the first one counts.
    const prior = first.get(d.element.text);
    if (prior)
      ctx.report("TRC2002", "normalisedTwice", { name: d.element.text }, d.element.span, {
        related: [{ message: "first normalised here", span: prior.element.span }],
      });
    else first.set(d.element.text, d);
    const n = checkOne(ctx, d);
    if (n && !prior) out.set(d.element.text, n);
  }
  return out;
}

/** A measured element (a top-level decimal with a unit) by name, or undefined with TRC2001. */
function measured(ctx: CheckContext, name: A.Name): IrElement | undefined {
  const el = ctx.elements.get(name.text)?.ir;
  if (!el) ctx.unknown("TRC2001", "data element", name.text, name.span, ctx.elements.keys());
  return el;
}

/** What a unit is, in words, for messages: `in cm2`, `not a quantity`. */
const described = (el: IrElement) => (el.type === "decimal" && el.unit ? `in ${el.unit}` : `a ${el.type}`);

/**
 * An element the BSA is computed from: measured, of the wanted kind (`like`), with a
 * plausible range above 0. Reports and returns false otherwise.
 */
function bsaInput(ctx: CheckContext, name: A.Name, what: string, formula: string | null, like: string): boolean {
  const el = measured(ctx, name);
  if (!el) return false;
  const ok = el.type === "decimal" && el.unit !== undefined && commensurability(el.unit, like) === "same";
  if (!ok) {
    if (formula === null)
      ctx.report("TRC3003", "normaliseBsaArea", { name: name.text, actual: described(el) }, name.span);
    else
      ctx.report(
        "TRC3003",
        "normaliseFormulaArgument",
        {
          formula,
          what,
          wanted: like === "cm" ? "a length (cm)" : "a mass (kg)",
          name: name.text,
          actual: described(el),
        },
        name.span,
      );
    return false;
  }
  if (!el.range || !(parseDecimal(el.range.low)?.greaterThan(0) ?? false)) {
    ctx.report("TRC3006", "normaliseInputRange", { name: name.text, unit: el.unit! }, name.span);
    return false;
  }
  return true;
}

function checkOne(ctx: CheckContext, d: A.NormaliseDecl): IrNormalisation | null {
  let ok = true;
  const el = measured(ctx, d.element);
  if (el && (el.type !== "decimal" || !el.unit)) {
    ctx.report("TRC5004", "normaliseNeedsMeasured", {}, d.element.span);
    ok = false;
  }
  // The absolute unit: the element's kind but for its annotation.
  const from = unitAlias(d.from.text);
  const valid = validateUnit(from);
  if (!valid.ok) {
    ctx.report("TRC3002", "unknownUnit", { unit: d.from.text, message: valid.message }, d.from.span);
    ok = false;
  } else if (el?.unit) {
    if (commensurability(from, el.unit) === "same") {
      ctx.report("TRC3003", "normaliseNothing", { from: d.from.text, name: el.name, unit: el.unit }, d.from.span);
      ok = false;
    } else if (!differOnlyByAnnotations(from, el.unit)) {
      ctx.report("TRC3003", "normaliseFromKind", { from: d.from.text, name: el.name, unit: el.unit }, d.from.span);
      ok = false;
    }
  }
  // The reference area.
  const areaUnit = unitAlias(d.area.unit.text);
  const area = parseDecimal(d.area.value);
  if (!validateUnit(areaUnit).ok || commensurability(areaUnit, "m2") !== "same" || !area?.greaterThan(0)) {
    ctx.report("TRC3003", "normaliseAreaM2", { text: ctx.textOf(d.area.span) }, d.area.span);
    ok = false;
  }
  // Where the BSA comes from.
  let bsa: IrNormalisation["bsa"] | null = null;
  if (d.args === null) {
    if (d.by.text === d.element.text) {
      ctx.report("TRC5004", "normaliseOwnArea", { name: d.by.text }, d.by.span);
      ok = false;
    } else if (bsaInput(ctx, d.by, "body-surface area", null, "m2")) bsa = { kind: "element", element: d.by.text };
  } else if (!Object.hasOwn(BSA_FORMULAS, d.by.text)) {
    ctx.unknown("TRC2001", "body-surface area formula", d.by.text, d.by.span, Object.keys(BSA_FORMULAS));
  } else {
    const formula = d.by.text as BsaFormula;
    const [height, weight] = d.args;
    if (d.args.length !== 2 || !height || !weight)
      ctx.report("TRC5004", "normaliseFormulaArity", { formula, signature: `(height, weight)` }, d.by.span);
    else {
      const label = BSA_FORMULAS[formula].label;
      const h = bsaInput(ctx, height, "height", label, "cm");
      const w = bsaInput(ctx, weight, "weight", label, "kg");
      if (h && w) bsa = { kind: "formula", formula, label, height: height.text, weight: weight.text };
    }
  }
  // The source of the conversion (a formula's publication, or the note it follows).
  if (d.trace.sources.length === 0 && !d.trace.interpretations.some((i) => i.sources.length))
    ctx.report("TRC5006", "normaliseNeedsSource", { name: d.element.text }, d.span);
  const trace = lowerTrace(ctx, d.trace);
  if (!ok || !bsa || !area) return null;
  return {
    from,
    area: { value: area.toString(), unit: areaUnit },
    bsa,
    text: ctx.textOf(d.header),
    trace,
    span: irSpan(d.span),
  };
}
