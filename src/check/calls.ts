/**
 * Calls: the built-in functions, and uses of named definitions (with or without
 * parameters). Definitions are checked on first use, so order in the file does not
 * matter; a definition that uses itself is reported.
 */
import type * as A from "../ast/nodes.js";
import type { IrExpr } from "../ir/types.js";
import { CheckContext, errorExpr, irSpan, lowerTrace, type DefineSymbol, type Scope } from "./context.js";
import { checkCondition, checkExpr, describeType } from "./expressions.js";
import { checkTimePoint } from "./time.js";
import { resolveCode } from "./compare.js";

/** The built-in functions, with what their arguments are, for messages and docs. */
export const BUILTINS: Record<string, { signature: string; doc: string }> = {
  age: {
    signature: "age(birth date, at date)",
    doc: "completed years between two dates; a 29 February birthday is reached on 1 March",
  },
  successive_rises: {
    signature: "successive_rises(records, value field, group field, date field[, more group fields…])",
    doc: "the longest run of strictly increasing values within one group (every group field equal: marker, name, unit), in date order, counted in rises",
  },
};

export function checkCall(ctx: CheckContext, e: A.Call, scope: Scope): IrExpr {
  const base = { text: ctx.textOf(e.span), span: irSpan(e.span) };
  const name = e.callee.text;
  if (name === "age") {
    if (e.args.length !== 2) return arity(ctx, e, 2, BUILTINS.age!.signature);
    const args = e.args.map((a) => checkTimePoint(ctx, a, scope));
    for (const [i, a] of args.entries())
      if (a.type === "datetime") ctx.report("TRC3001", "ageCountedBetweenDates", {}, e.args[i]!.span);
    return { text: base.text, span: base.span, kind: "builtin", fn: "age", args, type: "quantity", unit: "a" };
  }
  if (name === "successive_rises") return checkSuccessiveRises(ctx, e, scope);
  const def = ctx.defines.get(name);
  if (!def) {
    ctx.unknown("TRC2001", "function or definition", name, e.callee.span, [
      ...Object.keys(BUILTINS),
      ...ctx.defines.keys(),
    ]);
    return errorExpr(ctx, e.span);
  }
  return useDefine(ctx, def, e.args, e.span, scope);
}

function arity(ctx: CheckContext, e: A.Call, n: number, signature: string): IrExpr {
  ctx.report(
    "TRC2010",
    "takesArgument",
    { callee: e.callee.text, count: n, plural: n === 1 ? "" : "s", signature },
    e.span,
  );
  return errorExpr(ctx, e.span);
}

/** `successive_rises(marker_measurements, value, marker, date)`: fields named inside the records. */
function checkSuccessiveRises(ctx: CheckContext, e: A.Call, scope: Scope): IrExpr {
  const sig = BUILTINS.successive_rises!.signature;
  if (e.args.length < 4) return arity(ctx, e, 4, sig);
  const [recArg, ...fieldArgs] = e.args as [A.Expr, ...A.Expr[]];
  if (recArg.kind !== "NameRef") return arity(ctx, e, 4, sig);
  const rec = ctx.elements.get(recArg.name);
  if (!rec || rec.ir.type !== "records") {
    ctx.report("TRC3001", "firstArgumentSuccessiveRises", {}, recArg.span, {
      hint: sig,
    });
    return errorExpr(ctx, e.span, "integer");
  }
  const wanted = [
    ["decimal", "integer"],
    ["code", "text"],
    ["date", "datetime"],
  ] as const;
  const args: IrExpr[] = [
    { kind: "element", name: rec.ir.name, type: "records", text: recArg.name, span: irSpan(recArg.span) },
  ];
  for (const [i, a] of fieldArgs.entries()) {
    const f = a.kind === "NameRef" ? rec.ir.fields?.find((x) => x.name === a.name) : undefined;
    if (!f) {
      const hint = `a field of ${rec.ir.name}: ${(rec.ir.fields ?? []).map((x) => x.name).join(", ")}`;
      ctx.report("TRC2001", "notField", { arg: ctx.textOf(a.span), records: rec.ir.name }, a.span, { hint });
      return errorExpr(ctx, e.span, "integer");
    }
    const want: readonly string[] = wanted[i] ?? ["code", "text"];
    if (!want.includes(f.type)) {
      ctx.report(
        "TRC3001",
        "argumentSuccessiveRisesMust",
        { position: i + 2, types: want.join(" or "), field: f.name, type: f.type },
        a.span,
      );
      return errorExpr(ctx, e.span, "integer");
    }
    args.push({
      kind: "field",
      record: rec.ir.name,
      name: f.name,
      type: f.type === "decimal" && f.unit ? "quantity" : (f.type as never),
      text: f.name,
      span: irSpan(a.span),
    });
  }
  return {
    kind: "builtin",
    fn: "successive_rises",
    args,
    type: "integer",
    text: ctx.textOf(e.span),
    span: irSpan(e.span),
  };
}

/** Use a definition at `span` with `args` bound to its parameters. */
export function useDefine(ctx: CheckContext, def: DefineSymbol, args: A.Expr[], span: A.Span, scope: Scope): IrExpr {
  def.used = true;
  const name = def.ast.name.text;
  const params = def.ast.params;
  if (args.length !== params.length) {
    const want =
      params.length === 0
        ? "no arguments"
        : `${params.length} argument${params.length === 1 ? "" : "s"} (${params.map((p) => p.text).join(", ")})`;
    ctx.report(
      "TRC2010",
      "definitionTakesButGiven",
      { name, want, given: args.length, verb: args.length === 1 ? "is" : "are" },
      span,
    );
    return errorExpr(ctx, span);
  }
  checkDefine(ctx, def);
  if (def.state === "checking") {
    ctx.report("TRC2009", "definitionUsesItself", { name }, span, {
      related: [{ message: "defined here", span: def.ast.name.span }],
    });
    return errorExpr(ctx, span);
  }
  const irArgs = args.map((a, i) => {
    const p = def.paramTypes.get(params[i]!.text)!;
    if (p.values && a.kind === "NameRef")
      return resolveCode(ctx, { text: a.name, span: a.span }, p.values, `${name}(${params[i]!.text})`);
    const ir = checkExpr(ctx, a, scope);
    if (p.type && !ctx.poisoned.has(ir) && ir.type !== p.type)
      ctx.report(
        "TRC3001",
        "argumentMustBut",
        {
          param: params[i]!.text,
          definition: name,
          wanted: describeType({ type: p.type }),
          arg: ir.text,
          actual: describeType(ir),
        },
        a.span,
      );
    return ir;
  });
  const type = def.ir?.expr.type ?? "boolean";
  return { kind: "define", name, args: irArgs, type, text: ctx.textOf(span), span: irSpan(span) };
}

/** Check a definition's body once. */
export function checkDefine(ctx: CheckContext, def: DefineSymbol): void {
  if (def.state !== "unchecked") return;
  def.state = "checking";
  const d = def.ast;
  const seen = new Set<string>();
  for (const p of d.params) {
    if (seen.has(p.text)) ctx.report("TRC2002", "parameterListedTwice", { name: p.text }, p.span);
    seen.add(p.text);
    def.paramTypes.set(p.text, { type: null });
  }
  const expr = checkCondition(ctx, d.expr, { section: "eligibility", params: def.paramTypes });
  for (const p of d.params)
    if (def.paramTypes.get(p.text)!.type === null)
      ctx.report("TRC3001", "typeParameterCannotWorked", { name: p.text }, p.span);
  def.ir = {
    name: d.name.text,
    params: d.params.map((p) => p.text),
    label: d.label,
    trace: lowerTrace(ctx, d.trace),
    expr,
    span: irSpan(d.span),
  };
  def.state = "done";
}
