/**
 * The reference interpreter: evaluates IR expressions directly with the run-time
 * operations. It serves `trialc eval` and is the oracle the generated modules are
 * tested against; it must stay as simple as the semantics allow.
 */
import type { IrDefinition, IrExpr } from "../ir/types.js";
import * as rt from "../runtime/ops.js";
import { and, or, not, ifThen, type Val } from "../runtime/values.js";
import { useDefinition } from "../runtime/eligibility.js";
import { dataPath, fieldNames, moreGroupNames } from "../lower/builtins.js";
import { assertNever } from "../ir/walk.js";

/** Hooks for section-specific terms (organ doses, grades, response variables). */
export interface Env {
  defs: ReadonlyMap<string, IrDefinition>;
  extra?: (ctx: rt.EvalCtx, e: IrExpr) => Val;
}

export function evalExpr(ctx: rt.EvalCtx, e: IrExpr, env: Env): Val {
  const ev = (x: IrExpr) => evalExpr(ctx, x, env);
  switch (e.kind) {
    case "bool":
      return rt.boolean(e.value);
    case "number":
      return rt.num(e.value);
    case "quantity":
      return rt.qty(e.value, e.unit);
    case "duration":
      return rt.dur(e.duration.amount, e.duration.unit);
    case "string":
      return rt.str(e.value);
    case "code":
      return rt.code(e.value);
    case "element":
      return rt.elem(ctx, e.name);
    case "field":
      return rt.field(ctx, e.name);
    case "arg":
      return rt.arg(ctx, e.name);
    case "anchor":
      return rt.anchor(ctx, e.name);
    case "define": {
      const def = env.defs.get(e.name);
      if (!def) throw new Error(`no definition ${e.name}`);
      const bound = Object.fromEntries(def.params.map((p, i) => [p, ev(e.args[i]!)]));
      return useDefinition(ctx, e.name, e.text, () => {
        ctx.args.push(bound);
        try {
          return ev(def.expr);
        } finally {
          ctx.args.pop();
        }
      });
    }
    case "and":
      return and(e.args.map(ev));
    case "or":
      return or(e.args.map(ev));
    case "not":
      return not(ev(e.arg));
    case "fact":
      return rt.fact(ctx, ev(e.arg), e.text, e.attestedBy ?? null);
    case "if":
      return ifThen(ev(e.cond), () => ev(e.then), e.otherwise ? () => ev(e.otherwise!) : null);
    case "compare":
      if (e.right.kind === "refMultiple")
        return rt.compareRef(ctx, e.op, ev(e.left), e.right.factor, e.right.limit, e.right.of, e.text);
      return rt.compare(ctx, e.op, ev(e.left), ev(e.right), e.text);
    case "in":
      return rt.inSet(ctx, ev(e.arg), e.values, e.text);
    case "shift":
      return rt.shift(ev(e.base), e.sign, ev(e.duration));
    case "within":
      return rt.within(ctx, e.direction, ev(e.subject), ev(e.amount), ev(e.anchor), e.text);
    case "atLeast":
      return rt.atLeast(ctx, e.direction, ev(e.subject), ev(e.amount), ev(e.anchor), e.text);
    case "between":
      return rt.between(ctx, ev(e.subject), ev(e.low), ev(e.high), e.text);
    case "order":
      return rt.order(ctx, e.direction, ev(e.subject), ev(e.anchor), e.text);
    case "quantifier": {
      const where = e.where;
      return rt.quantify(
        ctx,
        e.quantifier,
        rt.elem(ctx, e.records),
        e.records,
        where ? (c) => evalExpr(c, where, env) : null,
        e.text,
      );
    }
    case "builtin":
      if (e.fn === "age") return rt.age(ctx, ev(e.args[0]!), ev(e.args[1]!), e.text, dataPath(e.args[0]!));
      return rt.successiveRises(
        ctx,
        rt.elem(ctx, (e.args[0] as { name: string }).name),
        ...fieldNames(e.args),
        e.text,
        moreGroupNames(e.args),
      );
    case "refMultiple":
    case "organDose":
    case "grade":
    case "var":
      if (env.extra) return env.extra(ctx, e);
      throw new Error(`"${e.text}" cannot be evaluated here`);
    default:
      return assertNever(e);
  }
}
