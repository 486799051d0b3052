/**
 * The one IR → IR pass of the lowering: a comparison with a CTCAE grade becomes a grade
 * test (`IrGradeTest`), because a grade may be known only as a range (a missing LLN
 * leaves "0 or 1") and a plain number comparison cannot say "false for every grade of
 * the range". Both the interpreter and the generated `toxicity.ts` evaluate the
 * lowered conditions, so they see the same nodes.
 */
import type { CompareOp, IrExpr, IrGradeTest, IrLoweredExpr } from "../ir/types.js";
import { assertNever } from "../ir/walk.js";

/** Whether a node is a lowered grade test. */
export function isGradeTest(e: IrLoweredExpr): e is IrGradeTest {
  return e.kind === "grade" && "test" in e;
}

const FLIP: Record<CompareOp, CompareOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };

/**
 * Turn every comparison with a grade into a grade test (the grade on the left:
 * `2 <= grade x` becomes `grade x >= 2`), keeping the comparison's text and span.
 * Grades only occur in conditions, so only condition positions are searched.
 */
export function lowerGradeTests(e: IrExpr): IrLoweredExpr {
  const lower = lowerGradeTests;
  switch (e.kind) {
    case "compare": {
      const test = (term: Extract<IrExpr, { kind: "grade" }>, op: CompareOp, other: IrExpr): IrGradeTest => ({
        kind: "grade",
        term: term.term,
        type: "boolean",
        text: e.text,
        span: e.span,
        test: {
          op,
          right: other.kind === "grade" ? { grade: other.term } : { value: (other as { value: string }).value },
        },
      });
      if (e.left.kind === "grade" && (e.right.kind === "number" || e.right.kind === "grade"))
        return test(e.left, e.op, e.right);
      if (e.right.kind === "grade" && e.left.kind === "number") return test(e.right, FLIP[e.op], e.left);
      return e;
    }
    case "and":
    case "or":
      return Object.assign({}, e, { args: e.args.map(lower) });
    case "not":
      return Object.assign({}, e, { arg: lower(e.arg) });
    case "if":
      return Object.assign({}, e, {
        cond: lower(e.cond),
        then: lower(e.then),
        otherwise: e.otherwise ? lower(e.otherwise) : null,
      });
    case "quantifier":
      return Object.assign({}, e, { where: e.where ? lower(e.where) : null });
    // Not condition positions (values, time points, definitions' uses): left as they are.
    case "bool":
    case "number":
    case "quantity":
    case "duration":
    case "string":
    case "code":
    case "element":
    case "field":
    case "arg":
    case "anchor":
    case "define":
    case "in":
    case "refMultiple":
    case "shift":
    case "within":
    case "atLeast":
    case "between":
    case "order":
    case "builtin":
    case "organDose":
    case "grade":
    case "var":
    case "fact":
      return e;
    default:
      return assertNever(e);
  }
}
