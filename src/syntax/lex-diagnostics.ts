/**
 * Diagnostics of the lexing stage: unexpected characters, unknown string escapes and
 * unclosed comments (TRC1010), unterminated strings (TRC1011), control characters in a
 * string (TRC1024). Messages say what to write instead when the character is a common
 * look-alike (`≥`, `“`, `μ`...).
 */
import type { ILexingResult, IToken } from "chevrotain";
import type { Span } from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import { StringLiteral, UnterminatedComment, UnterminatedString } from "../../grammar/tokens.js";
import { Spans } from "./spans.js";

/** What to write instead of a character the language does not use. */
const LOOK_ALIKES: Record<string, string> = {
  "≥": 'write ">="',
  "≤": 'write "<="',
  "≠": 'write "!="',
  "×": 'write "x", as in "2 x ULN"',
  "“": 'strings use straight double quotes: "..."',
  "”": 'strings use straight double quotes: "..."',
  "‘": 'strings use straight double quotes: "..."',
  "’": 'strings use straight double quotes: "..."',
  "'": 'strings use double quotes: "..."',
  "–": 'write "-"',
  "—": 'write "-"',
  "−": 'write "-"',
  μ: 'write "u" for micro in a unit (UCUM), e.g. "10*3/uL"',
  µ: 'write "u" for micro in a unit (UCUM), e.g. "10*3/uL"',
  "#": 'comments start with "//"',
  ";": "statements need no semicolon",
};

/** A span of `length` characters at `offset`, with 1-based line and column computed from `text`. */
export function pointAt(file: string, text: string, offset: number, length = 0): Span {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const end = Math.min(at + length, text.length);
  const column = at - lineStart + 1;
  return { file, start: at, end, line, column, endLine: line, endColumn: column + (end - at) };
}

/**
 * The span of a file as a whole, for what has no position in it (the file cannot be
 * read, or is too large to read): line and column 0, printed as the file name alone.
 */
export function wholeFileSpan(file: string): Span {
  return { file, start: 0, end: 0, line: 0, column: 0, endLine: 0, endColumn: 0 };
}

/** The span of one (single-line) token, or of `length` characters from `index` inside it. */
function inToken(spans: Spans, token: IToken, index = 0, length = token.image.length): Span {
  return spans.point(token.startOffset + index, length);
}

function show(chars: string): string {
  return [...chars]
    .map((c) =>
      /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
    )
    .join("");
}

/**
 * C0 controls but tab (line ends cannot be in a string token), DEL and C1: invisible in
 * an editor and unprintable in a document, so never part of protocol text.
 */
const CONTROLS = "\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F";
const CONTROL = new RegExp(`[${CONTROLS}]`, "g");
/** A control character or a backslash: what the string checks below look for. */
const SUSPECT = new RegExp(`[${CONTROLS}\\\\]`);

/** Every diagnostic the lexer stage produces, in source order. */
export function lexDiagnostics(lexed: ILexingResult, text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Lines and columns from offsets: the compiler's lexer tracks offsets only.
  let lines: Spans | undefined;
  const spans = () => (lines ??= new Spans(file, text));
  for (const error of lexed.errors) {
    const chars = text.substr(error.offset, error.length);
    const first = [...chars][0] ?? "";
    const hint = LOOK_ALIKES[first];
    const span = spans().point(error.offset, error.length);
    const params = { plural: [...chars].length > 1 ? "s" : "", chars: show(chars) };
    out.push(report("TRC1010", "unexpectedCharacters", params, span, hint === undefined ? {} : { hint }));
  }
  for (const token of lexed.groups["errors"] ?? []) {
    if (token.tokenType === UnterminatedComment) {
      out.push(report("TRC1010", "unterminatedComment", {}, inToken(spans(), token, 0, 2)));
    }
  }
  // Indexed, as in parse.ts: a for-of over 200,000 tokens allocated an iterator result
  // per token until V8 optimised the loop.
  const tokens = lexed.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenType !== StringLiteral && token.tokenType !== UnterminatedString) continue;
    if (token.tokenType === UnterminatedString) {
      out.push(
        report("TRC1011", "unterminatedString", {}, inToken(spans(), token), {
          hint: 'a string ends on the line it starts; write \\" for a quote inside it',
        }),
      );
    }
    if (!SUSPECT.test(token.image)) continue; // most strings: nothing to look at
    for (const m of token.image.matchAll(CONTROL)) {
      const char = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
      out.push(
        report("TRC1024", "controlCharacter", { char }, inToken(spans(), token, m.index ?? 0, 1), {
          hint: "delete it; write \\t for a tab",
        }),
      );
    }
    for (const m of token.image.matchAll(/\\(.?)/g)) {
      const escaped = m[1] ?? "";
      if (escaped === "" || '"\\nt'.includes(escaped)) continue;
      out.push(
        report("TRC1010", "unknownEscape", { escape: escaped }, inToken(spans(), token, m.index ?? 0, 2), {
          hint: 'the escapes are \\" \\\\ \\n and \\t; write \\\\ for a backslash',
        }),
      );
    }
  }
  return out;
}
