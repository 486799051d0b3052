/**
 * Checking and lowering expressions: names are resolved (with "did you mean"),
 * types are checked, and the result is a typed IR expression.
 *
 * Comparisons (units, ULN multiples, code values) live in `compare.ts`; time
 * (windows, shifts, durations) in `time.ts`; calls in `calls.ts`.
 */
import type * as A from "../ast/nodes.js";
import type { IrExpr, IrType } from "../ir/types.js";
import { validateUnit, unitAlias } from "../runtime/units.js";
import { CheckContext, errorExpr, irSpan, type Scope } from "./context.js";
import { checkCompare, checkInSet } from "./compare.js";
import { checkShift, checkWindow, DURATION_UNITS } from "./time.js";
import { checkCall, useDefine } from "./calls.js";
import { unitHint } from "./suggest.js";

/** Check an expression that must be a condition (true / false / unknown). */
export function checkCondition(ctx: CheckContext, e: A.Expr, scope: Scope): IrExpr {
  const ir = expectType(ctx, checkExpr(ctx, e, scope), ["boolean"], e.span, "a condition (true or false)");
  if (ctx.poisoned.has(ir) || (ir.kind !== "element" && ir.kind !== "field")) return ir;
  // A yes/no fact on its own: wrapped so that explanations show its value.
  const el =
    ir.kind === "element"
      ? ctx.elements.get(ir.name)?.ir
      : ctx.elements.get(ir.record)?.ir.fields?.find((f) => f.name === ir.name);
  return {
    kind: "fact",
    arg: ir,
    type: "boolean",
    text: ir.text,
    span: ir.span,
    ...(el?.attestedBy ? { attestedBy: el.attestedBy } : {}),
  };
}

/** Report a type error unless `ir` has one of `types`. */
export function expectType(ctx: CheckContext, ir: IrExpr, types: IrType[], span: A.Span, what: string): IrExpr {
  if (ctx.poisoned.has(ir) || types.includes(ir.type)) return ir;
  ctx.report("TRC3001", "expectedBut", { what, name: ir.text, type: describeType(ir) }, span);
  return errorExpr(ctx, span, types[0]);
}

/** The author's words for a type: "a quantity in g/dL", "a date". */
export function describeType(ir: { type: IrType; unit?: string }): string {
  switch (ir.type) {
    case "quantity":
      return `a quantity in ${ir.unit ?? "?"}`;
    case "boolean":
      return "a condition (true or false)";
    case "integer":
      return "a whole number";
    case "decimal":
      return "a number without a unit";
    case "code":
      return "a coded value";
    case "records":
      return "a list of records";
    case "text":
    case "string" as IrType:
      return "text";
    default:
      return `a ${ir.type}`;
  }
}

/** Check any expression. */
export function checkExpr(ctx: CheckContext, e: A.Expr, scope: Scope): IrExpr {
  const text = ctx.textOf(e.span);
  const span = irSpan(e.span);
  switch (e.kind) {
    case "NumberLit":
      return {
        text,
        span,
        kind: "number",
        value: e.value,
        type: /[.eE]/.test(e.value) ? "decimal" : "integer",
      };
    case "QuantityLit":
      return checkQuantity(ctx, e, text, span);
    case "StringLit":
      return { text, span, kind: "string", value: e.value, type: "text" };
    case "BoolLit":
      return { text, span, kind: "bool", value: e.value, type: "boolean" };
    case "Paren":
      return checkExpr(ctx, e.inner, scope);
    case "NameRef":
      return resolveName(ctx, e.name, e.span, scope);
    case "PathRef":
      ctx.report("TRC5004", "namesFieldEveryRecord", { field: text, records: e.base.text }, e.span);
      return errorExpr(ctx, e.span);
    case "Call":
      return checkCall(ctx, e, scope);
    case "UlnMultiple":
      ctx.report("TRC3005", "mustComparedWithLaboratory", { base: text, limit: e.limit }, e.span);
      return errorExpr(ctx, e.span, "quantity");
    case "Logical": {
      const args: IrExpr[] = [];
      for (const side of [e.left, e.right]) {
        const ir = checkCondition(ctx, side, scope);
        if (ir.kind === e.op) args.push(...ir.args);
        else args.push(ir);
      }
      return { text, span, kind: e.op, args, type: "boolean" };
    }
    case "Not":
      return {
        text,
        span,
        kind: "not",
        arg: checkCondition(ctx, e.operand, scope),
        type: "boolean",
      };
    case "IfThen":
      return {
        text,
        span,
        kind: "if",
        cond: checkCondition(ctx, e.cond, scope),
        then: checkCondition(ctx, e.then, scope),
        otherwise: e.otherwise ? checkCondition(ctx, e.otherwise, scope) : null,
        type: "boolean",
      };
    case "Compare":
      return checkCompare(ctx, e, scope);
    case "InSet":
      return checkInSet(ctx, e, scope);
    case "Arith":
      return checkShift(ctx, e, scope);
    case "Within":
    case "AtLeast":
    case "Between":
    case "BeforeAfter":
      return checkWindow(ctx, e, scope);
    case "Quantifier":
      return checkQuantifier(ctx, e, scope);
    case "OrganDose": {
      if (scope.section !== "toxicity")
        return notHere(ctx, e.span, `"${e.measure}" organ doses`, "the toxicity section");
      const organ = ctx.organs.get(e.organ.text);
      if (!organ) {
        ctx.unknown("TRC2001", "organ", e.organ.text, e.organ.span, ctx.organs.keys());
        return errorExpr(ctx, e.span, "quantity");
      }
      return {
        text,
        span,
        kind: "organDose",
        measure: e.measure,
        organ: e.organ.text,
        type: "quantity",
        unit: organ.unit,
      };
    }
    case "GradeOf": {
      if (scope.section !== "toxicity") return notHere(ctx, e.span, "CTCAE grades", "the toxicity section");
      if (!ctx.gradedTerms.has(e.term.text)) {
        ctx.unknown("TRC2001", "graded term", e.term.text, e.term.span, ctx.gradedTerms.keys());
        return errorExpr(ctx, e.span, "integer");
      }
      return { text, span, kind: "grade", term: e.term.text, type: "integer" };
    }
  }
}

function notHere(ctx: CheckContext, span: A.Span, what: string, where: string): IrExpr {
  ctx.report("TRC5004", "canOnlyUsed", { what, where }, span);
  return errorExpr(ctx, span, "integer");
}

/** `9 g/dL` is a quantity; `4 wk` a duration (so that dates can be shifted by it). */
function checkQuantity(ctx: CheckContext, e: A.QuantityLit, text: string, span: IrExpr["span"]): IrExpr {
  const unit = unitAlias(e.unit);
  if (DURATION_UNITS.has(unit)) {
    return {
      text,
      span,
      kind: "duration",
      duration: { amount: e.value, unit: unit as never },
      type: "duration",
    };
  }
  const v = validateUnit(unit);
  if (!v.ok) {
    const hint = unitHint(e.unit, v.suggestions);
    ctx.report("TRC3002", "unknownUnit", { unit: e.unit, message: v.message }, e.unitSpan, hint ? { hint } : {});
    return errorExpr(ctx, e.span, "quantity");
  }
  return {
    text,
    span,
    kind: "quantity",
    value: e.value,
    unit,
    written: { value: e.value, unit: e.unit },
    type: "quantity",
  };
}

/** The IR type of a data element or field. */
export function elementType(el: { type: string; unit?: string }): { type: IrType; unit?: string } {
  switch (el.type) {
    case "decimal":
      return el.unit ? { type: "quantity", unit: el.unit } : { type: "decimal" };
    case "attestation":
      return { type: "boolean" };
    default:
      return { type: el.type as IrType };
  }
}

/** Resolve a bare name: section variables, record fields, definition parameters, elements, definitions, parameters, anchors. */
export function resolveName(ctx: CheckContext, name: string, span: A.Span, scope: Scope): IrExpr {
  const at = irSpan(span);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const v = s.vars?.get(name);
    if (v) return { text: name, span: at, kind: "var", name, ...v } as IrExpr;
    const field = s.records?.fields?.find((f) => f.name === name);
    if (field && s.records)
      return { text: name, span: at, kind: "field", record: s.records.name, name, ...elementType(field) };
    const p = s.params?.get(name);
    if (p)
      return {
        text: name,
        span: at,
        kind: "arg",
        name,
        type: p.type ?? "code",
        ...(p.unit ? { unit: p.unit } : {}),
      };
  }
  const el = ctx.elements.get(name);
  if (el) return { text: name, span: at, kind: "element", name, ...elementType(el.ir) };
  const def = ctx.defines.get(name);
  if (def) return useDefine(ctx, def, [], span, scope);
  const param = ctx.parameters.get(name);
  if (param) {
    param.used = true;
    const value = param.ir?.value;
    if (!value) return errorExpr(ctx, span, "quantity");
    return Object.assign({}, value, { text: name, span: at, param: name }) as IrExpr;
  }
  if (ctx.anchors.has(name)) return { text: name, span: at, kind: "anchor", name, type: "date" };
  ctx.unknown("TRC2001", "name", name, span, allNames(ctx, scope));
  return errorExpr(ctx, span, "boolean");
}

/** Every name visible in a scope, for suggestions. */
export function allNames(ctx: CheckContext, scope: Scope): string[] {
  const names = new Set<string>();
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    s.vars?.forEach((_, k) => names.add(k));
    s.records?.fields?.forEach((f) => names.add(f.name));
    s.params?.forEach((_, k) => names.add(k));
  }
  for (const m of [ctx.elements, ctx.defines, ctx.parameters, ctx.anchors]) for (const k of m.keys()) names.add(k);
  return [...names];
}

/** `any lesions where …`: the where-clause sees the record's fields. */
function checkQuantifier(ctx: CheckContext, e: A.Quantifier, scope: Scope): IrExpr {
  const text = ctx.textOf(e.span);
  const span = irSpan(e.span);
  const el = ctx.elements.get(e.collection.text);
  const type: IrType = e.quantifier === "count" ? "integer" : "boolean";
  if (!el || el.ir.type !== "records") {
    if (!el) ctx.unknown("TRC2001", "list of records", e.collection.text, e.collection.span, recordNames(ctx));
    else
      ctx.report(
        "TRC3001",
        "notListRecordsSo",
        { collection: e.collection.text, quantifier: e.quantifier },
        e.collection.span,
      );
    return errorExpr(ctx, e.span, type);
  }
  if (!e.where && e.quantifier !== "count" && e.quantifier !== "any") {
    ctx.report("TRC1021", "needsWhereCondition", { quantifier: e.quantifier, collection: e.collection.text }, e.span);
  }
  const inner: Scope = { section: scope.section, records: el.ir, parent: scope };
  const where = e.where ? checkCondition(ctx, e.where, inner) : null;
  return {
    text,
    span,
    kind: "quantifier",
    quantifier: e.quantifier,
    records: e.collection.text,
    where,
    type,
  };
}

function recordNames(ctx: CheckContext): string[] {
  return [...ctx.elements.values()].filter((x) => x.ir.type === "records").map((x) => x.ir.name);
}
