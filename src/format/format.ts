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

/**
 * The shape of a parse: rule names and token images, nested. Line breaks matter to the
 * grammar (`grade anemia` is one form only on one line), so equal tokens are not enough:
 * a formatted declaration must parse to the same tree.
 */
function shape(node: CstNode): string {
  return `${node.name}(${childrenOf(node)
    .map((c) => ((c as CstNode).children ? shape(c as CstNode) : JSON.stringify((c as IToken).image)))
    .join(" ")})`;
}

/** The shape of `text` parsed alone as one declaration, or null when it does not parse so. */
function declarationShape(text: string): string | null {
  const lexed = trialLexer.tokenize(text);
  if (lexed.errors.length > 0) return null;
  trialParser.input = lexed.tokens;
  const cst = trialParser.trialFile() as CstNode;
  const decls = childrenOf(cst);
  return trialParser.errors.length === 0 && decls.length === 1 ? shape(decls[0] as CstNode) : null;
}

/** Format text known to parse without errors. */
function formatParsed(text: string): string {
  const lexed = trialLexer.tokenize(text);
  const comments = [...((lexed.groups[COMMENTS] ?? []) as IToken[])].sort((a, b) => a.startOffset - b.startOffset);
  trialParser.input = lexed.tokens;
  const cst = trialParser.trialFile() as CstNode;
  const declarations = childrenOf(cst).filter((c): c is CstNode => (c as CstNode).children !== undefined);
  const entries = new CstPrinter(text, comments).file(declarations);
  const shapes = new Map(declarations.map((d) => [d.location?.startOffset, shape(d)]));
  const out: string[] = [];
  entries.forEach((entry, i) => {
    if (i > 0) out.push(entry.blankBefore ? "\n\n" : "\n");
    let printed = printDoc(entry.doc, PRINT_WIDTH);
    if (entry.source) {
      const original = text.slice(...entry.source);
      // The safety net: a declaration whose parse would change is kept as written.
      if (declarationShape(printed) !== shapes.get(entry.source[0])) printed = original;
    }
    out.push(printed, printDoc(entry.trailing, PRINT_WIDTH));
  });
  return out.join("") + "\n";
}
