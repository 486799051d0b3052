/**
 * UCUM units for trialc: validation, commensurability and EXACT conversion.
 *
 * Validation, dimensions and the mol/equivalent bookkeeping come from
 * @lhncbc/ucum-lhc. Its conversion factors do not: ucum-lhc multiplies
 * binary floats (10*3/uL → 10*9/L gives 0.9999999999999999, mL/min has the
 * magnitude 1.6666666666666667e-8), and rounding such a float to 15 digits
 * cannot restore factors like 1/60 or 1/24. Instead this module re-derives
 * every magnitude exactly, as a BigInt rational, from UCUM's own atom
 * definitions (each atom = decimal factor × unit expression, e.g.
 * `[in_i] = 254e-2 cm`, `h = 60 min`) and exact prefixes, then cross-checks
 * the result against ucum-lhc's float magnitude (relative 1e-12) and refuses
 * the unit if they disagree. Rationals become Decimals only at the end, via
 * `ratioToDecimal`, which is exact whenever the result has ≤ 39 digits.
 *
 * Only ratio-scale units convert. Non-ratio ("special") units such as Cel,
 * [degF] or [pH] compare only with themselves. Arbitrary units ([IU], [CFU]…)
 * convert only to units built on the same arbitrary atoms (m[IU]/mL ↔ [IU]/L),
 * which ucum-lhc itself refuses. Mass ↔ substance needs a molar mass; mass or
 * substance ↔ equivalents (charge) is not supported ("incompatible").
 */
// Named imports, not the default: under CJS transpilation (tsx, esbuild) the
// default import of this __esModule-flagged package is undefined.
import { UcumLhcUtils, UnitTables, type UcumUnit } from "@lhncbc/ucum-lhc";
import { UNIT_PRESETS } from "./unit-presets.js";
import {
  Decimal,
  parseDecimal,
  ratio,
  ratioCompare,
  ratioDiv,
  ratioMul,
  ratioOf,
  ratioPow,
  ratioToDecimal,
  type Ratio,
} from "./decimal.js";

/** Why a conversion was refused; stable codes for diagnostics. */
export type UnitErrorCode = "unknown-unit" | "incompatible" | "needs-molar-mass" | "invalid-molar-mass" | "non-ratio";

/** Thrown by the conversion functions; never a silent NaN or a guessed factor. */
export class UnitError extends Error {
  constructor(
    readonly code: UnitErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UnitError";
  }
}

/** Result of {@link commensurability}. */
export type Commensurability = "same" | "needs-molar-mass" | "incompatible" | "unknown-unit";

const ALIASES: Readonly<Record<string, string>> = {
  yr: "a",
  year: "a",
  years: "a",
  month: "mo",
  months: "mo",
  week: "wk",
  weeks: "wk",
  day: "d",
  days: "d",
  hour: "h",
  hours: "h",
  minute: "min",
  minutes: "min",
};

/**
 * Maps the duration words protocol authors write (`yr`, `years`, `months`,
 * `weeks`, `days`, `hours`, `minutes`, singular or plural) to UCUM codes
 * (`a`, `mo`, `wk`, `d`, `h`, `min`). Whole strings only; anything else is
 * returned unchanged. Every function in this module applies it first.
 */
export function unitAlias(unit: string): string {
  return Object.hasOwn(ALIASES, unit) ? (ALIASES[unit] as string) : unit;
}

let lib:
  { utils: ReturnType<typeof UcumLhcUtils.getInstance>; tables: ReturnType<typeof UnitTables.getInstance> } | undefined;
/** Lazily loads ucum-lhc's tables (≈ 50 ms), so importing this module stays cheap. */
function ucumLib(): NonNullable<typeof lib> {
  lib ??= { utils: UcumLhcUtils.getInstance(), tables: UnitTables.getInstance() };
  return lib;
}

/** Whether ucum-lhc's tables have been loaded in this process (a unit outside the presets needed them). */
export function ucumTablesLoaded(): boolean {
  return lib !== undefined;
}

/**
 * ucum-lhc prints to the console when its parser rejects a unit ("Unit requested for
 * unit string …"); that would corrupt `--format json` output. Run its calls with the
 * console silenced; the rejection itself comes back in the result.
 */
function quietly<T>(run: () => T): T {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = console.info = console.warn = console.error = () => {};
  try {
    return run();
  } finally {
    Object.assign(console, saved);
  }
}

// ---------------------------------------------------------------------------
// Exact magnitudes from UCUM definitions.

/** A unit term: exact magnitude in UCUM base units, and its arbitrary atoms with exponents. */
interface Term {
  mag: Ratio;
  arb: Map<string, number>;
}
const ONE = ratio(1n);
const pow10 = (e: number): Ratio => (e >= 0 ? ratio(10n ** BigInt(e)) : ratio(1n, 10n ** BigInt(-e)));
/** UCUM prefixes (exact values from the UCUM specification), two-letter ones first. */
const PREFIXES: ReadonlyArray<readonly [string, Ratio]> = [
  ["da", pow10(1)],
  ["Ki", ratio(1024n)],
  ["Mi", ratio(1024n ** 2n)],
  ["Gi", ratio(1024n ** 3n)],
  ["Ti", ratio(1024n ** 4n)],
  ["Y", pow10(24)],
  ["Z", pow10(21)],
  ["E", pow10(18)],
  ["P", pow10(15)],
  ["T", pow10(12)],
  ["G", pow10(9)],
  ["M", pow10(6)],
  ["k", pow10(3)],
  ["h", pow10(2)],
  ["d", pow10(-1)],
  ["c", pow10(-2)],
  ["m", pow10(-3)],
  ["u", pow10(-6)],
  ["n", pow10(-9)],
  ["p", pow10(-12)],
  ["f", pow10(-15)],
  ["a", pow10(-18)],
  ["z", pow10(-21)],
  ["y", pow10(-24)],
];

const toNumber = (r: Ratio): number => new Decimal(r.num.toString()).div(r.den.toString()).toNumber();
/** Float agreement with ucum-lhc; 1e-12 leaves room for its float error (~1e-15) and none for a misread unit. */
const agrees = (r: Ratio, f: number): boolean => Math.abs(toNumber(r) - f) <= 1e-12 * Math.abs(f);

function combine(acc: Term, t: Term, sign: 1 | -1): Term {
  const arb = new Map(acc.arb);
  for (const [k, e] of t.arb) arb.set(k, (arb.get(k) ?? 0) + sign * e);
  return { mag: sign === 1 ? ratioMul(acc.mag, t.mag) : ratioDiv(acc.mag, t.mag), arb };
}

/** Evaluates a UCUM expression: components joined by "." and "/", left-associative. */
function evalExpr(expr: string, depth: number): Term {
  if (depth > 30) throw new Error("definitions nest too deeply");
  let acc: Term = { mag: ONE, arb: new Map() };
  let sign: 1 | -1 = expr.startsWith("/") ? -1 : 1;
  let start = sign === -1 ? 1 : 0;
  let parens = 0;
  for (let i = start; i <= expr.length; i++) {
    const ch = expr[i];
    if (ch === "[" || ch === "{") {
      i = expr.indexOf(ch === "[" ? "]" : "}", i);
      if (i < 0) throw new Error(`unclosed ${ch}`);
    } else if (ch === "(") parens++;
    else if (ch === ")") parens--;
    else if (parens === 0 && (ch === "." || ch === "/" || ch === undefined)) {
      acc = combine(acc, evalComponent(expr.slice(start, i), depth), sign);
      sign = ch === "/" ? -1 : 1;
      start = i + 1;
    }
  }
  return acc;
}

function evalComponent(c: string, depth: number): Term {
  let body = c;
  if (body.endsWith("}")) {
    // An annotation is unity in magnitude but names a kind of its own ({1.73_m2}, {BSA}): it is
    // counted like an arbitrary atom, so mL/min/{1.73_m2} never silently equals mL/min.
    const note = body.slice(body.lastIndexOf("{"));
    body = body.slice(0, body.lastIndexOf("{"));
    const inner = body === "" ? { mag: ONE, arb: new Map<string, number>() } : evalComponent(body, depth);
    return { mag: inner.mag, arb: new Map([...inner.arb, [note, (inner.arb.get(note) ?? 0) + 1]]) };
  }
  if (body.startsWith("(") && body.endsWith(")")) return evalExpr(body.slice(1, -1), depth + 1);
  if (/^\d+$/.test(body)) return { mag: ratio(BigInt(body)), arb: new Map() };
  const m = /^(.*[^\d+-])([+-]?\d+)?$/.exec(body); // atom, then an optional integer exponent
  if (!m || m[1] === undefined) throw new Error(`cannot read component "${c}"`);
  const atom = resolveAtom(m[1], depth);
  const e = m[2] === undefined ? 1 : Number(m[2]);
  return { mag: ratioPow(atom.mag, e), arb: new Map([...atom.arb].map(([k, x]) => [k, x * e])) };
}

const atomCache = new Map<string, Term>();
/** An atom with or without prefix: a table entry first (UCUM resolves "cd" as candela), then prefix + metric atom. */
function resolveAtom(code: string, depth: number): Term {
  let t = atomCache.get(code) ?? fromTable(code, depth);
  for (const [p, v] of PREFIXES) {
    if (t) break;
    if (code.length <= p.length || !code.startsWith(p)) continue;
    const rest = code.slice(p.length);
    const u = ucumLib().tables.getUnitByCode(rest);
    const inner = u && (u.isMetric_ || u.isBase_) ? fromTable(rest, depth) : null; // base units are metric in UCUM
    if (inner) t = { mag: ratioMul(v, inner.mag), arb: inner.arb };
  }
  if (!t) throw new Error(`no UCUM atom "${code}"`);
  atomCache.set(code, t);
  return t;
}

/**
 * A table entry evaluated from its definition. ucum-lhc's table also holds
 * prefixed copies that keep the atom's definition text (e.g. "mm[Hg]" says
 * "133.3220 kPa", which is m[Hg]); those fail the float check and are then
 * resolved as prefix + atom instead.
 */
function fromTable(code: string, depth: number): Term | null {
  const u: UcumUnit | null | undefined = ucumLib().tables.getUnitByCode(code);
  if (!u || u.isSpecial_) return null;
  let t: Term;
  if (u.isBase_) t = { mag: ONE, arb: new Map() };
  else if (u.csUnitString_ !== null && u.baseFactorStr_ !== null) {
    const def = evalExpr(u.csUnitString_, depth + 1);
    t = { mag: ratioMul(ratioOf(u.baseFactorStr_), def.mag), arb: def.arb };
  } else return null; // composite LOINC entries without a definition
  if (!agrees(t.mag, u.magnitude_)) return null;
  return u.isArbitrary_ ? { mag: t.mag, arb: new Map([[code, 1]]) } : t;
}

// ---------------------------------------------------------------------------
// Unit analysis (cached per unit string).

/** What this module knows of a valid unit (exported for the presets' generator, `scripts/unit-presets.ts`). */
export interface UnitInfo {
  code: string;
  dim: number[];
  mole: number;
  eq: number;
  special: boolean;
  /** Exact magnitude in UCUM base units (mol counted as Avogadro's number); null for non-ratio units. */
  mag: Ratio | null;
  arbKey: string;
  /** Annotations with their exponents ("{1.73_m2}-1"): units that differ in them are different kinds. */
  annKey: string;
  key: string;
}
/** A unit read, or why it could not be. */
export type Analysis = { ok: true; info: UnitInfo } | { ok: false; message: string };
const BASE_SYMBOLS = ["m", "s", "g", "rad", "K", "C", "cd"] as const; // ucum-lhc's dimension-vector order
/** Where mass sits in the dimension vector (ucum-lhc's `getMassDimensionIndex()`; a test checks they agree). */
export const MASS_INDEX = BASE_SYMBOLS.indexOf("g");
const MAX_CACHE = 10_000; // lab feeds may send many distinct strings; keep memory bounded
const analyses = new Map<string, Analysis>();

const power = (sym: string, e: number): string => (e === 1 ? sym : `${sym}${e}`);

/** What this module knows of `unit` (after {@link unitAlias}): from the presets, the cache, or ucum-lhc. */
export function analyze(unit: string): Analysis {
  const code = unitAlias(unit);
  const hit = analyses.get(code);
  if (hit) return hit;
  const result = presetAnalysis(code) ?? analyzeUncached(unit, code);
  if (analyses.size >= MAX_CACHE) analyses.clear();
  analyses.set(code, result);
  return result;
}

/**
 * The common clinical units, analysed ahead of time (`unit-presets.ts`, generated from
 * ucum-lhc and checked against it by a test): a protocol written in them never loads
 * ucum-lhc's tables, about a fifth of a command's start-up.
 */
function presetAnalysis(code: string): Analysis | null {
  const p = Object.hasOwn(UNIT_PRESETS, code) ? UNIT_PRESETS[code] : undefined;
  if (!p) return null;
  const mag = p.mag ? ratio(p.mag[0], p.mag[1]) : null;
  return {
    ok: true,
    info: {
      code,
      dim: [...p.dim],
      mole: p.mole,
      eq: p.eq,
      special: p.special,
      mag,
      arbKey: p.arbKey,
      annKey: p.annKey,
      key: p.key,
    },
  };
}

/** The analysis of a unit code from ucum-lhc itself, never from the presets (for their generator and test). */
export function ucumAnalysis(code: string): Analysis {
  return analyzeUncached(code, code);
}

function analyzeUncached(unit: string, code: string): Analysis {
  if (code === "" || /\s/.test(code))
    return { ok: false, message: `"${unit}" is not a UCUM unit (empty or contains spaces)` };
  // Stricter than UCUM on purpose: "1.73" is legal UCUM for 1 × 73, so "mL/min/(1.73.m2)" would
  // silently mean per 73 m². Nobody writes "a.b" for a product of two integers; refuse it.
  const product = /(?:^|[./(])(\d+)\.(\d+)(?=$|[./)])/.exec(code);
  if (product) {
    return {
      ok: false,
      message: `"${unit}": UCUM has no decimal numbers, so "${product[1]}.${product[2]}" would mean ${product[1]} × ${product[2]}; use an annotation such as {1.73_m2}`,
    };
  }
  let u: UcumUnit | null | undefined;
  let msg: string[] = [];
  try {
    const r = quietly(() => ucumLib().utils.getSpecifiedUnit(code, "validate", false));
    msg = r.retMsg;
    u = r.status === "valid" ? r.unit : null;
  } catch (e) {
    msg = [String(e)];
  }
  if (!u) return { ok: false, message: msg.join(" ") || `"${unit}" is not a valid UCUM unit` };
  const dim = BASE_SYMBOLS.map((_, i) => (u.dim_?.dimVec_?.[i] ?? 0) + 0); // "+ 0" turns -0 into 0
  const mole = u.moleExp_ + 0,
    eq = u.equivalentExp_ + 0;
  let mag: Ratio | null = null;
  let arbKey = "";
  let annKey = "";
  if (!u.isSpecial_) {
    try {
      const t = evalExpr(code, 0);
      if (!agrees(t.mag, u.magnitude_)) throw new Error(`exact ${toNumber(t.mag)} vs ucum-lhc ${u.magnitude_}`);
      annKey = [...t.arb]
        .filter(([k, e]) => e !== 0 && k.startsWith("{"))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, e]) => power(k, e))
        .join(".");
      arbKey = [...t.arb]
        .filter(([k, e]) => e !== 0 && !k.startsWith("{"))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, e]) => power(k, e))
        .join(".");
      if (u.isArbitrary_ !== (arbKey !== "")) throw new Error("arbitrary-unit bookkeeping disagrees with ucum-lhc");
      mag = t.mag;
    } catch (e) {
      return { ok: false, message: `cannot derive an exact factor for "${code}": ${(e as Error).message}` };
    }
  }
  const parts = BASE_SYMBOLS.map((s, i) => (dim[i] ? power(s, dim[i] as number) : "")).filter(Boolean);
  if (mole) parts.push(power("mol", mole));
  if (eq) parts.push(power("eq", eq));
  if (arbKey) parts.push(arbKey);
  if (annKey) parts.push(annKey);
  const base = parts.join(".") || "1";
  const key = u.isSpecial_ ? `${base}|nonratio=${code}` : base;
  return { ok: true, info: { code, dim, mole, eq, special: u.isSpecial_, mag, arbKey, annKey, key } };
}

/**
 * Is `unit` (after {@link unitAlias}) a valid UCUM code that this runtime can
 * convert exactly? On failure, `message` explains and `suggestions` lists
 * UCUM codes ucum-lhc proposes (e.g. "[fur_us]" for "furlongs"), possibly none.
 */
export function validateUnit(unit: string): { ok: true } | { ok: false; message: string; suggestions: string[] } {
  const a = analyze(unit);
  if (a.ok) return { ok: true };
  const code = unitAlias(unit);
  // The usual clinical spelling of the body-surface normalisation; ucum-lhc would propose "1.(73.m2)".
  const bsa = /\(?1\.73[ .]?m2\)?/;
  const suggestions: string[] = bsa.test(code) ? [code.replace(bsa, "{1.73_m2}")] : [];
  try {
    const v = quietly(() => ucumLib().utils.validateUnitString(code, true));
    // Whole-word synonyms only ("Gauss" → "G"); a rewrite of an expression can change its meaning.
    if (v.ucumCode && v.ucumCode !== code && !/[./()]/.test(code)) suggestions.push(v.ucumCode);
    for (const s of v.suggestions ?? [])
      for (const x of s.units) if (x[0] && !suggestions.includes(x[0])) suggestions.push(x[0]);
  } catch {
    /* suggestions are a courtesy */
  }
  return { ok: false, message: a.message, suggestions };
}

/**
 * Canonical text of the unit's dimension, e.g. "m-3.g" for g/dL, "m-3.mol"
 * for mmol/L, "m-3" for 10*9/L, "1" for % and {annotations}. Equal for every
 * pair that converts without extra data. The mole is listed separately (UCUM
 * treats it as a dimensionless count, so mmol/L and /L would otherwise
 * collide); arbitrary atoms are listed too ("m-3.[IU]"), and non-ratio units
 * get a unique suffix ("K|nonratio=Cel"). null for an invalid unit.
 */
export function dimensionKey(unit: string): string | null {
  const a = analyze(unit);
  return a.ok ? a.info.key : null;
}

function molarMassRatio(molarMass: string | undefined): Ratio | null {
  const d = molarMass === undefined ? null : parseDecimal(molarMass);
  return d !== null && d.gt(0) ? ratioOf(d) : null;
}

function molMassLinked(a: UnitInfo, b: UnitInfo): boolean {
  if (a.mole === b.mole || a.eq !== b.eq || a.arbKey !== b.arbKey || a.annKey !== b.annKey) return false;
  const g = MASS_INDEX;
  return a.dim.every((x, i) => x + (i === g ? a.mole : 0) === (b.dim[i] as number) + (i === g ? b.mole : 0));
}

/**
 * Can a value in `from` be expressed in `to`? "needs-molar-mass" when one side
 * counts substance and the other mass (mmol/L vs g/dL) and `molarMass` (g/mol,
 * decimal text, > 0) is missing or malformed; with a valid molar mass such
 * pairs are "same". Non-ratio units are "incompatible" except with themselves.
 */
export function commensurability(from: string, to: string, molarMass?: string): Commensurability {
  const a = analyze(from),
    b = analyze(to);
  if (!a.ok || !b.ok) return "unknown-unit";
  if (a.info.code === b.info.code) return "same";
  if (a.info.special || b.info.special) return "incompatible";
  if (a.info.key === b.info.key) return "same";
  if (molMassLinked(a.info, b.info)) return molarMassRatio(molarMass) ? "same" : "needs-molar-mass";
  return "incompatible";
}

/**
 * Whether `a` and `b` measure one kind but for their annotations (`mL/min` and
 * `mL/min/{1.73_m2}`, or `L/h` and `mL/min/{1.73_m2}`), and differ in them. That is what a
 * declared normalisation may turn one into the other; it is never a reason to compare
 * them (`commensurability` keeps them apart).
 */
export function differOnlyByAnnotations(a: string, b: string): boolean {
  const x = analyze(a),
    y = analyze(b);
  if (!x.ok || !y.ok || x.info.special || y.info.special) return false;
  const [p, q] = [x.info, y.info];
  return (
    p.annKey !== q.annKey &&
    p.mole === q.mole &&
    p.eq === q.eq &&
    p.arbKey === q.arbKey &&
    p.dim.every((d, i) => d === q.dim[i])
  );
}

/**
 * The exact ratio from `from` to `to` when they {@link differOnlyByAnnotations} (an
 * annotation has magnitude 1 in UCUM): the last step of a declared normalisation.
 * Throws {@link UnitError} otherwise.
 */
export function annotatedRatio(from: string, to: string): Ratio {
  if (!differOnlyByAnnotations(from, to))
    throw new UnitError("incompatible", `"${from}" and "${to}" do not differ by annotations only`);
  const x = analyze(from),
    y = analyze(to);
  if (!x.ok || !y.ok || !x.info.mag || !y.info.mag) throw new UnitError("non-ratio", "unit without a ratio scale");
  return ratioDiv(x.info.mag, y.info.mag);
}

const ratios = new Map<string, Ratio>();

/**
 * The exact conversion ratio: value_in_to = value_in_from × ratio, with no
 * rounding at all (h → d is 1/24). Throws {@link UnitError}. Cached.
 */
export function conversionRatio(from: string, to: string, molarMass?: string): Ratio {
  const cacheKey = `${from}\u0000${to}\u0000${molarMass ?? ""}`;
  const hit = ratios.get(cacheKey);
  if (hit) return hit;
  const a = analyze(from),
    b = analyze(to);
  if (!a.ok) throw new UnitError("unknown-unit", a.message);
  if (!b.ok) throw new UnitError("unknown-unit", b.message);
  const [x, y] = [a.info, b.info];
  let r: Ratio;
  if (x.code === y.code) r = ONE;
  else if (x.special || y.special)
    throw new UnitError(
      "non-ratio",
      `"${x.code}" and "${y.code}": non-ratio units (e.g. Cel) convert only to themselves`,
    );
  else if (x.mag === null || y.mag === null) throw new UnitError("non-ratio", "unit without a ratio scale");
  else {
    r = ratioDiv(x.mag, y.mag);
    if (x.key !== y.key) {
      if (!molMassLinked(x, y))
        throw new UnitError("incompatible", `"${x.code}" (${x.key}) cannot be converted to "${y.code}" (${y.key})`);
      const mw = molarMassRatio(molarMass);
      if (!mw) {
        if (molarMass !== undefined)
          throw new UnitError("invalid-molar-mass", `molar mass "${molarMass}" is not a positive decimal (g/mol)`);
        throw new UnitError("needs-molar-mass", `"${x.code}" → "${y.code}" needs the substance's molar mass (g/mol)`);
      }
      // As ucum-lhc's convertMolMass: each mol power becomes g via molar mass / Avogadro.
      r = ratioMul(r, ratioPow(ratioDiv(mw, resolveAtom("mol", 0).mag), x.mole - y.mole));
    }
  }
  if (ratios.size >= MAX_CACHE) ratios.clear();
  ratios.set(cacheKey, r);
  return r;
}

/**
 * The conversion factor as a Decimal: exact whenever it terminates within 39
 * significant digits (every metric, count and percent pair; 1 wk = 7 d);
 * otherwise (h → d = 1/24) the nearest short decimal within 1e-40 relative.
 * Prefer {@link convert}, which multiplies by the exact ratio and only then
 * rounds, so 48 h → d is exactly 2. Throws {@link UnitError}.
 */
export function conversionFactor(from: string, to: string, molarMass?: string): Decimal {
  return ratioToDecimal(conversionRatio(from, to, molarMass));
}

/**
 * Converts `value` from one unit to another. Exact whenever the result has at
 * most 39 significant digits; A→B→A returns the original value; monotone, so
 * converting both sides never flips a comparison. Throws {@link UnitError}.
 */
export function convert(value: Decimal, from: string, to: string, molarMass?: string): Decimal {
  return ratioToDecimal(ratioMul(ratioOf(value), conversionRatio(from, to, molarMass)));
}

/**
 * Exact comparison of `a aUnit` with `b bUnit`, with no rounding anywhere
 * (cross-multiplied rationals). Use it for thresholds stated in another unit.
 */
export function compareQuantities(
  a: Decimal,
  aUnit: string,
  b: Decimal,
  bUnit: string,
  molarMass?: string,
): -1 | 0 | 1 {
  return ratioCompare(ratioMul(ratioOf(a), conversionRatio(aUnit, bUnit, molarMass)), ratioOf(b));
}

/** True for valid ratio units of pure time (s, min, h, d, wk, mo, a, and aliases). */
export function isDurationUnit(unit: string): boolean {
  return dimensionKey(unit) === "s";
}

/**
 * True for `mo` and `a` (and their aliases): months and years must be added to
 * dates with calendar arithmetic (31 Jan + 1 mo = 28/29 Feb), never as UCUM's
 * fixed mean lengths (30.4375 d, 365.25 d).
 */
export function isCalendarUnit(unit: string): boolean {
  const c = unitAlias(unit);
  return c === "mo" || c === "a";
}
