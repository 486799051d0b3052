/**
 * What every part of the view model shares: name lookups over the IR, and the
 * traceability helpers that decide what is flagged as "not from the protocol".
 *
 * The rule for flags: a source of kind `protocol` is the protocol; anything else
 * (literature, standard, reference) is flagged wherever it is used, with its kind and
 * citation. A parameter is from the protocol only when it cites a protocol source and
 * names no other; a parameter with neither cite nor source is flagged as unsourced.
 */
import type { IrCriterion, IrElement, IrExpr, IrParameter, IrProtocol, IrSource, IrTrace } from "../../ir/types.js";
import { children } from "../../ir/walk.js";
import { plainContext, type PlainContext } from "./plain-language.js";
import type { FlagModel, TraceModel } from "./model-types.js";
import { quantityText, durationText } from "./format.js";

/** Lookups built once per document. */
export interface DocContext {
  ir: IrProtocol;
  plain: PlainContext;
  sources: ReadonlyMap<string, IrSource>;
  params: ReadonlyMap<string, IrParameter>;
  elements: ReadonlyMap<string, IrElement>;
  forms: ReadonlyMap<string, string>;
  /** The criteria around each nested criterion, outermost first: I3c_b → [I3, I3c]. */
  parents: ReadonlyMap<string, readonly string[]>;
}

export function docContext(ir: IrProtocol): DocContext {
  const plain = plainContext(ir);
  const parents = new Map<string, readonly string[]>();
  const walk = (cs: readonly IrCriterion[], above: readonly string[]): void =>
    cs.forEach((c) => {
      if (above.length) parents.set(c.id, above);
      if (c.body.kind === "group") walk(c.body.children, [...above, c.id]);
    });
  walk([...ir.eligibility.inclusion, ...ir.eligibility.exclusion], []);
  return {
    ir,
    plain,
    sources: new Map(ir.sources.map((s) => [s.name, s])),
    params: new Map(ir.parameters.map((p) => [p.name, p])),
    elements: plain.elements,
    forms: new Map(ir.forms.map((f) => [f.name, f.label])),
    parents,
  };
}

/**
 * How the document refers to a criterion: a part with the criteria it belongs to
 * ("I3 › I3c › I3c_b"), so that a page that names a part also names its criterion;
 * any other id or rule name as it is.
 */
export function criterionRef(ctx: DocContext, id: string): string {
  const above = ctx.parents.get(id);
  return above ? [...above, id].join(" › ") : id;
}

/** The flag for a named source, or null when the source is the protocol itself. */
function flagOf(ctx: DocContext, name: string): FlagModel | null {
  const s = ctx.sources.get(name);
  if (!s) return { kind: "unknown source", source: name, citation: "" };
  return s.kind === "protocol" ? null : { kind: s.kind, source: s.name, citation: s.citation };
}

/** Flags for several sources, each once, in the order given. */
export function flagsOf(ctx: DocContext, names: readonly string[]): FlagModel[] {
  return [...new Set(names)].flatMap((n) => {
    const f = flagOf(ctx, n);
    return f ? [f] : [];
  });
}

/** A trace (cites, interpretations, sources) ready to print. */
export function traceModel(ctx: DocContext, t: IrTrace): TraceModel {
  const cites = t.cites.map((c) => ({
    text: c.text,
    source: c.source,
    kind: ctx.sources.get(c.source)?.kind ?? "unknown source",
  }));
  const interpretations = t.interpretations.map((i) => ({ text: i.text, ref: i.ref, flags: flagsOf(ctx, i.sources) }));
  const flags = flagsOf(ctx, t.sources);
  return { cites, interpretations, flags, any: cites.length + interpretations.length + flags.length > 0 };
}

/** An empty trace. */
export const NO_TRACE: TraceModel = { cites: [], interpretations: [], flags: [], any: false };

/** Every sub-expression of a rule, itself included (not through definitions). */
export function subExpressions(e: IrExpr): IrExpr[] {
  return [e, ...children(e).flatMap(subExpressions)];
}

/** Parameters a rule uses directly, in order of first use. */
export function parametersUsed(e: IrExpr): string[] {
  const names = subExpressions(e).flatMap((x) =>
    (x.kind === "quantity" || x.kind === "duration") && x.param ? [x.param] : [],
  );
  return [...new Set(names)];
}

/** How a parameter's value prints: `23 Gy`, `10%`, `4 weeks`. */
export function parameterValueText(p: IrParameter): string {
  const v = p.value;
  if (v.kind === "quantity") return quantityText(v.written.value, v.written.unit);
  if (v.kind === "duration") return durationText(v.duration);
  return v.text;
}

/**
 * Why a parameter's value is not from the protocol: its non-protocol sources, or an
 * "unsourced" flag when it names no source and cites no protocol text. Empty when the
 * value is the protocol's own.
 */
export function parameterFlags(ctx: DocContext, name: string): FlagModel[] {
  const p = ctx.params.get(name);
  if (!p) return [];
  const flags = flagsOf(ctx, p.trace.sources);
  const citesProtocol = p.trace.cites.some((c) => ctx.sources.get(c.source)?.kind === "protocol");
  if (flags.length === 0 && !citesProtocol)
    return [{ kind: "unsourced", source: p.name, citation: "no source is named for this value" }];
  return flags;
}

/** The flag for values graded by a standard library (CTCAE), which the protocol only names. */
export function libraryFlag(ctx: DocContext, library: string): FlagModel {
  const lib = ctx.ir.libraries.find((l) => l.name === library);
  const version = lib ? ` ${lib.version}` : "";
  const names: Record<string, string> = {
    ctcae: "NCI Common Terminology Criteria for Adverse Events",
    recist: "Response Evaluation Criteria In Solid Tumours",
  };
  return {
    kind: "standard",
    source: `${library}${version}`,
    citation: `${names[library] ?? library}${version ? ` v${version.trim()}` : ""}, as tabulated in trialc's standard library`,
  };
}

/** A form's label, or a note that the element is on no form. */
export function formLabel(ctx: DocContext, form: string | null): string {
  return form ? (ctx.forms.get(form) ?? form) : "no form";
}
