import { describe, expect, it } from "vitest";
import { compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const DATA = `hemoglobin: decimal g/dL range 1 to 25 "Hemoglobin" form f
  hb_molar: decimal g/dL range 1 to 25 molar mass 16114.5 g/mol "Hb with molar mass" form f
  dose: decimal mg range 0 to 1000 "Dose" form f
  bili: decimal mg/dL range 0 to 60 with ULN "Bilirubin" form f
  alb: decimal g/dL range 0 to 7 "Albumin" form f
  ecog: integer range 0 to 5 "ECOG" form f
  site: code(a "A", b "B") "Site" form f
  flag: boolean "Flag" form f
  seen: date "Seen" form f`;

function rule(expr: string) {
  return compileSnippet(DATA, `inclusion I1 "x" { rule ${expr} }`);
}

function threshold(expr: string) {
  const r = rule(expr);
  expectClean(r);
  const body = r.ir!.eligibility.inclusion[0]!.body;
  if (body.kind !== "rule" || body.expr.kind !== "compare") throw new Error("not a comparison");
  return body.expr.right;
}

describe("units", () => {
  it("converts a threshold in g/L exactly into the element's g/dL", () => {
    const t = threshold("hemoglobin >= 90 g/L");
    expect(t).toMatchObject({ kind: "quantity", value: "9", unit: "g/dL", written: { value: "90", unit: "g/L" } });
  });

  it("needs a molar mass to compare g/dL with mmol/L", () => {
    expectDiagnostic(rule("hemoglobin >= 5.6 mmol/L"), "TRC3004", "molar mass");
    const t = threshold("hb_molar >= 6.2 mmol/L");
    expect(t).toMatchObject({ unit: "g/dL", value: "9.99099" });
  });

  it("rejects mg against mL", () => {
    expectDiagnostic(rule("dose >= 5 mL"), "TRC3003", "measure different things");
  });

  it("rejects an unknown unit", () => {
    expectDiagnostic(rule("hemoglobin >= 9 g/dLx"), "TRC3002");
  });

  it("asks for a unit on a bare number", () => {
    const d = expectDiagnostic(rule("hemoglobin >= 9"), "TRC3001", "needs a unit");
    expect(d.hint).toBe('write "9 g/dL"');
  });

  it("keeps boundaries exact after conversion (no float drift)", () => {
    expect(threshold("alb > 30 g/L")).toMatchObject({ value: "3" });
  });

  it("warns when a threshold is outside the plausible range", () => {
    const r = rule("hemoglobin >= 90 g/dL");
    expect(expectDiagnostic(r, "TRC3007").severity).toBe("warning");
  });
});

describe("types", () => {
  it("accepts a multiple of ULN only on an element with ULN", () => {
    expectClean(rule("bili <= 2 x ULN"));
    expectDiagnostic(rule("alb <= 2 x ULN"), "TRC3005");
  });

  it("rejects comparing a code with a number, and ordering codes", () => {
    expectDiagnostic(rule("site = 3"), "TRC3001");
    expectDiagnostic(rule("site > a"), "TRC3001", "no order");
  });

  it("needs conditions where conditions go", () => {
    expectDiagnostic(rule("ecog"), "TRC3001", "expected a condition");
    expectDiagnostic(rule("flag and ecog"), "TRC3001");
  });

  it("rejects a quantity against an integer", () => {
    expectDiagnostic(rule("ecog <= 1 mg"), "TRC3001");
  });

  it("checks in-sets against the codes", () => {
    expectClean(rule("site in (a, b)"));
    expectDiagnostic(rule("site in (a, c)"), "TRC2007");
    expectDiagnostic(rule("ecog in (a)"), "TRC3001");
  });
});

describe("time", () => {
  it("accepts windows and lowers them", () => {
    const r = rule("seen within 12 mo before inclusion");
    expectClean(r);
    const b = r.ir!.eligibility.inclusion[0]!.body;
    expect(b.kind === "rule" && b.expr.kind).toBe("within");
    expect(r.ir!.eligibility.inclusion[0]!.anchors).toEqual(["inclusion"]);
  });

  it("reports reversed window bounds", () => {
    const d = expectDiagnostic(rule("seen between D0 - 1 d and D0 - 4 wk"), "TRC4001");
    expect(d.hint).toBe('write "between D0 - 4 wk and D0 - 1 d"');
    expectClean(rule("seen between D0 - 4 wk and D0 - 1 d"));
  });

  it("needs a duration for a window amount and a time point for its anchor", () => {
    expectDiagnostic(rule("seen within 12 mg before inclusion"), "TRC4002");
    expectDiagnostic(rule("seen within 12 mo before ecog"), "TRC4003");
  });

  it("rejects a negative duration", () => {
    expectDiagnostic(rule("seen within -4 wk before inclusion"), "TRC4004");
  });
});
