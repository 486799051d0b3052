/**
 * Comparisons: the heart of eligibility. Checks that both sides can be compared,
 * resolves code values against the coded element, turns `2 x ULN` into a multiple of
 * the element's own reference limit, and converts a constant threshold EXACTLY into
 * the unit of the element it is compared with (through UCUM), so that every target
 * compares numbers in one unit.
 */
import type * as A from "../ast/nodes.js";
import type { IrExpr, IrCodeValue, IrSpan } from "../ir/types.js";
import { commensurability, convert, isCalendarUnit } from "../runtime/units.js";
import { dec } from "../runtime/decimal.js";
import { CheckContext, errorExpr, irSpan, type Scope } from "./context.js";
import { didYouMean } from "./suggest.js";
import { checkExpr, describeType } from "./expressions.js";

const ORDERING = new Set(["<", "<=", ">", ">="]);

/** The coded values an expression can take, if it is coded. */
function codesOf(ctx: CheckContext, ir: IrExpr, scope: Scope): readonly IrCodeValue[] | null {
  if (ir.type !== "code") return null;
  if (ir.kind === "element") return ctx.elements.get(ir.name)?.ir.values ?? null;
  if (ir.kind === "field")
    return ctx.elements.get(ir.record)?.ir.fields?.find((f) => f.name === ir.name)?.values ?? null;
  if (ir.kind === "arg") {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const p = s.params?.get(ir.name);
      if (p) return p.values ?? null;
    }
  }
  return null;
}

/** Resolve a bare name as one of `codes`; report it (with suggestions) when it is not. */
export function resolveCode(ctx: CheckContext, name: A.Name, codes: readonly IrCodeValue[], owner: string): IrExpr {
  const c = codes.find((x) => x.code === name.text);
  if (!c) {
    const hint = didYouMean(
      name.text,
      codes.map((x) => x.code),
    );
    const list = codes.length <= 8 ? ` (${codes.map((x) => x.code).join(", ")})` : "";
    ctx.report("TRC2007", "notOneCodes", { name: name.text, owner, codes: list }, name.span, hint ? { hint } : {});
    return errorExpr(ctx, name.span, "code");
  }
  return { kind: "code", value: c.code, label: c.label, type: "code", text: name.text, span: irSpan(name.span) };
}

/** The element (or record field) an expression reads directly, for ranges, ULN and molar mass. */
function elementOf(ctx: CheckContext, ir: IrExpr) {
  if (ir.kind === "element") return ctx.elements.get(ir.name)?.ir;
  if (ir.kind === "field") return ctx.elements.get(ir.record)?.ir.fields?.find((f) => f.name === ir.name);
  return undefined;
}

export function checkCompare(ctx: CheckContext, e: A.Compare, scope: Scope): IrExpr {
  const base = { text: ctx.textOf(e.span), span: irSpan(e.span), op: e.op };
  const left = checkExpr(ctx, e.left, scope);
  if (ctx.poisoned.has(left)) return errorExpr(ctx, e.span);

  // `x = PD`: a bare name on the right of a coded value is one of its codes.
  const codes = codesOf(ctx, left, scope);
  const rightNode = e.right.kind === "Paren" ? e.right.inner : e.right;
  if (codes && rightNode.kind === "NameRef" && codes.some((c) => c.code === rightNode.name)) {
    if (ORDERING.has(e.op)) ctx.report("TRC3001", "codedValuesHaveNo", { left: left.text }, e.span);
    const right = resolveCode(ctx, { text: rightNode.name, span: rightNode.span }, codes, left.text);
    return compareNode(base, left, right);
  }
  // A definition parameter compared with a coded value takes its codes.
  if (left.kind === "arg" && rightNode.kind === "NameRef") {
    ctx.report("TRC3001", "putCodedFieldOn", { name: rightNode.name, op: e.op, left: left.text }, e.span);
    return errorExpr(ctx, e.span);
  }
  if (codes && rightNode.kind === "NameRef") {
    const p = findParam(scope, rightNode.name);
    if (p) {
      if (p.type === null) {
        p.type = "code";
        p.values = codes;
      }
      return compareNode(base, left, {
        kind: "arg",
        name: rightNode.name,
        type: "code",
        text: rightNode.name,
        span: irSpan(rightNode.span),
      });
    }
  }

  // A name that is neither a code nor anything else: report it against the codes.
  if (codes && rightNode.kind === "NameRef" && !isKnownName(ctx, rightNode.name, scope)) {
    resolveCode(ctx, { text: rightNode.name, span: rightNode.span }, codes, left.text);
    return errorExpr(ctx, e.span);
  }

  // `total_bilirubin <= 2 x ULN`.
  if (rightNode.kind === "UlnMultiple") {
    const el = elementOf(ctx, left);
    const has = rightNode.limit === "ULN" ? el?.reference.uln : el?.reference.lln;
    if (!el || !has) {
      ctx.report("TRC3005", "hasNoDeclareIt", { left: left.text, limit: rightNode.limit }, rightNode.span);
      return errorExpr(ctx, e.span);
    }
    const right: IrExpr = {
      kind: "refMultiple",
      factor: rightNode.factor,
      limit: rightNode.limit,
      of: left.kind === "field" ? left.name : el.name,
      ...(left.kind === "field" ? { ofRecord: left.record } : {}),
      type: "quantity",
      ...(el.unit ? { unit: el.unit } : {}),
      text: ctx.textOf(rightNode.span),
      span: irSpan(rightNode.span),
    };
    return compareNode(base, left, right);
  }

  const right = checkExpr(ctx, e.right, scope);
  if (ctx.poisoned.has(right)) return errorExpr(ctx, e.span);
  const fixed = unify(ctx, e, left, right);
  if (!fixed) return errorExpr(ctx, e.span);
  warnOutsideRange(ctx, left, fixed, e.right.span);
  return compareNode(base, left, fixed);
}

/** A comparison's IR node, written out (not `{ ...base, left, right }`: see tests/architecture/object-spread.test.ts). */
function compareNode(base: { text: string; span: IrSpan; op: A.Compare["op"] }, left: IrExpr, right: IrExpr): IrExpr {
  return { text: base.text, span: base.span, kind: "compare", op: base.op, type: "boolean", left, right };
}

function isKnownName(ctx: CheckContext, name: string, scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent)
    if (s.vars?.has(name) || s.params?.has(name) || s.records?.fields?.some((f) => f.name === name)) return true;
  return ctx.elements.has(name) || ctx.defines.has(name) || ctx.parameters.has(name) || ctx.anchors.has(name);
}

function findParam(scope: Scope, name: string) {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const p = s.params?.get(name);
    if (p) return p;
  }
  return undefined;
}

/**
 * Make the right side comparable with the left, or report why not. Returns the right
 * side, converted into the left side's unit when it is a constant.
 */
function unify(ctx: CheckContext, e: A.Compare, left: IrExpr, right: IrExpr): IrExpr | null {
  // Report, then give up on the comparison.
  const fail = (report: () => void): null => (report(), null);
  const cannot = () =>
    fail(() =>
      ctx.report(
        "TRC3001",
        "cannotCompare",
        { left: describeType(left), leftText: left.text, right: describeType(right), rightText: right.text },
        e.span,
      ),
    );
  const ordered = ORDERING.has(e.op);
  const numeric = (t: string) => t === "integer" || t === "decimal";

  if (left.type === "quantity") {
    if (numeric(right.type) && right.kind === "number")
      return fail(() =>
        ctx.report("TRC3001", "needsUnit", { right: right.text, left: left.text }, e.span, {
          hint: `write "${right.text} ${left.unit}"`,
        }),
      );
    let r = right;
    if (right.type === "duration" && right.kind === "duration") {
      if (isCalendarUnit(right.duration.unit) && right.duration.unit !== left.unit)
        return fail(() =>
          ctx.report(
            "TRC3003",
            "noFixedLength",
            { unit: right.duration.unit === "mo" ? "month" : "year", left: left.text },
            e.span,
          ),
        );
      r = Object.assign({}, right, {
        kind: "quantity",
        value: right.duration.amount,
        unit: right.duration.unit,
        written: { value: right.duration.amount, unit: right.duration.unit },
        type: "quantity",
      }) as IrExpr;
    }
    if (r.type !== "quantity" || !r.unit || !left.unit) return cannot();
    const molarMass = elementOf(ctx, left)?.molarMass;
    const c = commensurability(r.unit, left.unit, molarMass);
    if (c === "needs-molar-mass")
      return fail(() =>
        ctx.report("TRC3004", "needsMolarMass", { from: r.unit!, to: left.unit!, left: left.text }, e.span),
      );
    if (c !== "same")
      return fail(() =>
        ctx.report(
          "TRC3003",
          "differentThings",
          { right: r.text, rightUnit: r.unit!, left: left.text, leftUnit: left.unit! },
          e.span,
        ),
      );
    if (r.kind === "quantity") {
      // In the left side's unit already (the usual case): the conversion would give the
      // same decimal back, as it is exact up to 39 significant digits.
      const same = r.unit === left.unit && dec(r.value).sd() <= 39;
      const value = same ? dec(r.value) : convert(dec(r.value), r.unit, left.unit, molarMass);
      return Object.assign({}, r, { value: value.toString(), unit: left.unit }) as IrExpr;
    }
    return r;
  }
  if (numeric(left.type)) {
    if (numeric(right.type)) return right;
    if (right.type === "quantity")
      return fail(() => ctx.report("TRC3001", "numberWithoutUnit", { left: left.text, right: right.text }, e.span));
    return cannot();
  }
  if (left.type === "date" || left.type === "datetime") {
    if (right.type === "date" || right.type === "datetime") return right;
    return cannot();
  }
  if (ordered)
    return fail(() => ctx.report("TRC3001", "noOrder", { type: describeType(left), left: left.text }, e.span));
  if (left.type === right.type) return right;
  if (left.type === "boolean" && right.kind === "bool") return right;
  return cannot();
}

/** A threshold outside the element's plausible range is almost always a unit slip. */
function warnOutsideRange(ctx: CheckContext, left: IrExpr, right: IrExpr, span: A.Span): void {
  const el = elementOf(ctx, left);
  if (!el?.range || (right.kind !== "quantity" && right.kind !== "number")) return;
  const v = dec(right.value);
  const converted =
    right.kind === "quantity" && right.written.unit !== right.unit ? ` (= ${right.value} ${right.unit})` : "";
  if (v.lessThan(el.range.low) || v.greaterThan(el.range.high))
    ctx.report(
      "TRC3007",
      "thresholdOutsidePlausibleRange",
      {
        right: right.text,
        converted,
        name: el.name,
        low: el.range.low,
        high: el.range.high,
        unit: el.unit ? " " + el.unit : "",
      },
      span,
    );
}

/** `primary_site in (pancreas, stomach)`. */
export function checkInSet(ctx: CheckContext, e: A.InSet, scope: Scope): IrExpr {
  const arg = checkExpr(ctx, e.operand, scope);
  if (ctx.poisoned.has(arg)) return errorExpr(ctx, e.span);
  const codes = codesOf(ctx, arg, scope);
  if (!codes) {
    ctx.report("TRC3001", "testsCodedValueBut", { arg: arg.text, type: describeType(arg) }, e.span);
    return errorExpr(ctx, e.span);
  }
  const values = e.values
    .map((v) => resolveCode(ctx, v, codes, arg.text))
    .map((c) => (c.kind === "code" ? c.value : ""));
  return { kind: "in", arg, values, type: "boolean", text: ctx.textOf(e.span), span: irSpan(e.span) };
}
