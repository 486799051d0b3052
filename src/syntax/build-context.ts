/**
 * What every part of the CST → AST conversion shares: spans, the expression builder,
 * the diagnostics sink, and the helpers that keep a partial CST from throwing.
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { MessageKey, MessageParams } from "../diagnostics/codes.js";
import type { DurationRangeCstNode, TraceItemCstNode } from "../../grammar/generated/cst.js";
import { ExprBuilder } from "./expr-to-ast.js";
import { child, Incomplete, Spans, stringValue, tok } from "./spans.js";

/** Conversion state for one file. */
export class BuildContext {
  /** Span maker for the file. */
  readonly s: Spans;
  /** Expression converter. */
  readonly x: ExprBuilder;
  /** Elements built as they were parsed, by their data block's CST node (`takeElement` in to-ast.ts). */
  readonly takenElements = new Map<CstNode, A.ElementDecl[]>();

  /**
   * `hasSyntaxErrors` tells whether the CST may be partial: if it is not, a missing
   * piece is a bug in the converter and is reported rather than silently dropped.
   * `parse.ts` sets it once parsing is over: the declarations it builds as they are
   * parsed, before any syntax error, are built with it false.
   */
  constructor(
    file: string,
    text: string,
    readonly diagnostics: Diagnostic[],
    public hasSyntaxErrors: boolean,
  ) {
    this.s = new Spans(file, text);
    this.x = new ExprBuilder(this.s, diagnostics);
  }

  /**
   * Convert each item, dropping those a recovered CST left incomplete, so one broken
   * criterion or element does not cost its neighbours.
   */
  each<N extends CstNode, R>(nodes: N[] | undefined, convert: (node: N) => R): R[] {
    const out: R[] = [];
    for (const node of nodes ?? []) {
      const result = this.attempt(node, () => convert(node));
      if (result !== undefined) out.push(result);
    }
    return out;
  }

  /**
   * Run `convert`; on failure return undefined instead of throwing. `Incomplete` after
   * syntax errors is expected (the item is dropped silently: its error is reported);
   * anything else is a bug in the converter and is reported as an internal error.
   */
  attempt<R>(node: CstNode, convert: () => R): R | undefined {
    try {
      return convert();
    } catch (error) {
      if (error instanceof Incomplete && (this.hasSyntaxErrors || node.recoveredNode === true)) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.diagnostics.push(report("TRC1020", "internalBuilding", { node: node.name, message }, this.safeSpan(node)));
      return undefined;
    }
  }

  /** A span for a node, or a zero-width one at the file start when it has no position. */
  safeSpan(node: CstNode): A.Span {
    try {
      return this.s.ofNode(node);
    } catch {
      return { file: this.s.file, start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    }
  }

  /** Report a problem found while building (e.g. an attribute given twice). */
  report<K extends MessageKey<"TRC1020">>(key: K, params: MessageParams<"TRC1020", K>, span: A.Span): void {
    this.diagnostics.push(report("TRC1020", key, params, span));
  }

  /** The decoded value of the `i`-th string token. */
  str(list: IToken[] | undefined, what: string, i = 0): string {
    return stringValue(tok(list, what, i));
  }

  /**
   * A count (`cycles 4`, `at least 1 of`). The grammar accepts any number here; a
   * fractional or zero count is left for the checker to report (TRC5003).
   */
  count(list: IToken[] | undefined, what: string): { count: number; span: A.Span } {
    const token = tok(list, what);
    return { count: Number(token.image), span: this.s.ofToken(token) };
  }

  /** Gather `cite`, `interpretation` and `source` items into a `Trace`. */
  trace(items: TraceItemCstNode[] | undefined): A.Trace {
    const trace: A.Trace = { cites: [], interpretations: [], sources: [] };
    this.each(items, (item) => {
      const c = item.children;
      if (c.cite !== undefined) {
        const n = child(c.cite, "cite");
        trace.cites.push({
          kind: "Cite",
          source: this.s.name(n.children.Name, "source"),
          text: this.str(n.children.StringLiteral, "cited text"),
          span: this.s.ofNode(n),
        });
      } else if (c.interpretation !== undefined) {
        const n = child(c.interpretation, "interpretation");
        const strings = n.children.StringLiteral ?? [];
        const ref = n.children.KwRef !== undefined && strings.length > 1 ? this.str(strings, "ref", 1) : null;
        const sources = (n.children.Name ?? []).map((_t, i) => this.s.name(n.children.Name, "source", i));
        trace.interpretations.push({
          kind: "Interpretation",
          text: this.str(strings, "interpretation"),
          ref,
          sources,
          span: this.s.ofNode(n),
        });
      } else if (c.sourceRef !== undefined) {
        const n = child(c.sourceRef, "source");
        trace.sources.push({
          kind: "SourceRef",
          source: this.s.name(n.children.Name, "source"),
          span: this.s.ofNode(n),
        });
      }
    });
    return trace;
  }

  /** `11 wk to 13 wk`. */
  durationRange(node: DurationRangeCstNode): A.DurationRange {
    const parts = node.children.additive;
    return {
      min: this.x.additive(child(parts, "lower bound", 0)),
      max: this.x.additive(child(parts, "upper bound", 1)),
      span: this.s.ofNode(node),
    };
  }

  /** Keep the first of a repeated single-valued setting and report the others. */
  once<T>(current: T | null, next: T, what: string, span: A.Span): T {
    if (current !== null) {
      this.report("givenTwice", { what }, span);
      return current;
    }
    return next;
  }
}
