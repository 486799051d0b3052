/**
 * Safe pieces of generated TypeScript. Everything that came from a protocol goes
 * through here: strings become JSON string literals (quotes, backslashes, newlines,
 * `${`, backticks are all inert inside double quotes), comments are single-line with
 * comment terminators broken, and identifiers are checked.
 */

/** A string literal for any text. */
export function lit(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; U+2028/2029
  // are legal in string literals since ES2019 but are escaped too, for older tools.
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text made safe for a `//` or `/** *\/` comment: one line, no comment terminator. */
export function commentText(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\*\//g, "*\\/").replace(/\/\*/g, "/\\*");
}

/** An identifier for generated code, from a protocol name (already an identifier, but checked). */
export function ident(prefix: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, "_");
  return `${prefix}${safe}`;
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
