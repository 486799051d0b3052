/**
 * The six comparison operators and what a three-way comparison result means for each.
 * On their own, without the rest of `ops.ts`: the checker's consistency analysis needs
 * them, and importing `ops.ts` would load the date library (temporal-polyfill), whose
 * start-up (an Intl.DateTimeFormat) cost about 25 ms of every `trialc check`.
 */

/** A comparison operator, as written in a rule. */
export type Op = "<" | "<=" | ">" | ">=" | "=" | "!=";

/** Whether a comparison result (-1, 0, 1) satisfies `op`. */
export function holds(op: Op, c: number): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
  }
}
