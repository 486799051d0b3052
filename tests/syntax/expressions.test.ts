/**
 * Expressions: every form, precedence and associativity, and spans.
 */
import { describe, expect, it } from "vitest";
import { expr, exprText, shape } from "./helpers.js";

const n = (name: string) => ({ kind: "NameRef", name });
const num = (value: string) => ({ kind: "NumberLit", value });
const qty = (value: string, unit: string) => ({ kind: "QuantityLit", value, unit });

describe("primaries", () => {
  it("reads numbers, quantities and ULN multiples", () => {
    expect(shape(expr("18"))).toEqual(num("18"));
    expect(shape(expr("1.5"))).toEqual(num("1.5"));
    expect(shape(expr("9 g/dL"))).toEqual(qty("9", "g/dL"));
    expect(shape(expr("-30 %"))).toEqual(qty("-30", "%"));
    expect(shape(expr("1.5 10*3/uL"))).toEqual(qty("1.5", "10*3/uL"));
    expect(shape(expr("2 x ULN"))).toEqual({ kind: "UlnMultiple", factor: "2", limit: "ULN" });
    expect(shape(expr("0.5 x LLN"))).toEqual({ kind: "UlnMultiple", factor: "0.5", limit: "LLN" });
  });

  it("gives a quantity the span of number and unit, and the unit its own span", () => {
    const e = expr("50 mL/min/{1.73_m2}");
    expect(exprText("50 mL/min/{1.73_m2}", e)).toBe("50 mL/min/{1.73_m2}");
    if (e.kind !== "QuantityLit") throw new Error(e.kind);
    expect(exprText("50 mL/min/{1.73_m2}", { span: e.unitSpan })).toBe("mL/min/{1.73_m2}");
    expect(exprText("-30 %", expr("-30 %"))).toBe("-30 %");
  });

  it("reads strings with escapes, booleans, names, paths and calls", () => {
    expect(shape(expr('"a \\"q\\" \\\\ \\n\\t é"'))).toEqual({ kind: "StringLit", value: 'a "q" \\ \n\t é' });
    expect(shape(expr("true"))).toEqual({ kind: "BoolLit", value: true });
    expect(shape(expr("false"))).toEqual({ kind: "BoolLit", value: false });
    expect(shape(expr("ecog"))).toEqual(n("ecog"));
    expect(shape(expr("dosimetry.kidney_dose"))).toEqual({
      kind: "PathRef",
      base: { text: "dosimetry" },
      field: { text: "kidney_dose" },
    });
    expect(shape(expr("age(birth_date, inclusion)"))).toEqual({
      kind: "Call",
      callee: { text: "age" },
      args: [n("birth_date"), n("inclusion")],
    });
    expect(shape(expr("f()"))).toEqual({ kind: "Call", callee: { text: "f" }, args: [] });
    expect(shape(expr("(a)"))).toEqual({ kind: "Paren", inner: n("a") });
  });

  it("reads quantifiers, organ doses and grades", () => {
    expect(shape(expr("any lesions where krenning_score >= 3"))).toEqual({
      kind: "Quantifier",
      quantifier: "any",
      collection: { text: "lesions" },
      where: { kind: "Compare", op: ">=", left: n("krenning_score"), right: num("3") },
    });
    expect(shape(expr("count items"))).toEqual({
      kind: "Quantifier",
      quantifier: "count",
      collection: { text: "items" },
      where: null,
    });
    expect((expr("all x where y") as { quantifier: string }).quantifier).toBe("all");
    expect((expr("none x where y") as { quantifier: string }).quantifier).toBe("none");
    expect(shape(expr("cumulative kidneys"))).toEqual({
      kind: "OrganDose",
      measure: "cumulative",
      organ: { text: "kidneys" },
    });
    expect(shape(expr("projected bone_marrow"))).toEqual({
      kind: "OrganDose",
      measure: "projected",
      organ: { text: "bone_marrow" },
    });
    expect(shape(expr("grade anemia"))).toEqual({ kind: "GradeOf", term: { text: "anemia" } });
  });

  it("extends a where clause as far as possible", () => {
    const e = expr("any x where a and b or c");
    expect(shape(e)).toEqual({
      kind: "Quantifier",
      quantifier: "any",
      collection: { text: "x" },
      where: {
        kind: "Logical",
        op: "or",
        left: { kind: "Logical", op: "and", left: n("a"), right: n("b") },
        right: n("c"),
      },
    });
    expect(exprText("any x where a and b or c", e)).toBe("any x where a and b or c");
  });

  it("reads soft expression words as names when no name follows", () => {
    expect(shape(expr("grade < 2"))).toEqual({ kind: "Compare", op: "<", left: n("grade"), right: num("2") });
    expect(shape(expr("kind = none"))).toEqual({ kind: "Compare", op: "=", left: n("kind"), right: n("none") });
    expect(shape(expr("count > 2"))).toEqual({ kind: "Compare", op: ">", left: n("count"), right: num("2") });
    expect(shape(expr("at before D0"))).toEqual({
      kind: "BeforeAfter",
      subject: n("at"),
      direction: "before",
      anchor: n("D0"),
    });
    expect(shape(expr("x"))).toEqual(n("x"));
    expect(shape(expr("date within 1 d before cycle"))).toMatchObject({ subject: n("date"), anchor: n("cycle") });
  });
});

describe("relations", () => {
  it.each(["<", "<=", ">", ">=", "=", "!="])("reads the comparison %s", (op) => {
    expect(shape(expr(`a ${op} 1`))).toEqual({ kind: "Compare", op, left: n("a"), right: num("1") });
  });

  it("reads in, within, at least, between, before and after", () => {
    expect(shape(expr("site in (pancreas, stomach)"))).toEqual({
      kind: "InSet",
      operand: n("site"),
      values: [{ text: "pancreas" }, { text: "stomach" }],
    });
    expect(shape(expr("date within 12 mo before inclusion"))).toEqual({
      kind: "Within",
      subject: n("date"),
      amount: qty("12", "mo"),
      direction: "before",
      anchor: n("inclusion"),
    });
    expect(shape(expr("d within 2 d after cycle"))).toMatchObject({ kind: "Within", direction: "after" });
    expect(shape(expr("last at least 4 wk before D0"))).toEqual({
      kind: "AtLeast",
      subject: n("last"),
      amount: qty("4", "wk"),
      direction: "before",
      anchor: n("D0"),
    });
    expect(shape(expr("at at least 48 h before D0"))).toMatchObject({ kind: "AtLeast", subject: n("at") });
    expect(shape(expr("consent_at after first"))).toEqual({
      kind: "BeforeAfter",
      subject: n("consent_at"),
      direction: "after",
      anchor: n("first"),
    });
  });

  it("reads between with additive bounds, so its 'and' is not a conjunction", () => {
    const e = expr("date between D0 - 4 wk and D0 - 1 d and ok");
    expect(shape(e)).toEqual({
      kind: "Logical",
      op: "and",
      left: {
        kind: "Between",
        subject: n("date"),
        low: { kind: "Arith", op: "-", left: n("D0"), right: qty("4", "wk") },
        high: { kind: "Arith", op: "-", left: n("D0"), right: qty("1", "d") },
      },
      right: n("ok"),
    });
    if (e.kind !== "Logical") throw new Error(e.kind);
    expect(exprText("date between D0 - 4 wk and D0 - 1 d and ok", e.left)).toBe("date between D0 - 4 wk and D0 - 1 d");
  });

  it("reads + and - left to right, with unary minus on numbers", () => {
    expect(shape(expr("a - 1 d + 2 d"))).toEqual({
      kind: "Arith",
      op: "+",
      left: { kind: "Arith", op: "-", left: n("a"), right: qty("1", "d") },
      right: qty("2", "d"),
    });
    expect(shape(expr("change <= -30 %"))).toEqual({
      kind: "Compare",
      op: "<=",
      left: n("change"),
      right: qty("-30", "%"),
    });
    expect(shape(expr("a - -1"))).toEqual({ kind: "Arith", op: "-", left: n("a"), right: num("-1") });
  });
});

describe("logic and precedence", () => {
  it("binds and tighter than or, both left-associative", () => {
    expect(shape(expr("a or b and c or d"))).toEqual({
      kind: "Logical",
      op: "or",
      left: {
        kind: "Logical",
        op: "or",
        left: n("a"),
        right: { kind: "Logical", op: "and", left: n("b"), right: n("c") },
      },
      right: n("d"),
    });
  });

  it("binds not looser than comparisons and tighter than and", () => {
    expect(shape(expr("not a = b and c"))).toEqual({
      kind: "Logical",
      op: "and",
      left: { kind: "Not", operand: { kind: "Compare", op: "=", left: n("a"), right: n("b") } },
      right: n("c"),
    });
    expect(shape(expr("not not a"))).toEqual({ kind: "Not", operand: { kind: "Not", operand: n("a") } });
  });

  it("reads if/then/else at the lowest level, else going to the nearest if", () => {
    expect(shape(expr("if a then b and c"))).toEqual({
      kind: "IfThen",
      cond: n("a"),
      then: { kind: "Logical", op: "and", left: n("b"), right: n("c") },
      otherwise: null,
    });
    expect(shape(expr("if a then if b then c else d"))).toEqual({
      kind: "IfThen",
      cond: n("a"),
      then: { kind: "IfThen", cond: n("b"), then: n("c"), otherwise: n("d") },
      otherwise: null,
    });
    expect(shape(expr("if a or b then c else d"))).toMatchObject({
      cond: { kind: "Logical", op: "or" },
      otherwise: n("d"),
    });
  });

  it("spans binary nodes from the left operand to the right one", () => {
    const source = "(a or b) and c > 2 g/dL";
    const e = expr(source);
    expect(exprText(source, e)).toBe(source);
    if (e.kind !== "Logical") throw new Error(e.kind);
    expect(exprText(source, e.left)).toBe("(a or b)");
    expect(exprText(source, e.right)).toBe("c > 2 g/dL");
    expect(e.span).toMatchObject({ line: 1, column: 21, endLine: 1, endColumn: 21 + source.length });
  });
});
