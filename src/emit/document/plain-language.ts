/**
 * IR expressions in plain English, for people who screen patients from paper:
 * `hemoglobin >= 9 g/dL` → "Hemoglobin >= 9 g/dL", `total_bilirubin <= 2 x ULN` →
 * "Total bilirubin <= 2 × ULN", `any lesions where …` → "At least one lesion with …",
 * `date within 12 mo before inclusion` → "… within 12 months before inclusion".
 * A row of a records element is called by the element's `noun` ("at least one
 * somatostatin receptor scan with …"); without one, by a noun made from its name.
 *
 * Names are replaced by the labels the protocol gives them (elements, fields, codes,
 * definitions, parameters), so the sentence uses the protocol's own vocabulary.
 * Comparison operators stay as the protocol's criteria write them (">=", "<=").
 * The result is plain text: escaping is the renderer's job, done once.
 */
import type { IrElement, IrExpr, IrProtocol } from "../../ir/types.js";
import { assertNever } from "../../ir/walk.js";
import { durationText, inSentence, quantityText, singularNoun } from "./format.js";

/** The labels a sentence needs, looked up by name. Build it once per protocol. */
export interface PlainContext {
  elements: ReadonlyMap<string, IrElement>;
  definitions: ReadonlyMap<string, string>;
  parameters: ReadonlyMap<string, string>;
  organs: ReadonlyMap<string, string>;
  grades: ReadonlyMap<string, string>;
}

/** Collect the labels of a protocol. */
export function plainContext(ir: IrProtocol): PlainContext {
  return {
    elements: new Map(ir.elements.map((e) => [e.name, e])),
    definitions: new Map(ir.definitions.map((d) => [d.name, d.label])),
    parameters: new Map(ir.parameters.map((p) => [p.name, p.label])),
    organs: new Map((ir.toxicity?.organs ?? []).map((o) => [o.name, o.label])),
    grades: new Map((ir.toxicity?.grades ?? []).map((g) => [g.term, g.label])),
  };
}

/** A rule as one English sentence, starting with a capital letter. */
export function plainRule(e: IrExpr, ctx: PlainContext): string {
  const s = phrase(e, ctx, null);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const OP_TEXT = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "≠" } as const;

/** Kinds whose phrase must be bracketed inside `and`/`or` to keep its reach clear. */
const OPEN_ENDED = new Set(["and", "or", "if", "quantifier"]);

function phrase(e: IrExpr, ctx: PlainContext, parent: IrExpr["kind"] | null): string {
  const sub = (x: IrExpr) => phrase(x, ctx, e.kind);
  switch (e.kind) {
    case "bool":
      return e.value ? "yes" : "no";
    case "number":
      return e.value;
    case "string":
      return `“${e.value}”`;
    case "code":
      return e.label || e.value;
    case "quantity": {
      const q = quantityText(e.written.value, e.written.unit);
      return e.param ? `${inSentence(ctx.parameters.get(e.param) ?? e.param)} (${q})` : q;
    }
    case "duration": {
      const d = durationText(e.duration);
      return e.param ? `${inSentence(ctx.parameters.get(e.param) ?? e.param)} (${d})` : d;
    }
    case "element":
      return elementLabel(ctx.elements.get(e.name), e.name);
    case "field":
      return inSentence(fieldOf(ctx, e.record, e.name)?.label ?? e.name);
    case "arg":
      // A definition's parameter: bound at each use, shown as a placeholder.
      return `‹${e.name}›`;
    case "anchor":
      return e.name;
    case "define": {
      const label = inSentence(ctx.definitions.get(e.name) ?? e.name);
      return e.args.length ? `${label} (${e.args.map(sub).join(", ")})` : label;
    }
    case "and":
    case "or": {
      // One definition applied to several values reads as one sentence listing them:
      // "a baseline procedure done within 4 weeks before D0, for each of: MRI, … and GFR".
      const first = e.args[0];
      if (
        first?.kind === "define" &&
        e.args.length > 1 &&
        e.args.every((a) => a.kind === "define" && a.name === first.name && a.args.length === 1)
      ) {
        const values = e.args.map((a) => sub((a as typeof first).args[0]!));
        const list = `${values.slice(0, -1).join(", ")} ${e.kind} ${values[values.length - 1]}`;
        const label = inSentence(ctx.definitions.get(first.name) ?? first.name);
        return bracket(`${label}, for ${e.kind === "and" ? "each" : "one"} of: ${list}`, e.kind, parent);
      }
      const joined = e.args.map(sub).join(` ${e.kind} `);
      return bracket(joined, e.kind, parent);
    }
    case "fact":
      // A yes/no fact reads as the fact itself (the wrapper only serves explanations).
      return phrase(e.arg, ctx, parent);
    case "not":
      return OPEN_ENDED.has(e.arg.kind) || e.arg.kind === "compare"
        ? `not (${phrase(e.arg, ctx, null)})`
        : `not ${sub(e.arg)}`;
    case "if": {
      const core = `if ${phrase(e.cond, ctx, null)}, then ${phrase(e.then, ctx, null)}`;
      return bracket(e.otherwise ? `${core}; otherwise ${phrase(e.otherwise, ctx, null)}` : core, e.kind, parent);
    }
    case "compare":
      return comparison(e, ctx, sub);
    case "in": {
      const codes = codesOf(ctx, e.arg);
      return `${sub(e.arg)} is one of (${e.values.map((v) => codes.get(v) ?? v).join(", ")})`;
    }
    case "refMultiple":
      return `${e.factor} × ${e.limit}`;
    case "shift":
      return `${sub(e.base)} ${e.sign < 0 ? "−" : "+"} ${sub(e.duration)}`;
    case "within":
      return `${sub(e.subject)} within ${sub(e.amount)} ${e.direction} ${sub(e.anchor)}`;
    case "atLeast":
      return `${sub(e.subject)} at least ${sub(e.amount)} ${e.direction} ${sub(e.anchor)}`;
    case "between":
      return `${sub(e.subject)} between ${sub(e.low)} and ${sub(e.high)}`;
    case "order":
      return `${sub(e.subject)} ${e.direction} ${sub(e.anchor)}`;
    case "quantifier":
      return bracket(quantified(e, ctx), "quantifier", parent);
    case "builtin":
      return builtin(e, ctx, sub);
    case "organDose":
      return e.measure === "cumulative"
        ? `cumulative absorbed dose to the ${inSentence(ctx.organs.get(e.organ) ?? e.organ)}`
        : `projected cumulative absorbed dose to the ${inSentence(ctx.organs.get(e.organ) ?? e.organ)} after the next cycle`;
    case "grade":
      return `CTCAE grade of ${inSentence(ctx.grades.get(e.term) ?? e.term)}`;
    case "var":
      return e.name;
    default:
      return assertNever(e);
  }
}

/** Bracket an open-ended phrase when it sits inside a different connective. */
function bracket(s: string, kind: IrExpr["kind"], parent: IrExpr["kind"] | null): string {
  if (parent === null || parent === kind) return s;
  return parent === "and" || parent === "or" || parent === "not" ? `(${s})` : s;
}

function elementLabel(el: IrElement | undefined, name: string): string {
  if (!el) return name;
  const label = inSentence(el.label);
  return el.attestedBy ? `${label} (attested by the ${el.attestedBy})` : label;
}

function fieldOf(ctx: PlainContext, record: string, name: string): IrElement | undefined {
  return ctx.elements.get(record)?.fields?.find((f) => f.name === name);
}

/** The code labels of the element or field an expression reads. */
function codesOf(ctx: PlainContext, e: IrExpr): Map<string, string> {
  const el =
    e.kind === "element" ? ctx.elements.get(e.name) : e.kind === "field" ? fieldOf(ctx, e.record, e.name) : undefined;
  return new Map((el?.values ?? []).map((c) => [c.code, c.label]));
}

function comparison(e: Extract<IrExpr, { kind: "compare" }>, ctx: PlainContext, sub: (x: IrExpr) => string): string {
  // A coded or boolean value reads as "is" / "is not": "Sex is Female".
  if (e.left.type === "code" || e.left.type === "boolean") {
    const verb = e.op === "!=" ? "is not" : "is";
    return `${sub(e.left)} ${verb} ${sub(e.right)}`;
  }
  return `${sub(e.left)} ${OP_TEXT[e.op]} ${sub(e.right)}`;
}

function quantified(e: Extract<IrExpr, { kind: "quantifier" }>, ctx: PlainContext): string {
  // The protocol's own noun for a row (`noun "somatostatin receptor scan"`), else one made from the name.
  const declared = ctx.elements.get(e.records)?.noun;
  const noun = declared?.singular ?? singularNoun(e.records);
  const plural = declared?.plural ?? e.records.replace(/_/g, " ");
  const where = e.where ? phrase(e.where, ctx, null) : null;
  switch (e.quantifier) {
    case "any":
      return where ? `at least one ${noun} with ${where}` : `at least one ${noun} recorded`;
    case "all":
      return where ? `every ${noun} with ${where}` : `every ${noun}`;
    case "none":
      return where ? `no ${noun} with ${where}` : `no ${noun} recorded`;
    case "count":
      return where ? `the number of ${plural} with ${where}` : `the number of ${plural}`;
  }
}

function builtin(e: Extract<IrExpr, { kind: "builtin" }>, ctx: PlainContext, sub: (x: IrExpr) => string): string {
  if (e.fn === "age") return `age at ${sub(e.args[1]!)} (from ${sub(e.args[0]!)})`;
  // successive_rises(records, value, group, order)
  const [records, value, group, order] = e.args;
  const rec = records?.kind === "element" ? records.name : "records";
  const label = (x: IrExpr | undefined) =>
    x?.kind === "field" ? inSentence(fieldOf(ctx, rec, x.name)?.label ?? x.name) : "";
  return `successive rises of ${label(value)} for the same ${label(group)} (in order of ${label(order)})`;
}
