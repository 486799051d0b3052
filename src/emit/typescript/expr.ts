/**
 * IR expressions to TypeScript: each node becomes the call of the run-time operation
 * the interpreter uses for it, so the two agree by
 * construction and the differential tests check the translation.
 */
import type { IrExpr } from "../../ir/types.js";
import { ident, lit } from "./code.js";
import { dataPath, fieldNames, moreGroupNames } from "../../lower/builtins.js";
import { assertNever } from "../../ir/walk.js";

/** Hook for section-specific terms (organ doses, grades …), given by the section's emitter. */
export type ExtraEmitter = (e: IrExpr, emit: (x: IrExpr) => string) => string;

export function emitExpr(e: IrExpr, extra?: ExtraEmitter): string {
  const ex = (x: IrExpr) => emitExpr(x, extra);
  switch (e.kind) {
    case "bool":
      return `rt.boolean(${e.value})`;
    case "number":
      return `rt.num(${lit(e.value)})`;
    case "quantity":
      return `rt.qty(${lit(e.value)}, ${lit(e.unit)})`;
    case "duration":
      return `rt.dur(${lit(e.duration.amount)}, ${lit(e.duration.unit)})`;
    case "string":
      return `rt.str(${lit(e.value)})`;
    case "code":
      return `rt.code(${lit(e.value)})`;
    case "element":
      return `rt.elem(ctx, ${lit(e.name)})`;
    case "field":
      return `rt.field(ctx, ${lit(e.name)})`;
    case "arg":
      return `rt.arg(ctx, ${lit(e.name)})`;
    case "anchor":
      return `rt.anchor(ctx, ${lit(e.name)})`;
    case "define":
      return `${ident("def_", e.name)}(ctx, ${lit(e.text)}, [${e.args.map(ex).join(", ")}])`;
    case "and":
    case "or":
      return `v.${e.kind}([${e.args.map(ex).join(", ")}])`;
    case "not":
      return `v.not(${ex(e.arg)})`;
    case "fact":
      return `rt.fact(ctx, ${ex(e.arg)}, ${lit(e.text)}, ${e.attestedBy ? lit(e.attestedBy) : "null"})`;
    case "if":
      return `v.ifThen(${ex(e.cond)}, () => ${ex(e.then)}, ${e.otherwise ? `() => ${ex(e.otherwise)}` : "null"})`;
    case "compare":
      if (e.right.kind === "refMultiple")
        return `rt.compareRef(ctx, ${lit(e.op)}, ${ex(e.left)}, ${lit(e.right.factor)}, ${lit(e.right.limit)}, ${lit(e.right.of)}, ${lit(e.text)})`;
      return `rt.compare(ctx, ${lit(e.op)}, ${ex(e.left)}, ${ex(e.right)}, ${lit(e.text)})`;
    case "in":
      return `rt.inSet(ctx, ${ex(e.arg)}, [${e.values.map(lit).join(", ")}], ${lit(e.text)})`;
    case "shift":
      return `rt.shift(${ex(e.base)}, ${e.sign}, ${ex(e.duration)})`;
    case "within":
    case "atLeast":
      return `rt.${e.kind}(ctx, ${lit(e.direction)}, ${ex(e.subject)}, ${ex(e.amount)}, ${ex(e.anchor)}, ${lit(e.text)})`;
    case "between":
      return `rt.between(ctx, ${ex(e.subject)}, ${ex(e.low)}, ${ex(e.high)}, ${lit(e.text)})`;
    case "order":
      return `rt.order(ctx, ${lit(e.direction)}, ${ex(e.subject)}, ${ex(e.anchor)}, ${lit(e.text)})`;
    case "quantifier":
      return `rt.quantify(ctx, ${lit(e.quantifier)}, rt.elem(ctx, ${lit(e.records)}), ${lit(e.records)}, ${e.where ? `(ctx) => ${ex(e.where)}` : "null"}, ${lit(e.text)})`;
    case "builtin":
      if (e.fn === "age")
        return `rt.age(ctx, ${ex(e.args[0]!)}, ${ex(e.args[1]!)}, ${lit(e.text)}, ${lit(dataPath(e.args[0]!))})`;
      return `rt.successiveRises(ctx, rt.elem(ctx, ${lit((e.args[0] as { name: string }).name)}), ${fieldNames(e.args).map(lit).join(", ")}, ${lit(e.text)}, [${moreGroupNames(e.args).map(lit).join(", ")}])`;
    case "refMultiple":
    case "organDose":
    case "grade":
    case "var":
      if (extra) return extra(e, ex);
      throw new Error(`"${e.text}" cannot be compiled here`);
    default:
      return assertNever(e);
  }
}
