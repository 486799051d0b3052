/**
 * Properties of planning, over random schedule protocols, start dates and histories
 * (see arbitraries.ts):
 * - every cycle's window is the spacing from the previous injection (recorded, else
 *   planned), computed here with Temporal as an independent oracle, and its target
 *   lies in it;
 * - windows never invert: low <= target <= high for every visit, or the plan is refused
 *   with a protocol error naming the empty window (days and months mixed);
 * - nothing is planned at or after a stop;
 * - statuses follow from the window, the recorded date and the as-of date, with exact
 *   day counts; the next due visit is the upcoming one with the earliest window;
 * - recording a later cycle never moves an earlier cycle's windows;
 * - a history broken in one place (cycle beyond the plan, unknown visit, injections
 *   swapped, a visit before its injection) is refused with that event's path;
 * - the compiled modules agree with the interpreter.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { planSchedule } from "../../src/interpret/schedule.js";
import type { IrProtocol } from "../../src/ir/types.js";
import type { ScheduleOutcome, ScheduleResult } from "../../src/runtime/schedule.js";
import { writeGenerated } from "../generated.js";
import {
  addDays,
  daysFrom,
  history,
  oracleShift,
  scheduleProtocol,
  startDate,
  type PlanShape,
  type RandomSchedule,
} from "./arbitraries.js";

const RUNS = { numRuns: 300 };

function compile(p: RandomSchedule): IrProtocol {
  const r = compileText(p.text, "random.trial");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

const shapeOf = (r: ScheduleResult): PlanShape => ({ injection: r.treatment!.visit, visits: r.visits });

/** A random protocol, start, and a history made for the plan without events. */
const scenario = fc.gen().map((g) => {
  const p = g(() => scheduleProtocol);
  const ir = compile(p);
  const start = g(() => startDate);
  const empty = planSchedule(ir, start);
  if (!empty.ok) return { p, ir, start, empty, events: [] as unknown[], asOf: undefined as string | undefined };
  const h = history(g, start, p.cycles, shapeOf(empty.result));
  return { p, ir, start, empty, events: h.events as unknown[], asOf: h.asOf };
});

const refusedForEmptyWindow = (o: ScheduleOutcome) =>
  !o.ok && o.errors.every((e) => e.input === "protocol" && /is empty/.test(e.message));

describe("schedule properties", () => {
  it("plans every cycle in its spacing window, never inverts a window, and plans nothing after a stop", () => {
    fc.assert(
      fc.property(scenario, ({ p, ir, start, empty, events, asOf }) => {
        if (!empty.ok) return void expect(refusedForEmptyWindow(empty)).toBe(true);
        const o = planSchedule(ir, start, events, asOf ? { asOf } : {});
        if (!o.ok) return void expect(refusedForEmptyWindow(o), JSON.stringify(o.errors)).toBe(true);
        const r = o.result;
        const stop = r.stop?.beforeCycle ?? Infinity;
        expect(r.cycles.length).toBe(Math.min(p.cycles, stop - 1));
        r.cycles.forEach((c, i) => {
          if (i === 0) return void expect([c.window.low, c.target, c.window.high]).toEqual([start, start, start]);
          const prev = r.cycles[i - 1]!;
          const base = prev.date ?? prev.target;
          expect(c.after).toEqual({ cycle: prev.cycle, date: base, recorded: prev.date !== null });
          expect(c.window).toEqual({ low: oracleShift(base, p.spacing[0]), high: oracleShift(base, p.spacing[1]) });
        });
        for (const v of [...r.visits, ...r.cycles]) {
          expect(v.window.low <= v.target && v.target <= v.window.high, JSON.stringify(v)).toBe(true);
          if (v.cycle !== null) expect(v.cycle).toBeLessThan(stop);
        }
        // Each cycle's visits are planned from that cycle's injection, recorded or planned.
        for (const v of r.visits)
          if (v.cycle !== null && v.visit !== r.treatment!.visit)
            expect(v.from.date).toBe(r.cycles[v.cycle - 1]!.date ?? r.cycles[v.cycle - 1]!.target);
      }),
      RUNS,
    );
  });

  it("derives every status from the window, the recorded date and the as-of date; the next due is the earliest upcoming", () => {
    fc.assert(
      fc.property(scenario, ({ ir, start, empty, events, asOf }) => {
        if (!empty.ok) return;
        const o = planSchedule(ir, start, events, asOf ? { asOf } : {});
        if (!o.ok) return;
        const r = o.result;
        const recorded = new Map(
          (events as { visit: string; cycle?: number; date?: string; status?: string }[]).map((e) => [
            `${e.visit}#${e.cycle ?? ""}`,
            e,
          ]),
        );
        const today = r.asOf?.date;
        for (const v of r.visits) {
          const e = recorded.get(`${v.visit}#${v.cycle ?? ""}`);
          if (e?.status === "not_done") expect(v.status).toBe("missed");
          else if (e?.date) {
            expect(v.date).toBe(e.date);
            if (e.date < v.window.low)
              expect([v.status, v.deviationDays]).toEqual(["early", daysFrom(e.date, v.window.low)]);
            else if (e.date > v.window.high)
              expect([v.status, v.deviationDays]).toEqual(["late", daysFrom(v.window.high, e.date)]);
            else expect(v.status).toBe("done");
          } else expect(v.status).toBe(today !== undefined && today > v.window.high ? "missed" : "upcoming");
        }
        const upcoming = r.visits.filter((v) => v.status === "upcoming");
        if (!upcoming.length) expect(r.next).toBeNull();
        else {
          expect(r.next!.window.low).toBe(upcoming.map((v) => v.window.low).sort()[0]);
          expect(r.next!.dueNow).toBe(
            today !== undefined && r.next!.window.low <= today && today <= r.next!.window.high,
          );
        }
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      }),
      RUNS,
    );
  });

  it("recording the next injection never moves an earlier cycle's windows", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -20, max: 20 }), ({ ir, start, empty, events }, shift) => {
        if (!empty.ok) return;
        const before = planSchedule(ir, start, events);
        if (!before.ok) return;
        const r = before.result;
        const next = r.cycles.find((c) => c.date === null);
        const last = [...r.cycles].reverse().find((c) => c.date !== null);
        if (!next || !last || r.stop) return;
        const date = addDays(next.target, shift);
        if (date <= last.date!) return;
        const after = planSchedule(ir, start, [...events, { visit: r.treatment!.visit, cycle: next.cycle, date }]);
        if (!after.ok) return void expect(refusedForEmptyWindow(after)).toBe(true);
        const earlier = (x: ScheduleResult) =>
          x.visits.filter((v) => v.cycle === null || v.cycle < next.cycle).map((v) => [v.visit, v.cycle, v.window]);
        expect(earlier(after.result)).toEqual(earlier(r));
        expect(after.result.cycles[next.cycle - 1]!.window).toEqual(next.window);
      }),
      RUNS,
    );
  });

  it("refuses a history broken in one place, naming that event", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ p, ir, start, empty, events }, pick) => {
        if (!empty.ok) return;
        const list = events as Record<string, unknown>[];
        const inj = empty.result.treatment!.visit;
        const given = list
          .filter((e) => e.visit === inj && e.status === undefined)
          .sort((a, b) => (a.cycle as number) - (b.cycle as number));
        const breaks: [string, (e: Record<string, unknown>[]) => number][] = [
          ["cycle beyond the plan", (e) => e.push({ visit: "post", cycle: p.cycles + 1, date: start }) - 1],
          ["unknown visit", (e) => e.push({ visit: "postt", cycle: 1, date: start }) - 1],
          ["unknown field", (e) => e.push({ visit: "post", cycle: 1, dte: start }) - 1],
        ];
        if (given.length >= 3)
          breaks.push([
            "injections out of order",
            (e) => {
              // The copy keeps the original's positions.
              const i = list.indexOf(given[2]!);
              e[i] = { ...given[2]!, date: given[1]!.date };
              return i;
            },
          ]);
        const post = empty.result.visits.find((v) => v.visit === "post" && v.cycle === 1)!;
        if (given.length >= 1 && post.window.low >= post.from.date)
          breaks.push([
            "visit before its injection",
            (e) => {
              const others = e.filter((x) => !(x.visit === "post" && x.cycle === 1));
              e.splice(0, e.length, ...others);
              return e.push({ visit: "post", cycle: 1, date: addDays(start, -1) }) - 1;
            },
          ]);
        const [what, apply] = breaks[pick % breaks.length]!;
        const broken = list.map((e) => ({ ...e }));
        const index = apply(broken);
        const o = planSchedule(ir, start, broken);
        expect(o.ok, what).toBe(false);
        // With a spacing that mixes days and months (29 d to 1 mo), the dates the broken
        // history leads to can leave a later window empty: the protocol is refused first.
        if (refusedForEmptyWindow(o)) return;
        if (!o.ok)
          expect(
            o.errors.map((e) => e.path.match(/^\$\[(\d+)\]/)?.[1]),
            what,
          ).toContain(String(index));
      }),
      RUNS,
    );
  });

  it("the compiled schedule.ts agrees with the interpreter", async () => {
    const protocols = fc.sample(scheduleProtocol, { numRuns: 5, seed: 42 });
    for (const [i, p] of protocols.entries()) {
      const ir = compile(p);
      const dir = writeGenerated(ir, `schedule-random-${i}`);
      const mod = (await import(join(dir, "schedule.ts"))) as {
        planSchedule: (s: string, e?: unknown, o?: object) => ScheduleOutcome;
      };
      fc.assert(
        fc.property(startDate, fc.gen(), (start, g) => {
          const empty = planSchedule(ir, start);
          const h = empty.ok ? history(g, start, p.cycles, shapeOf(empty.result)) : { events: [], asOf: undefined };
          const opts = h.asOf ? { asOf: h.asOf } : {};
          expect(mod.planSchedule(start, h.events, opts)).toEqual(
            JSON.parse(JSON.stringify(planSchedule(ir, start, h.events, opts))),
          );
        }),
        { numRuns: 40 },
      );
    }
  });
});
