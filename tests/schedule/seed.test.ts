/**
 * The seed protocol's schedule: the full 4-cycle calendar from a start date (windows
 * checked by hand: 11 to 13 weeks is 77 to 91 days), the sample event files of
 * `protocols/schedules/` with their statuses, deviations and errors, the requirements
 * before each cycle, the treatment day, and the generated module giving the same
 * results as the interpreter for every sample.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { planSchedule } from "../../src/interpret/schedule.js";
import type { IrProtocol } from "../../src/ir/types.js";
import type { ScheduleOutcome, ScheduleResult } from "../../src/runtime/schedule.js";
import { writeGenerated } from "../generated.js";

const SEED = "protocols/lu177-octreotate.trial";
const events = (name: string): unknown => JSON.parse(readFileSync(`protocols/schedules/${name}.json`, "utf8"));
const patient = (name: string): unknown => JSON.parse(readFileSync(`protocols/patients/${name}.json`, "utf8"));

type PlanFn = (start: string, events?: unknown, options?: object) => ScheduleOutcome;
let ir: IrProtocol;
let compiled: PlanFn;

beforeAll(async () => {
  ir = compileFile(SEED).ir!;
  const dir = writeGenerated(ir, "schedule-seed");
  compiled = ((await import(join(dir, "schedule.ts"))) as { planSchedule: PlanFn }).planSchedule;
});

/** Plan with both the interpreter and the compiled module; they must agree exactly. */
function plan(start: string, ev?: unknown, options: object = {}): ScheduleOutcome {
  const interpreted = planSchedule(ir, start, ev, options);
  expect(compiled(start, ev ?? [], options)).toEqual(JSON.parse(JSON.stringify(interpreted)));
  return interpreted;
}

function ok(o: ScheduleOutcome): ScheduleResult {
  if (!o.ok) throw new Error(JSON.stringify(o.errors));
  return o.result;
}

const rows = (r: ScheduleResult) =>
  r.visits.map((v) => [v.visit, v.cycle, v.target, v.window.low, v.window.high, v.status]);

describe("the seed schedule from 2027-01-04", () => {
  it("plans all 4 cycles 11 to 13 weeks apart, with every visit's window", () => {
    const r = ok(plan("2027-01-04"));
    expect(r.cycles.map((c) => [c.cycle, c.window.low, c.target, c.window.high])).toEqual([
      [1, "2027-01-04", "2027-01-04", "2027-01-04"],
      [2, "2027-03-22", "2027-03-29", "2027-04-05"],
      [3, "2027-06-14", "2027-06-21", "2027-06-28"],
      [4, "2027-09-06", "2027-09-13", "2027-09-20"],
    ]);
    expect(rows(r)).toEqual([
      ["screening", null, "2026-12-20", "2026-12-07", "2027-01-03", "upcoming"],
      ["treatment", 1, "2027-01-04", "2027-01-04", "2027-01-04", "upcoming"],
      ["dosimetry", 1, "2027-01-08", "2027-01-05", "2027-01-11", "upcoming"],
      ["evaluation", 1, "2027-03-18", "2027-03-15", "2027-03-22", "upcoming"],
      ["treatment", 2, "2027-03-29", "2027-03-22", "2027-04-05", "upcoming"],
      ["dosimetry", 2, "2027-04-02", "2027-03-30", "2027-04-05", "upcoming"],
      ["evaluation", 2, "2027-06-10", "2027-06-07", "2027-06-14", "upcoming"],
      ["treatment", 3, "2027-06-21", "2027-06-14", "2027-06-28", "upcoming"],
      ["dosimetry", 3, "2027-06-25", "2027-06-22", "2027-06-28", "upcoming"],
      ["evaluation", 3, "2027-09-02", "2027-08-30", "2027-09-06", "upcoming"],
      ["treatment", 4, "2027-09-13", "2027-09-06", "2027-09-20", "upcoming"],
      ["dosimetry", 4, "2027-09-17", "2027-09-14", "2027-09-20", "upcoming"],
      ["evaluation", 4, "2027-11-25", "2027-11-22", "2027-11-29", "upcoming"],
    ]);
    expect(r.next).toMatchObject({
      visit: "screening",
      window: { low: "2026-12-07", high: "2027-01-03" },
      dueNow: false,
    });
    expect(r.asOf).toBeNull();
    expect(r.treatment).toMatchObject({
      dose: "7.4 GBq (tolerance 10 %)",
      cycles: 4,
      spacing: "11 wk to 13 wk",
      firstAt: "D0",
      visit: "treatment",
    });
  });

  it("computes the treatment day and says the steps do not add up to the stated 4 to 6 h", () => {
    const day = ok(plan("2027-01-04")).day!;
    expect(day.steps.map((s) => [s.name, s.start, s.order, s.end])).toEqual([
      ["premedication", null, "before amino_acids", null],
      ["amino_acids", { min: "0", max: "0" }, null, null],
      ["lu_infusion", { min: "30", max: "30" }, null, { min: "45", max: "60" }],
      ["amino_acids_continued", { min: "45", max: "60" }, null, { min: "225", max: "360" }],
    ]);
    expect(day.stated).toEqual({ min: "240", max: "360" });
    expect(day.computed).toEqual({ min: "225", max: "360" });
    expect(day.note).toContain("3 h 45 min to 6 h");
  });
});

describe("sample event files", () => {
  it("a visit that does not apply to the patient says why, has no date, and is never a deviation", () => {
    const pregnancy = (e: object) =>
      plan("2027-01-18", [{ visit: "pregnancy", ...e }], { anchors: { inclusion: "2027-01-04" } });
    const na = ok(pregnancy({ status: "not_applicable", reason: "male patient" }));
    expect(na.visits[0]).toMatchObject({ visit: "pregnancy", status: "not_applicable", note: "male patient" });
    expect(na.deviations).toEqual([]);
    // Without a record it is missed once its window has passed: a deviation.
    expect(
      ok(plan("2027-01-18", [], { anchors: { inclusion: "2027-01-04" }, asOf: "2027-01-10" })).deviations[0],
    ).toMatch(/^pregnancy \(Before inclusion\): missed, nothing recorded, window 2026-12-07 to 2027-01-04$/);
    const bad = pregnancy({ status: "not_applicable", date: "2027-01-01" });
    expect(bad.ok ? [] : bad.errors.map((e) => [e.path, e.message])).toEqual([
      ["$[0].reason", 'say why the visit does not apply to this patient (e.g. "male patient")'],
      ["$[0].date", "a visit that does not apply has no date"],
    ]);
  });

  it("normal course with one late visit: everything done, one deviation, nothing left", () => {
    const r = ok(plan("2027-01-18", events("normal-course"), { patient: patient("eligible") }));
    expect(
      r.visits.filter((v) => v.status !== "done").map((v) => [v.visit, v.cycle, v.status, v.deviationDays]),
    ).toEqual([
      ["pregnancy", null, "not_applicable", null],
      ["dosimetry", 2, "late", 2],
    ]);
    expect(r.deviations).toEqual([
      "dosimetry cycle 2 (Post-treatment SPECT/CT dosimetry): late by 2 days, done 2027-04-21, window 2027-04-13 to 2027-04-19",
    ]);
    expect(r.next).toBeNull();
    expect(r.asOf).toEqual({ date: "2027-12-08", from: "last event" });
    // Cycle 3 is measured from cycle 2's recorded date (2027-04-12), not its target.
    expect(r.cycles[2]).toMatchObject({
      after: { cycle: 2, date: "2027-04-12", recorded: true },
      window: { low: "2027-06-28", high: "2027-07-12" },
    });
    expect(r.requirements.map((q) => [q.name, q.cycle, q.verdict])).toEqual([
      ["ssa_long", null, "met"],
      ["baseline", null, "met"],
      ["pregnancy_test", null, "met"],
      ["ssa_short", 1, "met"],
      ["ssa_short", 2, "met"],
      ["ssa_short", 3, "met"],
      ["ssa_short", 4, "met"],
    ]);
    expect(r.requirements.find((q) => q.name === "ssa_short" && q.cycle === 3)!.steps.at(-1)!.detail).toBe(
      "2027-07-02T08:00 <= 2027-07-03T00:00 (2027-07-05 - 48 h)",
    );
  });

  it("in progress: a missed and an early visit, the next injection due now", () => {
    const r = ok(plan("2027-01-04", events("in-progress"), { asOf: "2027-03-25" }));
    const status = Object.fromEntries(r.visits.map((v) => [`${v.visit}${v.cycle ?? ""}`, v.status]));
    expect(status).toMatchObject({
      screening: "done",
      treatment1: "done",
      dosimetry1: "missed",
      evaluation1: "early",
      treatment2: "upcoming",
    });
    expect(r.visits.find((v) => v.visit === "evaluation" && v.cycle === 1)!.deviationDays).toBe(3);
    expect(r.next).toEqual({
      visit: "treatment",
      label: "177Lu-octreotate injection",
      cycle: 2,
      target: "2027-03-29",
      window: { low: "2027-03-22", high: "2027-04-05" },
      dueNow: true,
    });
  });

  it("stopped before cycle 3: no cycle 3 or 4, nor their visits", () => {
    const r = ok(plan("2027-01-04", events("stopped")));
    expect(r.stop).toEqual({
      beforeCycle: 3,
      date: "2027-06-14",
      reason: "cumulative kidney dose has reached the limit (kidney_limit)",
    });
    expect(r.cycles.map((c) => c.cycle)).toEqual([1, 2]);
    expect(Math.max(...r.visits.map((v) => v.cycle ?? 0))).toBe(2);
    expect(r.requirements.filter((q) => q.cycle !== null).map((q) => q.cycle)).toEqual([1, 2]);
    expect(r.next).toBeNull();
  });

  it("rejects bad events with the JSON path of every problem, in file order", () => {
    const bad = plan("2027-01-04", events("invalid-events"));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => [e.input, e.path])).toEqual([
      ["events", "$[1].cycle"],
      ["events", "$[2].visit"],
      ["events", "$[3].cycle"],
      ["events", "$[4].date"],
      ["events", "$[5].date"],
    ]);
    expect(bad.errors[0]!.message).toBe("cycle 3 is recorded but cycle 2's injection is not");
    expect(bad.errors[1]!.message).toContain(
      'unknown visit "dosimetyr"; the protocol\'s visits are pregnancy, screening, treatment, dosimetry, evaluation',
    );
    expect(bad.errors[2]!.message).toBe("cycle 5 is beyond the plan: the protocol plans 4 cycles");
  });

  it("rejects injections out of order, and visits dated before D0 or before their injection", () => {
    const order = plan("2027-01-04", events("invalid-order"));
    expect(order).toEqual({
      ok: false,
      errors: [
        {
          input: "events",
          path: "$[2].date",
          message: "out of order: cycle 3 is dated 2027-03-20, not after cycle 2 (2027-03-29)",
        },
      ],
    });
    const early = plan("2027-01-04", events("invalid-before-d0"));
    expect(early.ok ? [] : early.errors.map((e) => e.path)).toEqual(["$[1].date", "$[3].date"]);
    expect(early.ok ? "" : early.errors[0]!.message).toBe(
      "2027-01-02 is before D0 (the start, 2027-01-04), but dosimetry is planned on or after it",
    );
  });
});

describe("requirements and reference dates", () => {
  it("evaluates requirements with the patient's data before cycle 1, and says what is missing later", () => {
    const r = ok(plan("2027-01-18", [], { patient: patient("eligible") }));
    const byCycle = r.requirements.map((q) => [q.name, q.cycle, q.before, q.verdict, q.missing]);
    expect(byCycle).toEqual([
      ["ssa_long", null, "2027-01-18", "met", []],
      ["baseline", null, "2027-01-18", "met", []],
      ["pregnancy_test", null, "2027-01-18", "met", []],
      ["ssa_short", 1, "2027-01-18", "met", []],
      ["ssa_short", 2, "2027-04-12", "unknown", ["last_short_acting_ssa", "short_acting_ssa_used"]],
      ["ssa_short", 3, "2027-07-05", "unknown", ["last_short_acting_ssa", "short_acting_ssa_used"]],
      ["ssa_short", 4, "2027-09-27", "unknown", ["last_short_acting_ssa", "short_acting_ssa_used"]],
    ]);
  });

  it("finds a short-acting SSA dose too close to a cycle", () => {
    const ev = [
      { visit: "treatment", cycle: 1, date: "2027-01-18" },
      {
        visit: "treatment",
        cycle: 2,
        date: "2027-04-12",
        data: { short_acting_ssa_used: true, last_short_acting_ssa: "2027-04-10T08:00" },
      },
    ];
    const q = ok(plan("2027-01-18", ev, { patient: patient("eligible") })).requirements.find((x) => x.cycle === 2)!;
    expect(q.verdict).toBe("not_met");
    expect(q.steps.at(-1)!.detail).toBe("2027-04-10T08:00 <= 2027-04-10T00:00 (2027-04-12 - 48 h)");
  });

  it("refuses patient data whose D0 contradicts the start, and bad patient data with its path", () => {
    const conflict = plan("2027-01-04", [], { patient: patient("eligible") });
    expect(conflict).toMatchObject({ ok: false, errors: [{ input: "patient", path: "$.anchors.D0" }] });
    const invalid = plan("2027-01-18", [], { patient: patient("invalid-data") });
    expect(invalid.ok).toBe(false);
    expect(invalid.ok ? [] : invalid.errors.every((e) => e.input === "patient" && e.path.startsWith("$."))).toBe(true);
  });

  it("refuses bad dates for the start, the as-of date and event data", () => {
    expect(plan("2027-02-30")).toMatchObject({ ok: false, errors: [{ input: "start", path: "start" }] });
    expect(plan("2027-01-04", [], { asOf: "today" })).toMatchObject({
      ok: false,
      errors: [{ input: "options", path: "asOf" }],
    });
    const ev = [{ visit: "treatment", cycle: 1, date: "2027-01-04", data: { platelets: { value: 100, unit: "kg" } } }];
    expect(plan("2027-01-04", ev)).toMatchObject({
      ok: false,
      errors: [{ input: "events", path: "$[0].data.platelets.unit" }],
    });
    expect(
      plan("2027-01-04", [{ visit: "treatment", cycle: 1, date: "2027-05-01" }], { asOf: "2027-04-01" }),
    ).toMatchObject({
      ok: false,
      errors: [{ path: "$[0].date", message: "2027-05-01 is after the as-of date 2027-04-01" }],
    });
    expect(plan("2027-01-04", { visit: "screening" })).toMatchObject({
      ok: false,
      errors: [{ path: "$", message: "events must be a JSON array of objects" }],
    });
  });

  it("asks for the start date a recorded first injection shows", () => {
    const r = plan("2027-01-04", [{ visit: "treatment", cycle: 1, date: "2027-01-06" }]);
    expect(r.ok ? "" : r.errors[0]!.message).toBe(
      "cycle 1 is given at D0, the start date 2027-01-04, but is recorded on 2027-01-06: plan from --start 2027-01-06",
    );
  });
});
