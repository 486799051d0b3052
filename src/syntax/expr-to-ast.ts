/**
 * CST → AST for expressions. Binary chains (`or`, `and`, `+`/`-`) fold to the left;
 * a binary node spans from its left operand to its right operand. Long `and`/`or`
 * chains (thousands of operands) fold balanced instead, so that the tree stays shallow
 * (the checker flattens both shapes into the same n-ary IR node); long arithmetic
 * chains are refused (TRC1022).
 */
import type { IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import type {
  AdditiveCstNode,
  AndExpressionCstNode,
  CompareTailCstNode,
  DirectionCstNode,
  ExpressionCstNode,
  NameTermCstNode,
  NotExpressionCstNode,
  NumberTermCstNode,
  OrExpressionCstNode,
  PrimaryCstNode,
  QuantifierCstNode,
  RelationCstNode,
  SignedNumberCstNode,
} from "../../grammar/generated/cst.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import { child, has, Incomplete, isReal, tok, stringValue, type Spans } from "./spans.js";

/** `and`/`or` chains longer than this fold balanced (shorter ones keep their left fold). */
const BALANCE_FROM = 16;
/** The most operands of one `+`/`-` chain (a date plus a few durations in real protocols). */
export const MAX_ARITH_OPERANDS = 100;

/** Converts expression CST nodes of one file. */
export class ExprBuilder {
  /** `spans` makes spans in the file being converted; limits reached go to `diagnostics`. */
  constructor(
    private readonly s: Spans,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** A full expression (`if`, or an `or` chain). */
  expression(node: ExpressionCstNode): A.Expr {
    const c = node.children;
    if (c.ifExpression !== undefined) {
      const n = child(c.ifExpression, "if expression");
      const parts = n.children.expression ?? [];
      return {
        kind: "IfThen",
        cond: this.expression(child(parts, "condition", 0)),
        then: this.expression(child(parts, "then branch", 1)),
        otherwise: has(n.children.KwElse) ? this.expression(child(parts, "else branch", 2)) : null,
        span: this.s.ofNode(n),
      };
    }
    return this.or(child(c.orExpression, "expression"));
  }

  private or(node: OrExpressionCstNode): A.Expr {
    const operands = (node.children.andExpression ?? []).map((n) => this.and(n));
    return this.foldLogical(operands, "or");
  }

  private and(node: AndExpressionCstNode): A.Expr {
    const operands = (node.children.notExpression ?? []).map((n) => this.not(n));
    return this.foldLogical(operands, "and");
  }

  private foldLogical(operands: A.Expr[], op: "and" | "or"): A.Expr {
    if (operands.length === 0) throw new Incomplete(`operand of ${op}`);
    if (operands.length > BALANCE_FROM) return this.balanced(operands, 0, operands.length, op);
    let result = operands[0]!;
    for (const right of operands.slice(1)) {
      result = { kind: "Logical", op, left: result, right, span: this.s.join(result.span, right.span) };
    }
    return result;
  }

  /** `operands[from..to)` as a tree of depth log2(n): `and` and `or` are associative. */
  private balanced(operands: A.Expr[], from: number, to: number, op: "and" | "or"): A.Expr {
    if (to - from === 1) return operands[from]!;
    const mid = (from + to) >>> 1;
    const left = this.balanced(operands, from, mid, op);
    const right = this.balanced(operands, mid, to, op);
    return { kind: "Logical", op, left, right, span: this.s.join(left.span, right.span) };
  }

  private not(node: NotExpressionCstNode): A.Expr {
    const c = node.children;
    if (c.KwNot !== undefined) {
      return { kind: "Not", operand: this.not(child(c.notExpression, "operand of not")), span: this.s.ofNode(node) };
    }
    return this.relation(child(c.relation, "expression"));
  }

  private relation(node: RelationCstNode): A.Expr {
    const c = node.children;
    const subject = this.additive(child(c.additive, "operand"));
    const span = (): A.Span => this.s.ofNode(node);
    if (c.compareTail !== undefined) {
      const tail = child(c.compareTail, "comparison");
      const right = this.additive(child(tail.children.additive, "right operand"));
      return { kind: "Compare", op: compareOp(tail), left: subject, right, span: span() };
    }
    if (c.inTail !== undefined) {
      const tail = child(c.inTail, "in list");
      const values = (tail.children.Name ?? []).filter(isReal).map((t) => ({ text: t.image, span: this.s.ofToken(t) }));
      return { kind: "InSet", operand: subject, values, span: span() };
    }
    if (c.withinTail !== undefined || c.atLeastTail !== undefined) {
      const tail = c.withinTail !== undefined ? child(c.withinTail, "within") : child(c.atLeastTail, "at least");
      const amount = this.additive(child(tail.children.additive, "duration", 0));
      const anchor = this.additive(child(tail.children.additive, "anchor", 1));
      const direction = this.direction(child(tail.children.direction, "before or after"));
      return {
        kind: c.withinTail !== undefined ? "Within" : "AtLeast",
        subject,
        amount,
        direction,
        anchor,
        span: span(),
      };
    }
    if (c.betweenTail !== undefined) {
      const tail = child(c.betweenTail, "between");
      const low = this.additive(child(tail.children.additive, "low bound", 0));
      const high = this.additive(child(tail.children.additive, "high bound", 1));
      return { kind: "Between", subject, low, high, span: span() };
    }
    if (c.beforeAfterTail !== undefined) {
      const tail = child(c.beforeAfterTail, "before/after");
      const direction = this.direction(child(tail.children.direction, "before or after"));
      const anchor = this.additive(child(tail.children.additive, "anchor"));
      return { kind: "BeforeAfter", subject, direction, anchor, span: span() };
    }
    return subject;
  }

  /** `before` or `after`. */
  direction(node: DirectionCstNode): "before" | "after" {
    if (has(node.children.KwBefore)) return "before";
    if (has(node.children.KwAfter)) return "after";
    throw new Incomplete("before or after");
  }

  /** `a + b - c`, folded to the left. Operators are interleaved by source position. */
  additive(node: AdditiveCstNode): A.Expr {
    const c = node.children;
    const operands = (c.primary ?? []).map((p) => this.primary(p));
    const ops = [...(c.Plus ?? []), ...(c.Minus ?? [])].filter(isReal).sort((a, b) => a.startOffset - b.startOffset);
    let result = operands[0];
    if (result === undefined) throw new Incomplete("operand");
    if (operands.length > MAX_ARITH_OPERANDS) {
      const at = operands[MAX_ARITH_OPERANDS]!.span;
      this.diagnostics.push(report("TRC1022", "tooManyOperands", { max: MAX_ARITH_OPERANDS }, at));
      return result;
    }
    operands.slice(1).forEach((right, i) => {
      const op = ops[i]?.image === "+" ? "+" : "-";
      result = {
        kind: "Arith",
        op,
        left: result as A.Expr,
        right,
        span: this.s.join((result as A.Expr).span, right.span),
      };
    });
    return result;
  }

  private primary(node: PrimaryCstNode): A.Expr {
    const c = node.children;
    const span = this.s.ofNode(node);
    if (c.numberTerm !== undefined) return this.numberTerm(child(c.numberTerm, "number"));
    if (c.StringLiteral !== undefined)
      return { kind: "StringLit", value: stringValue(tok(c.StringLiteral, "string")), span };
    if (c.KwTrue !== undefined) return { kind: "BoolLit", value: true, span };
    if (c.KwFalse !== undefined) return { kind: "BoolLit", value: false, span };
    if (c.nameTerm !== undefined) return this.nameTerm(child(c.nameTerm, "name"));
    if (c.parenExpression !== undefined) {
      const inner = this.expression(
        child(child(c.parenExpression, "parentheses").children.expression, "expression in parentheses"),
      );
      return { kind: "Paren", inner, span };
    }
    if (c.quantifier !== undefined) return this.quantifier(child(c.quantifier, "quantifier"));
    if (c.organDose !== undefined) {
      const n = child(c.organDose, "organ dose");
      const measure = has(n.children.KwCumulative) ? "cumulative" : "projected";
      return { kind: "OrganDose", measure, organ: this.s.name(n.children.Name, "organ"), span };
    }
    if (c.gradeOf !== undefined) {
      return { kind: "GradeOf", term: this.s.name(child(c.gradeOf, "grade").children.Name, "graded term"), span };
    }
    throw new Incomplete("value");
  }

  private numberTerm(node: NumberTermCstNode): A.Expr {
    const c = node.children;
    const value = signed(c.Minus, tok(c.NumberLiteral, "number"));
    const span = this.s.ofNode(node);
    if (c.Unit !== undefined) {
      const unit = tok(c.Unit, "unit");
      return { kind: "QuantityLit", value, unit: unit.image, unitSpan: this.s.ofToken(unit), span };
    }
    if (c.KwX !== undefined) {
      const limit = has(c.KwULN) ? "ULN" : has(c.KwLLN) ? "LLN" : null;
      if (limit === null) throw new Incomplete("ULN or LLN");
      return { kind: "UlnMultiple", factor: value, limit, span };
    }
    return { kind: "NumberLit", value, span };
  }

  private nameTerm(node: NameTermCstNode): A.Expr {
    const c = node.children;
    const span = this.s.ofNode(node);
    if (c.Dot !== undefined) {
      return { kind: "PathRef", base: this.s.name(c.Name, "record", 0), field: this.s.name(c.Name, "field", 1), span };
    }
    if (c.LParen !== undefined) {
      const args = (c.expression ?? []).map((e) => this.expression(e));
      return { kind: "Call", callee: this.s.name(c.Name, "function"), args, span };
    }
    return { kind: "NameRef", name: tok(c.Name, "name").image, span };
  }

  private quantifier(node: QuantifierCstNode): A.Quantifier {
    const c = node.children;
    const quantifier = has(c.KwAny) ? "any" : has(c.KwAll) ? "all" : has(c.KwNone) ? "none" : "count";
    const where = c.KwWhere !== undefined ? this.expression(child(c.expression, "where condition")) : null;
    return {
      kind: "Quantifier",
      quantifier,
      collection: this.s.name(c.Name, "collection"),
      where,
      span: this.s.ofNode(node),
    };
  }
}

/** The decimal text of a possibly negative number: `-` + `30` → `-30`. */
export function signed(minus: IToken[] | undefined, number: IToken): string {
  return (has(minus) ? "-" : "") + number.image;
}

/** The text of a `signedNumber` node (a range bound). */
export function signedNumberText(node: SignedNumberCstNode): string {
  return signed(node.children.Minus, tok(node.children.NumberLiteral, "number"));
}

function compareOp(tail: CompareTailCstNode): A.CompareOp {
  const c = tail.children;
  if (has(c.LessEq)) return "<=";
  if (has(c.GreaterEq)) return ">=";
  if (has(c.NotEq)) return "!=";
  if (has(c.Less)) return "<";
  if (has(c.Greater)) return ">";
  if (has(c.Equals)) return "=";
  throw new Incomplete("comparison operator");
}
