/**
 * RECIST 1.1: the worked cases and tables of the domain README §2 (boundaries at exactly
 * −30 %, +20 % / +5 mm, the nadir, nodes, missing targets, Table 1, Table 3 under the §2.6
 * convention), data validation, and properties over random measurements.
 */
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assessTimePoints,
  bestOverallResponse,
  categoriseLesion,
  defaultBorOptions,
  evaluateRecist,
  newLesionStatus,
  nonTargetResponse,
  overallResponse,
  proposeTargets,
  selectTargets,
  sumOfDiameters,
  targetResponse,
  validateRecistData,
  type Assessment,
  type BaselineLesion,
  type BorTimePoint,
  type NonTargetResponse,
  type OverallResponse,
  type RecistBaseline,
  type TargetMeasurement,
  type TargetResponse,
} from "../../src/runtime/recist.js";

const lesion = (id: string, organ: string, diameterMm: string | null, isNode = false): BaselineLesion => ({
  id,
  organ,
  isNode,
  diameterMm,
});
const node = (id: string, diameterMm: string, organ = "mediastinum") => lesion(id, organ, diameterMm, true);
const m = (id: string, diameterMm: string | null, tooSmallToMeasure?: boolean): TargetMeasurement =>
  tooSmallToMeasure ? { id, diameterMm, tooSmallToMeasure } : { id, diameterMm };
const visit = (date: string, targets: TargetMeasurement[], extra: Partial<Assessment> = {}): Assessment => ({
  date,
  targets,
  nonTargets: [],
  newLesions: [],
  ...extra,
});

/** Three liver/lung targets summing to exactly 50 mm (a float hazard: 20.1 + 15.2 + 14.7). */
const T50 = [lesion("L1", "liver", "20.1"), lesion("L2", "liver", "15.2"), lesion("P1", "lung", "14.7")];

describe("measurability at baseline (§2.1)", () => {
  it.each([
    [lesion("a", "liver", "10"), "measurable"],
    [lesion("a", "liver", "9.9"), "non_measurable"],
    [lesion("a", "pleura", null), "non_measurable"],
    [{ ...lesion("a", "bone", "30"), measurable: false }, "non_measurable"],
    [node("n", "15"), "measurable"],
    [node("n", "14.9"), "non_measurable"],
    [node("n", "10"), "non_measurable"],
    [node("n", "9.9"), "normal_node"],
  ] as const)("%o → %s", (l, category) => {
    expect(categoriseLesion(l).category).toBe(category);
  });
  it("thick slices raise the minimum (2 × slice thickness)", () => {
    expect(categoriseLesion(lesion("a", "liver", "12"), { minLesionMm: "14" }).category).toBe("non_measurable");
  });
});

describe("target selection (§2.2)", () => {
  it("accepts a valid set and sums it exactly", () => {
    const r = selectTargets(T50);
    expect(r.valid).toBe(true);
    expect(r.baselineSumMm).toBe("50");
  });
  it("at most 5 targets, 2 per organ, all nodes one organ, each measurable, ids unique", () => {
    const r = selectTargets([
      lesion("L1", "liver", "30"),
      lesion("L2", "Liver", "25"),
      lesion("L3", "liver ", "20"),
      node("N1", "20", "neck"),
      node("N2", "18", "axilla"),
      node("N3", "16", "mediastinum"),
      lesion("S", "skin", "8"),
      lesion("L1", "lung", "12"),
    ]);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.code).sort()).toEqual([
      "duplicate-id",
      "not-measurable",
      "too-many-in-organ",
      "too-many-in-organ",
      "too-many-targets",
    ]);
    expect(r.violations.find((v) => v.message.includes("lymph node"))?.path).toBe("$.targets[5]");
  });
  it("proposes the largest first within the limits", () => {
    const p = proposeTargets([
      lesion("L1", "liver", "30"),
      lesion("L2", "liver", "40"),
      lesion("L3", "liver", "50"),
      node("N1", "20", "neck"),
      node("N2", "25", "axilla"),
      node("N3", "30", "pelvis"),
      lesion("P1", "lung", "11"),
      lesion("B1", "bone", "12"),
      node("N4", "12"),
      node("N5", "8"),
    ]);
    expect(p.targets.map((t) => t.id)).toEqual(["L3", "L2", "N3", "N2", "B1"]);
    expect(p.notRecorded.map((t) => t.id)).toEqual(["N5"]);
    expect(p.nonTargets.map((t) => t.id).sort()).toEqual(["L1", "N1", "N4", "P1"]);
    expect(p.explanation).toContain("no target: lung");
    expect(selectTargets(p.targets).valid).toBe(true);
  });
});

describe("sum of diameters (§2.3 special notes)", () => {
  it("too small to measure counts 5 mm (configurable), disappeared 0, not assessed null", () => {
    expect(sumOfDiameters(T50, [m("L1", "0"), m("L2", null, true), m("P1", "3")]).sumMm).toBe("8");
    expect(
      sumOfDiameters(T50, [m("L1", "0"), m("L2", null, true), m("P1", "3")], { tooSmallToMeasureMm: "4" }).sumMm,
    ).toBe("7");
    const s = sumOfDiameters(T50, [m("L1", "10"), m("L2", null)]);
    expect(s).toMatchObject({ sumMm: null, measuredSumMm: "10", missing: ["L2", "P1"] });
  });
});

describe("target response (§2.3, §2.7)", () => {
  const at = (values: (string | null)[], nadir?: string, targets = T50) =>
    targetResponse(
      targets,
      targets.map((t, i) => m(t.id, values[i] ?? null)),
      nadir,
    );

  it("PR exactly at −30 %: 35 vs baseline 50 (35/50 is a float hazard)", () => {
    const r = at(["14.1", "11.2", "9.7"]);
    expect(r.response).toBe("PR");
    expect(r.explanation).toContain("35 <= 0.70 × 50 = 35");
    expect(r.explanation).toContain("-30%");
    expect(at(["14.1", "11.2", "9.8"]).response).toBe("SD");
  });
  it("PD exactly at +20 % and +5 mm over the nadir", () => {
    expect(at(["10", "10", "10"], "25").response).toBe("PD");
    expect(at(["10", "10", "9.9"], "25").response).toBe("PR");
  });
  it("+20 % but only +4 mm is not PD", () => {
    const targets = [lesion("A", "liver", "15"), lesion("B", "lung", "15")];
    const r = at(["12", "12"], "20", targets);
    expect(r.response).toBe("SD");
    expect(r.explanation).toContain("increase 4 mm < 5 mm");
  });
  it("the nadir rule: PD against the smallest sum even while below baseline", () => {
    const tps = assessTimePoints({ targets: T50, nonTargets: [] }, [
      visit("2024-03-01", [m("L1", "10"), m("L2", "10"), m("P1", "10")]),
      visit("2024-05-01", [m("L1", "12"), m("L2", "12"), m("P1", "12")]),
    ]);
    expect(tps.map((t) => t.target.response)).toEqual(["PR", "PD"]);
    expect(tps[1]?.target.nadirMm).toBe("30");
  });
  it("an incomplete sum never becomes the nadir", () => {
    const tps = assessTimePoints({ targets: T50, nonTargets: [] }, [
      visit("2024-03-01", [m("L1", "5"), m("L2", null), m("P1", "5")]),
      visit("2024-05-01", [m("L1", "12"), m("L2", "12"), m("P1", "12")]),
    ]);
    // 36 vs the partial 10 would be PD; against the nadir 50 it is SD.
    expect(tps.map((t) => t.target.response)).toEqual(["NE", "SD"]);
    expect(tps[1]?.target.nadirMm).toBe("50");
  });
  it("CR with residual nodes < 10 mm: the sum is not zero", () => {
    const r = at(["0", "9.9"], undefined, [lesion("L1", "liver", "20"), node("N1", "16")]);
    expect(r.response).toBe("CR");
    expect(r.sum.sumMm).toBe("9.9");
  });
  it("a node of exactly 10 mm blocks CR", () => {
    expect(at(["0", "10"], undefined, [lesion("L1", "liver", "20"), node("N1", "16")]).response).toBe("PR");
  });
  it("too small to measure counts 5 mm and is not a disappearance", () => {
    const r = targetResponse([lesion("L1", "liver", "20")], [m("L1", null, true)]);
    expect(r.response).toBe("PR");
    expect(r.sum.sumMm).toBe("5");
  });
  it("NE when a target is not assessed", () => {
    expect(at(["10", null, "10"]).response).toBe("NE");
    expect(targetResponse(T50, [m("L1", "10"), m("P1", "10")]).response).toBe("NE");
  });
  it("50 → 80 mm with a missing lesion is PD: the missing one can only add", () => {
    const targets = [lesion("A", "liver", "20"), lesion("B", "lung", "20"), lesion("C", "bone", "10")];
    const r = at(["40", "40", null], undefined, targets);
    expect(r.response).toBe("PD");
    expect(r.rule).toContain("measured targets alone meet PD");
  });
});

describe("non-target and new lesions (§2.4)", () => {
  const nts = [lesion("E1", "pleura", null), node("N9", "12")];
  it.each([
    [["absent", "absent"], true, "CR"],
    [["absent", "absent"], undefined, "CR"],
    [["absent", "absent"], false, "NON_CR_NON_PD"],
    [["present", "absent"], true, "NON_CR_NON_PD"],
    [["absent", "present"], true, "NON_CR_NON_PD"],
    [["not_evaluated", "present"], true, "NE"],
    [["not_evaluated", "unequivocal_progression"], true, "PD"],
  ] as const)("%o, markers normal %s → %s", (statuses, markersNormal, expected) => {
    const obs = nts.map((l, i) => ({ id: l.id, status: statuses[i] ?? "not_evaluated" }));
    expect(nonTargetResponse(nts, obs, markersNormal).response).toBe(expected);
  });
  it("a baseline non-target missing from the observations is not evaluated; none at baseline is NONE", () => {
    expect(nonTargetResponse(nts, [{ id: "E1", status: "absent" }]).response).toBe("NE");
    expect(nonTargetResponse([], []).response).toBe("NONE");
  });
  it("unequivocal new lesion → yes; equivocal only → flagged", () => {
    expect(
      newLesionStatus([
        { id: "X", unequivocal: false },
        { id: "Y", unequivocal: true },
      ]).status,
    ).toBe("yes");
    const eq = newLesionStatus([{ id: "X", unequivocal: false }]);
    expect(eq).toMatchObject({ status: "equivocal", equivocal: ["X"] });
    expect(overallResponse("SD", "NON_CR_NON_PD", eq.status).response).toBe("SD");
  });
});

describe("Table 1: overall time-point response (§2.5)", () => {
  const nonPd: NonTargetResponse[] = ["CR", "NON_CR_NON_PD", "NE", "NONE"];
  it.each([
    ["CR", "CR", "no", "CR"],
    ["CR", "NONE", "no", "CR"],
    ["CR", "NON_CR_NON_PD", "no", "PR"],
    ["CR", "NE", "no", "PR"],
    ...nonPd.map((n) => ["PR", n, "no", "PR"] as const),
    ...nonPd.map((n) => ["SD", n, "no", "SD"] as const),
    ...nonPd.map((n) => ["NE", n, "no", "NE"] as const),
    ...nonPd.map((n) => ["PD", n, "no", "PD"] as const),
    ...(["CR", "PR", "SD", "NE", "PD"] as const).map((t) => [t, "PD", "no", "PD"] as const),
    ...(["CR", "PR", "SD", "NE", "PD"] as const).flatMap((t) =>
      [...nonPd, "PD" as const].map((n) => [t, n, "yes", "PD"] as const),
    ),
  ] as const)("target %s, non-target %s, new %s → %s", (t, n, nl, expected) => {
    expect(overallResponse(t, n, nl).response).toBe(expected);
  });
});

describe("time points in sequence (§2.4)", () => {
  const base: RecistBaseline = { targets: T50, nonTargets: [lesion("E1", "pleura", null), node("N9", "12")] };
  const all = (v: string) => T50.map((t) => m(t.id, v));
  it("an equivocal new lesion confirmed later makes PD date back to where it first appeared", () => {
    const tps = assessTimePoints(base, [
      visit("2024-03-01", all("10"), { newLesions: [{ id: "X", unequivocal: false }] }),
      visit("2024-05-01", all("10"), { newLesions: [{ id: "X", unequivocal: true }] }),
    ]);
    expect(tps.map((t) => [t.table1Response, t.response])).toEqual([
      ["PR", "PD"],
      ["PD", "PD"],
    ]);
  });
  it("reappearance: a target back, a non-nodal non-target present; not a nodal non-target merely present", () => {
    const nt = (e1: "absent" | "present", n9: "absent" | "present" | "unequivocal_progression") => ({
      nonTargets: [
        { id: "E1", status: e1 },
        { id: "N9", status: n9 },
      ],
    });
    const tps = assessTimePoints(base, [
      visit("2024-03-01", all("0"), nt("absent", "present")),
      visit("2024-04-01", all("0"), nt("present", "absent")),
      visit("2024-05-01", [m("L1", "0"), m("L2", "0"), m("P1", null, true)], nt("absent", "absent")),
      visit("2024-06-01", all("0"), nt("absent", "unequivocal_progression")),
    ]);
    expect(tps.map((t) => t.reappearance)).toEqual([false, true, true, true]);
  });
});

const D0 = "2024-01-01";
const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);
const seq = (...pts: [number, OverallResponse, boolean?][]): BorTimePoint[] =>
  pts.map(([d, response, reappearance]) =>
    reappearance === undefined ? { date: day(d), response } : { date: day(d), response, reappearance },
  );
const bor = (tps: BorTimePoint[]) => bestOverallResponse(tps, defaultBorOptions(D0));

describe("Table 3: best overall response with confirmation (§2.6 convention)", () => {
  // 1st time point on day 56 (SD minimum of 42 days met), the next 35 days later (>= 28).
  it.each([
    ["CR", "CR", "CR"],
    ["CR", "PR", "SD"],
    ["CR", "SD", "SD"],
    ["CR", "PD", "SD"],
    ["CR", "NE", "SD"],
    ["PR", "CR", "PR"],
    ["PR", "PR", "PR"],
    ["PR", "SD", "SD"],
    ["PR", "PD", "SD"],
    ["PR", "NE", "SD"],
    ["NE", "NE", "NE"],
  ] as const)("%s then %s → %s", (first, second, expected) => {
    expect(bor(seq([56, first], [91, second])).confirmedBor).toBe(expected);
  });
  it.each([
    ["CR", "PD", "PD"],
    ["CR", "NE", "NE"],
    ["PR", "PD", "PD"],
    ["PR", "NE", "NE"],
    // Table 3 prints "otherwise PD" for CR then SD; without reappearance after a *confirmed* CR
    // this convention has no PD to report, so an SD minimum not met leaves NE.
    ["CR", "SD", "NE"],
  ] as const)("SD minimum not met: %s then %s → %s", (first, second, expected) => {
    expect(bor(seq([20, first], [35, second])).confirmedBor).toBe(expected);
  });
  it("CR then PR is flagged as a data issue (footnote a); unconfirmed BOR is CR", () => {
    const r = bor(seq([56, "CR"], [91, "PR"]));
    expect(r.warnings[0]).toContain("Table 3, footnote a");
    expect(r.unconfirmedBor).toBe("CR");
  });
  it("confirmation at exactly 28 days counts, 27 does not", () => {
    expect(bor(seq([56, "PR"], [84, "PR"])).confirmedBor).toBe("PR");
    expect(bor(seq([56, "PR"], [83, "PR"])).confirmedBor).toBe("SD");
  });
  it("at most one NE in between; no SD in between", () => {
    expect(bor(seq([56, "CR"], [70, "NE"], [91, "CR"])).confirmedBor).toBe("CR");
    expect(bor(seq([56, "CR"], [63, "NE"], [70, "NE"], [91, "CR"])).confirmedBor).toBe("SD");
    expect(bor(seq([56, "PR"], [70, "SD"], [91, "PR"])).confirmedBor).toBe("SD");
    expect(bor(seq([56, "PR"], [70, "CR"], [91, "PR"])).confirmedBor).toBe("SD");
  });
  it("time points after the first PD are ignored", () => {
    const r = bor(seq([30, "PD"], [60, "CR"], [95, "CR"]));
    expect(r).toMatchObject({ confirmedBor: "PD", unconfirmedBor: "PD", firstPdDate: day(30) });
    expect(r.timePoints.filter((t) => t.counted)).toHaveLength(1);
  });
  it("after a confirmed CR, a reappearance is PD (it dates progression, the BOR stays CR)", () => {
    const r = bor(seq([56, "CR"], [91, "CR"], [120, "PR"], [150, "CR"]));
    expect(r).toMatchObject({ confirmedBor: "CR", firstPdDate: day(120) });
    expect(r.timePoints[2]?.effective).toBe("PD");
    // Markers alone (no lesion back) are not a reappearance.
    expect(bor(seq([56, "CR"], [91, "CR"], [120, "PR", false])).firstPdDate).toBeNull();
  });
  it("time points before the reference date do not count; without confirmation the unconfirmed BOR is reported", () => {
    expect(bor(seq([-5, "CR"], [56, "SD"])).confirmedBor).toBe("SD");
    const r = bestOverallResponse(seq([56, "PR"], [70, "SD"]), {
      ...defaultBorOptions(D0),
      confirmation: { required: false, minIntervalDays: 28 },
    });
    expect(r).toMatchObject({ bor: "PR", confirmedBor: "SD", unconfirmedBor: "PR" });
  });
  it("no time point at all is NE", () => {
    expect(bor([]).bor).toBe("NE");
  });
});

describe("data validation (JSON paths)", () => {
  it("reports duplicated ids, organ changes, mixed units, unknown ids and bad dates", () => {
    const base: RecistBaseline = {
      date: "2023-12-20",
      targets: [{ ...lesion("L1", "liver", "20"), unit: "mm" }, lesion("L1", "lung", "15")],
      nonTargets: [lesion("E1", "pleura", null)],
    };
    const issues = validateRecistData(base, [
      visit("2024-02-30", [{ id: "L1", diameterMm: "1.5", unit: "cm", organ: "lung" }, m("ZZ", "3")], {
        newLesions: [{ id: "E1", unequivocal: true }],
      }),
    ]);
    const got = issues.map((i) => `${i.code} ${i.path}`);
    expect(got).toEqual(
      expect.arrayContaining([
        "duplicate-id $.baseline.targets[1].id",
        "invalid-date $.assessments[0].date",
        "organ-changed $.assessments[0].targets[0].organ",
        "unknown-target $.assessments[0].targets[1].id",
        "duplicate-id $.assessments[0].newLesions[0].id",
        "unit-not-mm $.assessments[0].targets[0].unit",
        "mixed-units $.assessments[0].targets[0].unit",
      ]),
    );
  });
  it("a baseline without targets is an error (Table 2 does not apply)", () => {
    expect(validateRecistData({ targets: [], nonTargets: [] }, []).map((i) => i.code)).toEqual(["no-targets"]);
    expect(() => targetResponse([], [])).toThrow(RangeError);
  });
  it("evaluateRecist stops before computing responses from invalid data", () => {
    const r = evaluateRecist({ targets: T50, nonTargets: [] }, [visit("2024-3-1", [])], defaultBorOptions(D0));
    expect(r).toMatchObject({ bor: null, timePoints: [] });
  });
  it("evaluateRecist end to end: a PR confirmed 35 days later", () => {
    const r = evaluateRecist(
      { targets: T50, nonTargets: [] },
      [
        visit(day(56), [m("L1", "14.1"), m("L2", "11.2"), m("P1", "9.7")]),
        visit(day(91), [m("L1", "12"), m("L2", "11"), m("P1", "9")]),
      ],
      defaultBorOptions(D0),
    );
    expect(r.issues).toEqual([]);
    expect(r.bor?.bor).toBe("PR");
    expect(r.bor?.explanation).toContain("confirmed by PR");
  });
});

// --- properties --------------------------------------------------------------------------

const tenths = (min: number, max: number) =>
  fc.integer({ min: min * 10, max: max * 10 }).map((n) => new Decimal(n).div(10).toFixed(1));
const arbTargets = fc
  .array(fc.record({ organ: fc.constantFrom("liver", "lung", "bone"), isNode: fc.boolean(), big: tenths(0, 80) }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((xs) =>
    xs.map((x, i) => lesion(`T${i}`, x.organ, new Decimal(x.big).plus(x.isNode ? 15 : 10).toString(), x.isNode)),
  );
// Boundary values (10 mm for nodes, 5 mm, 0) are drawn on purpose: random tenths rarely hit them.
const arbValue = fc.oneof(
  fc.constantFrom("0", "5", "9.9", "10", "15"),
  tenths(0, 9.9),
  tenths(0, 150),
  fc.constant("too_small"),
);
const arbCase = arbTargets.chain((targets) =>
  fc.record({
    targets: fc.constant(targets),
    values: fc.array(arbValue, { minLength: targets.length, maxLength: targets.length }),
    nadirCut: tenths(0, 100),
  }),
);
const toMeasurements = (targets: BaselineLesion[], values: string[]) =>
  targets.map((t, i) => (values[i] === "too_small" ? m(t.id, null, true) : m(t.id, values[i] ?? "0")));
const RANK: Record<TargetResponse, number> = { CR: 0, PR: 1, SD: 2, NE: 3, PD: 4 };

describe("properties", () => {
  it("a larger sum never improves the time-point response", () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.nat({ max: 4 }),
        tenths(0.1, 50),
        fc.constantFrom<NonTargetResponse>("CR", "NON_CR_NON_PD", "NE", "NONE"),
        ({ targets, values, nadirCut }, k, delta, nt) => {
          const nadir = Decimal.max(
            0,
            new Decimal(selectTargets(targets).baselineSumMm ?? "0").minus(nadirCut),
          ).toString();
          const i = k % targets.length;
          const bigger = values.map((v, j) =>
            j !== i ? v : new Decimal(v === "too_small" ? "5" : v).plus(delta).toString(),
          );
          const before = targetResponse(targets, toMeasurements(targets, values), nadir).response;
          const after = targetResponse(targets, toMeasurements(targets, bigger), nadir).response;
          expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
          expect(RANK[overallResponse(after, nt, "no").response]).toBeGreaterThanOrEqual(
            RANK[overallResponse(before, nt, "no").response],
          );
        },
      ),
      { numRuns: 500 },
    );
  });
  it("deleting a new lesion never worsens the time-point response", () => {
    fc.assert(
      fc.property(
        arbCase,
        fc.array(fc.record({ id: fc.constantFrom("X", "Y", "Z"), unequivocal: fc.boolean() }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat(),
        ({ targets, values }, news, k) => {
          const base: RecistBaseline = { targets, nonTargets: [] };
          const fewer = news.filter((_, j) => j !== k % news.length);
          const [before] = assessTimePoints(base, [
            visit("2024-03-01", toMeasurements(targets, values), { newLesions: news }),
          ]);
          const [after] = assessTimePoints(base, [
            visit("2024-03-01", toMeasurements(targets, values), { newLesions: fewer }),
          ]);
          expect(RANK[after?.response ?? "PD"]).toBeLessThanOrEqual(RANK[before?.response ?? "PD"]);
        },
      ),
      { numRuns: 300 },
    );
  });
  it("CR exactly when every non-nodal target is 0 mm and every node < 10 mm", () => {
    fc.assert(
      fc.property(arbCase, ({ targets, values }) => {
        const r = targetResponse(targets, toMeasurements(targets, values));
        const gone = targets.every((t, i) =>
          t.isNode
            ? values[i] === "too_small" || new Decimal(values[i] ?? "0").lt(10)
            : values[i] !== "too_small" && new Decimal(values[i] ?? "1").isZero(),
        );
        expect(r.response === "CR").toBe(gone);
      }),
      { numRuns: 500 },
    );
  });
});
