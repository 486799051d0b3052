/**
 * Exact decimal arithmetic for trialc.
 *
 * Eligibility decisions compare lab values against thresholds at boundaries
 * ("Hb >= 10.0 g/dL", "bilirubin <= 1.5 x ULN"). IEEE-754 doubles get these
 * wrong (1.5 * 1.2 = 1.7999999999999998), so every number that takes part in
 * a decision is a decimal.js value, and unit conversions go through exact
 * rationals (`Ratio`, BigInt) so that they introduce no error of their own.
 *
 * Imported by the compiler and by generated evaluator modules: keep it free of
 * dependencies other than decimal.js.
 */
// Named import: under NodeNext the typings' default export resolves to the
// module namespace, and both the ESM and CJS builds export `Decimal` by name.
import { Decimal as DecimalJs } from "decimal.js";

/**
 * The project's Decimal constructor: a clone with 50 significant digits, so
 * that the global decimal.js configuration (which other libraries may touch)
 * never changes our results. 50 digits is far above any clinical precision,
 * so multiplications of measured values by conversion factors are exact.
 * Construction from a string is never rounded; only operations are.
 */
export const Decimal = DecimalJs.clone({ precision: 50, rounding: DecimalJs.ROUND_HALF_UP });
/** Instance type of {@link Decimal} (same shape as a decimal.js instance). */
export type Decimal = DecimalJs;

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Makes a Decimal from a string, a number or a Decimal of any decimal.js clone.
 * Numbers go through {@link fromJsonNumber} (shortest round-trip text), so
 * `dec(1.1)` is exactly 1.1. Throws RangeError on NaN/Infinity or on text that
 * is not a plain decimal literal, because a silent NaN would make every later
 * comparison false.
 */
export function dec(x: string | number | DecimalJs): Decimal {
  if (typeof x === "number") return fromJsonNumber(x);
  if (typeof x === "string") {
    const d = parseDecimal(x);
    if (d === null) throw new RangeError(`not a decimal literal: ${JSON.stringify(x)}`);
    return d;
  }
  if (!x.isFinite()) throw new RangeError("non-finite decimal");
  return new Decimal(x);
}

/**
 * Parses a plain decimal literal `-?\d+(\.\d+)?([eE][+-]?\d+)?` and nothing
 * else: no whitespace, no "+", no ".5", no "1,5", no hex, no "Infinity".
 * Returns null otherwise so the caller can report the text with its location.
 */
export function parseDecimal(text: string): Decimal | null {
  if (!PLAIN_DECIMAL.test(text)) return null;
  const d = new Decimal(text);
  return d.isFinite() ? d : null;
}

/** Input numbers (data files, protocol literals) are refused beyond 10^±100 in magnitude. */
export const MAX_INPUT_EXPONENT = 100;
/** ... and beyond this many significant digits (the precision of every operation). */
export const MAX_INPUT_DIGITS = 50;

/**
 * A number from input data (a JSON number or a decimal string) as a Decimal, or the
 * reason it is refused, in words: not a decimal, or out of the range any measurement
 * can have (so that no later exact conversion runs out of memory or rounds).
 */
export function readDecimal(x: unknown): Decimal | string {
  const shown = typeof x === "string" ? JSON.stringify(x) : String(x);
  if (typeof x === "number" && !Number.isFinite(x)) return `${shown} is out of range`;
  const d = typeof x === "number" ? fromJsonNumber(x) : typeof x === "string" ? parseDecimal(x.trim()) : null;
  if (d === null) return `${shown} is not a decimal number`;
  if (!d.isZero() && Math.abs(d.e) > MAX_INPUT_EXPONENT)
    return `${shown} is out of range (at most 1e${MAX_INPUT_EXPONENT} in size, at least 1e-${MAX_INPUT_EXPONENT} unless 0)`;
  if (d.sd() > MAX_INPUT_DIGITS) return `${shown} has more than ${MAX_INPUT_DIGITS} significant digits`;
  return d;
}

/**
 * Converts a JS number (e.g. from JSON.parse) using its shortest round-trip
 * string, which is the decimal the sender wrote: 1.1 becomes exactly 1.1,
 * not 1.100000000000000088817841970012523. Throws RangeError on NaN/Infinity.
 */
export function fromJsonNumber(n: number): Decimal {
  if (!Number.isFinite(n)) throw new RangeError(`non-finite number: ${n}`);
  return new Decimal(String(n));
}

/** Three-way comparison, typed so that callers can switch on it exhaustively. */
export function compare(a: DecimalJs, b: DecimalJs): -1 | 0 | 1 {
  const c = a.cmp(b);
  if (c !== -1 && c !== 0 && c !== 1) throw new RangeError("comparison with NaN");
  return c;
}

// ---------------------------------------------------------------------------
// Exact rationals (used for unit conversion factors).

/** An exact rational number: `den > 0` and `gcd(|num|, den) = 1`. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Builds a normalized Ratio (reduced, positive denominator). Throws on den = 0. */
export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError("ratio with zero denominator");
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

/** Exponents beyond this are refused: 10^exp as a BigInt would exhaust memory. */
const MAX_EXPONENT = 1000;

/**
 * The exact value of a decimal (a Decimal or a literal accepted by
 * {@link parseDecimal}, or a UCUM factor such as "254e-2") as a Ratio.
 */
export function ratioOf(x: DecimalJs | string): Ratio {
  const d = typeof x === "string" ? parseDecimal(x) : x;
  if (d === null || !d.isFinite()) throw new RangeError(`not a finite decimal: ${String(x)}`);
  if (Math.abs(d.e) > MAX_EXPONENT) throw new RangeError("decimal exponent out of range");
  const text = d.toFixed(); // exact, plain notation
  const neg = text.startsWith("-");
  const [intPart = "0", frac = ""] = (neg ? text.slice(1) : text).split(".");
  const num = BigInt(intPart + frac);
  return ratio(neg ? -num : num, 10n ** BigInt(frac.length));
}

/** Exact product. */
export function ratioMul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

/** Exact quotient; throws RangeError when dividing by zero. */
export function ratioDiv(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den, a.den * b.num);
}

/** Exact integer power (negative exponents invert). */
export function ratioPow(a: Ratio, n: number): Ratio {
  if (!Number.isInteger(n)) throw new RangeError("non-integer exponent");
  const p = BigInt(Math.abs(n));
  const r = ratio(a.num ** p, a.den ** p);
  return n < 0 ? ratioDiv(ratio(1n), r) : r;
}

/** Exact three-way comparison of two rationals. */
export function ratioCompare(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * Relative half-width of the acceptance interval used by {@link ratioToDecimal}:
 * 10^-40. Any decimal with at most 39 significant digits is therefore returned
 * unchanged (two distinct such numbers differ by more than 10^-39 relative).
 */
const SNAP = 10n ** 40n;

const ceilDiv = (n: bigint, d: bigint): bigint => (n + d - 1n) / d; // n >= 0, d > 0

/**
 * Turns an exact rational into a Decimal: the decimal with the fewest
 * significant digits in the interval [v/(1+1e-40), v*(1+1e-40)], nearest to v
 * (ties: the smaller magnitude).
 *
 * Why not plain rounding: a value that does not terminate (48 h in days is 2,
 * but 1 h in days is 1/24) must be rounded somewhere, and with a fixed number
 * of digits a round trip A→B→A does not come back exactly (1 min → h → min
 * gives 1.00…002). The shortest-in-interval rule does: the interval is
 * multiplicatively symmetric, so if q was chosen for x·r then x lies in the
 * interval of q/r, and x (≤ 39 digits) is the unique shortest decimal there.
 *
 * Guarantees: exact whenever v has ≤ 39 significant digits; otherwise within
 * 1e-40 relative; monotone non-decreasing in v (so a conversion never flips a
 * comparison), and strictly increasing for inputs that differ by more than
 * ~2e-40 relative.
 */
export function ratioToDecimal(r: Ratio): Decimal {
  if (r.num === 0n) return new Decimal(0);
  const neg = r.num < 0n;
  const a = neg ? -r.num : r.num;
  const b = r.den;
  // Interval [lo, hi] as fractions loN/loD, hiN/hiD, and v = a/b.
  const loN = a * SNAP,
    loD = b * (SNAP + 1n);
  const hiN = a * (SNAP + 1n),
    hiD = b * SNAP;
  // 10^k > hi for this starting k, so the loop goes from coarse to fine.
  let k = a.toString().length - b.toString().length + 2;
  for (let guard = 0; guard < 120; guard++, k--) {
    // Scale x/10^k without fractions: multiply the numerator or the denominator.
    const up = k < 0 ? 10n ** BigInt(-k) : 1n;
    const down = k > 0 ? 10n ** BigInt(k) : 1n;
    const cmin = ceilDiv(loN * up, loD * down);
    const cmax = (hiN * up) / (hiD * down);
    if (cmin > cmax) continue;
    // Nearest multiple of 10^k to v, ties toward the smaller one, kept in range.
    const vn = a * up,
      vd = b * down;
    let c = vn / vd;
    if (2n * (vn - c * vd) > vd) c += 1n;
    if (c < cmin) c = cmin;
    if (c > cmax) c = cmax;
    return new Decimal(`${neg ? "-" : ""}${c}e${k}`);
  }
  throw new RangeError("ratioToDecimal did not converge"); // unreachable for finite input
}
