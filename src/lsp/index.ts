/**
 * What the language server knows about one document: its parse, its check, and an
 * index of every name written in it (where each is declared and every use), built from
 * the AST so that hover, definition, references, rename and semantic tokens agree.
 *
 * Names live in namespaces the grammar keeps apart: a `form` clause names a form, a
 * `cite`/`source` a source, `cumulative x` an organ, `grade x` a graded term, and
 * everywhere else a name is a value (data element, record field, definition, its
 * parameters, parameter, anchor). Record fields resolve inside `any/all/none/count
 * <records> where …`, `records.field` and the lesion-response `change of field`.
 */
import type { IToken } from "chevrotain";
import type * as A from "../ast/nodes.js";
import { checkProtocol } from "../check/index.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { IrProtocol } from "../ir/types.js";
import { parseTrial } from "../syntax/parse.js";
import { COMMENTS, trialLexer } from "../../grammar/tokens.js";

/** What a declared name is. */
export type SymbolKind =
  | "element"
  | "field"
  | "define"
  | "define-parameter"
  | "parameter"
  | "anchor"
  | "form"
  | "source"
  | "criterion"
  | "organ"
  | "grade"
  | "treatment"
  | "visit"
  | "step"
  | "require"
  | "toxicity-rule"
  | "category";

/** A declared name. */
export interface TrialSymbol {
  name: string;
  kind: SymbolKind;
  /** Where the name itself is written. */
  span: A.Span;
  /** The declaration (an AST node). */
  decl: unknown;
  /** For a record field: its record. For a define's parameter: the define. */
  parent?: TrialSymbol;
}

/** One place a name is written: its declaration or a use. */
export interface Occurrence {
  start: number;
  end: number;
  symbol: TrialSymbol;
  declaration: boolean;
}

/** The analysis of one version of a document. */
export interface Analysis {
  text: string;
  ast: A.TrialFile | null;
  ir: IrProtocol | null;
  diagnostics: Diagnostic[];
  symbols: TrialSymbol[];
  /** Every occurrence, sorted by offset. */
  occurrences: Occurrence[];
  tokens: IToken[];
  comments: IToken[];
}

/** Parse, check (when the syntax is correct) and index `text`. Never throws. */
export function analyse(text: string, file: string): Analysis {
  const parsed = parseTrial(text, file);
  let ir: IrProtocol | null = null;
  const diagnostics = [...parsed.diagnostics];
  if (parsed.ast && !hasErrors(parsed.diagnostics)) {
    try {
      const checked = checkProtocol(parsed.ast, text);
      ir = checked.ir;
      diagnostics.push(...checked.diagnostics);
    } catch {
      // An internal error of the checker must not take the editor down; the parse still serves.
    }
  }
  const lexed = trialLexer.tokenize(text);
  const { symbols, occurrences } = parsed.ast ? indexNames(parsed.ast) : { symbols: [], occurrences: [] };
  return {
    text,
    ast: parsed.ast,
    ir,
    diagnostics,
    symbols,
    occurrences,
    tokens: lexed.tokens,
    comments: (lexed.groups[COMMENTS] ?? []) as IToken[],
  };
}

/** The occurrence at `offset` (inside or just after the name), if any. */
export function occurrenceAt(a: Analysis, offset: number): Occurrence | undefined {
  return a.occurrences.find((o) => o.start <= offset && offset <= o.end);
}

/** Every occurrence of `symbol`, its declaration first. */
export function occurrencesOf(a: Analysis, symbol: TrialSymbol): Occurrence[] {
  return a.occurrences.filter((o) => o.symbol === symbol).sort((x, y) => Number(y.declaration) - Number(x.declaration));
}

/** A `Name` ({text, span}); nodes with a `kind` (a criterion has a `text` too) are not names. */
const isName = (v: unknown): v is A.Name =>
  typeof v === "object" &&
  v !== null &&
  (v as { kind?: unknown }).kind === undefined &&
  typeof (v as A.Name).text === "string" &&
  (v as A.Name).span !== undefined;

/** Build the symbol table and resolve every name written in the file. */
export function indexNames(file: A.TrialFile): { symbols: TrialSymbol[]; occurrences: Occurrence[] } {
  const symbols: TrialSymbol[] = [];
  const declared = new Set<A.Name>();
  const add = (kind: SymbolKind, name: A.Name, decl: unknown, parent?: TrialSymbol): TrialSymbol => {
    const s: TrialSymbol = { name: name.text, kind, span: name.span, decl, ...(parent ? { parent } : {}) };
    symbols.push(s);
    declared.add(name);
    return s;
  };
  const element = (e: A.ElementDecl, parent?: TrialSymbol) => {
    const s = add(parent ? "field" : "element", e.name, e, parent);
    for (const f of e.fields) element(f, s);
  };
  const criterion = (c: A.CriterionDecl) => {
    add("criterion", c.id, c);
    if (c.body.kind === "Group") c.body.children.forEach(criterion);
  };
  for (const d of file.decls) {
    switch (d.kind) {
      case "DataDecl":
        d.elements.forEach((e) => element(e));
        break;
      case "CriterionDecl":
        criterion(d);
        break;
      case "DefineDecl": {
        const s = add("define", d.name, d);
        for (const p of d.params) add("define-parameter", p, d, s);
        break;
      }
      case "ParameterDecl":
        add("parameter", d.name, d);
        break;
      case "AnchorDecl":
        add("anchor", d.name, d);
        break;
      case "FormDecl":
        add("form", d.name, d);
        break;
      case "SourceDecl":
        add("source", d.name, d);
        break;
      case "ScheduleDecl":
        for (const t of d.treatments) add("treatment", t.name, t);
        for (const day of d.days) for (const st of day.steps) add("step", st.name, st);
        for (const v of d.visits) add("visit", v.name, v);
        for (const r of d.requires) add("require", r.name, r);
        break;
      case "ToxicityDecl":
        for (const o of d.organs) add("organ", o.name, o);
        for (const g of d.grades) add("grade", g.term, g);
        for (const r of d.rules) add("toxicity-rule", r.name, r);
        break;
      case "ResponseDecl":
        if (d.lesion) for (const c of d.lesion.categories) add("category", c.name, c);
        break;
      default:
        break;
    }
  }

  const occurrences: Occurrence[] = symbols.map((s) => ({
    start: s.span.start,
    end: s.span.end,
    symbol: s,
    declaration: true,
  }));
  const values = new Map<string, TrialSymbol>();
  for (const s of symbols)
    if (["element", "define", "parameter", "anchor"].includes(s.kind) && !values.has(s.name)) values.set(s.name, s);
  const byKind = (kind: SymbolKind, name: string) => symbols.find((s) => s.kind === kind && s.name === name);
  const fieldOf = (record: TrialSymbol | undefined, name: string) =>
    record ? symbols.find((s) => s.kind === "field" && s.parent === record && s.name === name) : undefined;
  const uniqueField = (name: string) => {
    const all = symbols.filter((s) => s.kind === "field" && s.name === name);
    return all.length === 1 ? all[0] : undefined;
  };

  /** Resolve a name in the value namespace, innermost scope first. */
  const resolveValue = (name: string, scopes: readonly Map<string, TrialSymbol>[]): TrialSymbol | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = (scopes[i] as Map<string, TrialSymbol>).get(name);
      if (s) return s;
    }
    return values.get(name) ?? uniqueField(name);
  };
  const use = (name: A.Name, symbol: TrialSymbol | undefined) => {
    if (symbol && !declared.has(name))
      occurrences.push({ start: name.span.start, end: name.span.end, symbol, declaration: false });
  };
  const fieldsScope = (record: TrialSymbol | undefined) =>
    new Map(symbols.filter((s) => s.kind === "field" && s.parent === record).map((s) => [s.name, s]));

  /** Walk any AST value, resolving the names met by the key they are held under. */
  const walk = (node: unknown, key: string, scopes: Map<string, TrialSymbol>[]): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, key, scopes);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    if (isName(node)) {
      if (declared.has(node)) return;
      if (key === "form") use(node, byKind("form", node.text));
      else if (key === "source" || key === "sources") use(node, byKind("source", node.text));
      else if (key === "organ") use(node, byKind("organ", node.text));
      else if (key === "term") use(node, byKind("grade", node.text));
      else if (key === "step") use(node, byKind("step", node.text));
      else if (key === "callee") use(node, byKind("define", node.text));
      else if (key !== "unit" && key !== "code") use(node, resolveValue(node.text, scopes)); // `code`: a code value's own name
      return;
    }
    const n = node as Record<string, unknown> & { kind?: string };
    if (n.kind === "NameRef") {
      const r = node as A.NameRef;
      use({ text: r.name, span: r.span }, resolveValue(r.name, scopes));
      return;
    }
    if (n.kind === "Quantifier") {
      const q = node as A.Quantifier;
      const record = resolveValue(q.collection.text, scopes);
      use(q.collection, record);
      walk(q.where, "where", [...scopes, fieldsScope(record)]);
      return;
    }
    if (n.kind === "PathRef") {
      const p = node as A.PathRef;
      const record = resolveValue(p.base.text, scopes);
      use(p.base, record);
      use(p.field, fieldOf(record, p.field.text));
      return;
    }
    if (n.kind === "DefineDecl") {
      const d = node as A.DefineDecl;
      const self = symbols.find((s) => s.decl === d && s.kind === "define");
      const params = new Map(
        symbols.filter((s) => s.kind === "define-parameter" && s.parent === self).map((s) => [s.name, s]),
      );
      for (const [k, v] of Object.entries(n)) if (k !== "span") walk(v, k, [...scopes, params]);
      return;
    }
    if (n.kind === "ElementDecl" && (node as A.ElementDecl).fields.length > 0) {
      // `required when` of a field sees its siblings.
      const e = node as A.ElementDecl;
      const record = symbols.find((s) => s.decl === e);
      for (const [k, v] of Object.entries(n))
        if (k !== "span") walk(v, k, k === "fields" ? [...scopes, fieldsScope(record)] : scopes);
      return;
    }
    if (n.kind === "LesionResponseDecl") {
      const l = node as A.LesionResponseDecl;
      use(l.field, uniqueField(l.field.text));
    }
    for (const [k, v] of Object.entries(n))
      if (k !== "span" && k !== "typeSpan" && k !== "unitSpan") walk(v, k, scopes);
  };
  walk(file.decls, "decls", []);
  occurrences.sort((a, b) => a.start - b.start);
  return { symbols, occurrences };
}
