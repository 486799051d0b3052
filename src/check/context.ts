/**
 * The state the checks share: the diagnostics so far and the symbol tables.
 *
 * Symbols are collected once (`declarations.ts`) before any rule is checked, so a rule
 * may use a definition written further down the file.
 */
import type * as A from "../ast/nodes.js";
import { report, type Diagnostic, type Related } from "../diagnostics/diagnostic.js";
import type { CodeWithMessage, DiagnosticCode, MessageKey, MessageParams } from "../diagnostics/codes.js";
import type {
  IrCodeValue,
  IrElement,
  IrExpr,
  IrSpan,
  IrTrace,
  IrType,
  IrDefinition,
  IrParameter,
} from "../ir/types.js";
import { didYouMean } from "./suggest.js";

/** A definition as the checker sees it: the AST, and the IR once checked. */
export interface DefineSymbol {
  ast: A.DefineDecl;
  ir: IrDefinition | null;
  /** Parameter types, learnt from the body (a parameter compared with a code field takes its codes). */
  paramTypes: Map<string, ParamType>;
  state: "unchecked" | "checking" | "done";
  used: boolean;
}

export interface ParamType {
  type: IrType | null;
  values?: readonly IrCodeValue[];
  unit?: string;
}

export interface ParameterSymbol {
  ast: A.ParameterDecl;
  ir: IrParameter | null;
  used: boolean;
}

/** A scope of names while checking an expression: record fields inside a quantifier, definition parameters. */
export interface Scope {
  /** The records element a quantifier ranges over, with its fields. */
  records?: IrElement;
  /** Parameters of the definition being checked. */
  params?: Map<string, ParamType>;
  /** Extra variables a section provides (e.g. `change` in lesion response). */
  vars?: Map<string, { type: IrType; unit?: string }>;
  /** Which section the expression sits in: decides whether `grade`, `cumulative` … are allowed. */
  section: "eligibility" | "schedule" | "toxicity" | "response" | "data";
  parent?: Scope;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly elements = new Map<string, { ir: IrElement; ast: A.ElementDecl }>();
  readonly defines = new Map<string, DefineSymbol>();
  readonly parameters = new Map<string, ParameterSymbol>();
  readonly anchors = new Map<string, A.AnchorDecl>();
  readonly sources = new Map<string, A.SourceDecl>();
  readonly forms = new Map<string, A.FormDecl>();
  readonly libraries = new Map<string, A.UseDecl>();
  /** Organs and graded terms declared in the toxicity section. */
  readonly organs = new Map<string, { unit: string; span: A.Span }>();
  readonly gradedTerms = new Map<string, A.Span>();
  /** Elements read by rules, and which rule read them. */
  readonly reads = new Map<string, Set<string>>();
  /** The rule currently being checked, to record reads against. */
  currentRule = "";
  /** Expressions standing in for ones that failed to check: no further errors are reported on them. */
  readonly poisoned = new WeakSet<IrExpr>();

  constructor(readonly sourceText: string) {}

  /** The definitions that checked, by name (all are checked before any section reads them). */
  checkedDefinitions(): Map<string, IrDefinition> {
    return new Map([...this.defines.values()].flatMap((x) => (x.ir ? [[x.ir.name, x.ir] as const] : [])));
  }

  /**
   * Report a diagnostic (an error or a warning: the catalog says which) from its code,
   * the key of its message template and the template's parameters.
   */
  report<C extends DiagnosticCode, K extends MessageKey<C>>(
    code: C,
    key: K,
    params: MessageParams<C, K>,
    span: A.Span,
    extra: { related?: Related[]; hint?: string } = {},
  ): void {
    this.diagnostics.push(report(code, key, params, span, extra));
  }

  /** Report an unknown name with the closest known names as a hint. */
  unknown(
    code: CodeWithMessage<"unknown">,
    what: string,
    name: string,
    span: A.Span,
    candidates: Iterable<string>,
  ): void {
    const hint = didYouMean(name, candidates);
    this.report(code, "unknown", { what, name }, span, hint === undefined ? {} : { hint });
  }

  /** Record that the current rule reads a data element. */
  noteRead(element: string): void {
    let set = this.reads.get(element);
    if (!set) this.reads.set(element, (set = new Set()));
    if (this.currentRule) set.add(this.currentRule);
  }

  /** The source text of a span, whitespace folded: what explanations quote. */
  textOf(span: A.Span): string {
    return this.sourceText.slice(span.start, span.end).replace(/\s+/g, " ").trim();
  }
}

/** Trim a span to what the IR keeps. */
export function irSpan(span: A.Span): IrSpan {
  return { file: span.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** Lower a declaration's trace, checking that every source it names exists. */
export function lowerTrace(ctx: CheckContext, trace: A.Trace): IrTrace {
  const check = (n: A.Name): string => {
    if (!ctx.sources.has(n.text)) ctx.unknown("TRC2005", "source", n.text, n.span, ctx.sources.keys());
    return n.text;
  };
  return {
    cites: trace.cites.map((c) => ({ source: check(c.source), text: c.text })),
    interpretations: trace.interpretations.map((i) => ({ text: i.text, ref: i.ref, sources: i.sources.map(check) })),
    sources: trace.sources.map((s) => check(s.source)),
  };
}

/** An empty trace. */
export const NO_TRACE: A.Trace = { cites: [], interpretations: [], sources: [] };

/** Placeholder expression used after an error, so checking can go on without cascades. */
export function errorExpr(ctx: CheckContext, span: A.Span, type: IrType = "boolean"): IrExpr {
  const e: IrExpr = { kind: "bool", value: false, type, text: ctx.textOf(span), span: irSpan(span) };
  ctx.poisoned.add(e);
  return e;
}
