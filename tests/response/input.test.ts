/**
 * Bad assessment data: where RECIST says what to do (a target not measured is NE) it is
 * done (see recist-tables.test.ts); an unknown field is a warning at its JSON path (as in
 * every data file); everything else is a clear error at its JSON path, and no response is
 * computed. Both evaluators must report exactly the same problems.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { IrProtocol } from "../../src/ir/types.js";
import {
  at,
  both,
  compiledResponse,
  day,
  errorPaths,
  len,
  lesion,
  node,
  ok,
  seedIr,
  series,
  type ResponseModule,
} from "./helpers.js";

let ir: IrProtocol;
let mod: ResponseModule;
beforeAll(async () => {
  ir = seedIr();
  mod = await compiledResponse(ir, "response-input");
});

const BASE = [lesion("L1", "liver", 30, true), lesion("L2", "lung", 20, true), lesion("B1", "bone", null, false)];
const fine = () => at(day(56), { L1: 20, L2: 14, B1: "present" });
/** Error paths and messages, for one invalid series. */
const errors = (s: unknown, options: Record<string, string> = {}) => {
  const o = both(ir, mod, s, options);
  expect(o.ok).toBe(false);
  return o.ok ? [] : o.errors;
};

describe("errors with JSON paths", () => {
  it("a duplicated lesion id: at baseline, within a time point, a new lesion reusing a baseline id", () => {
    expect(errorPaths(both(ir, mod, series([...BASE, lesion("L1", "kidney", 12, false)], [fine()])))).toEqual([
      "$.baseline.lesions[3].id",
    ]);
    const twice = at(day(56), { L1: 20, L2: 14, B1: "present" });
    twice.lesions.push({ id: "L2", longest_diameter: len(15) } as never);
    expect(errorPaths(both(ir, mod, series(BASE, [twice])))).toEqual(["$.time_points[0].lesions[3].id"]);
    const reuse = at(
      day(56),
      { L1: 20, L2: 14, B1: "present" },
      { new_lesions: [{ id: "B1", organ: "bone", unequivocal: true }] },
    );
    const e = errors(series(BASE, [reuse]));
    expect(e.map((x) => x.path)).toEqual(["$.time_points[0].new_lesions[0].id", "$.time_points[0].new_lesions[0].id"]);
    expect(e[1]!.message).toBe('new lesion "B1" reuses the id of a baseline lesion ($.baseline.lesions[2])');
  });

  it("a lesion whose organ changes, at follow-up or between two sightings of a new lesion", () => {
    const moved = at(day(56), {
      L1: { organ: "Liver ", longest_diameter: len(20) },
      L2: { organ: "pleura", longest_diameter: len(14) },
      B1: "present",
    });
    const e = errors(series(BASE, [moved]));
    expect(e).toEqual([
      {
        path: "$.time_points[0].lesions[1].organ",
        message: 'lesion "L2" is in lung at $.baseline.lesions[1] but in pleura here',
      },
    ]);
    const x = (organ: string, d: number) =>
      at(day(d), { L1: 20, L2: 14, B1: "present" }, { new_lesions: [{ id: "X", organ, unequivocal: false }] });
    expect(errorPaths(both(ir, mod, series(BASE, [x("liver", 56), x("spleen", 91)])))).toEqual([
      "$.time_points[1].new_lesions[0].organ",
    ]);
  });

  it("measurements in mixed units (cm and mm); one unit throughout is converted exactly", () => {
    const mixed = at(day(56), { L1: { longest_diameter: len("2.0", "cm") }, L2: 14, B1: "present" });
    const e = errors(series(BASE, [mixed]));
    expect(e).toEqual([
      {
        path: "$.time_points[0].lesions[0].longest_diameter.unit",
        message:
          '"cm" differs from "mm" used at $.baseline.lesions[0].longest_diameter: give every measurement of a series in one unit',
      },
    ]);
    const cm = (v: string) => ({ longest_diameter: len(v, "cm") });
    const allCm = series(
      [{ ...BASE[0]!, ...cm("3") }, { ...BASE[1]!, ...cm("2") }, BASE[2]!],
      [at(day(56), { L1: cm("2.1"), L2: cm("1.4"), B1: "present" })],
    );
    expect(ok(both(ir, mod, allCm)).timePoints[0]!.recist!.sumMm).toBe("35");
  });

  it("a misspelt field is a warning beside the NE it leads to, never a silently missing measurement", () => {
    const typo = at(day(56), { L1: { longest_diamter: len(20) }, L2: 14, B1: "present" });
    const r = ok(both(ir, mod, series(BASE, [typo])));
    expect(r.warnings).toEqual([
      {
        path: "$.time_points[0].lesions[0].longest_diamter",
        message: '"longest_diamter" is not a field of a lesion and was ignored',
      },
    ]);
    expect(r.timePoints[0]!.recist!.response).toBe("NE");
  });

  it("bad lengths: unknown unit, not a length, not a decimal, negative, implausible", () => {
    const bad = (v: Record<string, unknown>) =>
      errorPaths(both(ir, mod, series(BASE, [at(day(56), { L1: { longest_diameter: v }, L2: 14, B1: "present" })])));
    const p = "$.time_points[0].lesions[0].longest_diameter";
    expect(bad({ value: 20, unit: "mmm" })).toEqual([`${p}.unit`]);
    expect(bad({ value: 20, unit: "mL" })).toEqual([`${p}.unit`]);
    expect(bad({ value: "2,0", unit: "mm" })).toEqual([`${p}.value`]);
    expect(bad({ value: -1, unit: "mm" })).toEqual([`${p}.value`]);
    expect(bad({ value: 501, unit: "mm" })).toEqual([`${p}.value`]); // the protocol's range: 0 to 500 mm
    expect(bad({ value: 20 })).toEqual([`${p}.unit`]);
  });

  it("dates: impossible, twice the same, not after the baseline", () => {
    expect(errorPaths(both(ir, mod, series(BASE, [at("2024-02-30", { L1: 20 })])))).toEqual(["$.time_points[0].date"]);
    expect(errorPaths(both(ir, mod, series(BASE, [fine(), fine()])))).toEqual(["$.time_points[1].date"]);
    expect(errorPaths(both(ir, mod, series(BASE, [at("2023-12-20", { L1: 20 })])))).toEqual(["$.time_points[0].date"]);
    expect(errorPaths(both(ir, mod, series(BASE, [fine()], { D0: "2024-13-01" })))).toEqual(["$.anchors.D0"]);
    expect(errorPaths(both(ir, mod, series(BASE, [fine()]), { D0: "2024-01-02" }))).toEqual(["$.anchors.D0"]);
  });

  it("target selection that breaks RECIST 1.1 §4.2, or targets flagged for some lesions only", () => {
    const three = [lesion("L1", "liver", 30, true), lesion("L2", "liver", 20, true), lesion("L3", "liver", 15, true)];
    const e = errors(series(three, [at(day(56), { L1: 20, L2: 14, L3: 10 })]));
    expect(e.map((x) => x.path)).toEqual(["$.baseline.lesions[2]"]);
    expect(e[0]!.message).toContain("3 targets in liver (L1, L2, L3); at most 2 per organ");
    expect(errorPaths(both(ir, mod, series([lesion("L1", "liver", 9, true)], [at(day(56), { L1: 8 })])))).toEqual([
      "$.baseline.lesions[0]",
    ]);
    expect(
      errorPaths(
        both(
          ir,
          mod,
          series([lesion("L1", "liver", 30, true), lesion("L2", "lung", 20)], [at(day(56), { L1: 20, L2: 14 })]),
        ),
      ),
    ).toEqual(["$.baseline.lesions[1].target"]);
    const nodeWithoutShortAxis = {
      id: "N1",
      organ: "neck lymph node",
      node: true,
      target: true,
      longest_diameter: len(30),
    };
    expect(errors(series([nodeWithoutShortAxis], [at(day(56), { N1: 20 })]))).toEqual([
      {
        path: "$.baseline.lesions[0].short_axis",
        message: 'target "N1" needs its short axis (RECIST measures nodes by it) at baseline',
      },
    ]);
    expect(
      errorPaths(both(ir, mod, series([lesion("L1", "liver", 30, false)], [at(day(56), { L1: "present" })]))),
    ).toEqual(["$.baseline.lesions"]);
  });

  it("a follow-up that contradicts the lesion's role or RECIST's measurement rules", () => {
    const paths = (lesions: Record<string, unknown>) =>
      errorPaths(both(ir, mod, series(BASE, [at(day(56), lesions as never)])));
    expect(paths({ L1: "absent", L2: 14, B1: "present" })).toEqual(["$.time_points[0].lesions[0].status"]);
    expect(paths({ L1: 20, L2: 14, B1: { longest_diameter: len(10) } })).toEqual([
      "$.time_points[0].lesions[2].status",
    ]);
    expect(paths({ L1: { longest_diameter: len(3), too_small_to_measure: true }, L2: 14 })).toEqual([
      "$.time_points[0].lesions[0].too_small_to_measure",
    ]);
    expect(paths({ L1: { short_axis: len(3) }, L2: 14 })).toEqual(["$.time_points[0].lesions[0].short_axis"]);
    expect(paths({ L1: 20, L2: 14, Z9: 5 })).toEqual(["$.time_points[0].lesions[2].id"]);
  });

  it("not an assessment series at all", () => {
    expect(errorPaths(both(ir, mod, []))).toEqual(["$"]);
    expect(errorPaths(both(ir, mod, { baseline: { date: "2024-01-01", lesions: [] }, time_points: [] }))).toEqual([
      "$.baseline.lesions",
    ]);
  });
});

describe("warnings: data that change no decision but deserve a look", () => {
  it("a baseline more than 4 weeks before D0 (RECIST 1.1 §3.2)", () => {
    const s = { ...series(BASE, [fine()]), baseline: { date: "2023-12-01", lesions: BASE } };
    expect(ok(both(ir, mod, s)).warnings).toEqual([
      {
        path: "$.baseline.date",
        message:
          "baseline 2023-12-01 is 31 days before D0 2024-01-01: RECIST 1.1 §3.2 asks for baseline imaging no more than 4 weeks before treatment",
      },
    ]);
  });
  it("a normal node (< 10 mm) listed as a non-target is not followed", () => {
    const r = ok(both(ir, mod, series([...BASE, node("N9", 8, false)], [fine()])));
    expect(r.baseline!.lesions.find((l) => l.id === "N9")!.role).toBe("not_recorded");
    expect(r.warnings.map((w) => w.path)).toEqual(["$.baseline.lesions[3]"]);
  });
  it("a target node measured only by its longest diameter counts as not assessed (NE), with a warning", () => {
    const r = ok(
      both(ir, mod, series([lesion("L1", "liver", 30, true), node("N1", 20, true)], [at(day(56), { L1: 20, N1: 25 })])),
    );
    expect(r.timePoints[0]!.recist!.response).toBe("NE");
    expect(r.warnings.map((w) => w.path)).toEqual(["$.time_points[0].lesions[1]"]);
  });
});
