/**
 * Properties of the response evaluation over random assessment series (fast-check):
 * - differential: the compiled module and the interpreter give identical results,
 *   explanations and data errors included;
 * - the lesion category is exactly the protocol's condition, checked with exact
 *   multiplication (no division) against the seed's -30 % and +20 %;
 * - the same series in cm instead of mm gives the very same result;
 * - measured from the nadir, a change is never smaller than from baseline;
 * - a larger measurement never lowers a lesion's change or category, and never improves
 *   the RECIST response of its time point.
 * (The RECIST library's own properties are in tests/stdlib/recist.test.ts.)
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { IrProtocol } from "../../src/ir/types.js";
import type { ResponseResult } from "../../src/runtime/response.js";
import { both, compiledResponse, day, ok, seedIr, variantIr, type ResponseModule } from "./helpers.js";

const RUNS = { numRuns: 120 };
const ORGANS = ["liver", "lung", "pancreas", "kidney", "spleen", "adrenal"];

/**
 * One lesion at one time point: measured (the time point's scale of the baseline, plus a
 * jitter of up to ±15 %, plus `extra` tenths of a mm), not assessed, or too small to measure.
 */
interface Observation {
  kind: "measured" | "missing" | "tooSmall";
  jitter: number;
  extra: number;
}
const observation: fc.Arbitrary<Observation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("measured" as const),
      jitter: fc.integer({ min: -15, max: 15 }),
      extra: fc.constant(0),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "missing" as const, jitter: 0, extra: 0 }) },
  { weight: 1, arbitrary: fc.constant({ kind: "tooSmall" as const, jitter: 0, extra: 0 }) },
);
const status = fc.constantFrom(
  "absent",
  "absent",
  "present",
  "present",
  "present",
  "not_evaluated",
  "unequivocal_progression",
);
const timePoint = (n: number) =>
  fc.record({
    gap: fc.integer({ min: 14, max: 120 }),
    // The time point's size relative to baseline, in %; 0 is a complete response (every lesion gone).
    scale: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 6, arbitrary: fc.integer({ min: 20, max: 150 }) },
    ),
    obs: fc.array(fc.record({ o: observation, status }), { minLength: n, maxLength: n }),
    news: fc.oneof(
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: fc.subarray(["X1", "X2"]) },
    ),
    unequivocal: fc.boolean(),
    markers: fc.option(fc.boolean(), { nil: undefined }),
  });
const shape = fc
  .array(
    fc.record({ node: fc.integer({ min: 0, max: 3 }).map((x) => x === 0), tenths: fc.integer({ min: 50, max: 600 }) }),
    { minLength: 1, maxLength: 6 },
  )
  .chain((lesions) =>
    fc.record({
      lesions: fc.constant(lesions),
      tps: fc.array(timePoint(lesions.length), { minLength: 1, maxLength: 4 }),
    }),
  );
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

/** Tenths of a mm as a decimal string in mm or cm (exact). */
const text = (tenths: number, unit: "mm" | "cm") =>
  unit === "mm"
    ? `${Math.floor(tenths / 10)}.${tenths % 10}`
    : `${Math.floor(tenths / 100)}.${String(tenths % 100).padStart(2, "0")}`;

/**
 * The assessments JSON of a shape. The first lesion is made a measurable non-node so there
 * is always a target; targets are flagged within RECIST's limits (5 in all, 2 nodes, one
 * organ per non-nodal lesion); nodes carry a short axis and a longest diameter.
 */
function build(s: Shape, unit: "mm" | "cm" = "mm"): unknown {
  const len = (t: number) => ({ value: text(t, unit), unit });
  let targets = 0;
  let nodes = 0;
  const base = s.lesions.map((l, i) => {
    const isNode = i > 0 && l.node;
    const tenths = i === 0 ? Math.max(l.tenths, 100) : l.tenths;
    const measurable = isNode ? tenths >= 150 : tenths >= 100;
    const target = measurable && targets < 5 && (!isNode || nodes < 2);
    if (target) targets++;
    if (target && isNode) nodes++;
    const sizes = isNode
      ? { short_axis: len(tenths), longest_diameter: len(tenths + 40) }
      : { longest_diameter: len(tenths) };
    return {
      id: `L${i}`,
      organ: isNode ? `lymph node ${i}` : ORGANS[i % ORGANS.length]!,
      node: isNode,
      target,
      tenths,
      ...sizes,
    };
  });
  let d = 0;
  const tps = s.tps.map((t) => {
    d += t.gap;
    const lesions = base.flatMap((b, i): Record<string, unknown>[] => {
      const { o, status } = t.obs[i]!;
      const tenths = (t.scale === 0 ? 0 : Math.max(0, Math.round((b.tenths * (t.scale + o.jitter)) / 100))) + o.extra;
      const sizes = b.node
        ? { short_axis: len(tenths), longest_diameter: len(tenths + 40) }
        : { longest_diameter: len(tenths) };
      if (b.target)
        return o.kind === "missing"
          ? []
          : [o.kind === "tooSmall" ? { id: b.id, too_small_to_measure: true } : { id: b.id, ...sizes }];
      return [{ id: b.id, status: t.scale === 0 ? "absent" : status, ...(o.kind === "measured" ? sizes : {}) }];
    });
    const news = t.news.map((id) => ({ id, organ: id === "X1" ? "liver" : "lung", unequivocal: t.unequivocal }));
    return {
      date: day(d),
      lesions,
      new_lesions: news,
      ...(t.markers === undefined ? {} : { markers_normal: t.markers }),
    };
  });
  return {
    anchors: { D0: "2024-01-01" },
    baseline: { date: "2023-12-20", lesions: base.map(({ tenths: _, ...l }) => l) },
    time_points: tps,
  };
}

let ir: IrProtocol;
let mod: ResponseModule;
let nadirIr: IrProtocol;
let nadirMod: ResponseModule;
beforeAll(async () => {
  ir = seedIr();
  mod = await compiledResponse(ir, "response-properties");
  nadirIr = variantIr([
    "lesion change of longest_diameter from baseline",
    "lesion change of longest_diameter from nadir",
  ]);
  nadirMod = await compiledResponse(nadirIr, "response-properties-nadir");
});

const RANK: Record<string, number> = { CR: 0, PR: 1, SD: 2, NE: 2, PD: 3 };
const CATEGORY_RANK: Record<string, number> = { decrease: 0, stable: 1, increase: 2 };

describe("response properties (seed protocol)", () => {
  it("the compiled module agrees with the interpreter, on valid and corrupted series", () => {
    fc.assert(
      fc.property(shape, fc.constantFrom("mm", "cm"), fc.integer({ min: 0, max: 3 }), (s, unit, corrupt) => {
        const data = build(s, unit) as { time_points: { lesions: Record<string, unknown>[] }[] };
        const first = data.time_points[0]!.lesions[0];
        // One time in four, a measurement in the other unit: both must reject it the same way.
        if (corrupt === 0 && first?.longest_diameter)
          first.longest_diameter = { value: "1", unit: unit === "mm" ? "cm" : "mm" };
        const outcome = both(ir, mod, data);
        if (corrupt !== 0) expect(outcome.ok, JSON.stringify(outcome.ok ? null : outcome.errors)).toBe(true);
      }),
      RUNS,
    );
  });

  it("each lesion's category is exactly the protocol's condition (checked by multiplication)", () => {
    fc.assert(
      fc.property(shape, (s) => {
        for (const t of ok(both(ir, mod, build(s))).timePoints)
          for (const l of t.lesions) {
            if (l.value === null) {
              expect(l.category).toBeNull();
              continue;
            }
            const diff = new Decimal(l.value).minus(l.referenceValue).times(100);
            const ref = new Decimal(l.referenceValue);
            const want = diff.lte(ref.times(-30)) ? "decrease" : diff.gte(ref.times(20)) ? "increase" : "stable";
            expect(l.category, l.explanation).toBe(want);
          }
      }),
      RUNS,
    );
  });

  it("the same series in cm gives the very same result as in mm", () => {
    fc.assert(
      fc.property(shape, (s) => {
        expect(ok(both(ir, mod, build(s, "cm")))).toEqual(ok(both(ir, mod, build(s, "mm"))));
      }),
      RUNS,
    );
  });

  it("measured from the nadir a change is never smaller than from baseline, so categories only move up", () => {
    fc.assert(
      fc.property(shape, (s) => {
        const data = build(s);
        const fromBase = ok(both(ir, mod, data));
        const fromNadir = ok(both(nadirIr, nadirMod, data));
        const smallest = new Map<string, Decimal>();
        fromBase.timePoints.forEach((t, i) =>
          t.lesions.forEach((l, j) => {
            const n = fromNadir.timePoints[i]!.lesions[j]!;
            expect(n.id).toBe(l.id);
            // The nadir is the smallest of the baseline and this lesion's earlier values, never the current one.
            const nadir = smallest.get(l.id) ?? new Decimal(l.referenceValue);
            expect(new Decimal(n.referenceValue).eq(nadir), `${l.id} on ${t.date}`).toBe(true);
            if (l.value !== null) smallest.set(l.id, Decimal.min(nadir, l.value));
            if (l.change === null || n.change === null) return;
            expect(new Decimal(n.change).gte(l.change)).toBe(true);
            expect(CATEGORY_RANK[n.category!]!).toBeGreaterThanOrEqual(CATEGORY_RANK[l.category!]!);
          }),
        );
      }),
      RUNS,
    );
  });

  it("a larger measurement at the last time point never lowers a change or a category, nor improves the response", () => {
    fc.assert(
      fc.property(shape, fc.nat(), fc.integer({ min: 1, max: 500 }), (s, pick, more) => {
        const last = s.tps[s.tps.length - 1]!;
        const measured = last.obs.map((x, i) => [x, i] as const).filter(([x]) => x.o.kind === "measured");
        if (measured.length === 0) return;
        const [, i] = measured[pick % measured.length]!;
        const bigger: Shape = {
          ...s,
          tps: [
            ...s.tps.slice(0, -1),
            { ...last, obs: last.obs.map((x, k) => (k === i ? { ...x, o: { ...x.o, extra: x.o.extra + more } } : x)) },
          ],
        };
        const lastOf = (r: ResponseResult) => r.timePoints[r.timePoints.length - 1]!;
        const [before, after] = [lastOf(ok(both(ir, mod, build(s)))), lastOf(ok(both(ir, mod, build(bigger))))];
        expect(RANK[after.recist!.response]!).toBeGreaterThanOrEqual(RANK[before.recist!.response]!);
        before.lesions.forEach((l, j) => {
          const a = after.lesions[j]!;
          if (l.change === null || a.change === null) return;
          expect(new Decimal(a.change).gte(l.change)).toBe(true);
          expect(CATEGORY_RANK[a.category!]!).toBeGreaterThanOrEqual(CATEGORY_RANK[l.category!]!);
        });
      }),
      RUNS,
    );
  });
});
