/**
 * Safe pieces of generated TypeScript. Everything that came from a protocol goes
 * through here: strings become JSON string literals (quotes, backslashes, newlines,
 * `${`, backticks are all inert inside double quotes), comments are single-line with
 * comment terminators broken, and identifiers are checked.
 */
import type { IrExpr } from "../../ir/types.js";
import { children } from "../../ir/walk.js";

/** A string literal for any text. */
export function lit(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; U+2028/2029
  // are legal in string literals since ES2019 but are escaped too, for older tools.
  return JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Text made safe for a `//` or `/** *\/` comment: one line, no comment terminator. */
export function commentText(s: string): string {
  return s
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*");
}

/** An identifier for generated code, from a protocol name (already an identifier, but checked). */
export function ident(prefix: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, "_");
  return `${prefix}${safe}`;
}

/** JSON as a TypeScript expression; U+2028/2029 escaped for tools older than ES2019. */
export function json(x: unknown): string {
  return JSON.stringify(x, null, 2)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The definitions the expressions call directly, sorted (definitions.ts imports what they call). */
export function definitionsUsed(exprs: readonly IrExpr[]): string[] {
  const out = new Set<string>();
  const visit = (e: IrExpr): void => {
    if (e.kind === "define") out.add(e.name);
    children(e).forEach(visit);
  };
  exprs.forEach(visit);
  return [...out].sort();
}

/** A small builder for indented lines. */
export class Lines {
  private readonly out: string[] = [];
  private depth = 0;
  line(s = ""): this {
    this.out.push(s === "" ? "" : "  ".repeat(this.depth) + s);
    return this;
  }
  indent(f: () => void): this {
    this.depth++;
    f();
    this.depth--;
    return this;
  }
  toString(): string {
    return this.out.join("\n") + "\n";
  }
}
