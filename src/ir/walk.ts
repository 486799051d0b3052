/**
 * Walking IR expressions: the children of a node, and what a rule reads
 * (data elements and anchors), following definitions to their bodies.
 *
 * Every switch over `IrExpr["kind"]` here (and in the stages that walk the IR) lists
 * every kind and ends in `assertNever`, so adding a node fails to compile until each
 * walk says what the node's children are.
 */
import type { IrDefinition, IrExpr } from "./types.js";

/** For the `default` of an exhaustive switch: a compile error when a case is missing. */
export function assertNever(x: never): never {
  throw new Error(`unexpected IR node: ${JSON.stringify((x as { kind?: unknown }).kind ?? x)}`);
}

/** The direct sub-expressions of a node, in source order. */
export function children(e: IrExpr): readonly IrExpr[] {
  switch (e.kind) {
    case "define":
    case "builtin":
      return e.args;
    case "and":
    case "or":
      return e.args;
    case "not":
    case "fact":
      return [e.arg];
    case "if":
      return e.otherwise ? [e.cond, e.then, e.otherwise] : [e.cond, e.then];
    case "compare":
      return [e.left, e.right];
    case "in":
      return [e.arg];
    case "shift":
      return [e.base, e.duration];
    case "within":
    case "atLeast":
      return [e.subject, e.amount, e.anchor];
    case "between":
      return [e.subject, e.low, e.high];
    case "order":
      return [e.subject, e.anchor];
    case "quantifier":
      return e.where ? [e.where] : [];
    case "bool":
    case "number":
    case "quantity":
    case "duration":
    case "string":
    case "code":
    case "element":
    case "field":
    case "arg":
    case "anchor":
    case "refMultiple":
    case "organDose":
    case "grade":
    case "var":
      return [];
    default:
      return assertNever(e);
  }
}

/** What an expression needs from the patient's data and from the caller. */
export interface Needs {
  elements: Set<string>;
  anchors: Set<string>;
  /** Record fields read, as `records.field`. */
  fields: Set<string>;
}

/** Collect the elements and anchors an expression reads, through definitions (each visited once). */
export function collectNeeds(
  e: IrExpr,
  defs: ReadonlyMap<string, IrDefinition>,
  into?: Needs,
  seen = new Set<string>(),
): Needs {
  const needs = into ?? { elements: new Set<string>(), anchors: new Set<string>(), fields: new Set<string>() };
  const visit = (x: IrExpr): void => {
    switch (x.kind) {
      case "element":
        needs.elements.add(x.name);
        break;
      case "field":
        needs.elements.add(x.record);
        needs.fields.add(`${x.record}.${x.name}`);
        break;
      case "quantifier":
        needs.elements.add(x.records);
        break;
      case "refMultiple":
        needs.elements.add(x.ofRecord ?? x.of);
        break;
      case "anchor":
        needs.anchors.add(x.name);
        break;
      case "define": {
        const d = defs.get(x.name);
        if (d && !seen.has(x.name)) {
          seen.add(x.name);
          visit(d.expr);
        }
        break;
      }
      // Nothing read by the node itself; its children are visited below.
      case "bool":
      case "number":
      case "quantity":
      case "duration":
      case "string":
      case "code":
      case "arg":
      case "and":
      case "or":
      case "not":
      case "if":
      case "compare":
      case "in":
      case "shift":
      case "within":
      case "atLeast":
      case "between":
      case "order":
      case "builtin":
      case "organDose":
      case "grade":
      case "var":
      case "fact":
        break;
      default:
        assertNever(x);
    }
    for (const c of children(x)) visit(c);
  };
  visit(e);
  return needs;
}

/** Sorted array form of a set, for deterministic IR. */
export function sorted(set: Iterable<string>): string[] {
  return [...set].sort();
}
