/**
 * Properties of eligibility over the seed protocol, for random patients built around
 * every threshold (see arbitraries.ts):
 * - differential: the compiled module and the interpreter give identical results;
 * - metamorphic: another unit for a value, or an unrelated field, changes no verdict;
 * - monotonic: raising a value a criterion only tests with >= / > never turns met into not met;
 * - three-valued: filling in a missing value never changes a decided verdict.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { CriterionResult, EligibilityResult } from "../../src/runtime/eligibility.js";
import type { IrCriterion, IrExpr, IrProtocol } from "../../src/ir/types.js";
import { children } from "../../src/ir/walk.js";
import { dec } from "../../src/runtime/decimal.js";
import { compareQuantities } from "../../src/runtime/units.js";
import { importEligibility, writeGenerated, type EligibilityModule } from "../generated.js";
import { inUnit, mutantOf, patientFor, thresholdsOf, unitsFor } from "./arbitraries.js";

let ir: IrProtocol;
let compiled: EligibilityModule;
let thresholds: Map<string, string[]>;
const RUNS = { numRuns: 150 };

beforeAll(async () => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  thresholds = thresholdsOf(ir);
  compiled = await importEligibility(writeGenerated(ir, "properties"));
});

function evaluate(p: unknown): EligibilityResult | null {
  const r = evaluateEligibility(ir, p);
  return r.ok ? r.result : null;
}

function verdicts(r: EligibilityResult): Record<string, string> {
  const out: Record<string, string> = { overall: r.verdict };
  const walk = (c: CriterionResult) => {
    out[c.id] = c.verdict;
    c.children.forEach(walk);
  };
  [...r.inclusion, ...r.exclusion].forEach(walk);
  return out;
}

/** Sample patients that are valid data, as seeds for near-eligible random patients. */
const SEEDS = readdirSync("protocols/patients")
  .filter((f) => f.endsWith(".json") && f !== "expected.json" && !f.startsWith("invalid"))
  .sort()
  .map((f) => JSON.parse(readFileSync(`protocols/patients/${f}`, "utf8")) as Record<string, unknown>);

const patients = () =>
  fc
    .gen()
    .map((g) =>
      g(fc.boolean)
        ? patientFor(g, fc, ir, thresholds)
        : mutantOf(g, fc, ir, thresholds, SEEDS[g(fc.nat, { max: SEEDS.length - 1 })]!),
    );

type Lim = { value: string; unit: string };
type Result = { value: string; unit: string; uln?: Lim; lln?: Lim };
/** A measured element as the generators give it: one result, or `{"results": [...]}`. */
type Measured = Result | { results: Result[] };
/** `m` with `f` applied to each of its results, in the same shape. */
const eachResult = (m: Measured, f: (r: Result) => Result): Measured =>
  "results" in m ? { results: m.results.map(f) } : f(m);

describe("eligibility properties (seed protocol)", () => {
  it("the compiled module agrees with the interpreter on every criterion and explanation", () => {
    fc.assert(
      fc.property(patients(), (p) => {
        const a = evaluateEligibility(ir, p);
        const b = compiled.evaluateEligibility(p);
        expect(b).toEqual(JSON.parse(JSON.stringify(a)));
      }),
      RUNS,
    );
  });

  it("random patients are mostly valid and reach every criterion verdict (the generator is not degenerate)", () => {
    const seen = new Map<string, Set<string>>();
    let invalid = 0;
    fc.assert(
      fc.property(patients(), (p) => {
        const r = evaluate(p);
        if (!r) return void invalid++;
        for (const [id, v] of Object.entries(verdicts(r))) seen.set(id, (seen.get(id) ?? new Set()).add(v));
      }),
      { numRuns: 300 },
    );
    expect(invalid).toBeLessThan(150);
    expect([...(seen.get("overall") ?? [])].sort()).toEqual(["eligible", "indeterminate", "ineligible"]);
    const partial = [...seen]
      .filter(([id, vs]) => id !== "overall" && vs.size < 3)
      .map(([id, vs]) => `${id}: ${[...vs].join("/")}`);
    expect(partial).toEqual([]);
  });

  it("expressing a value in another unit changes no verdict", () => {
    const quantities = ir.elements.filter((e) => e.type === "decimal" && e.unit && unitsFor(e).length > 1);
    fc.assert(
      fc.property(patients(), fc.nat(), fc.nat(), fc.nat(), (p, i, j, k) => {
        const el = quantities[i % quantities.length]!;
        const q = p[el.name] as Measured | undefined;
        if (!q) return;
        const before = evaluate(p);
        if (!before) return;
        const units = unitsFor(el);
        const target = units[j % units.length]!;
        // A limit carries its unit: it stays in its own unit while the value moves, or moves with it.
        // (Both moving into different units would round both sides of an exact boundary.)
        const keep = k % 2 === 0;
        // A value that has no exact decimal in the target unit (2.4 mg/dL of bilirubin in
        // µmol/L) would be rounded by the move itself: such cases say nothing of the evaluator.
        let exact = true;
        const move = (x: string, from: string, to: string) => {
          const y = inUnit(el, inUnit({ ...el, unit: from }, x, el.unit!), to);
          if (compareQuantities(dec(y), to, dec(x), from, el.molarMass) !== 0) exact = false;
          return y;
        };
        const lim = (l: Lim) => (keep ? l : { value: move(l.value, l.unit, target), unit: target });
        // Every result moves (a measured element may list several).
        const moved = {
          ...p,
          [el.name]: eachResult(q, (r) => ({
            ...r,
            value: move(r.value, r.unit, target),
            unit: target,
            ...(r.uln ? { uln: lim(r.uln) } : {}),
            ...(r.lln ? { lln: lim(r.lln) } : {}),
          })),
        };
        if (!exact) return;
        const after = evaluate(moved);
        expect(after && verdicts(after)).toEqual(verdicts(before));
      }),
      RUNS,
    );
  });

  it("an unrelated field changes no verdict (and is reported as a warning)", () => {
    fc.assert(
      fc.property(patients(), fc.string(), (p, junk) => {
        const before = evaluate(p);
        const after = evaluate({ ...p, zz_unrelated_field: junk });
        if (!before) {
          expect(after).toBeNull();
          return;
        }
        expect(verdicts(after!)).toEqual(verdicts(before));
        expect(after!.warnings.map((w) => w.path)).toContain("$.zz_unrelated_field");
      }),
      RUNS,
    );
  });

  it("raising a value that a criterion only tests with >= or > never turns met into not met", () => {
    const cases = monotoneCases(ir);
    expect(cases.length).toBeGreaterThan(3);
    fc.assert(
      fc.property(patients(), fc.nat(), fc.constantFrom("0.01", "1", "10"), (p, i, delta) => {
        const { criterion, element } = cases[i % cases.length]!;
        const el = ir.elements.find((e) => e.name === element)!;
        const raw = p[element] as Measured | number | undefined;
        if (raw === undefined || raw === null) return;
        const before = evaluate(p);
        if (!before) return;
        const raised =
          typeof raw === "number"
            ? raw + Number(el.type === "integer" ? 1 : delta)
            : eachResult(raw, (r) => ({ ...r, value: dec(r.value).plus(delta).toString() })); // every result raised
        const after = evaluate({ ...p, [element]: raised });
        if (!after) return; // raised past the plausible range: rejected, not decided
        if (verdicts(before)[criterion] === "met") expect(verdicts(after)[criterion]).toBe("met");
      }),
      RUNS,
    );
  });

  it("filling in a missing value never changes a decided verdict", () => {
    fc.assert(
      fc.property(patients(), fc.nat(), (p, i) => {
        const present = Object.keys(p).filter((k) => k !== "anchors" && p[k] !== null);
        if (!present.length) return;
        const key = present[i % present.length]!;
        const full = evaluate(p);
        const { [key]: _dropped, ...partial } = p;
        const less = evaluate(partial);
        if (!full || !less) return;
        const vf = verdicts(full);
        for (const [id, v] of Object.entries(verdicts(less))) {
          if (v === "met" || v === "not_met" || v === "eligible" || v === "ineligible")
            expect(vf[id], `${id} after filling ${key}`).toBe(v);
        }
      }),
      RUNS,
    );
  });
});

/**
 * Criteria whose rule reads a top-level element only as `element >= c` or `element > c`
 * under positive polarity (not under `not`, not in an `if` condition): raising the
 * element can only help such a criterion.
 */
export function monotoneCases(p: IrProtocol): { criterion: string; element: string }[] {
  const out: { criterion: string; element: string }[] = [];
  const each = (c: IrCriterion) => {
    if (c.body.kind === "group") return c.body.children.forEach(each);
    const uses = new Map<string, boolean>();
    const visit = (e: IrExpr, positive: boolean) => {
      if (e.kind === "compare" && e.left.kind === "element") {
        const ok =
          positive && (e.op === ">=" || e.op === ">") && (e.right.kind === "quantity" || e.right.kind === "number");
        uses.set(e.left.name, (uses.get(e.left.name) ?? true) && ok);
        return;
      }
      if (e.kind === "element") uses.set(e.name, false);
      if (e.kind === "not") return visit(e.arg, !positive);
      if (e.kind === "if") {
        visit(e.cond, !positive);
        visit(e.then, positive);
        if (e.otherwise) visit(e.otherwise, positive);
        return;
      }
      if (e.kind === "define") return uses.set("*", false);
      children(e).forEach((x) => visit(x, positive));
    };
    visit(c.body.expr, true);
    if (uses.has("*")) return;
    for (const [element, ok] of uses) if (ok) out.push({ criterion: c.id, element });
  };
  [...p.eligibility.inclusion, ...p.eligibility.exclusion].forEach(each);
  return out;
}
