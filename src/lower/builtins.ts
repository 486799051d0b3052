/**
 * The run-time arguments of the built-in functions that are not values of the IR: the
 * data path `age` names in its data errors, and the field names `successive_rises`
 * reads. The interpreter passes them to the run time; the emitter writes them as literals.
 */
import type { IrExpr } from "../ir/types.js";

/** Where an argument's value comes from in the patient data, for data errors. */
export function dataPath(e: IrExpr): string {
  return e.kind === "element" ? `$.${e.name}` : e.text;
}

/** The further group fields of `successive_rises` (a marker's name, its unit). */
export function moreGroupNames(args: readonly IrExpr[]): string[] {
  return args.slice(4).map((x) => (x.kind === "field" ? x.name : ""));
}

/** The value, group and date field names of `successive_rises`. */
export function fieldNames(args: readonly IrExpr[]): [string, string, string] {
  const name = (x: IrExpr | undefined) => (x && x.kind === "field" ? x.name : "");
  return [name(args[1]), name(args[2]), name(args[3])];
}
