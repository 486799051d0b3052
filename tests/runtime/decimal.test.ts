import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal as DecimalJs } from "decimal.js";
import {
  Decimal,
  compare,
  dec,
  fromJsonNumber,
  parseDecimal,
  ratio,
  ratioCompare,
  ratioDiv,
  ratioMul,
  ratioOf,
  ratioPow,
  ratioToDecimal,
} from "../../src/runtime/decimal.js";

describe("decimal", () => {
  it("uses 50 significant digits without touching the global decimal.js config", () => {
    expect(Decimal.precision).toBe(50);
    expect(DecimalJs.precision).toBe(20);
    expect(new Decimal(1).div(3).toString()).toBe("0." + "3".repeat(50));
  });

  it("avoids the float hazards of the domain notes", () => {
    expect(dec("1.5").times("1.2").eq("1.8")).toBe(true);
    expect(dec("3").times("1.2").eq("3.6")).toBe(true);
    expect(dec("1.05").div("0.7").eq("1.5")).toBe(true);
    expect(dec("2.1").div("0.7").eq("3")).toBe(true);
    expect(dec("20.1").plus("15.2").plus("14.7").eq("50")).toBe(true);
  });

  it("parses only plain decimal literals", () => {
    for (const ok of ["0", "-1", "1.5", "10.0", "1e3", "1.5E-3", "-0.25e+2"])
      expect(parseDecimal(ok), ok).not.toBeNull();
    for (const bad of ["", " 1", "1 ", "+1", ".5", "1.", "1,5", "0x10", "Infinity", "NaN", "1e", "--1", "1.2.3"])
      expect(parseDecimal(bad), bad).toBeNull();
    expect(parseDecimal("1.50")!.toString()).toBe("1.5");
  });

  it("dec accepts strings, numbers and foreign Decimals, and refuses garbage", () => {
    expect(dec(1.1).toString()).toBe("1.1");
    expect(dec(new DecimalJs("2.5")).eq("2.5")).toBe(true);
    expect(() => dec("abc")).toThrow(RangeError);
    expect(() => dec(Number.NaN)).toThrow(RangeError);
    expect(() => dec(new DecimalJs(Infinity))).toThrow(RangeError);
  });

  it("reads JSON numbers by their shortest round-trip text", () => {
    expect(fromJsonNumber(1.1).eq("1.1")).toBe(true);
    expect(fromJsonNumber(0.1 + 0.2).toString()).toBe("0.30000000000000004");
    expect(fromJsonNumber(JSON.parse("75.0")).eq("75")).toBe(true);
    expect(fromJsonNumber(1e21).eq("1e21")).toBe(true);
    expect(() => fromJsonNumber(Infinity)).toThrow(RangeError);
  });

  it("compare is a three-way comparison", () => {
    expect(compare(dec("1.0"), dec("1"))).toBe(0);
    expect(compare(dec("0.9999"), dec("1"))).toBe(-1);
    expect(compare(dec("-1"), dec("-2"))).toBe(1);
  });

  it("rationals are exact", () => {
    expect(ratioOf("254e-2")).toEqual({ num: 127n, den: 50n });
    expect(ratioOf(dec("-0.125"))).toEqual({ num: -1n, den: 8n });
    expect(ratio(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(ratioPow(ratio(2n, 3n), -2)).toEqual({ num: 9n, den: 4n });
    expect(ratioCompare(ratioMul(ratio(1n, 3n), ratio(3n)), ratio(1n))).toBe(0);
    expect(() => ratioDiv(ratio(1n), ratio(0n))).toThrow(RangeError);
    expect(() => ratioOf("1e5000")).toThrow(RangeError);
  });

  it("ratioToDecimal is exact for short values and rounds non-terminating ones", () => {
    expect(ratioToDecimal(ratio(2n)).toString()).toBe("2");
    expect(ratioToDecimal(ratio(-999099n, 100000n)).toString()).toBe("-9.99099");
    const third = ratioToDecimal(ratio(1n, 3n));
    expect(third.minus(new Decimal(1).div(3)).abs().lt("1e-40")).toBe(true);
    expect(ratioToDecimal(ratio(0n)).isZero()).toBe(true);
  });

  it("ratioToDecimal round-trips through any non-terminating factor", () => {
    const decimals = fc
      .tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([m, s]) => dec(`${m}e-${s}`));
    const factors = fc
      .tuple(fc.bigInt({ min: 1n, max: 100_000n }), fc.bigInt({ min: 1n, max: 100_000n }))
      .map(([n, d]) => ratio(n, d));
    fc.assert(
      fc.property(decimals, factors, (x, r) => {
        const there = ratioToDecimal(ratioMul(ratioOf(x), r));
        const back = ratioToDecimal(ratioMul(ratioOf(there), ratioDiv(ratio(1n), r)));
        expect(back.eq(x)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("ratioToDecimal is monotone (never flips a comparison)", () => {
    const r = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 20n }))
      .map(([n, d]) => ratio(n, d));
    fc.assert(
      fc.property(r, r, (a, b) => {
        const c = ratioCompare(a, b);
        const d = compare(ratioToDecimal(a), ratioToDecimal(b));
        expect(c === 0 ? d === 0 : d === c || d === 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
