/**
 * `trialc build --tests`: a vitest + fast-check test file for one protocol's compiled
 * eligibility module. For every comparison of a data element with a threshold it
 * checks the protocol's boundary exactly (at, just below and just above the
 * threshold, with the expected verdict worked out from the operator here, not by
 * running the rules), that the same value in every other unit of that kind gives the
 * same verdict, and that a missing value leaves the comparison unknown.
 */
import type { IrCriterion, IrElement, IrExpr, IrProtocol } from "../../ir/types.js";
import { children } from "../../ir/walk.js";
import { commensurability, convert } from "../../runtime/units.js";
import { dec } from "../../runtime/decimal.js";
import { header } from "./modules.js";
import { pointOfRelative, TEST_ANCHOR_DATE, windowCases } from "./test-windows.js";
import { formatTimePoint } from "../../runtime/time.js";
import { Lines, lit } from "./code.js";

/** Units tried for unit invariance (filtered to those of the element's kind). */
const UNIT_POOL = [
  "g/dL",
  "g/L",
  "mg/dL",
  "mg/L",
  "mmol/L",
  "umol/L",
  "10*3/uL",
  "10*9/L",
  "/uL",
  "/nL",
  "%",
  "mm",
  "cm",
  "d",
  "h",
  "wk",
  "mL/min/{1.73_m2}",
  "L/h/{1.73_m2}",
  "U/L",
  "U/mL",
  "GBq",
  "MBq",
  "Gy",
  "mGy",
];

interface Boundary {
  criterion: string;
  rule: string;
  element: IrElement;
  op: string;
  threshold: string;
}

/** Comparisons of a top-level element with a constant, outside quantifiers and definitions. */
function boundaries(ir: IrProtocol): Boundary[] {
  const els = new Map(ir.elements.map((e) => [e.name, e]));
  const out: Boundary[] = [];
  const visit = (id: string, e: IrExpr) => {
    if (e.kind === "quantifier") return;
    if (
      e.kind === "compare" &&
      e.left.kind === "element" &&
      (e.right.kind === "quantity" || e.right.kind === "number" || e.right.kind === "refMultiple")
    ) {
      const el = els.get(e.left.name);
      // `2 x ULN`: the test data carry a reference limit of 1, so the threshold is the factor.
      const threshold = e.right.kind === "refMultiple" ? e.right.factor : e.right.value;
      if (el && (el.type === "decimal" || el.type === "integer"))
        out.push({ criterion: id, rule: e.text, element: el, op: e.op, threshold });
    }
    children(e).forEach((c) => visit(id, c));
  };
  const walk = (c: IrCriterion) => (c.body.kind === "rule" ? visit(c.id, c.body.expr) : c.body.children.forEach(walk));
  [...ir.eligibility.inclusion, ...ir.eligibility.exclusion].forEach(walk);
  return out;
}

/** Whether `x op t` holds for x below, at and above t. */
function expected(op: string): { below: boolean; at: boolean; above: boolean } {
  const below = op === "<" || op === "<=" || op === "!=";
  const at = op === "<=" || op === ">=" || op === "=";
  const above = op === ">" || op === ">=" || op === "!=";
  return { below, at, above };
}

/** The JSON form of a value of `el` given in its own unit. */
function jsonValue(el: IrElement, value: string, unit = el.unit): string {
  if (el.type === "integer") return value;
  if (!el.unit) return lit(value);
  const v = unit === el.unit ? value : convert(dec(value), el.unit, unit!, el.molarMass).toString();
  return `{ value: ${lit(v)}, unit: ${lit(unit!)}${refs(el, `{ value: "1", unit: ${lit(unit!)} }`)} }`;
}

/** Whether converting to `unit` and back is exact in short decimals (mmol/L of hemoglobin is not). */
function terminating(el: IrElement, unit: string): boolean {
  const there = convert(dec(1), el.unit!, unit, el.molarMass);
  const back = convert(dec(1), unit, el.unit!, el.molarMass);
  return there.precision(true) <= 20 && back.precision(true) <= 20;
}

/** The reference limits the test data carry (a ULN and LLN of 1, in the unit the value is written in). */
function refs(el: IrElement, value: string): string {
  const sel = el.select;
  // A result the element's selection picks: by its method, at the end of its window.
  const at = sel?.window ? `, at: ${lit(formatTimePoint(pointOfRelative(sel.window.high)))}` : "";
  const method = sel?.method ? `, method: ${lit(sel.method)}` : "";
  return (el.reference.uln ? `, uln: ${value}` : "") + (el.reference.lln ? `, lln: ${value}` : "") + at + method;
}

function inRange(el: IrElement, v: string): boolean {
  return !el.range || (dec(v).greaterThanOrEqualTo(el.range.low) && dec(v).lessThanOrEqualTo(el.range.high));
}

export function emitEligibilityTests(ir: IrProtocol): string {
  const L = new Lines();
  L.line(header(ir, "Tests of the compiled eligibility rules: boundaries, unit invariance, missing data."));
  L.line('import { describe, expect, it } from "vitest";');
  L.line('import fc from "fast-check";');
  L.line('import { evaluateEligibility, type CriterionResult } from "./eligibility.js";');
  L.line();
  L.line(`const ANCHORS = ${JSON.stringify(Object.fromEntries(ir.anchors.map((a) => [a.name, TEST_ANCHOR_DATE])))};`);
  L.line();
  L.line("/** The verdict of the step that evaluated `rule` in criterion `id`, for a patient with only `data`. */");
  L.line("function step(data: Record<string, unknown>, id: string, rule: string): string {").indent(() => {
    L.line("const r = evaluateEligibility({ anchors: ANCHORS, ...data });");
    L.line('if (!r.ok) throw new Error("data rejected: " + JSON.stringify(r.errors));');
    L.line("const find = (cs: CriterionResult[]): CriterionResult | undefined => {").indent(() => {
      L.line("for (const c of cs) { if (c.id === id) return c; const k = find(c.children); if (k) return k; }");
      L.line("return undefined;");
    });
    L.line("};");
    L.line("const c = find([...r.result.inclusion, ...r.result.exclusion]);");
    L.line("const s = c?.steps.find((x) => x.rule === rule);");
    L.line('if (!s) throw new Error(`no step "${rule}" in ${id}`);');
    L.line("return s.result;");
  });
  L.line("}");
  L.line();
  const list = boundaries(ir);
  L.line('describe("boundaries of every threshold", () => {').indent(() => {
    for (const b of list) {
      const exp = expected(b.op);
      const eps = b.element.type === "integer" ? "1" : "0.001";
      const cases: [string, boolean][] = [
        [dec(b.threshold).minus(eps).toString(), exp.below],
        [b.threshold, exp.at],
        [dec(b.threshold).plus(eps).toString(), exp.above],
      ];
      L.line(`it(${lit(`${b.criterion}: ${b.rule}`)}, () => {`).indent(() => {
        for (const [v, want] of cases) {
          if (!inRange(b.element, v)) continue;
          L.line(
            `expect(step({ ${b.element.name}: ${jsonValue(b.element, v)} }, ${lit(b.criterion)}, ${lit(b.rule)})).toBe(${lit(String(want))});`,
          );
        }
      });
      L.line("});");
    }
  });
  L.line("});");
  L.line();
  L.line('describe("the same value in another unit gives the same verdict", () => {').indent(() => {
    for (const b of list) {
      if (!b.element.unit) continue;
      const units = UNIT_POOL.filter(
        (u) =>
          u !== b.element.unit &&
          commensurability(u, b.element.unit!, b.element.molarMass) === "same" &&
          terminating(b.element, u),
      );
      if (!units.length) continue;
      L.line(`it(${lit(`${b.criterion}: ${b.rule}`)}, () => {`).indent(() => {
        L.line("fc.assert(").indent(() => {
          L.line(
            `fc.property(fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(${units.map(lit).join(", ")}), (k, unit) => {`,
          ).indent(() => {
            L.line(`const v = (Number(${lit(b.threshold)}) * 1000 + k) / 1000;`);
            L.line(
              `const range = ${b.element.range ? JSON.stringify([b.element.range.low, b.element.range.high]) : "null"};`,
            );
            L.line("if (range && (v < Number(range[0]) || v > Number(range[1]))) return;");
            L.line("const text = v.toFixed(3);");
            L.line(
              `const base = step({ ${b.element.name}: { value: text, unit: ${lit(b.element.unit!)}${refs(b.element, `{ value: "1", unit: ${lit(b.element.unit!)} }`)} } }, ${lit(b.criterion)}, ${lit(b.rule)});`,
            );
            L.line(
              `const factors: Record<string, string> = ${JSON.stringify(Object.fromEntries(units.map((u) => [u, convert(dec(1), b.element.unit!, u, b.element.molarMass).toString()])))};`,
            );
            L.line("const moved = scale(text, factors[unit]!);");
            L.line(
              `expect(step({ ${b.element.name}: { value: moved, unit${refs(b.element, '{ value: scale("1", factors[unit]!), unit }')} } }, ${lit(b.criterion)}, ${lit(b.rule)})).toBe(base);`,
            );
          });
          L.line("}),");
          L.line("{ numRuns: 50 },");
        });
        L.line(");");
      });
      L.line("});");
    }
  });
  L.line("});");
  L.line();
  L.line(`describe("edges of every time window (every anchor on ${TEST_ANCHOR_DATE})", () => {`).indent(() => {
    for (const w of windowCases(ir)) {
      L.line(`it(${lit(`${w.criterion}: ${w.rule}`)}, () => {`).indent(() => {
        for (const [value, want] of w.cases)
          L.line(
            `expect(step({ ${w.element}: ${lit(value)} }, ${lit(w.criterion)}, ${lit(w.rule)})).toBe(${lit(String(want))});`,
          );
      });
      L.line("});");
    }
  });
  L.line("});");
  L.line();
  L.line('describe("a missing value leaves its comparison unknown", () => {').indent(() => {
    for (const b of list) {
      L.line(`it(${lit(`${b.criterion}: ${b.rule}`)}, () => {`).indent(() => {
        L.line(`expect(step({}, ${lit(b.criterion)}, ${lit(b.rule)})).toBe("unknown");`);
        L.line(`expect(step({ ${b.element.name}: null }, ${lit(b.criterion)}, ${lit(b.rule)})).toBe("unknown");`);
      });
      L.line("});");
    }
  });
  L.line("});");
  L.line();
  L.line("/** Exact product of two decimal strings (scaled big integers: no binary floating point). */");
  L.line("function scale(a: string, b: string): string {").indent(() => {
    L.line(
      'const parse = (s: string): [bigint, number] => { const [i, f = ""] = s.replace(/^-/, "").split("."); const n = BigInt(i + f) * (s.startsWith("-") ? -1n : 1n); return [n, f.length]; };',
    );
    L.line("const [x, xs] = parse(a);");
    L.line("const [y, ys] = parse(b);");
    L.line("const n = x * y;");
    L.line("const places = xs + ys;");
    L.line("const neg = n < 0n;");
    L.line('const digits = (neg ? -n : n).toString().padStart(places + 1, "0");');
    L.line("const int = digits.slice(0, digits.length - places);");
    L.line('const frac = digits.slice(digits.length - places).replace(/0+$/, "");');
    L.line('return (neg ? "-" : "") + int + (frac ? "." + frac : "");');
  });
  L.line("}");
  return L.toString();
}
