/**
 * `formatTrial`: the canonical layout of a `.trial` file (see `print-cst.ts`).
 *
 * Only a file that parses is formatted: with syntax errors the text is returned
 * untouched, with the diagnostics. Every declaration's formatted text is checked to
 * hold exactly the tokens of its source (whitespace aside); should the printer ever get
 * one wrong, that declaration is kept as written, so formatting can never change what
 * a protocol says. Formatting is idempotent: formatting the result changes nothing.
 */
import type { CstNode, IToken } from "chevrotain";
import { trialParser } from "../../grammar/parser.js";
import { COMMENTS, trialLexer } from "../../grammar/tokens.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseTrial } from "../syntax/parse.js";
import { printDoc } from "./doc.js";
import { childrenOf, CstPrinter } from "./print-cst.js";

/** The line width the layout aims for; longer lines happen only where nothing can break (a long string). */
export const PRINT_WIDTH = 120;

export type FormatResult =
  { ok: true; text: string; changed: boolean } | { ok: false; diagnostics: Diagnostic[]; text?: string };

/** Format a protocol's text; `file` names it in diagnostics. Never throws on bad input. */
export function formatTrial(text: string, file: string): FormatResult {
  const parsed = parseTrial(text, file);
  if (parsed.ast === null || hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics, text };
  const formatted = formatParsed(text);
  return { ok: true, text: formatted, changed: formatted !== text };
}

/** The token images of `text`, comments included (`withComments`) or not, in order. */
export function tokenImages(text: string, withComments: boolean): string[] {
  const lexed = trialLexer.tokenize(text);
  const tokens = withComments ? [...lexed.tokens, ...(lexed.groups[COMMENTS] ?? [])] : lexed.tokens;
  return tokens.sort((a, b) => a.startOffset - b.startOffset).map((t) => t.image);
}

const sameTokens = (a: string, b: string): boolean =>
  JSON.stringify(tokenImages(a, false)) === JSON.stringify(tokenImages(b, false));

/** Format text known to parse without errors. */
function formatParsed(text: string): string {
  const lexed = trialLexer.tokenize(text);
  const comments = [...((lexed.groups[COMMENTS] ?? []) as IToken[])].sort((a, b) => a.startOffset - b.startOffset);
  trialParser.input = lexed.tokens;
  const cst = trialParser.trialFile() as CstNode;
  const declarations = childrenOf(cst).filter((c): c is CstNode => (c as CstNode).children !== undefined);
  const entries = new CstPrinter(text, comments).file(declarations);
  const out: string[] = [];
  entries.forEach((entry, i) => {
    if (i > 0) out.push(entry.blankBefore ? "\n\n" : "\n");
    let printed = printDoc(entry.doc, PRINT_WIDTH);
    if (entry.source) {
      const original = text.slice(...entry.source);
      // The safety net: a declaration whose tokens changed is kept as written.
      if (!sameTokens(printed, original)) printed = original;
    }
    out.push(printed, printDoc(entry.trailing, PRINT_WIDTH));
  });
  return out.join("") + "\n";
}
