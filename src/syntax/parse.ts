/**
 * The front end's entry points: text (or a file) in, AST and diagnostics out.
 *
 * Stages, in order, each reporting instead of throwing:
 *   1. decoding  size (TRC1003), text-ness (NUL bytes, invalid UTF-8: TRC1002), emptiness (TRC1004)
 *   2. lexing    unexpected characters, unknown escapes, unclosed comments (TRC1010),
 *                unterminated strings (TRC1011)
 *   3. parsing   one TRC1020 per syntax error; recovery lets one run report them all
 *   4. CST → AST whatever could be read, even when there were syntax errors
 * `parseTrial` and `parseTrialBytes` never throw, whatever the input. Reading a file is
 * the caller's (`src/cli/source.ts`): this stage does no I/O.
 */
import { EOF, type CstNode, type IRecognitionException, type IToken } from "chevrotain";
import type { Decl, Span, TrialFile } from "../ast/nodes.js";
import { report, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DeclarationCstNode, ElementCstNode, TrialFileCstNode } from "../../grammar/generated/cst.js";
import { trialParser } from "../../grammar/parser.js";
import * as T from "../../grammar/tokens.js";
import { BuildContext } from "./build-context.js";
import { lexDiagnostics, pointAt, wholeFileSpan } from "./lex-diagnostics.js";
import { declarationAst, declarations, takeElement, wholeFile } from "./to-ast.js";

/** The largest protocol accepted, in bytes of UTF-8. */
export const MAX_BYTES = 2 * 1024 * 1024;

/** What the front end returns: an AST when one could be built, and every diagnostic. */
export interface ParseResult {
  /** Null only when the text could not be parsed at all (too large, binary, empty). */
  ast: TrialFile | null;
  /** Sorted by position; empty when the file is syntactically correct. */
  diagnostics: Diagnostic[];
  /** The source text, when it could be read and decoded (what spans index into). */
  text?: string;
}

/** Parse the text of a `.trial` file. `file` is copied into every span. Never throws. */
export function parseTrial(text: string, file: string): ParseResult {
  try {
    return parseText(text, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ast: null,
      diagnostics: [report("TRC1020", "internalParser", { message }, pointAt(file, "", 0))],
    };
  }
}

/** Parse the bytes of a `.trial` file, checking size and encoding before anything is decoded. Never throws. */
export function parseTrialBytes(bytes: Uint8Array, path: string): ParseResult {
  const start = wholeFileSpan(path);
  try {
    if (bytes.length > MAX_BYTES) return tooLarge(bytes.length, start);
    const nul = bytes.indexOf(0);
    if (nul >= 0) return failed(report("TRC1002", "nulCharacter", {}, byteSpan(path, bytes, nul)));
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) return failed(report("TRC1002", "notUtf8", {}, byteSpan(path, bytes, bad)));
    return parseTrial(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(report("TRC1020", "internalParser", { message }, start));
  }
}

/** A parse that stopped before the AST, with its one diagnostic. */
export function failed(d: Diagnostic): ParseResult {
  return { ast: null, diagnostics: [d] };
}

/** TRC1003 for a text or file of `bytes` bytes. */
export function tooLarge(bytes: number, span: Span): ParseResult {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  return failed(report("TRC1003", "tooLarge", { size: mb(bytes), max: mb(MAX_BYTES) }, span));
}

function parseText(text: string, file: string): ParseResult {
  if (typeof text !== "string") return failed(report("TRC1002", "notText", {}, wholeFileSpan(file)));
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_BYTES) return tooLarge(bytes, wholeFileSpan(file));
  const binary = /\u0000|\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (binary !== null) {
    const key = binary[0] === "\u0000" ? "nulCharacter" : "notUnicode";
    return failed(report("TRC1002", key, {}, pointAt(file, text, binary.index, 1)));
  }
  if (/^[\s\uFEFF]*$/.test(text))
    return Object.assign({}, failed(report("TRC1004", "empty", {}, pointAt(file, text, 0))), { text });

  // Lexing
  const lexed = T.offsetLexer.tokenize(text);
  const diagnostics = lexDiagnostics(lexed, text, file);
  const tokens = lexed.tokens;
  if (tokens.length === 0) {
    if (diagnostics.length === 0) diagnostics.push(report("TRC1004", "onlyComments", {}, pointAt(file, text, 0)));
    return { ast: null, diagnostics: sortDiagnostics(diagnostics), text };
  }

  // Nesting beyond what any protocol needs is refused before the (recursive) parser sees it.
  const tooDeep = nestingLimit(tokens, file, text);
  if (tooDeep) return { ast: null, diagnostics: sortDiagnostics([...diagnostics, tooDeep]), text };
  diagnostics.push(...numberLimits(tokens, file, text));

  // Parsing. Chevrotain's recovery normally resynchronises at the next declaration by
  // itself; should it give up early (NotAllInputParsed), parse again from the next one.
  // Until the first syntax error each declaration, and each element of a data block, is
  // built into the AST as soon as it is parsed (see `TrialParser.cstTaker`), so its CST
  // dies young; after one, the rest are built from the CST at the end, once it is known
  // the file has errors (a data block's elements built before it are kept, in order).
  const cx = new BuildContext(file, text, diagnostics, false);
  const built: Decl[] = [];
  let clean = true;
  trialParser.cstTaker = (cst, parent) => {
    if (clean && trialParser.errors.length > 0) clean = false;
    if (!clean) return false;
    if (cst.name === "element") takeElement(parent, cst as ElementCstNode, cx);
    else built.push(...declarationAst(cst as DeclarationCstNode, cx));
    return true;
  };
  const csts: TrialFileCstNode[] = [];
  const errors: IRecognitionException[] = [];
  let from = 0;
  trialParser.source = text;
  try {
    for (;;) {
      trialParser.input = from === 0 ? tokens : tokens.slice(from);
      csts.push(trialParser.trialFile() as TrialFileCstNode);
      errors.push(...trialParser.errors);
      const gaveUp = trialParser.errors.find((e) => e.name === "NotAllInputParsedException");
      const next =
        gaveUp === undefined
          ? -1
          : nextDeclarationStart(tokens, text, Math.max(from, tokens.indexOf(gaveUp.token)) + 1);
      if (next < 0) break;
      from = next;
    }
  } finally {
    // The shared parser would otherwise hold this file's tokens (40 MB for 10,000 criteria)
    // until the next parse: through check and build, or for good in the language server.
    trialParser.input = [];
    trialParser.cstTaker = null;
    trialParser.source = null;
  }
  const seen = new Set<number>();
  const consequence = consequenceOfLexError(tokens, diagnostics);
  for (const error of errors) {
    const span = errorSpan(error, file, text);
    if (seen.has(span.start)) continue; // one error per position, like TypeScript
    seen.add(span.start);
    if (consequence(error.token)) continue;
    // The grammar's own messages (grammar/messages.ts), passed through.
    diagnostics.push(report("TRC1020", "parser", { message: error.message }, span));
  }

  // CST → AST: what was not built as it was parsed.
  cx.hasSyntaxErrors = errors.length > 0;
  const decls = [...built, ...csts.flatMap((cst) => cx.attempt(cst as CstNode, () => declarations(cst, cx)) ?? [])];
  const ast: TrialFile = { kind: "TrialFile", file, decls, span: wholeFile(file, text) };
  return { ast, diagnostics: sortDiagnostics(diagnostics), text };
}

/**
 * The deepest nesting accepted: parentheses and braces open at once, or `not`s in a row.
 * Real protocols nest a handful of levels; the parser, the checker and the generated
 * code recurse once per level, and stay far within the stack at this depth.
 */
export const MAX_NESTING = 100;

/**
 * The most digits a number literal may have: as many as a data value may have
 * (`MAX_INPUT_DIGITS` in src/runtime/decimal.ts, which the front end may not import).
 */
const MAX_INPUT_DIGITS = 50;

/** A TRC1022 at the token that goes past {@link MAX_NESTING}, or null. Linear in the tokens. */
function nestingLimit(tokens: IToken[], file: string, text: string): Diagnostic | null {
  let depth = 0;
  let nots = 0;
  // Indexed loops over the tokens here: a for-of allocated an iterator result per token
  // (200,000 for 10,000 criteria) until V8 optimised the loop.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.LParen || t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RCurly) depth = Math.max(0, depth - 1);
    nots = t.tokenType === T.KwNot ? nots + 1 : 0;
    if (depth > MAX_NESTING || nots > MAX_NESTING)
      return report(
        "TRC1022",
        depth > MAX_NESTING ? "nestingTooDeep" : "tooManyNots",
        { max: MAX_NESTING },
        pointAt(file, text, t.startOffset, t.image.length),
      );
  }
  return null;
}

/** TRC1023 for every number literal with more digits than any measurement has. */
function numberLimits(tokens: IToken[], file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType !== T.NumberLiteral || t.image.length <= MAX_INPUT_DIGITS) continue; // no more digits than characters
    const digits = t.image.replace(".", "").replace(/^0+/, "").length;
    if (digits > MAX_INPUT_DIGITS)
      out.push(
        report(
          "TRC1023",
          "tooManyDigits",
          { max: MAX_INPUT_DIGITS, digits },
          pointAt(file, text, t.startOffset, t.image.length),
        ),
      );
  }
  return out;
}

/** Words that start a top-level declaration: where parsing restarts after giving up. */
const DECLARATION_STARTS = new Set(T.declarationKeywords);

/** Index of the next declaration keyword at or after `from`, preferring one that starts a line. */
function nextDeclarationStart(tokens: IToken[], text: string, from: number): number {
  let any = -1;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i] as IToken;
    if (!DECLARATION_STARTS.has(token.tokenType)) continue;
    const previous = tokens[i - 1];
    if (previous === undefined || T.lineBreakBetween(text, previous, token)) return i;
    if (any < 0) any = i;
  }
  return any;
}

/**
 * Whether a syntax error at `token` merely follows from a lexing error just before it:
 * a character the lexer dropped (`a ≥ 3`) or a string that swallowed the rest of its
 * line. Reporting those too would say the same thing twice.
 */
function consequenceOfLexError(tokens: IToken[], lexDiags: readonly Diagnostic[]): (token: IToken) => boolean {
  if (lexDiags.length === 0) return () => false;
  const indexOf = new Map(tokens.map((t, i) => [t.startOffset, i]));
  const dropped = lexDiags.filter((d) => d.code === "TRC1010").map((d) => d.span.start);
  return (token) => {
    const i = token === undefined ? undefined : indexOf.get(token.startOffset);
    const previous = i === undefined ? tokens[tokens.length - 1] : tokens[i - 1];
    if (previous === undefined) return false;
    if (previous.tokenType === T.UnterminatedString) return true;
    const from = previous.endOffset ?? previous.startOffset;
    const to = i === undefined ? Infinity : token.startOffset;
    return dropped.some((offset) => offset > from && offset < to);
  };
}

/** Where a syntax error points: the offending token, or just after the last token at end of file. */
function errorSpan(error: IRecognitionException, file: string, text: string): Span {
  const token = error.token;
  if (token !== undefined && token.tokenType !== EOF && !isNaN(token.startOffset)) {
    return pointAt(file, text, token.startOffset, token.image.length);
  }
  const previous = (error as { previousToken?: IToken }).previousToken;
  if (previous !== undefined && !isNaN(previous.endOffset ?? NaN))
    return pointAt(file, text, (previous.endOffset ?? 0) + 1);
  return pointAt(file, text, text.length);
}

/** Index of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const more = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (more < 0 || i + more > bytes.length - 1) return i;
    for (let k = 1; k <= more; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1] as number;
    if (
      (b === 0xe0 && second < 0xa0) ||
      (b === 0xed && second >= 0xa0) ||
      (b === 0xf0 && second < 0x90) ||
      (b === 0xf4 && second >= 0x90)
    )
      return i;
    i += more + 1;
  }
  return -1;
}

/**
 * Where the byte at `index` stands, counted as the lexer counts (lines end at LF, CR LF
 * or a lone CR; columns in UTF-16 units of the text before it on its line).
 */
function byteSpan(file: string, bytes: Uint8Array, index: number): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(lineStart, index)).length + 1;
  return { file, start: index, end: index + 1, line, column, endLine: line, endColumn: column + 1 };
}
