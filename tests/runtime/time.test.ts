import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { dec } from "../../src/runtime/decimal.js";
import {
  ageInYears,
  atLeastAfter,
  atLeastBefore,
  between,
  compareTime,
  daysBetween,
  formatTimePoint,
  parseDate,
  parseDateTime,
  shift,
  toDateTime,
  withinAfter,
  withinBefore,
  type Duration,
  type DurationUnit,
  type TimePoint,
} from "../../src/runtime/time.js";

const D = (s: string): TimePoint => ({ kind: "date", date: parseDate(s)! });
const DT = (s: string): TimePoint => ({ kind: "datetime", dateTime: parseDateTime(s)! });
const dur = (amount: string, unit: DurationUnit): Duration => ({ amount: dec(amount), unit });
const fmt = (tp: TimePoint) => formatTimePoint(tp);

describe("time: parsing", () => {
  it("parses strict dates and rejects impossible ones", () => {
    expect(parseDate("2024-02-29")?.toString()).toBe("2024-02-29");
    for (const bad of [
      "2023-02-30",
      "2023-02-29",
      "2024-13-01",
      "2024-04-31",
      "2024-2-1",
      "24-02-01",
      "2024-02-01T00:00",
      " 2024-02-01",
      "2024/02/01",
      "20240201",
      "+002024-02-01",
      "",
    ])
      expect(parseDate(bad), bad).toBeNull();
  });

  it("parses local date-times and refuses zones and offsets", () => {
    expect(parseDateTime("2024-03-08T08:30")?.toString()).toBe("2024-03-08T08:30:00");
    expect(parseDateTime("2024-03-08T08:30:15")?.second).toBe(15);
    for (const bad of [
      "2024-03-08T08:30Z",
      "2024-03-08T08:30+02:00",
      "2024-03-08T08:30:00.5",
      "2024-03-08 08:30",
      "2024-03-08T24:00",
      "2024-03-08T23:59:60",
      "2023-02-29T10:00",
      "2024-03-08",
    ])
      expect(parseDateTime(bad), bad).toBeNull();
  });
});

describe("time: shifting", () => {
  it("uses calendar months and years", () => {
    expect(fmt(shift(D("2024-02-29"), dur("12", "mo"), -1))).toBe("2023-02-28");
    expect(fmt(shift(D("2023-03-31"), dur("1", "mo"), 1))).toBe("2023-04-30");
    expect(fmt(shift(D("2024-01-31"), dur("1", "mo"), 1))).toBe("2024-02-29");
    expect(fmt(shift(D("2024-02-29"), dur("1", "a"), 1))).toBe("2025-02-28");
    expect(fmt(shift(DT("2024-01-31T10:15"), dur("1", "mo"), 1))).toBe("2024-02-29T10:15");
  });

  it("keeps dates for whole days and weeks, promotes for hours, minutes and fractional days", () => {
    expect(shift(D("2024-03-10"), dur("4", "wk"), -1)).toMatchObject({ kind: "date" });
    expect(fmt(shift(D("2024-03-10"), dur("4", "wk"), -1))).toBe("2024-02-11");
    expect(fmt(shift(D("2024-03-10"), dur("48", "h"), -1))).toBe("2024-03-08T00:00");
    expect(fmt(shift(D("2024-03-10"), dur("1.5", "d"), 1))).toBe("2024-03-11T12:00");
    expect(fmt(shift(DT("2024-03-10T08:00"), dur("0.5", "min"), 1))).toBe("2024-03-10T08:00:30");
    expect(fmt(shift(DT("2024-03-10T08:00"), dur("2.25", "h"), -1))).toBe("2024-03-10T05:45");
  });

  it("refuses fractional months, years and weeks", () => {
    expect(() => shift(D("2024-03-10"), dur("1.5", "mo"), 1)).toThrow(RangeError);
    expect(() => shift(D("2024-03-10"), dur("0.5", "a"), 1)).toThrow(RangeError);
    expect(() => shift(D("2024-03-10"), dur("2.5", "wk"), 1)).toThrow(RangeError);
    expect(() => shift(D("2024-03-10"), dur("1e-12", "min"), 1)).toThrow(RangeError);
    expect(() => shift(D("2024-03-10"), { amount: dec("1"), unit: "s" as DurationUnit }, 1)).toThrow(RangeError);
  });
});

describe("time: comparison, ages, days", () => {
  it("compares dates with date-times from 00:00", () => {
    expect(compareTime(D("2024-03-08"), DT("2024-03-08T00:00"))).toBe(0);
    expect(compareTime(D("2024-03-08"), DT("2024-03-08T00:01"))).toBe(-1);
    expect(compareTime(DT("2024-03-07T23:59"), D("2024-03-08"))).toBe(-1);
    expect(toDateTime(D("2024-03-08")).toString()).toBe("2024-03-08T00:00:00");
  });

  it("counts a 29 February birthday on 1 March in non-leap years", () => {
    const b = parseDate("2000-02-29")!;
    expect(ageInYears(b, parseDate("2018-02-28")!)).toBe(17);
    expect(ageInYears(b, parseDate("2018-03-01")!)).toBe(18);
    expect(ageInYears(b, parseDate("2020-02-28")!)).toBe(19);
    expect(ageInYears(b, parseDate("2020-02-29")!)).toBe(20);
    expect(ageInYears(parseDate("2000-06-15")!, parseDate("2018-06-14")!)).toBe(17);
    expect(ageInYears(parseDate("2000-06-15")!, parseDate("2018-06-15")!)).toBe(18);
    expect(ageInYears(b, b)).toBe(0);
    expect(() => ageInYears(b, parseDate("1999-12-31")!)).toThrow(RangeError);
  });

  it("counts days and formats ISO text", () => {
    expect(daysBetween(parseDate("2024-02-01")!, parseDate("2024-03-01")!)).toBe(29);
    expect(daysBetween(parseDate("2024-03-01")!, parseDate("2024-02-01")!)).toBe(-29);
    expect(fmt(DT("2024-03-08T08:30:15"))).toBe("2024-03-08T08:30:15");
  });
});

describe("time: closed windows", () => {
  const inclusion = D("2024-03-10");
  it("within 12 mo before: both ends included, one day outside excluded", () => {
    const w = (s: string) => withinBefore(D(s), dur("12", "mo"), inclusion);
    expect(w("2023-03-10")).toEqual({ result: true, bounds: { low: "2023-03-10", high: "2024-03-10" } });
    expect(w("2024-03-10").result).toBe(true);
    expect(w("2023-03-09").result).toBe(false);
    expect(w("2024-03-11").result).toBe(false);
  });

  it("within 4 wk after: both ends included", () => {
    const w = (s: string) => withinAfter(D(s), dur("4", "wk"), inclusion);
    expect(w("2024-03-10").result).toBe(true);
    expect(w("2024-04-07")).toEqual({ result: true, bounds: { low: "2024-03-10", high: "2024-04-07" } });
    expect(w("2024-04-08").result).toBe(false);
    expect(w("2024-03-09").result).toBe(false);
  });

  it("at least 48 h before a date counts from its 00:00", () => {
    const w = (tp: TimePoint) => atLeastBefore(tp, dur("48", "h"), inclusion);
    expect(w(DT("2024-03-08T00:00"))).toEqual({ result: true, bounds: { high: "2024-03-08T00:00" } });
    expect(w(DT("2024-03-08T00:01")).result).toBe(false);
    expect(w(D("2024-03-08")).result).toBe(true);
    expect(w(D("2024-03-09")).result).toBe(false);
  });

  it("at least after, and between, are inclusive", () => {
    expect(atLeastAfter(D("2024-05-26"), dur("77", "d"), inclusion)).toEqual({
      result: true,
      bounds: { low: "2024-05-26" },
    });
    expect(atLeastAfter(D("2024-05-25"), dur("77", "d"), inclusion).result).toBe(false);
    expect(between(D("2024-02-11"), D("2024-02-11"), D("2024-03-09")).result).toBe(true);
    expect(between(D("2024-03-09"), D("2024-02-11"), D("2024-03-09")).result).toBe(true);
    expect(between(D("2024-03-10"), D("2024-02-11"), D("2024-03-09")).result).toBe(false);
    expect(between(D("2024-02-10"), D("2024-02-11"), D("2024-03-09")).result).toBe(false);
  });
});

describe("time: properties", () => {
  const date = fc
    .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => Temporal.PlainDate.from(d.toISOString().slice(0, 10)));
  const wholeDur = fc
    .tuple(fc.integer({ min: 0, max: 5000 }), fc.constantFrom<DurationUnit>("d", "wk"))
    .map(([n, unit]) => dur(String(n), unit));

  it("shifting by +d then -d returns the date (d, wk)", () => {
    fc.assert(
      fc.property(date, wholeDur, (d, du) => {
        const tp: TimePoint = { kind: "date", date: d };
        expect(compareTime(shift(shift(tp, du, 1), du, -1), tp)).toBe(0);
      }),
    );
  });

  it("withinBefore is true exactly at both ends and false just outside", () => {
    const any = fc
      .tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom<DurationUnit>("d", "wk", "mo", "a", "h"))
      .map(([n, unit]) => dur(String(n), unit));
    fc.assert(
      fc.property(date, any, (d, du) => {
        const anchor: TimePoint = { kind: "date", date: d };
        const low = shift(anchor, du, -1);
        expect(withinBefore(low, du, anchor).result).toBe(true);
        expect(withinBefore(anchor, du, anchor).result).toBe(true);
        const tick = dur("1", "min");
        expect(withinBefore(shift(low, tick, -1), du, anchor).result).toBe(false);
        expect(withinBefore(shift(anchor, tick, 1), du, anchor).result).toBe(false);
      }),
    );
  });

  it("ageInYears is monotone non-decreasing in the reference date", () => {
    fc.assert(
      fc.property(date, date, date, (birth, x, y) => {
        const [a, b] = Temporal.PlainDate.compare(x, y) <= 0 ? [x, y] : [y, x];
        if (Temporal.PlainDate.compare(a, birth) < 0) return;
        expect(ageInYears(birth, a)).toBeLessThanOrEqual(ageInYears(birth, b));
      }),
      { numRuns: 1000 },
    );
  });

  it("ageInYears steps by exactly one on each birthday", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 100 }), (birth, n) => {
        const at = birth.add({ years: n }, { overflow: "constrain" });
        const bd = birth.month === 2 && birth.day === 29 && !at.inLeapYear ? at.add({ days: 1 }) : at;
        expect(ageInYears(birth, bd)).toBe(n);
        expect(ageInYears(birth, bd.subtract({ days: 1 }))).toBe(n - 1);
      }),
    );
  });
});

describe("time: shifts are remembered by value, never across different inputs", () => {
  // What shift() must give, written with Temporal directly (the semantics the examples above pin).
  const oracle = (tp: TimePoint, amount: string, unit: DurationUnit, sign: 1 | -1): string => {
    const n = Number(amount) * sign;
    const whole = Number.isInteger(Number(amount));
    if (unit === "mo" || unit === "a" || unit === "wk" || (unit === "d" && whole)) {
      const d = unit === "mo" ? { months: n } : unit === "a" ? { years: n } : { days: unit === "wk" ? 7 * n : n };
      return tp.kind === "date"
        ? tp.date.add(d, { overflow: "constrain" }).toString()
        : `${tp.dateTime.add(d, { overflow: "constrain" }).toString()}${tp.zone ?? ""}`;
    }
    const minutes = n * { min: 1, h: 60, d: 1440 }[unit];
    if (tp.kind === "datetime" && tp.zone)
      return `${tp.dateTime.toZonedDateTime(tp.zone, { disambiguation: "compatible" }).add({ minutes }).toPlainDateTime().toString()}${tp.zone}`;
    return toDateTime(tp).add({ minutes }).toString();
  };
  const shown = (tp: TimePoint): string =>
    tp.kind === "date" ? tp.date.toString() : `${tp.dateTime.toString()}${tp.zone ?? ""}`;

  // A small pool, so that the same fields come back as a date, as a date-time at 00:00,
  // with and without a zone (across the spring change in Brussels), and amounts repeat.
  const point = fc.constantFrom(
    (): TimePoint => D("2027-03-27"),
    (): TimePoint => DT("2027-03-27T00:00"),
    (): TimePoint => ({ kind: "datetime", dateTime: parseDateTime("2027-03-27T00:00")!, zone: "Europe/Brussels" }),
    (): TimePoint => ({ kind: "datetime", dateTime: parseDateTime("2027-03-29T09:00")!, zone: "Europe/Brussels" }),
    (): TimePoint => DT("2027-03-29T09:00"),
    (): TimePoint => D("2024-02-29"),
  );
  const amountUnit = fc.constantFrom<[string, DurationUnit]>(
    ["1", "d"],
    ["2", "d"],
    ["1.5", "d"],
    ["48", "h"],
    ["4", "wk"],
    ["1", "mo"],
    ["12", "mo"],
    ["1", "a"],
    ["90", "min"],
  );

  it("gives, in any order of calls, what Temporal gives for each input", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(point, amountUnit, fc.constantFrom<1 | -1>(1, -1)), { maxLength: 30 }), (calls) => {
        for (const [make, [amount, unit], sign] of calls) {
          const tp = make(); // a new object each time: the memory is by value
          const got = shift(tp, dur(amount, unit), sign);
          expect(shown(got), `${shown(tp)} ${sign > 0 ? "+" : "-"} ${amount} ${unit}`).toBe(
            oracle(tp, amount, unit, sign),
          );
          expect(got.kind).toBe(
            tp.kind === "date" && (unit === "wk" || unit === "mo" || unit === "a" || amount === "1" || amount === "2")
              ? "date"
              : "datetime",
          );
        }
      }),
    );
  });

  it("hands back the same frozen time point for the same shift", () => {
    const a = shift(D("2027-01-18"), dur("4", "wk"), -1);
    const b = shift(D("2027-01-18"), dur("4", "wk"), -1);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(fmt(a)).toBe("2026-12-21");
  });

  it("still refuses a bad duration every time it is asked", () => {
    for (let i = 0; i < 2; i++) expect(() => shift(D("2027-01-18"), dur("1.5", "wk"), 1)).toThrow(RangeError);
  });
});

describe("time: parsed texts are remembered", () => {
  it("reads a text once and gives the same value again; a refused text is refused again", () => {
    expect(parseDate("2027-01-18")).toBe(parseDate("2027-01-18"));
    expect(parseDateTime("2027-01-18T08:30")).toBe(parseDateTime("2027-01-18T08:30"));
    for (let i = 0; i < 2; i++) {
      expect(parseDate("2023-02-29")).toBeNull();
      expect(parseDateTime("2024-03-08T24:00")).toBeNull();
    }
  });

  it("gives each text its own value, in any order, past the memory's size", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1990, max: 2030 }),
            fc.integer({ min: 1, max: 12 }),
            fc.integer({ min: 1, max: 31 }),
          ),
          {
            maxLength: 200,
          },
        ),
        (days) => {
          for (const [y, m, d] of days) {
            const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
            const real = d <= new Temporal.PlainDate(y, m, 1).daysInMonth;
            expect(parseDate(text)?.toString() ?? null, text).toBe(real ? text : null);
          }
        },
      ),
    );
    // More texts than the memory keeps: it starts again, and still reads each right.
    for (let i = 0; i < 10_050; i++) {
      const day = Temporal.PlainDate.from("2000-01-01").add({ days: i });
      expect(parseDate(day.toString())?.equals(day)).toBe(true);
    }
  });
});
