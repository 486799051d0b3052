/**
 * Helpers for the syntax tests: parse snippets, pick declarations, and check that
 * every span in an AST is well-formed and points at the right text.
 */
import { expect } from "vitest";
import type * as A from "../../src/ast/nodes.js";
import { parseTrial, type ParseResult } from "../../src/syntax/parse.js";

/** Parse `text`, expect no diagnostics, return the AST (spans checked against the text). */
export function parseClean(text: string, file = "test.trial"): A.TrialFile {
  const r = parseTrial(text, file);
  expect(r.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`)).toEqual([]);
  expect(r.ast).not.toBeNull();
  checkSpans(r.ast!, text, file);
  return r.ast!;
}

/** Parse text expected to have errors; returns the result and the messages as `line:col CODE message`. */
export function parseBad(text: string, file = "test.trial"): ParseResult & { lines: string[] } {
  const r = parseTrial(text, file);
  return { ...r, lines: r.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`) };
}

/** The only declaration of a snippet, checked to be of `kind`. */
export function only<K extends A.Decl["kind"]>(text: string, kind: K): Extract<A.Decl, { kind: K }> {
  const ast = parseClean(text);
  expect(ast.decls).toHaveLength(1);
  expect(ast.decls[0]!.kind).toBe(kind);
  return ast.decls[0] as Extract<A.Decl, { kind: K }>;
}

const PREFIX = 'define t "t" { rule ';

/** Parse one expression (inside a `define`) and return it with its source. */
export function expr(source: string): A.Expr {
  return only(`${PREFIX}${source} }`, "DefineDecl").expr;
}

/** The source text an expression's span covers, for expressions made by `expr`. */
export function exprText(source: string, e: A.Expr | A.Name | { span: A.Span }): string {
  const text = `${PREFIX}${source} }`;
  return text.slice(e.span.start, e.span.end);
}

/** Strip spans so tree shapes can be compared with `toEqual`. */
export function shape(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => (k === "span" || k === "unitSpan" || k === "typeSpan" ? undefined : v)),
  );
}

/** Line and column (1-based) of offsets in `text`, by binary search over line starts. */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

/**
 * Every span in the tree: file name right, offsets inside the text and ordered,
 * line/column matching the offsets, and nested inside the span of the enclosing node.
 * Returns the number of spans checked; throws (failing the test) on the first bad one.
 */
export function checkSpans(root: unknown, text: string, file: string): number {
  const position = positions(text);
  let count = 0;
  const fail = (why: string, span: A.Span): never => {
    throw new Error(
      `bad span (${why}): ${JSON.stringify(span)} ${JSON.stringify(text.slice(span.start, span.end).slice(0, 80))}`,
    );
  };
  const visit = (value: unknown, parent: A.Span | null): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, parent);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const obj = value as Record<string, unknown>;
    let here = parent;
    for (const key of ["span", "unitSpan", "typeSpan"]) {
      const span = obj[key] as A.Span | undefined;
      if (span === undefined) continue;
      count++;
      if (span.file !== file) fail("file", span);
      if (!(span.start >= 0 && span.end >= span.start && span.end <= text.length)) fail("offsets", span);
      const start = position(span.start);
      const end = position(span.end);
      if (span.line !== start.line || span.column !== start.column) fail("start line/column", span);
      if (span.endLine !== end.line || span.endColumn !== end.column) fail("end line/column", span);
      if (parent !== null && obj["kind"] !== "TrialFile" && (span.start < parent.start || span.end > parent.end))
        fail("outside its parent", span);
      if (key === "span") here = span;
    }
    for (const [key, v] of Object.entries(obj))
      if (key !== "span" && key !== "unitSpan" && key !== "typeSpan") visit(v, here);
  };
  visit(root, null);
  return count;
}
