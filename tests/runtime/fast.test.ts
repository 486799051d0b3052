/**
 * The fast path's arithmetic equals the exact one: calendar dates as day numbers
 * against Temporal, calendar months and ages against `time.ts`, and the claim that two
 * numbers that are each exactly a shortest double compare as doubles exactly as they
 * compare as decimals (the reason thresholds and values can be plain numbers).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { dec, fromJsonNumber, readDecimal } from "../../src/runtime/decimal.js";
import {
  addMonths,
  age,
  amount,
  cmpRef,
  exactAsDouble,
  FALLBACK,
  parseDate,
  parseDateTime,
} from "../../src/runtime/fast.js";
import { ageInYears, parseDate as exactDate, parseDateTime as exactDateTime } from "../../src/runtime/time.js";

const EPOCH = Temporal.PlainDate.from("1970-01-01");
const seconds = (d: Temporal.PlainDate) => EPOCH.until(d, { largestUnit: "days" }).days * 86400;
const date = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const fastOrNull = (f: () => number) => {
  try {
    return f();
  } catch (e) {
    if (e === FALLBACK) return null;
    throw e;
  }
};

describe("fast calendar = Temporal", () => {
  it("parses exactly the dates time.ts parses, to the same day", () => {
    fc.assert(
      fc.property(date, (s) => {
        const d = exactDate(s);
        expect(fastOrNull(() => parseDate(s))).toBe(d ? seconds(d) : null);
      }),
      { numRuns: 3000 },
    );
    for (const bad of ["2023-02-29", "2024-13-01", "2024-1-01", " 2024-01-01", "2024-01-01T00:00"])
      expect(fastOrNull(() => parseDate(bad))).toBe(null);
  });

  it("accepts exactly the texts time.ts accepts when one character is changed (parsed by character codes)", () => {
    const text = fc.tuple(
      date,
      fc.boolean(),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom(..."0123456789-T:+ aZ/."), ([d, dt, h, m, sec], at, c) => {
        const p2 = (n: number) => String(n).padStart(2, "0");
        const full = dt ? `${d}T${p2(h)}:${p2(m)}${sec ? `:${p2(m)}` : ""}` : d;
        const k = at % full.length;
        const s = full.slice(0, k) + c + full.slice(k + 1);
        expect(fastOrNull(() => parseDate(s)) !== null, s).toBe(exactDate(s) !== null);
        expect(fastOrNull(() => parseDateTime(s)) !== null, s).toBe(exactDateTime(s) !== null);
      }),
      { numRuns: 3000 },
    );
  });

  it("parses date-times to the same second", () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.boolean(),
        (d, h, m, sec) => {
          const s = `${d}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}${sec ? ":" + String(m).padStart(2, "0") : ""}`;
          const x = exactDateTime(s);
          const expected = x ? seconds(x.toPlainDate()) + x.hour * 3600 + x.minute * 60 + x.second : null;
          expect(fastOrNull(() => parseDateTime(s))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("adds calendar months as Temporal does (the day constrained to the month)", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -40, max: 40 }), (s, n) => {
        const d = exactDate(s);
        if (!d) return;
        const exact = d.add({ months: n }, { overflow: "constrain" });
        expect(addMonths(seconds(d) + 3600, n)).toBe(seconds(exact) + 3600);
      }),
      { numRuns: 3000 },
    );
  });

  it("counts completed years as ageInYears does (29 February included)", () => {
    fc.assert(
      fc.property(date, date, (a, b) => {
        const [x, y] = [exactDate(a), exactDate(b)];
        if (!x || !y || Temporal.PlainDate.compare(x, y) > 0) return;
        expect(age(seconds(x), seconds(y))).toBe(ageInYears(x, y));
      }),
      { numRuns: 3000 },
    );
    expect(age(seconds(exactDate("2000-02-29")!), seconds(exactDate("2023-02-28")!))).toBe(22);
    expect(age(seconds(exactDate("2000-02-29")!), seconds(exactDate("2023-03-01")!))).toBe(23);
  });

  it("counts completed years right when many births share one reference date (which age remembers)", () => {
    // A cohort is screened on one inclusion date: age keeps that date's year and month-day
    // between calls. Alternating two reference dates (one in a leap year) checks that
    // what it keeps is never a stale one's.
    fc.assert(
      fc.property(fc.array(date, { minLength: 1, maxLength: 20 }), date, date, (births, r1, r2) => {
        const refs = [exactDate(r1), exactDate(r2), exactDate("2024-02-29"), exactDate("2023-02-28")];
        for (const b of births)
          for (const y of refs) {
            const x = exactDate(b);
            if (!x || !y || Temporal.PlainDate.compare(x, y) > 0) continue;
            expect(age(seconds(x), seconds(y))).toBe(ageInYears(x, y));
            expect(age(seconds(x), seconds(y))).toBe(ageInYears(x, y));
          }
      }),
      { numRuns: 500 },
    );
  });
});

describe("numbers: doubles decide exactly", () => {
  it("reads a decimal string as a number only when the number stands for exactly that decimal", () => {
    // amount() lets decimal text ("138", "120.0", as databases send it) take the fast path.
    // Whenever it gives a number, the exact path must read the same text as a decimal
    // equal to that number's shortest form; otherwise it must take the exact path.
    const digit = fc.constantFrom(..."0123456789");
    const digits = (max: number) => fc.array(digit, { minLength: 1, maxLength: max }).map((d) => d.join(""));
    const text = fc.oneof(
      // plain decimals, up to 22 digits, with leading and trailing zeros
      fc
        .tuple(fc.constantFrom("", "-"), digits(12), fc.option(digits(12)))
        .map(([s, i, f]) => (f === null ? `${s}${i}` : `${s}${i}.${f}`)),
      // near misses of the grammar, one character changed or added
      fc
        .tuple(digits(8), fc.constantFrom(".", "-", "+", "e", "E", " ", ",", "x", ""), fc.nat({ max: 9 }))
        .map(([d, c, at]) => d.slice(0, at) + c + d.slice(at)),
      fc.constantFrom(
        "",
        "-",
        ".",
        ".5",
        "5.",
        "-.5",
        "1e3",
        "1E-2",
        " 1",
        "1 ",
        "NaN",
        "Infinity",
        "0x10",
        "--1",
        "1.2.3",
      ),
    );
    fc.assert(
      fc.property(text, (t) => {
        let n: number | typeof FALLBACK;
        try {
          n = amount(t);
        } catch (e) {
          expect(e).toBe(FALLBACK);
          return;
        }
        const exact = readDecimal(t);
        expect(typeof exact, t).not.toBe("string");
        expect(fromJsonNumber(n).eq(exact as ReturnType<typeof dec>), t).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // Numbers the exact path refuses as out of range (a decimal exponent beyond ±100) are
    // never read plainly, as JSON numbers or as text: the fast paths once decided them.
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer({ min: -110, max: 110 }).map((e) => Number(`1e${e}`)),
          fc.integer({ min: -110, max: 110 }).map((e) => Number(`9.99999999999999e${e}`)),
        ),
        (x) => {
          let read = true;
          try {
            amount(x);
          } catch {
            read = false;
          }
          expect(read, String(x)).toBe(typeof readDecimal(x) !== "string");
        },
      ),
      { numRuns: 5000 },
    );
    expect(() => amount(1e-150)).toThrow();
    expect(() => amount(`0.${"0".repeat(149)}1`)).toThrow();
    expect(amount(1e-100)).toBe(1e-100);
    expect(() => amount(1e101)).toThrow();
    // At 15 significant digits it reads; at 16, where doubles no longer hold every decimal, it does not.
    expect(amount("123456789012345")).toBe(123456789012345);
    expect(amount("0.000123456789012345")).toBe(0.000123456789012345);
    expect(() => amount("1234567890123456")).toThrow();
    expect(() => amount("9007199254740993")).toThrow();
    expect(amount("120.0")).toBe(120);
  });

  // Decimals of few digits near each other: the cases where binary rounding could flip a comparison.
  const near = fc
    .tuple(fc.integer({ min: -100000, max: 100000 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 3 }))
    .map(([n, scale, delta]) => [
      dec(n)
        .dividedBy(10 ** scale)
        .toString(),
      dec(n + delta)
        .dividedBy(10 ** scale)
        .toString(),
    ]);

  it("two exactly-double decimals compare as doubles as they compare as decimals", () => {
    fc.assert(
      fc.property(near, ([a, b]) => {
        if (!exactAsDouble(a!) || !exactAsDouble(b!)) return;
        expect(Math.sign(Number(a) - Number(b))).toBe(dec(a!).comparedTo(dec(b!)));
      }),
      { numRuns: 5000 },
    );
    expect(exactAsDouble("0.1")).toBe(true);
    expect(exactAsDouble("0.10000000000000000001")).toBe(false);
  });

  it("v against factor x ULN: the same sign as the exact product, at and next to the boundary", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("1", "1.5", "2", "2.5", "3", "5", "0.3"),
        fc.integer({ min: 1, max: 100000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: -2, max: 2 }),
        (factor, refN, scale, delta) => {
          const ref = dec(refN).dividedBy(10 ** scale);
          const exactV = dec(factor)
            .times(ref)
            .plus(dec(delta).dividedBy(10 ** (scale + 2)));
          if (!exactAsDouble(exactV.toString()) || !exactAsDouble(ref.toString())) return;
          const got = cmpRef(exactV.toNumber(), Number(factor), factor, ref.toNumber());
          expect(Math.sign(got)).toBe(exactV.comparedTo(dec(factor).times(ref)));
        },
      ),
      { numRuns: 5000 },
    );
    // 3 x 1.2 is 3.5999999999999996 in doubles: the exact decimals decide.
    expect(cmpRef(3.6, 3, "3", 1.2)).toBe(0);
  });
});
