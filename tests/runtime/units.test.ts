import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { UcumLhcUtils, UnitTables } from "@lhncbc/ucum-lhc";
import { compare, dec } from "../../src/runtime/decimal.js";
import {
  UnitError,
  commensurability,
  compareQuantities,
  conversionFactor,
  conversionRatio,
  convert,
  dimensionKey,
  isCalendarUnit,
  isDurationUnit,
  unitAlias,
  validateUnit,
} from "../../src/runtime/units.js";

const eqDec = (a: { eq(x: string): boolean; toString(): string }, b: string) =>
  expect(a.eq(b), `${a.toString()} vs ${b}`).toBe(true);

describe("units: validation and aliases", () => {
  it("accepts the clinical units of the seed", () => {
    for (const u of [
      "g/dL",
      "g/L",
      "mmol/L",
      "umol/L",
      "10*3/uL",
      "10*9/L",
      "/uL",
      "/mm3",
      "%",
      "1",
      "mL/min/{1.73_m2}",
      "mL/min",
      "mm",
      "cm",
      "GBq",
      "mg/dL",
      "kg/m2",
      "m[IU]/mL",
      "[IU]/L",
      "U/L",
      "Cel",
      "mm[Hg]",
      "{cells}/uL",
    ])
      expect(validateUnit(u), u).toEqual({ ok: true });
  });

  it("maps duration words to UCUM", () => {
    expect(
      [
        "yr",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
      ].map(unitAlias),
    ).toEqual(["a", "a", "a", "mo", "mo", "wk", "wk", "d", "d", "h", "h", "min", "min"]);
    expect(unitAlias("mg/day")).toBe("mg/day");
    expect(validateUnit("years")).toEqual({ ok: true });
    expect(conversionFactor("weeks", "days").eq(7)).toBe(true);
  });

  it("rejects unknown units with a message and suggestions", () => {
    const f = validateUnit("furlongs/fortnight");
    expect(f.ok).toBe(false);
    if (!f.ok) {
      expect(f.message).toMatch(/fortnight/);
      expect(f.suggestions).toContain("[fur_us]");
    }
    const g = validateUnit("g/dLx");
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.message).toMatch(/dLx/);
    const ckd = validateUnit("mL/min/1.73m2");
    expect(ckd.ok || ckd.suggestions).toEqual(["mL/min/{1.73_m2}"]);
    // Legal UCUM for "per 73 m²" (1 × 73), refused on purpose.
    const ckd2 = validateUnit("mL/min/(1.73.m2)");
    expect(ckd2.ok || ckd2.suggestions).toEqual(["mL/min/{1.73_m2}"]);
    expect(commensurability("mL/min/(1.73.m2)", "mL/min")).toBe("unknown-unit");
    for (const bad of ["", " g", "g ", "x10e9/L", "1.73", "0"]) expect(validateUnit(bad).ok, bad).toBe(false);
    expect(commensurability("furlongs/fortnight", "m/s")).toBe("unknown-unit");
    expect(commensurability("g/dL", "g/dLx")).toBe("unknown-unit");
    expect(() => conversionFactor("g/dLx", "g/L")).toThrow(UnitError);
  });
});

describe("units: annotations are kinds of their own (issue 10, defect 1)", () => {
  it("never equates units that differ only by an annotation", () => {
    expect(commensurability("mL/min/{1.73_m2}", "mL/min")).toBe("incompatible");
    expect(commensurability("mL/min/{BSA}", "mL/min/{1.73_m2}")).toBe("incompatible");
    expect(commensurability("mL/min/{BSA}", "mL/min")).toBe("incompatible");
    expect(() => convert(dec(52), "mL/min", "mL/min/{1.73_m2}")).toThrow(UnitError);
  });

  it("converts between units with the same annotation exactly", () => {
    expect(commensurability("L/h/{1.73_m2}", "mL/min/{1.73_m2}")).toBe("same");
    expect(convert(dec(6), "L/h/{1.73_m2}", "mL/min/{1.73_m2}").toString()).toBe("100");
    expect(commensurability("{cells}/uL", "{cells}/nL")).toBe("same");
  });
});

describe("units: dimensions and commensurability", () => {
  it("keys dimensions, keeping the mole apart", () => {
    expect(dimensionKey("g/dL")).toBe(dimensionKey("mg/mL"));
    expect(dimensionKey("10*3/uL")).toBe(dimensionKey("/nL"));
    expect(dimensionKey("mmol/L")).not.toBe(dimensionKey("10*9/L"));
    expect(dimensionKey("mol")).not.toBe(dimensionKey("1"));
    expect(dimensionKey("%")).toBe("1");
    expect(dimensionKey("{1.73_m2}")).toBe("{1.73_m2}");
    expect(dimensionKey("nonsense-unit")).toBeNull();
  });

  it("classifies pairs", () => {
    expect(commensurability("mg", "mL")).toBe("incompatible");
    expect(commensurability("g/dL", "mmol/L")).toBe("needs-molar-mass");
    expect(commensurability("g/dL", "mmol/L", "16114.5")).toBe("same");
    expect(commensurability("g/dL", "mmol/L", "-3")).toBe("needs-molar-mass");
    expect(commensurability("mmol/L", "10*9/L")).toBe("incompatible");
    expect(commensurability("m[IU]/mL", "[IU]/L")).toBe("same");
    expect(commensurability("[IU]/L", "/L")).toBe("incompatible");
    expect(commensurability("Cel", "K")).toBe("incompatible");
    expect(commensurability("Cel", "Cel")).toBe("same");
    expect(commensurability("mmol/L", "meq/L")).toBe("incompatible");
  });

  it("throws typed errors", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as UnitError).code;
      }
      return "none";
    };
    expect(code(() => conversionFactor("mg", "mL"))).toBe("incompatible");
    expect(code(() => conversionFactor("g/dL", "mmol/L"))).toBe("needs-molar-mass");
    expect(code(() => conversionFactor("g/dL", "mmol/L", "abc"))).toBe("invalid-molar-mass");
    expect(code(() => conversionFactor("Cel", "[degF]"))).toBe("non-ratio");
    expect(code(() => conversionFactor("furlongs/fortnight", "m/s"))).toBe("unknown-unit");
  });

  it("recognises durations and calendar units", () => {
    for (const u of ["min", "h", "d", "wk", "mo", "a", "years", "s"]) expect(isDurationUnit(u), u).toBe(true);
    for (const u of ["mg", "1/d", "Cel", "bogus"]) expect(isDurationUnit(u), u).toBe(false);
    expect(["mo", "a", "months", "yr"].map(isCalendarUnit)).toEqual([true, true, true, true]);
    expect(["wk", "d", "a_j", "mo_j"].map(isCalendarUnit)).toEqual([false, false, false, false]);
  });
});

describe("units: exact conversion", () => {
  it("converts the CTCAE units exactly", () => {
    eqDec(conversionFactor("g/dL", "g/L"), "10");
    expect(conversionRatio("g/dL", "g/L")).toEqual({ num: 10n, den: 1n });
    expect(convert(dec("100"), "10*9/L", "10*3/uL").eq(dec("100"))).toBe(true);
    eqDec(convert(dec("1.5"), "10*3/uL", "/uL"), "1500");
    eqDec(convert(dec("1.5"), "10*3/uL", "10*9/L"), "1.5");
    eqDec(convert(dec("1500"), "/mm3", "10*9/L"), "1.5");
    eqDec(convert(dec("3"), "g/dL", "g/L"), "30");
    eqDec(convert(dec("1"), "mg/dL", "mg/L"), "10");
  });

  it("converts durations exactly, dividing last", () => {
    eqDec(convert(dec("1"), "wk", "d"), "7");
    eqDec(convert(dec("48"), "h", "d"), "2");
    eqDec(convert(dec("90"), "min", "h"), "1.5");
    eqDec(convert(convert(dec("1"), "mL/h", "mL/min"), "mL/min", "mL/h"), "1");
    expect(conversionRatio("h", "d")).toEqual({ num: 1n, den: 24n });
    // Why callers must use convert(), not value × conversionFactor(): 1/24 does not terminate.
    expect(dec("48").times(conversionFactor("h", "d")).eq(2)).toBe(false);
    expect(dec("48").times(conversionFactor("h", "d")).minus(2).abs().lt("1e-38")).toBe(true);
  });

  it("converts mass ↔ substance with a molar mass", () => {
    eqDec(convert(dec("6.2"), "mmol/L", "g/dL", "16114.5"), "9.99099");
    eqDec(convert(dec("9.99099"), "g/dL", "mmol/L", "16114.5"), "6.2");
    const crea = convert(dec("1"), "mg/dL", "umol/L", "113.12"); // 10000/113.12 = 88.4016973125…
    expect(crea.toFixed(4)).toBe("88.4017");
    eqDec(convert(crea, "umol/L", "mg/dL", "113.12"), "1");
  });

  it("compares across units exactly", () => {
    expect(compareQuantities(dec("48"), "h", dec("2"), "d")).toBe(0);
    expect(compareQuantities(dec("47.999"), "h", dec("2"), "d")).toBe(-1);
    expect(compareQuantities(dec("1.5"), "10*9/L", dec("1500"), "/uL")).toBe(0);
    expect(compareQuantities(dec("4.95"), "mmol/L", dec("8.0"), "g/dL", "16114.5")).toBe(-1);
  });

  it("derives every table unit exactly or refuses it (ucum-lhc data quirks)", () => {
    UcumLhcUtils.getInstance();
    const table = UnitTables.getInstance() as unknown as { unitCodes_: Record<string, unknown> };
    const refused = Object.keys(table.unitCodes_).filter((c) => !validateUnit(c).ok);
    // Definitions in ucum-lhc's table that contradict its own magnitudes ([LPF] says 100 × 1 but
    // has magnitude 1; [S] = 1e-13 s is stored as "1 s"…), and two codes with a trailing space.
    const known = ["[mu_0]", "Oe", "Gb", "[S]", "[LPF]", "/[LPF]", "{#}/[LPF]", "g/kg ", "L/(min.m2) "];
    expect(refused.filter((c) => !known.includes(c))).toEqual([]);
  });
});

describe("units: properties", () => {
  const families = [
    ["g/dL", "g/L", "mg/dL", "mg/mL"],
    ["10*3/uL", "10*9/L", "/uL", "/nL"],
    ["mm", "cm", "m"],
    ["d", "h", "min", "wk"],
    ["%", "1"],
  ];
  const pair = fc.constantFrom(...families).chain((f) => fc.tuple(fc.constantFrom(...f), fc.constantFrom(...f)));
  const value = fc
    .tuple(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.integer({ min: 0, max: 4 }))
    .map(([m, s]) => dec(`${m}e-${s}`));

  it("A → B → A is the identity, exactly", () => {
    fc.assert(
      fc.property(value, pair, (x, [a, b]) => {
        expect(convert(convert(x, a, b), b, a).eq(x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("a comparison against a threshold never flips with the unit (x == t included)", () => {
    const xt = fc.oneof(
      fc.tuple(value, value),
      value.map((v) => [v, v] as const),
      value.map((v) => [v, v.plus("0.0001")] as const),
    );
    fc.assert(
      fc.property(xt, pair, ([x, t], [a, b]) => {
        expect(compare(convert(x, a, b), convert(t, a, b))).toBe(compare(x, t));
      }),
      { numRuns: 2000 },
    );
  });
});
