/**
 * Random schedules for the property tests: protocols with random cycle counts,
 * spacings (weeks, days, months, and one mix of days and months that can come out
 * empty), visits before D0, after and before each injection (hours included), with or
 * without an injection visit of their own; start dates around month ends and leap
 * days; and event histories that a real course could produce (injections in order,
 * visits after their injection, some visits not done, sometimes a stop).
 *
 * The oracle for calendar arithmetic is written here with Temporal directly, apart
 * from the run time it checks.
 */
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";

export interface RandomSchedule {
  text: string;
  cycles: number;
  spacing: [Dur, Dur];
  /** Whether the protocol declares its own `each cycle at cycle` injection visit. */
  ownInjection: boolean;
}

/** A duration as the protocol writes it. */
export type Dur = { n: number; unit: "d" | "wk" | "mo" };

const SPACINGS: [Dur, Dur][] = [
  [
    { n: 11, unit: "wk" },
    { n: 13, unit: "wk" },
  ],
  [
    { n: 1, unit: "wk" },
    { n: 2, unit: "wk" },
  ],
  [
    { n: 28, unit: "d" },
    { n: 35, unit: "d" },
  ],
  [
    { n: 1, unit: "mo" },
    { n: 2, unit: "mo" },
  ],
  [
    { n: 3, unit: "wk" },
    { n: 1, unit: "mo" },
  ],
  [
    { n: 21, unit: "d" },
    { n: 21, unit: "d" },
  ],
  // Can come out empty: 29 days after 31 January is after one month after it.
  [
    { n: 29, unit: "d" },
    { n: 1, unit: "mo" },
  ],
];

const POST = [
  "cycle + 1 d and cycle + 7 d",
  "cycle + 4 h and cycle + 2 d",
  "cycle + 2 wk and cycle + 1 mo",
  "cycle and cycle + 3 d",
];

const text = (d: Dur) => `${d.n} ${d.unit}`;

/** A random schedule protocol. */
export const scheduleProtocol: fc.Arbitrary<RandomSchedule> = fc
  .record({
    cycles: fc.integer({ min: 1, max: 6 }),
    spacing: fc.constantFrom(...SPACINGS),
    ownInjection: fc.boolean(),
    post: fc.constantFrom(...POST),
    pre: fc.boolean(),
    precycle: fc.boolean(),
  })
  .map(({ cycles, spacing, ownInjection, post, pre, precycle }) => ({
    cycles,
    spacing,
    ownInjection,
    text: `trial "RND-S" { title "Random schedule" }
source seed "generated" protocol
anchor inclusion "Inclusion"
anchor D0 "First dose"
anchor cycle "Each dose" repeating
form f "Form"
data {
  used: boolean "Used" form f
  last_dose: datetime "Last dose" form f
}
schedule {
  treatment tx "Treatment X" {
    dose 2 GBq
    cycles ${cycles}
    first at D0
    spacing ${text(spacing[0])} to ${text(spacing[1])}
  }
${pre ? '  visit pre "Screening" between D0 - 4 wk and D0 - 1 d { procedures "labs" }\n' : ""}${ownInjection ? '  visit inj "Injection" each cycle at cycle { procedures "dose" }\n' : ""}  visit post "After" each cycle between ${post} { procedures "scan" }
${precycle ? '  visit precycle "Before" each cycle between cycle - 7 d and cycle - 1 d { procedures "bloods" }\n' : ""}  require r1 "No dose within 48 h" each cycle {
    rule if used then last_dose at least 48 h before cycle
  }
}
`,
  }));

/** Start dates that stress the calendar: month ends, 29 February, year ends. */
export const startDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("2027-01-31", "2028-02-29", "2027-12-31", "2024-01-29", "2027-03-31", "2027-08-31"),
  fc
    .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

/** `date + n × unit`, calendar-correct (months constrained to the month's last day). */
export function oracleShift(date: string, d: Dur, sign: 1 | -1 = 1): string {
  const p = Temporal.PlainDate.from(date);
  const amount = sign * d.n;
  return (
    d.unit === "mo"
      ? p.add({ months: amount }, { overflow: "constrain" })
      : p.add({ days: d.unit === "wk" ? 7 * amount : amount })
  ).toString();
}

export const addDays = (date: string, n: number) => Temporal.PlainDate.from(date).add({ days: n }).toString();
export const daysFrom = (a: string, b: string) =>
  Temporal.PlainDate.from(a).until(Temporal.PlainDate.from(b), { largestUnit: "days" }).days;

/** What the generator needs of a plan: the visits per cycle, and the injection visit's name. */
export interface PlanShape {
  injection: string;
  visits: { visit: string; cycle: number | null; window: { low: string; high: string }; from: { date: string } }[];
}

/**
 * A plausible history: `given` injections, each 1 to 120 days after the previous one;
 * each other visit of a given cycle on or after its injection (or, for visits before
 * the injection, on or after the previous one); some visits not done; a stop after
 * the last given cycle now and then. `plan` is the plan with no events (for the visits).
 */
export function history(g: fc.GeneratorValue, start: string, cycles: number, plan: PlanShape) {
  const given = g(fc.integer, { min: 0, max: cycles });
  const events: Record<string, unknown>[] = [];
  const injections: string[] = [];
  for (let k = 1; k <= given; k++)
    injections.push(k === 1 ? start : addDays(injections[k - 2]!, g(fc.integer, { min: 1, max: 120 })));
  injections.forEach((date, i) => {
    const data = g(fc.boolean)
      ? { data: { used: true, last_dose: `${addDays(date, -g(fc.integer, { min: 1, max: 4 }))}T08:00` } }
      : {};
    events.push({ visit: plan.injection, cycle: i + 1, date, ...data });
  });
  for (const v of plan.visits) {
    if (v.visit === plan.injection || v.cycle === null || v.cycle > given || !g(fc.boolean)) continue;
    const inj = injections[v.cycle - 1]!;
    const after = v.window.low >= v.from.date;
    // A visit before its injection lies between the previous injection (or 7 days before D0) and it.
    const floor = after ? inj : v.cycle === 1 ? addDays(start, -7) : injections[v.cycle - 2]!;
    const date = after
      ? addDays(inj, g(fc.integer, { min: 0, max: 100 }))
      : addDays(inj, -g(fc.integer, { min: 0, max: Math.max(0, daysFrom(floor, inj)) }));
    events.push(
      g(fc.integer, { min: 0, max: 9 }) === 0
        ? { visit: v.visit, cycle: v.cycle, status: "not_done", reason: "patient unwell" }
        : { visit: v.visit, cycle: v.cycle, date },
    );
  }
  const pre = plan.visits.find((v) => v.cycle === null);
  if (pre && g(fc.boolean))
    events.push({ visit: pre.visit, date: addDays(start, -g(fc.integer, { min: 1, max: 40 })) });
  if (given < cycles && given >= 1 && g(fc.integer, { min: 0, max: 3 }) === 0)
    events.push({
      visit: plan.injection,
      cycle: given + 1,
      status: "stopped",
      reason: "toxicity",
      date: addDays(injections[given - 1]!, g(fc.integer, { min: 0, max: 60 })),
    });
  // Events may come in any order.
  const shuffled = g(fc.shuffledSubarray, events, { minLength: events.length, maxLength: events.length });
  const dates = events
    .map((e) => e.date as string | undefined)
    .filter((d): d is string => !!d)
    .sort();
  const asOf = g(fc.boolean) ? undefined : addDays(dates.at(-1) ?? start, g(fc.integer, { min: 0, max: 200 }));
  return { events: shuffled, asOf };
}
