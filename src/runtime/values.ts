/**
 * Run-time values and three-valued (Kleene) logic.
 *
 * A value is known or `unknown`; an unknown value carries the data that would decide
 * it (`missing`), so an indeterminate result can say what to collect. Conditions are
 * `true`, `false` or unknown: `false and unknown` is false, `true or unknown` is true,
 * anything else with unknown is unknown.
 */
import type { Decimal } from "decimal.js";
import type { TimePoint, Duration } from "./time.js";

/**
 * Data that are individually valid but impossible together (a birth after the date of
 * inclusion). Evaluation stops and reports it like any other data error: no decision
 * is made on such data.
 */
export class DataError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A reference limit (ULN, LLN) as the laboratory gave it: its own value and unit. */
export interface Limit {
  v: Decimal;
  unit: string;
}

/** A data row of a repeating record (one lesion, one prior therapy …). */
export type Row = Record<string, Val>;

export type Val =
  | { t: "unknown"; missing: string[] }
  | { t: "bool"; v: boolean }
  | { t: "num"; v: Decimal }
  /**
   * A quantity with its unit. A measured result may carry its reference limits (each in
   * its own unit), the time it was collected, and its method and specimen.
   */
  | {
      t: "qty";
      v: Decimal;
      unit: string;
      uln?: Limit;
      lln?: Limit;
      molarMass?: string;
      at?: TimePoint;
      method?: string;
      specimen?: string;
      /**
       * Why a limit the data give is unknown, as what a rule reading it is missing:
       * results at one time with equal values disagree on it (`total_bilirubin.uln (two
       * results on 2027-01-12 disagree on the ULN)`), or it is absolute and the BSA that
       * would normalise it is missing (`bsa`).
       */
      limitUnknown?: { uln?: string[]; lln?: string[] };
      /**
       * How an absolute value was normalised into this one, by a declared normalisation
       * (`60 mL/min × 1.73 m2 / BSA 1.9 m2 on 2027-01-08`): explanations show it.
       */
      normalised?: string;
    }
  | { t: "code"; v: string }
  | { t: "text"; v: string }
  | { t: "time"; tp: TimePoint }
  | { t: "dur"; d: Duration }
  | { t: "rows"; rows: Row[]; path: string };

export type Known = Exclude<Val, { t: "unknown" }>;

export const TRUE: Val = { t: "bool", v: true };
export const FALSE: Val = { t: "bool", v: false };

/** An unknown value, naming what is missing. */
export function unknown(...missing: string[]): Val {
  return { t: "unknown", missing: [...new Set(missing)] };
}

export function bool(v: boolean): Val {
  return v ? TRUE : FALSE;
}

/** The missing data behind any unknown values among `vals`. */
export function missingOf(...vals: Val[]): string[] {
  const out = new Set<string>();
  for (const v of vals) if (v.t === "unknown") for (const m of v.missing) out.add(m);
  return [...out];
}

/** Kleene conjunction: false wins, then unknown. */
export function and(vals: Val[]): Val {
  if (vals.some((v) => v.t === "bool" && !v.v)) return FALSE;
  if (vals.some((v) => v.t === "unknown")) return unknown(...missingOf(...vals));
  return TRUE;
}

/** Kleene disjunction: true wins, then unknown. */
export function or(vals: Val[]): Val {
  if (vals.some((v) => v.t === "bool" && v.v)) return TRUE;
  if (vals.some((v) => v.t === "unknown")) return unknown(...missingOf(...vals));
  return FALSE;
}

export function not(v: Val): Val {
  return v.t === "bool" ? bool(!v.v) : v;
}

/** `if c then a else b`, with `else` defaulting to true (so `if c then a` is `not c or a`). */
export function ifThen(c: Val, a: () => Val, b: (() => Val) | null): Val {
  if (c.t === "bool") return c.v ? a() : b ? b() : TRUE;
  const then = a();
  const otherwise = b ? b() : TRUE;
  // Unknown condition: decided only when both branches agree.
  if (then.t === "bool" && otherwise.t === "bool" && then.v === otherwise.v) return then;
  return unknown(...missingOf(c, then, otherwise));
}

/** The three verdicts of a condition, as results report them. */
export type Tri = "true" | "false" | "unknown";
export function tri(v: Val): Tri {
  return v.t === "bool" ? (v.v ? "true" : "false") : "unknown";
}

/** The missing item that names an element's reference limit: `total_bilirubin.uln`. */
export function limitItem(name: string, limit: "ULN" | "LLN"): string {
  return `${name}.${limit.toLowerCase()}`;
}
