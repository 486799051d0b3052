/**
 * Stage 1 of checking: collect every declared name (sources, anchors, forms, data
 * elements, definitions, parameters), report duplicates with "first defined here",
 * and lower the data dictionary, checking its units and ranges.
 */
import type * as A from "../ast/nodes.js";
import type { IrElement } from "../ir/types.js";
import { validateUnit, commensurability, convert, unitAlias } from "../runtime/units.js";
import { parseDecimal } from "../runtime/decimal.js";
import { CheckContext, irSpan } from "./context.js";
import { unitHint } from "./suggest.js";
import { checkCodes } from "./codes.js";

/** The libraries trialc ships, with the versions it implements. */
export const LIBRARIES: Record<string, string[]> = { ctcae: ["4.03"], recist: ["1.1"] };

/** Names a data element may not take: the language gives them a meaning (`anchors` holds the reference dates in patient data). */
const RESERVED = new Set(["ULN", "LLN", "true", "false", "change", "anchors"]);

export function collectDeclarations(ctx: CheckContext, file: A.TrialFile): void {
  const seen = new Map<string, { what: string; span: A.Span }>();
  /** One namespace for everything an expression can name. */
  const claim = (name: A.Name, what: string): boolean => {
    const prior = seen.get(name.text);
    if (prior) {
      ctx.report("TRC2002", "alreadyDeclaredAs", { what, name: name.text, other: prior.what }, name.span, {
        related: [{ message: "first declared here", span: prior.span }],
      });
      return false;
    }
    seen.set(name.text, { what, span: name.span });
    return true;
  };
  const once = <T extends { name: A.Name }>(map: Map<string, T>, d: T, what: string) => {
    const prior = map.get(d.name.text);
    if (prior) {
      ctx.report("TRC2002", "declaredTwice", { what, name: d.name.text }, d.name.span, {
        related: [{ message: "first declared here", span: prior.name.span }],
      });
    } else map.set(d.name.text, d);
  };

  for (const d of file.decls) {
    switch (d.kind) {
      case "SourceDecl":
        once(ctx.sources, d, "source");
        break;
      case "FormDecl":
        once(ctx.forms, d, "form");
        break;
      case "AnchorDecl":
        if (claim(d.name, "time anchor")) ctx.anchors.set(d.name.text, d);
        break;
      case "UseDecl": {
        const versions = LIBRARIES[d.library.text];
        if (!versions) ctx.unknown("TRC2008", "library", d.library.text, d.library.span, Object.keys(LIBRARIES));
        else if (!versions.includes(d.version))
          ctx.report(
            "TRC2008",
            "trialcImplementsNot",
            { library: d.library.text, list: versions.join(", "), version: d.version },
            d.span,
          );
        else ctx.libraries.set(d.library.text, d);
        break;
      }
      case "DefineDecl":
        if (claim(d.name, "definition"))
          ctx.defines.set(d.name.text, { ast: d, ir: null, paramTypes: new Map(), state: "unchecked", used: false });
        break;
      case "ParameterDecl":
        if (claim(d.name, "parameter")) ctx.parameters.set(d.name.text, { ast: d, ir: null, used: false });
        break;
      case "DataDecl":
        for (const e of d.elements) {
          if (!claim(e.name, "data element")) continue;
          const ir = lowerElement(ctx, e);
          if (ir) ctx.elements.set(e.name.text, { ir, ast: e });
        }
        break;
      default:
        break;
    }
  }
}

/** Lower one data element (and the fields of a records element). */
export function lowerElement(ctx: CheckContext, e: A.ElementDecl): IrElement | null {
  if (RESERVED.has(e.name.text)) {
    ctx.report("TRC2002", "reservedWordCannotName", { name: e.name.text }, e.name.span);
  }
  // Built field by field while checking; the IR's types are read-only from here on.
  const el: { -readonly [K in keyof IrElement]: IrElement[K] } = {
    name: e.name.text,
    label: e.label,
    type: e.type.kind,
    reference: { uln: e.withUln, lln: e.withLln },
    form: e.form ? e.form.text : null,
    captureOnly: e.captureOnly,
    codes: checkCodes(ctx, e.codes),
    readBy: [],
    span: irSpan(e.span),
  };
  if (e.form && !ctx.forms.has(e.form.text)) ctx.unknown("TRC2006", "form", e.form.text, e.form.span, ctx.forms.keys());

  switch (e.type.kind) {
    case "decimal":
      if (e.type.unit) {
        const unit = unitAlias(e.type.unit.text);
        const v = validateUnit(unit);
        if (!v.ok) {
          const hint = unitHint(e.type.unit.text, v.suggestions);
          ctx.report(
            "TRC3002",
            "unknownUnit",
            { unit: e.type.unit.text, message: v.message },
            e.type.unit.span,
            hint ? { hint } : {},
          );
        } else el.unit = unit;
      }
      break;
    case "code": {
      const codes = new Map<string, A.CodeOption>();
      for (const o of e.type.options) {
        const prior = codes.get(o.code.text);
        if (prior)
          ctx.report("TRC2002", "codeListedTwice", { code: o.code.text }, o.code.span, {
            related: [{ message: "first listed here", span: prior.code.span }],
          });
        else codes.set(o.code.text, o);
      }
      el.values = [...codes.values()].map((o) => ({
        code: o.code.text,
        label: o.label,
        codes: checkCodes(ctx, o.codes),
      }));
      break;
    }
    case "attestation":
      el.attestedBy = e.type.by;
      break;
    case "records": {
      const fields = new Map<string, IrElement>();
      for (const f of e.fields) {
        if (fields.has(f.name.text)) {
          ctx.report("TRC2002", "fieldDeclaredTwice", { name: f.name.text, records: e.name.text }, f.name.span);
          continue;
        }
        if (f.type.kind === "records") {
          ctx.report("TRC5004", "recordsCannotNestedInside", {}, f.typeSpan);
          continue;
        }
        if (f.form) ctx.report("TRC5004", "recordFieldCapturedOn", {}, f.form.span);
        const fir = lowerElement(ctx, f);
        if (fir) fields.set(f.name.text, Object.assign({}, fir, { form: el.form }));
      }
      el.fields = [...fields.values()];
      break;
    }
    default:
      break;
  }

  if (e.range) {
    if (e.type.kind !== "decimal" && e.type.kind !== "integer") {
      ctx.report("TRC5004", "rangeAppliesNumbersNot", { kind: e.type.kind }, e.range.span);
    } else {
      const low = parseDecimal(e.range.low);
      const high = parseDecimal(e.range.high);
      if (!low || !high) ctx.report("TRC3006", "rangeNeedsTwoNumbers", {}, e.range.span);
      else if (low.greaterThan(high))
        ctx.report("TRC3006", "rangeReversed", { low: e.range.low, high: e.range.high }, e.range.span);
      else if (e.type.kind === "integer" && (!low.isInteger() || !high.isInteger()))
        ctx.report("TRC3006", "integerRangeNeedsWhole", {}, e.range.span);
      else el.range = { low: low.toString(), high: high.toString() };
    }
  }
  if (e.noun) {
    const noun = recordsNoun(ctx, e.noun, e.type.kind);
    if (noun) el.noun = noun;
  }
  if ((e.withUln || e.withLln) && e.type.kind !== "decimal") ctx.report("TRC5004", "withUlnWithLln", {}, e.typeSpan);

  if (e.molarMass) {
    const mm = parseDecimal(e.molarMass.value);
    const mmUnit = unitAlias(e.molarMass.unit.text);
    if (!mm || mm.lessThanOrEqualTo(0)) ctx.report("TRC3006", "molarMassMustPositive", {}, e.molarMass.unit.span);
    else if (commensurability(mmUnit, "g/mol") !== "same")
      ctx.report("TRC3003", "molarMassWrittenG", { unit: e.molarMass.unit.text }, e.molarMass.unit.span);
    else el.molarMass = convert(mm, mmUnit, "g/mol").toString();
  }
  return el;
}

/** A records element's `noun`, checked, with its plural (as written, else the regular one). */
function recordsNoun(
  ctx: CheckContext,
  noun: NonNullable<A.ElementDecl["noun"]>,
  kind: A.TypeSpec["kind"],
): IrElement["noun"] | null {
  if (kind !== "records") {
    ctx.report("TRC5004", "nounNeedsRecords", {}, noun.span);
    return null;
  }
  const singular = noun.singular.trim();
  const plural = noun.plural?.trim() ?? regularPlural(singular);
  if (!singular) ctx.report("TRC5004", "nounEmpty", { what: "noun" }, noun.span);
  else if (!plural) ctx.report("TRC5004", "nounEmpty", { what: "plural" }, noun.span);
  else return { singular, plural };
  return null;
}

/**
 * The regular English plural of a noun's last word: "scan" → "scans", "surgery" →
 * "surgeries", "biopsy" → "biopsies", "mass" → "masses". Irregular ones ("analysis")
 * are written with `plural "…"`.
 */
export function regularPlural(noun: string): string {
  if (/[^aeiou]y$/i.test(noun)) return noun.slice(0, -1) + "ies";
  if (/(s|x|z|ch|sh)$/i.test(noun)) return noun + "es";
  return noun + "s";
}
