/**
 * The outline (document symbols), folding ranges and semantic tokens of a document.
 */
import { tokenMatcher, type IToken } from "chevrotain";
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type SemanticTokensLegend,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type * as A from "../ast/nodes.js";
import * as T from "../../grammar/tokens.js";
import type { Analysis, SymbolKind as Kind } from "./index.js";

const range = (doc: TextDocument, span: A.Span) => ({
  start: doc.positionAt(span.start),
  end: doc.positionAt(span.end),
});

function symbol(
  doc: TextDocument,
  name: string,
  detail: string,
  kind: SymbolKind,
  whole: A.Span,
  id: A.Span,
  children: DocumentSymbol[] = [],
): DocumentSymbol {
  return { name, detail, kind, range: range(doc, whole), selectionRange: range(doc, id), children };
}

/** The outline: criteria (nested), definitions, parameters, data, schedule, toxicity, response. */
export function documentSymbols(doc: TextDocument, a: Analysis): DocumentSymbol[] {
  if (!a.ast) return [];
  const criterion = (c: A.CriterionDecl): DocumentSymbol =>
    symbol(
      doc,
      `${c.id.text}`,
      `${c.role}: ${c.text}`,
      SymbolKind.Class,
      c.span,
      c.id.span,
      c.body.kind === "Group" ? c.body.children.map(criterion) : [],
    );
  const element = (e: A.ElementDecl): DocumentSymbol =>
    symbol(
      doc,
      e.name.text,
      e.label,
      e.fields.length ? SymbolKind.Struct : SymbolKind.Field,
      e.span,
      e.name.span,
      e.fields.map(element),
    );
  const out: DocumentSymbol[] = [];
  for (const d of a.ast.decls) {
    switch (d.kind) {
      case "CriterionDecl":
        out.push(criterion(d));
        break;
      case "DefineDecl":
        out.push(symbol(doc, d.name.text, d.label, SymbolKind.Function, d.span, d.name.span));
        break;
      case "ParameterDecl":
        out.push(symbol(doc, d.name.text, d.label, SymbolKind.Constant, d.span, d.name.span));
        break;
      case "DataDecl":
        out.push(symbol(doc, "data", "data dictionary", SymbolKind.Namespace, d.span, d.span, d.elements.map(element)));
        break;
      case "ScheduleDecl": {
        const kids = [
          ...d.treatments.map((t) => symbol(doc, t.name.text, t.label, SymbolKind.Object, t.span, t.name.span)),
          ...d.visits.map((v) => symbol(doc, v.name.text, `visit: ${v.label}`, SymbolKind.Event, v.span, v.name.span)),
          ...d.requires.map((r) =>
            symbol(doc, r.name.text, `require: ${r.label}`, SymbolKind.Boolean, r.span, r.name.span),
          ),
        ].sort((x, y) => doc.offsetAt(x.range.start) - doc.offsetAt(y.range.start));
        out.push(symbol(doc, "schedule", "treatment and visits", SymbolKind.Namespace, d.span, d.span, kids));
        break;
      }
      case "ToxicityDecl":
        out.push(
          symbol(doc, "toxicity", "stop and delay rules", SymbolKind.Namespace, d.span, d.span, [
            ...d.rules.map((r) =>
              symbol(doc, r.name.text, `${r.action}: ${r.label}`, SymbolKind.Boolean, r.span, r.name.span),
            ),
          ]),
        );
        break;
      case "ResponseDecl":
        out.push(symbol(doc, "response", "response evaluation", SymbolKind.Namespace, d.span, d.span));
        break;
      case "TrialDecl":
        out.push(symbol(doc, "trial", "trial metadata", SymbolKind.Module, d.span, d.span));
        break;
      default:
        break;
    }
  }
  return out;
}

/** A fold for every block spanning lines, and for runs of line comments. */
export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const open: IToken[] = [];
  for (const t of a.tokens) {
    if (tokenMatcher(t, T.LCurly)) open.push(t);
    else if (tokenMatcher(t, T.RCurly)) {
      const o = open.pop();
      if (o && (t.startLine ?? 0) > (o.startLine ?? 0))
        out.push({ startLine: (o.startLine ?? 1) - 1, endLine: (t.startLine ?? 1) - 2 });
    }
  }
  let run: IToken[] = [];
  const flush = () => {
    if (run.length > 1)
      out.push({
        startLine: (run[0]!.startLine ?? 1) - 1,
        endLine: (run[run.length - 1]!.startLine ?? 1) - 1,
        kind: FoldingRangeKind.Comment,
      });
    run = [];
  };
  for (const c of a.comments) {
    const last = run[run.length - 1];
    if (last && (c.startLine ?? 0) !== (last.startLine ?? 0) + 1) flush();
    if (tokenMatcher(c, T.BlockComment) && (c.endLine ?? 0) > (c.startLine ?? 0)) {
      flush();
      out.push({ startLine: (c.startLine ?? 1) - 1, endLine: (c.endLine ?? 1) - 1, kind: FoldingRangeKind.Comment });
    } else run.push(c);
  }
  flush();
  return out.filter((f) => f.endLine > f.startLine || f.kind === undefined).filter((f) => f.endLine >= f.startLine);
}

/** The semantic token types, in the order the legend lists them. */
export const TOKEN_TYPES = [
  "keyword",
  "string",
  "number",
  "comment",
  "variable",
  "property",
  "function",
  "parameter",
  "enumMember",
  "type",
  "operator",
  "namespace",
  "class",
  "event",
] as const;
export const TOKEN_MODIFIERS = ["declaration", "readonly"] as const;
export const legend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const KIND_TYPE: Record<Kind, (typeof TOKEN_TYPES)[number]> = {
  element: "variable",
  field: "property",
  define: "function",
  "define-parameter": "parameter",
  parameter: "variable",
  anchor: "enumMember",
  form: "namespace",
  source: "namespace",
  criterion: "class",
  organ: "enumMember",
  grade: "enumMember",
  treatment: "event",
  visit: "event",
  step: "event",
  require: "event",
  "toxicity-rule": "event",
  category: "enumMember",
};
const KEYWORDS = new Set(T.keywords.map((k) => k.token));

/** Semantic tokens (LSP's relative encoding): names coloured by what they resolve to. */
export function semanticTokens(a: Analysis): number[] {
  const entries: { line: number; char: number; length: number; type: number; mods: number }[] = [];
  const occ = new Map(a.occurrences.map((o) => [o.start, o]));
  const typeIndex = (t: (typeof TOKEN_TYPES)[number]) => TOKEN_TYPES.indexOf(t);
  const all = [...a.tokens, ...a.comments].sort((x, y) => x.startOffset - y.startOffset);
  for (const t of all) {
    let type: (typeof TOKEN_TYPES)[number] | undefined;
    let mods = 0;
    const o = occ.get(t.startOffset);
    if (o) {
      type = KIND_TYPE[o.symbol.kind];
      if (o.declaration) mods |= 1;
      if (o.symbol.kind === "parameter") mods |= 2;
    } else if (tokenMatcher(t, T.LineComment) || tokenMatcher(t, T.BlockComment)) type = "comment";
    else if (tokenMatcher(t, T.StringLiteral)) type = "string";
    else if (tokenMatcher(t, T.NumberLiteral)) type = "number";
    else if (tokenMatcher(t, T.Unit)) type = "type";
    else if (KEYWORDS.has(t.tokenType)) type = "keyword";
    else if (T.comparisonTokens.includes(t.tokenType)) type = "operator";
    if (type === undefined) continue;
    // Multi-line tokens (block comments) are split per line, as LSP requires.
    const lines = t.image.split("\n");
    lines.forEach((text, i) => {
      if (text.length === 0) return;
      entries.push({
        line: (t.startLine ?? 1) - 1 + i,
        char: i === 0 ? (t.startColumn ?? 1) - 1 : 0,
        length: text.length,
        type: typeIndex(type),
        mods,
      });
    });
  }
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const e of entries) {
    const dl = e.line - line;
    data.push(dl, dl === 0 ? e.char - char : e.char, e.length, e.type, e.mods);
    line = e.line;
    char = e.char;
  }
  return data;
}
