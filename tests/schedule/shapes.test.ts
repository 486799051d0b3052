/**
 * Schedules of other shapes than the seed's, each checked against dates worked out by
 * hand: calendar months from 31 January and 29 February, a spacing that comes out
 * empty, a treatment with no injection visit of its own, visits only (no treatment),
 * a visit that needs another reference date, hour offsets, and a treatment day whose
 * steps fit their total. The generated module agrees with the interpreter on each.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { planSchedule } from "../../src/interpret/schedule.js";
import type { ScheduleOutcome } from "../../src/runtime/schedule.js";
import { writeGenerated } from "../generated.js";

const HEAD = `trial "SHAPE" { title "Shapes" }
source seed "generated" protocol
anchor inclusion "Inclusion"
anchor D0 "First dose"
anchor cycle "Each dose" repeating
form f "Form"
data {
  x: boolean "X" form f
}
`;

let n = 0;
/** Compile `schedule { body }`, and return a planner that checks the generated module agrees. */
async function planner(body: string) {
  const r = compileText(`${HEAD}schedule {\n${body}\n}\n`, "shape.trial");
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const ir = r.ir!;
  const mod = (await import(join(writeGenerated(ir, `schedule-shape-${n++}`), "schedule.ts"))) as {
    planSchedule: (s: string, e?: unknown, o?: object) => ScheduleOutcome;
  };
  return (start: string, events: unknown[] = [], options: object = {}) => {
    const o = planSchedule(ir, start, events, options);
    expect(mod.planSchedule(start, events, options)).toEqual(JSON.parse(JSON.stringify(o)));
    return o;
  };
}

const windows = (o: ScheduleOutcome) =>
  o.ok
    ? o.result.visits.map((v) => `${v.visit}${v.cycle ?? ""} ${v.window.low}..${v.window.high} ${v.target}`)
    : o.errors;

describe("schedules of other shapes", () => {
  it("adds calendar months: from 31 January to the end of February, from 29 February in a leap year", async () => {
    const plan = await planner(`  treatment t "Monthly" { cycles 3 first at D0 spacing 1 mo to 2 mo }`);
    // 31 Jan + 1 mo = 28 Feb, + 2 mo = 31 Mar (2027 is not a leap year); the middle day of 28 Feb..31 Mar is 15 Mar.
    expect(windows(plan("2027-01-31"))).toEqual([
      "t1 2027-01-31..2027-01-31 2027-01-31",
      "t2 2027-02-28..2027-03-31 2027-03-15",
      "t3 2027-04-15..2027-05-15 2027-04-30",
    ]);
    expect(windows(plan("2028-01-31"))[1]).toBe("t2 2028-02-29..2028-03-31 2028-03-15");
    // A recorded cycle 2 on 29 Feb 2028: cycle 3 from it is 29 Mar to 29 Apr.
    const rec = plan("2028-01-31", [
      { visit: "t", cycle: 1, date: "2028-01-31" },
      { visit: "t", cycle: 2, date: "2028-02-29" },
    ]);
    expect(windows(rec)[2]).toBe("t3 2028-03-29..2028-04-29 2028-04-13");
    // The synthesised injection visit carries the treatment's name and label.
    expect(rec.ok && rec.result.visits[0]).toMatchObject({ visit: "t", label: "Monthly", procedures: ["Monthly"] });
  });

  it("refuses a spacing window that comes out empty, naming it", async () => {
    const plan = await planner(`  treatment t "T" { cycles 2 first at D0 spacing 29 d to 1 mo }`);
    expect(plan("2027-01-31")).toEqual({
      ok: false,
      errors: [
        {
          input: "protocol",
          path: "treatments.t",
          message:
            "the spacing window of cycle 2 is empty: 29 d to 1 mo after 2027-01-31 gives 2027-03-01 to 2027-02-28",
        },
      ],
    });
    expect(plan("2027-03-31").ok).toBe(true);
  });

  it("plans visits only, and asks for a reference date a visit needs instead of placing it", async () => {
    const plan = await planner(`  visit base "Baseline" between inclusion and inclusion + 2 wk { procedures "a" }
  visit late "Follow-up" between D0 + 6 mo and D0 + 7 mo { procedures "b" }`);
    const without = plan("2027-01-31");
    expect(windows(without)).toEqual(["late 2027-07-31..2027-08-31 2027-08-15"]);
    expect(without.ok && without.result.warnings).toEqual([
      {
        input: "options",
        path: "anchors.inclusion",
        message:
          "visit base (Baseline) is not planned: it is counted from inclusion; give that date (YYYY-MM-DD) to plan it",
      },
    ]);
    const o = plan("2027-01-31", [], { anchors: { inclusion: "2027-01-10" } });
    expect(windows(o)).toEqual(["base 2027-01-10..2027-01-24 2027-01-17", "late 2027-07-31..2027-08-31 2027-08-15"]);
    expect(o.ok && [o.result.treatment, o.result.cycles, o.result.requirements]).toEqual([null, [], []]);
    expect(plan("2027-01-31", [], { anchors: { D0: "2027-01-30" } })).toMatchObject({
      ok: false,
      errors: [{ path: "anchors.D0", message: "D0 is the start date: give it as the start" }],
    });
  });

  it("counts an offset in hours as its whole day, and times a day whose steps fit the total", async () => {
    const plan = await planner(`  treatment t "T" { cycles 1 first at D0 }
  day "Day" {
    step a "A" at 0 min lasting 1 h to 2 h
    step b "B" after a lasting 30 min to 1 h
    total 1 h to 4 h
  }
  visit check "Check" each cycle between cycle + 20 h and cycle + 30 h { procedures "c" }`);
    const o = plan("2027-12-31");
    // A date counts from 00:00: 20 h after it is 20:00 the same day, 30 h is 06:00 the next.
    expect(windows(o)).toEqual(["t1 2027-12-31..2027-12-31 2027-12-31", "check1 2027-12-31..2028-01-01 2027-12-31"]);
    expect(o.ok && o.result.day).toMatchObject({
      computed: { min: "90", max: "180" },
      stated: { min: "60", max: "240" },
      note: null,
    });
  });
});
