/**
 * Walking IR expressions: the children of a node, and what a rule reads
 * (data elements and anchors), following definitions to their bodies.
 */
import type { IrDefinition, IrExpr } from "./types.js";

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
    default:
      return [];
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
      default:
        break;
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
