/**
 * The canonical layout of a `.trial` file, as a document (`doc.ts`) built from the
 * concrete syntax tree. The printer is generic over the grammar, so syntax added later
 * is formatted without changes here:
 *   - a node with its own `{ … }` is a block: its header on one line, then each item of
 *     the body on its own line, indented; a block with a single item stays on one line
 *     when it fits (`criterion I7a "…" { rule hemoglobin >= 9 g/dL }`);
 *   - everything else is printed inline, tokens separated by one space (none inside
 *     `( … )`, before `,` `:` `.`, or after a unary minus);
 *   - `and`/`or` chains are groups that break before each operator when too long
 *     (never inside parentheses' edges: a rule's text, whitespace aside, is what the
 *     explanations print, and `( a` would read differently from `(a`);
 *   - comments stay where they were: between items on their own line, or at the end of
 *     the line they ended; blank lines between items are kept (one at most).
 * Whatever the printer cannot place exactly (a comment inside an item) it keeps as the
 * author wrote it: that item's source text, verbatim. Formatting never adds, drops or
 * reorders a token; `format.ts` checks that on every declaration.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import * as T from "../../grammar/tokens.js";
import { group, hardline, indent, line, verbatim, type Doc } from "./doc.js";

/** Thrown inside an item that holds a comment the inline layout cannot place. */
class KeepVerbatim extends Error {}

const isToken = (e: CstElement): e is IToken => (e as IToken).tokenType !== undefined;
const startOf = (e: CstElement): number => (isToken(e) ? e.startOffset : (e.location?.startOffset ?? NaN));
const endOf = (e: CstElement): number => (isToken(e) ? (e.endOffset ?? e.startOffset) : (e.location?.endOffset ?? NaN));

/** A node's direct children (tokens and nodes) in source order. */
export function childrenOf(node: CstNode): CstElement[] {
  const all: CstElement[] = [];
  for (const list of Object.values(node.children)) for (const c of list) all.push(c);
  return all.filter((c) => !isNaN(startOf(c))).sort((a, b) => startOf(a) - startOf(b));
}

function firstToken(e: CstElement): IToken | undefined {
  if (isToken(e)) return e;
  for (const c of childrenOf(e)) {
    const t = firstToken(c);
    if (t) return t;
  }
  return undefined;
}
function lastToken(e: CstElement): IToken | undefined {
  if (isToken(e)) return e;
  const kids = childrenOf(e);
  for (let i = kids.length - 1; i >= 0; i--) {
    const t = lastToken(kids[i] as CstElement);
    if (t) return t;
  }
  return undefined;
}

/** Tokens that may end an operand: a `-` after one of them is binary (`D0 - 4 wk`), else unary (`-30 %`). */
const OPERAND_END = [T.Name, T.NumberLiteral, T.Unit, T.RParen, T.StringLiteral, T.KwTrue, T.KwFalse];

/** An item of a block body or of the file: consecutive elements printed together. */
type Item = CstElement[];

/** One line of a block body or of the file: an item or a comment. */
export interface Entry {
  doc: Doc;
  /** Comments at the end of its last line. */
  trailing: Doc[];
  /** Whether an empty line separated it from what came before in the source. */
  blankBefore: boolean;
  /** For an item: its source range [start, end), for `format.ts`'s check. */
  source?: [number, number];
}

/** What `sequence` returns. */
interface Sequence {
  lines: Entry[];
  /** A comment at the end of the opening brace's line. */
  opener: Doc[];
  /** Whether any `//` comment was placed (a block holding one cannot stay on one line). */
  lineComment: boolean;
}

/** Prints one file; `comments` are the lexer's comment tokens, in order. */
export class CstPrinter {
  /** Index of the first comment not yet printed. */
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly comments: readonly IToken[],
  ) {}

  /** The top-level declarations, each as its own document (the caller prints and checks them one by one). */
  file(declarations: readonly CstNode[]): Entry[] {
    return this.sequence(
      declarations.map((d) => [d as CstElement]),
      this.text.length,
      null,
    ).lines;
  }

  /**
   * Items (and the comments before and between them, up to offset `end`) as a list of
   * lines: each entry is one item or comment with what separates it from the previous
   * one. `opener` is the token that opened the block, for a comment on its line.
   */
  sequence(items: readonly Item[], end: number, opener: IToken | null): Sequence {
    const out: Entry[] = [];
    let lineComment = false;
    let prevEndLine = opener?.endLine ?? -1;
    let prevEndOffset = opener ? endOf(opener) : -1;
    const openerTrailing: Doc[] = [];
    const addComments = (before: number) => {
      while (this.next < this.comments.length && (this.comments[this.next] as IToken).startOffset < before) {
        const c = this.comments[this.next++] as IToken;
        const last = out[out.length - 1];
        if (tokenMatcher(c, T.LineComment)) lineComment = true;
        if (c.startLine === prevEndLine && (last !== undefined || opener !== null)) {
          // At the end of the line of what precedes it: stays there.
          (last ? last.trailing : openerTrailing).push(" ", verbatim(c.image));
        } else {
          out.push({
            doc: verbatim(c.image),
            trailing: [],
            blankBefore: this.blankBetween(prevEndOffset, c.startOffset),
          });
        }
        prevEndLine = c.endLine ?? c.startLine ?? -1;
        prevEndOffset = endOf(c);
      }
    };
    for (const item of items) {
      const start = startOf(item[0] as CstElement);
      addComments(start);
      const blankBefore = this.blankBetween(prevEndOffset, start);
      const last = lastToken(item[item.length - 1] as CstElement);
      out.push({ doc: this.item(item), trailing: [], blankBefore, source: [start, last ? endOf(last) + 1 : start] });
      prevEndLine = last?.endLine ?? -1;
      prevEndOffset = last ? endOf(last) : prevEndOffset;
    }
    addComments(end);
    return { lines: out, opener: openerTrailing, lineComment };
  }

  /** Whether the source has an empty line between two offsets (-1: the start of the block). */
  private blankBetween(from: number, to: number): boolean {
    if (from < 0) return false;
    return /\n[ \t\r]*\n/.test(this.text.slice(from + 1, to));
  }

  /** One item: laid out, or its source text when a comment sits inside it. */
  private item(item: Item): Doc {
    const saved = this.next;
    try {
      return this.inline(item, null);
    } catch (e) {
      if (!(e instanceof KeepVerbatim)) throw e;
      const first = firstToken(item[0] as CstElement);
      const last = lastToken(item[item.length - 1] as CstElement);
      if (!first || !last) throw e;
      const to = endOf(last);
      this.next = saved;
      while (this.next < this.comments.length && (this.comments[this.next] as IToken).startOffset < to) this.next++;
      return verbatim(this.text.slice(first.startOffset, to + 1));
    }
  }

  /** Elements printed on one line (blocks inside them aside), with the spacing rules. */
  private inline(elements: readonly CstElement[], parent: CstNode | null): Doc {
    let out: Doc[] = [];
    let prev: IToken | undefined;
    for (const e of elements) {
      const first = firstToken(e);
      if (!first) continue;
      // A block without a header of its own (`when … { … }`, `at least 1 of { … }`)
      // takes what precedes it as its header, so they break together.
      if (!isToken(e) && out.length > 0 && isBlock(e) === 0) out = [this.node(e, out)];
      else {
        if (prev) out.push(this.space(prev, first, parent));
        out.push(isToken(e) ? this.token(e) : this.node(e));
      }
      prev = lastToken(e);
    }
    return out;
  }

  private token(t: IToken): Doc {
    if (this.next < this.comments.length && (this.comments[this.next] as IToken).startOffset < t.startOffset)
      throw new KeepVerbatim();
    return t.image;
  }

  /** What separates two consecutive tokens printed inline. */
  private space(prev: IToken, next: IToken, parent: CstNode | null): Doc {
    const is = (t: IToken, type: (typeof T)["Comma"]) => tokenMatcher(t, type);
    if (is(next, T.Comma) || is(next, T.RParen) || is(next, T.Colon) || is(next, T.Dot)) return "";
    if (is(prev, T.LParen) || is(prev, T.Dot)) return "";
    if (is(next, T.LParen) && is(prev, T.Name) && next.startOffset === (prev.endOffset ?? 0) + 1) return ""; // `code(`, `age(`
    if (is(prev, T.Minus) && parent !== null) {
      const before = this.tokenBefore(prev, parent);
      if (before === undefined || !OPERAND_END.some((type) => is(before, type))) return ""; // `-30 %`
    }
    return " ";
  }

  /** The token before `t` in the source, looked up among `parent`'s tokens (enough for a unary minus). */
  private tokenBefore(t: IToken, parent: CstNode): IToken | undefined {
    let found: IToken | undefined;
    const walk = (n: CstNode) => {
      for (const c of childrenOf(n)) {
        if (isToken(c)) {
          if (c.startOffset < t.startOffset && (!found || c.startOffset > found.startOffset)) found = c;
        } else walk(c);
      }
    };
    walk(this.root(parent));
    return found;
  }

  /** The outermost expression node known while printing (set by `node`). */
  private expressionRoot: CstNode | null = null;
  private root(parent: CstNode): CstNode {
    return this.expressionRoot ?? parent;
  }

  /** A node: a block when it has its own braces, a breakable chain for `and`/`or`, else inline. */
  private node(n: CstNode, prefix?: Doc[]): Doc {
    const kids = childrenOf(n);
    const open = isBlock(n);
    if (open >= 0) return this.block(n, kids, open, closingBrace(kids), prefix ?? []);
    const outermost = this.expressionRoot === null && n.name === "expression";
    if (outermost) this.expressionRoot = n;
    try {
      if ((n.name === "orExpression" || n.name === "andExpression") && kids.length > 1) return this.chain(n, kids);
      return this.inline(kids, n);
    } finally {
      if (outermost) this.expressionRoot = null;
    }
  }

  /** `a and b and c`: on one line, or one operand a line with the operator first. */
  private chain(n: CstNode, kids: readonly CstElement[]): Doc {
    const parts: Doc[] = [this.inline([kids[0] as CstElement], n)];
    for (let i = 1; i < kids.length; i += 2) {
      const operator = kids[i] as CstElement;
      const operand = kids[i + 1];
      parts.push(line, this.inline(operand ? [operator, operand] : [operator], n));
    }
    return group([parts[0] as Doc, indent(parts.slice(1))]);
  }

  /** `header { items } tail`. */
  private block(n: CstNode, kids: readonly CstElement[], open: number, close: number, prefix: Doc[]): Doc {
    const openToken = kids[open] as IToken;
    const closeToken = kids[close] as IToken;
    const header = kids.slice(0, open);
    const tail = kids.slice(close + 1);
    const items = bodyItems(kids.slice(open + 1, close));
    const head: Doc[] = [...prefix];
    if (header.length > 0) head.push(this.inline(header, n));
    if (head.length > 0) head.push(" ");
    head.push(this.token(openToken));
    const saved = this.expressionRoot;
    this.expressionRoot = null;
    const { lines, opener, lineComment } = this.sequence(items, closeToken.startOffset, openToken);
    this.expressionRoot = saved;
    head.push(...opener);
    const closing = this.token(closeToken);
    const after: Doc[] = tail.length > 0 ? [" ", this.inline(tail, n)] : [];
    if (lines.length === 0) return [...head, closing, ...after];
    const body: Doc[] = [];
    lines.forEach((l, i) => {
      if (i > 0) body.push(hardline, ...(l.blankBefore ? [hardline] : []));
      body.push(l.doc, ...l.trailing);
    });
    // The whole block is the group: a header that had to break keeps its body on its own line.
    if (lines.length === 1 && !lineComment) return [group([...head, indent([line, ...body]), line, closing]), ...after];
    return [...head, indent([hardline, ...body]), hardline, closing, ...after];
  }
}

/** The index of a node's own `{` when it has a matching `}` among its children, else -1. */
function isBlock(n: CstNode): number {
  const kids = childrenOf(n);
  const open = kids.findIndex((k) => isToken(k) && tokenMatcher(k, T.LCurly));
  return open >= 0 && closingBrace(kids) > open ? open : -1;
}

/** The index of the last `}` among `kids`, or -1. */
function closingBrace(kids: readonly CstElement[]): number {
  for (let i = kids.length - 1; i >= 0; i--) {
    const k = kids[i] as CstElement;
    if (isToken(k) && tokenMatcher(k, T.RCurly)) return i;
  }
  return -1;
}

/**
 * The items of a block body: each child node is an item, with the bare tokens just
 * before it (`rule <expression>`, `total <durationRange>`); tokens after the last node
 * join the last item.
 */
export function bodyItems(body: readonly CstElement[]): Item[] {
  const items: Item[] = [];
  let pending: CstElement[] = [];
  for (const e of body) {
    pending.push(e);
    if (!isToken(e)) {
      items.push(pending);
      pending = [];
    }
  }
  if (pending.length > 0) {
    const last = items[items.length - 1];
    if (last) last.push(...pending);
    else items.push(pending);
  }
  return items;
}
