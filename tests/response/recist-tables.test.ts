/**
 * RECIST 1.1 through the whole pipeline (assessments JSON → compiled module and
 * interpreter): Table 1 for every combination of target, non-target and new-lesion state;
 * the rows of Table 3 reachable from measurements, under the seed's confirmation rules;
 * the worked cases of the paper (the 50 → 80 mm example, nodes below 10 mm, "too small to
 * measure"); and the protocol's settings (confirmation, too-small default, SD anchor).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { IrProtocol } from "../../src/ir/types.js";
import {
  at,
  both,
  compiledResponse,
  day,
  lesion,
  node,
  ok,
  seedIr,
  series,
  variantIr,
  type ResponseModule,
} from "./helpers.js";

let ir: IrProtocol;
let mod: ResponseModule;
beforeAll(async () => {
  ir = seedIr();
  mod = await compiledResponse(ir, "response-tables");
});

/** Two targets (liver 30 mm, lung 20 mm: sum 50) and a bone non-target. */
const BASE = [
  lesion("L1", "liver", 30, true),
  lesion("L2", "lung", 20, true),
  lesion("B1", "bone", null, false, { measurable: false }),
];
const TARGETS = {
  CR: { L1: 0, L2: 0 },
  PR: { L1: 21, L2: 14 }, // 35 = 0.70 × 50
  SD: { L1: 28, L2: 19 }, // 47
  PD: { L1: 36, L2: 24 }, // 60 = 1.2 × 50, +10 mm
  NE: { L1: 30 }, // L2 not assessed; 30 alone does not meet PD
} as const;
const NON_TARGETS = {
  CR: "absent",
  NON_CR_NON_PD: "present",
  NE: "not_evaluated",
  PD: "unequivocal_progression",
  NONE: null,
} as const;
const NEW = {
  no: [],
  equivocal: [{ id: "X", organ: "liver", unequivocal: false }],
  yes: [{ id: "X", organ: "liver", unequivocal: true }],
} as const;

/** RECIST 1.1 Table 1 (patients with target disease), read row by row; an equivocal new lesion is "No". */
function table1(target: string, nonTarget: string, newLesions: string): string {
  if (newLesions === "yes") return "PD"; // Any | Any | Yes → PD
  if (target === "PD" || nonTarget === "PD") return "PD"; // PD | Any | … and Any | PD | … → PD
  if (target === "NE") return "NE"; // Not all evaluated | Non-PD | No → NE
  if (target === "CR") return nonTarget === "CR" || nonTarget === "NONE" ? "CR" : "PR"; // CR | CR → CR; CR | Non-CR/non-PD or NE → PR
  return target; // PR | Non-PD or not all evaluated → PR; SD | … → SD
}

describe("Table 1: overall time-point response, through the compiled module", () => {
  for (const [t, targets] of Object.entries(TARGETS))
    for (const [nt, status] of Object.entries(NON_TARGETS))
      for (const [nl, news] of Object.entries(NEW)) {
        const want = table1(t, nt, nl);
        it(`target ${t} | non-target ${nt} | new lesions ${nl} → ${want}`, () => {
          const base = status === null ? BASE.slice(0, 2) : BASE;
          const lesions = { ...targets, ...(status === null ? {} : { B1: status }) };
          const r = ok(both(ir, mod, series(base, [at(day(56), lesions, { new_lesions: news })])));
          const tp = r.timePoints[0]!.recist!;
          expect([tp.target.response, tp.nonTarget.response, tp.newLesions.status]).toEqual([t, nt, nl]);
          expect(tp.response).toBe(want);
          expect(tp.decidedBy).toMatch(/^Table 1: .*→ (CR|PR|SD|PD|NE)$/);
          expect(tp.decidedBy.endsWith(`→ ${want}`)).toBe(true);
        });
      }
});

/** States reachable after the previous one (the nadir matters: after a CR it is 0 mm). */
const S = {
  CR: { L1: 0, L2: 0, B1: "absent" },
  PR: { L1: 21, L2: 14, B1: "present" }, // 35 mm
  PR_AFTER_CR: { L1: 3, L2: 0, B1: "absent" }, // 3 mm: not PD over a nadir of 0 (< 5 mm)
  SD_AFTER_PR: { L1: 23, L2: 15, B1: "present" }, // 38 mm: > 35, < 1.2 × 35
  PD_AFTER_CR: { L1: 10, L2: 0, B1: "absent" },
  PD_AFTER_PR: { L1: 27, L2: 18, B1: "present" }, // 45 mm >= 42
  NE: { L2: 0, B1: "present" }, // L1 not assessed
} as const;

// RECIST 1.1 Table 3 (confirmation required), SD minimum 42 days after D0 (the seed's setting).
// "met": the first time point is 56 days after D0; "not met": 28 days. The second comes 35 days later.
const TABLE3: [keyof typeof S, keyof typeof S, boolean, string, string][] = [
  ["CR", "CR", true, "CR", "CR"],
  ["CR", "PR_AFTER_CR", true, "SD", "CR"],
  ["CR", "PD_AFTER_CR", true, "SD", "CR"],
  ["CR", "PD_AFTER_CR", false, "PD", "CR"],
  ["CR", "NE", true, "SD", "CR"],
  ["CR", "NE", false, "NE", "CR"],
  ["PR", "CR", true, "PR", "CR"],
  ["PR", "PR", true, "PR", "PR"],
  ["PR", "SD_AFTER_PR", true, "SD", "PR"],
  ["PR", "PD_AFTER_PR", true, "SD", "PR"],
  ["PR", "PD_AFTER_PR", false, "PD", "PR"],
  ["PR", "NE", true, "SD", "PR"],
  ["PR", "NE", false, "NE", "PR"],
  ["NE", "NE", true, "NE", "NE"],
];

describe("Table 3: best overall response with confirmation", () => {
  for (const [first, second, met, confirmed, unconfirmed] of TABLE3) {
    it(`${first} then ${second}, SD minimum ${met ? "met" : "not met"} → ${confirmed} (unconfirmed ${unconfirmed})`, () => {
      const d1 = met ? 56 : 28;
      const r = ok(both(ir, mod, series(BASE, [at(day(d1), S[first]), at(day(d1 + 35), S[second])])));
      expect(r.timePoints.map((t) => t.recist!.response)).toEqual([first.slice(0, 2), second.slice(0, 2)]);
      expect([r.bor!.confirmedBor, r.bor!.unconfirmedBor, r.bor!.bor]).toEqual([confirmed, unconfirmed, confirmed]);
    });
  }
  it("CR followed by PR is flagged for review (Table 3, footnote a)", () => {
    const r = ok(both(ir, mod, series(BASE, [at(day(56), S.CR), at(day(91), S.PR_AFTER_CR)])));
    expect(r.bor!.warnings.join()).toContain("footnote a");
  });
  it("confirmation at exactly 28 days counts; at 27 it does not", () => {
    const pr = (d: number) => ok(both(ir, mod, series(BASE, [at(day(56), S.PR), at(day(d), S.PR)]))).bor!.confirmedBor;
    expect(pr(56 + 28)).toBe("PR");
    expect(pr(56 + 27)).toBe("SD");
  });
  it("after a confirmed CR, a lesion that reappears is PD at that time point too (the BOR stays CR)", () => {
    const r = ok(both(ir, mod, series(BASE, [at(day(56), S.CR), at(day(91), S.CR), at(day(126), S.PR_AFTER_CR)])));
    // One answer per time point: the time point says PD, as the best overall response reads it.
    expect(r.timePoints[2]!.recist!.response).toBe("PD");
    expect(r.timePoints[2]!.recist!.table1Response).toBe("PR");
    expect(r.timePoints[2]!.recist!.decidedBy).toBe(
      `RECIST 1.1 Table 3 footnote a: lesion reappeared after the CR confirmed on ${day(91)} → PD`,
    );
    expect(r.timePoints[2]!.recist!.bor).toMatchObject({ counted: true, effective: "PD" });
    expect([r.bor!.bor, r.bor!.firstPdDate]).toEqual(["CR", day(126)]);
  });
  it("time points after the first PD are not counted", () => {
    const r = ok(
      both(
        ir,
        mod,
        series(BASE, [at(day(56), { ...TARGETS.PD, B1: "present" }), at(day(91), S.CR), at(day(126), S.CR)]),
      ),
    );
    expect(r.timePoints.map((t) => t.recist!.bor!.counted)).toEqual([true, false, false]);
    expect([r.timePoints[0]!.recist!.response, r.bor!.bor, r.bor!.unconfirmedBor]).toEqual(["PD", "PD", "PD"]);
  });
});

describe("worked cases of the paper", () => {
  it("50 mm at baseline, two of three targets already at 80 mm: PD whatever the missing one measures (§4.5)", () => {
    const base = [lesion("A", "liver", 20, true), lesion("B", "lung", 15, true), lesion("C", "kidney", 15, true)];
    const r = ok(both(ir, mod, series(base, [at(day(56), { A: 50, B: 30 })])));
    const tp = r.timePoints[0]!.recist!;
    expect([tp.response, tp.sumMm, tp.measuredSumMm]).toEqual(["PD", null, "80"]);
    expect(tp.target.rule).toContain("the measured targets alone meet PD");
  });
  it("nodes below 10 mm count toward CR; a node of exactly 10 mm does not", () => {
    const base = [lesion("L1", "liver", 30, true), node("N1", 20, true)];
    const cr = (n: string) =>
      ok(both(ir, mod, series(base, [at(day(56), { L1: 0, N1: { short_axis: { value: n, unit: "mm" } } })])))
        .timePoints[0]!.recist!;
    expect([cr("9.9").response, cr("9.9").sumMm]).toEqual(["CR", "9.9"]);
    expect(cr("10").response).toBe("PR");
  });
  it("a target too small to measure counts 5 mm: not a disappearance (§4.3.2)", () => {
    const r = ok(both(ir, mod, series(BASE.slice(0, 2), [at(day(56), { L1: { too_small_to_measure: true }, L2: 0 })])));
    const tp = r.timePoints[0]!;
    expect([tp.recist!.response, tp.recist!.sumMm]).toEqual(["PR", "5"]);
    expect(tp.lesions[0]).toMatchObject({ id: "L1", value: "5", source: "too_small_default", category: "decrease" });
  });
  it("a target left out, or given as null, is not assessed: NE, not an error", () => {
    const r = ok(both(ir, mod, series(BASE.slice(0, 2), [at(day(56), { L1: 30 }), at(day(91), { L1: null, L2: 20 })])));
    expect(r.timePoints.map((t) => t.recist!.response)).toEqual(["NE", "NE"]);
    expect(r.timePoints[1]!.lesions[0]).toMatchObject({
      category: null,
      missing: ["$.time_points[1].lesions[0].longest_diameter"],
    });
  });
});

describe("what the protocol sets", () => {
  const pr = series(BASE, [at(day(56), S.PR), at(day(91), S.SD_AFTER_PR)]);
  it("without confirmation, the best overall response is the unconfirmed one", async () => {
    const v = variantIr(["confirmation required after 4 wk", "confirmation not required"]);
    const r = ok(both(v, await compiledResponse(v, "response-noconfirm"), pr));
    expect([r.bor!.bor, r.bor!.confirmationRequired]).toEqual(["PR", false]);
    expect(ok(both(ir, mod, pr)).bor!.bor).toBe("SD");
  });
  it("another 'too small to measure' default is used for the sum and the lesion change", async () => {
    const v = variantIr(["too small to measure 5 mm", "too small to measure 0.4 cm"]);
    const r = ok(
      both(
        v,
        await compiledResponse(v, "response-toosmall"),
        series(BASE.slice(0, 2), [at(day(56), { L1: { too_small_to_measure: true }, L2: 0 })]),
      ),
    );
    expect([r.timePoints[0]!.recist!.sumMm, r.timePoints[0]!.lesions[0]!.value]).toEqual(["4", "4"]);
  });
  it("without D0 the time points are assessed but the best overall response says what is missing", () => {
    const s = { ...pr, anchors: {} };
    const r = ok(both(ir, mod, s));
    expect([r.bor, r.missing, r.timePoints[0]!.recist!.response]).toEqual([null, ["anchor D0"], "PR"]);
    expect(ok(both(ir, mod, s, { D0: "2024-01-01" })).bor!.bor).toBe("SD");
  });
  it("SD counts only from 42 days after D0: a single SD at day 41 is NE, at day 42 SD", () => {
    const sd = (d: number) => ok(both(ir, mod, series(BASE, [at(day(d), S.SD_AFTER_PR)]))).bor!.bor;
    expect([sd(41), sd(42)]).toEqual(["NE", "SD"]);
  });
});
