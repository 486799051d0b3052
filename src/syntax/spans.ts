/**
 * Spans and defensive CST access for the CST → AST conversion.
 *
 * A CST built with error recovery may lack children, or hold tokens that Chevrotain
 * inserted to recover (empty image, `NaN` positions). The accessors here throw
 * `Incomplete` when a required piece is missing; the converter catches it at the
 * nearest list item (a declaration, an element, a criterion...) and drops that item
 * only. Syntax errors have already been reported by then, so nothing is lost.
 *
 * Span convention: offsets are 0-based with `end` exclusive; lines and columns are
 * 1-based and `endColumn` is exclusive too (the column just after the last character),
 * so a one-character token at column 5 has `column: 5, endColumn: 6`.
 */
import type { CstNode, IToken } from "chevrotain";
import type { Name, Span } from "../ast/nodes.js";
import { UnterminatedString } from "../../grammar/tokens.js";

/** Thrown when a recovered CST lacks something the AST needs. */
export class Incomplete extends Error {
  /** `what` names the missing piece, for debugging only. */
  constructor(what: string) {
    super(`incomplete syntax: missing ${what}`);
    this.name = "Incomplete";
  }
}

/** A token that is really in the source (not inserted by recovery). */
export function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && !isNaN(token.startOffset);
}

/** The `i`-th token of a CST child list; throws `Incomplete` if missing or inserted. */
export function tok(list: IToken[] | undefined, what: string, i = 0): IToken {
  const token = list?.[i];
  if (!isReal(token)) throw new Incomplete(what);
  return token;
}

/** The `i`-th node of a CST child list; throws `Incomplete` if missing. */
export function child<N extends CstNode>(list: N[] | undefined, what: string, i = 0): N {
  const node = list?.[i];
  if (node === undefined) throw new Incomplete(what);
  return node;
}

/** Whether a CST child list holds at least one real token. */
export function has(list: IToken[] | undefined): boolean {
  return list !== undefined && list.some(isReal);
}

/**
 * The offset each line starts at, line terminators as Chevrotain's lexer counts them
 * (`\n`, `\r\n`, a lone `\r`), so that a line and column computed from an offset equal
 * the lexer's own.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Builds spans for one file. */
export class Spans {
  private readonly starts: number[];
  /** The index in `starts` of the last line found: spans are mostly asked for in source order. */
  private last = 0;

  /** `file` is copied into every span; `text` is what offsets index into. */
  constructor(
    readonly file: string,
    text: string,
  ) {
    this.starts = lineStarts(text);
  }

  /** The 0-based line of an offset. */
  private lineAt(offset: number): number {
    const starts = this.starts;
    let i = this.last;
    if (starts[i]! <= offset && (i + 1 === starts.length || offset < starts[i + 1]!)) return i;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /**
   * The span of one token. The compiler's lexer tracks offsets only, so its line and
   * columns are computed here, as for nodes (a token ends on the line it starts, but for
   * block comments, which are never in the AST: the end is computed all the same).
   */
  ofToken(token: IToken): Span {
    if (!isReal(token)) throw new Incomplete("token position");
    return this.fromTo(token.startOffset, token.endOffset ?? token.startOffset + token.image.length - 1);
  }

  /**
   * The span of a CST node, from its first to its last real token. The parser tracks
   * only offsets (lines and columns for every node were a third of the parse); they are
   * computed here, for the nodes that become AST nodes.
   */
  ofNode(node: CstNode): Span {
    const loc = node.location;
    if (loc === undefined || isNaN(loc.startOffset) || loc.endOffset === undefined || isNaN(loc.endOffset)) {
      throw new Incomplete(`position of ${node.name}`);
    }
    return this.fromTo(loc.startOffset, loc.endOffset);
  }

  /** From the character at offset `start` to the one at `last`, both included. */
  private fromTo(start: number, last: number): Span {
    const line = this.lineAt(start);
    const endLine = this.lineAt(last);
    return {
      file: this.file,
      start,
      end: last + 1,
      line: line + 1,
      column: start - this.starts[line]! + 1,
      endLine: endLine + 1,
      endColumn: last - this.starts[endLine]! + 2,
    };
  }

  /** `length` characters from `offset`, on the line `offset` is on. */
  point(offset: number, length: number): Span {
    const line = this.lineAt(offset);
    const column = offset - this.starts[line]! + 1;
    return {
      file: this.file,
      start: offset,
      end: offset + length,
      line: line + 1,
      column,
      endLine: line + 1,
      endColumn: column + length,
    };
  }

  /** From the start of `a` to the end of `b`. */
  join(a: Span, b: Span): Span {
    return {
      file: this.file,
      start: a.start,
      end: b.end,
      line: a.line,
      column: a.column,
      endLine: b.endLine,
      endColumn: b.endColumn,
    };
  }

  /** A `Name` from an identifier or soft-keyword token. */
  name(list: IToken[] | undefined, what: string, i = 0): Name {
    const token = tok(list, what, i);
    return { text: token.image, span: this.ofToken(token) };
  }
}

/**
 * The value of a string token: quotes removed, `\"` `\\` `\n` `\t` decoded. An
 * unterminated string (no closing quote) gives its text up to the end of the line;
 * an unknown escape keeps the escaped character (it was reported by the lexer stage).
 */
export function stringValue(token: IToken): string {
  const image = token.image;
  const closed = token.tokenType !== UnterminatedString;
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(.?)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}
