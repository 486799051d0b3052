/**
 * Syntax error messages in the protocol author's terms.
 *
 * Chevrotain's default messages speak of token type names ("Expecting token of type
 * --> RCurly <--"). These say what was expected in the words of the language:
 * `expected a criterion body ("rule", "all of" or "at least N of") but found "}"`.
 * Token labels come from `tokens.ts`; descriptions of alternatives come from the
 * `ERR_MSG` of each `OR` in the grammar; when a closing `}` is expected, the message
 * also lists what the block may contain, computed from the grammar itself.
 */
import {
  Alternation,
  Alternative,
  EOF,
  NonTerminal,
  Option,
  Repetition,
  RepetitionWithSeparator,
  Terminal,
  type IParserErrorMessageProvider,
  type IProduction,
  type IToken,
  type Rule,
  type TokenType,
} from "chevrotain";
import { declarationKeywords, RCurly } from "./tokens.js";

/** How a token type is named in a message: its label (`"rule"`, `a name`) or its name. */
export function describeTokenType(tokType: TokenType): string {
  return tokType.LABEL ?? tokType.name;
}

/** How a token found in the source is named in a message. */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return "the end of the file";
  let image = token.image;
  if (image.startsWith('"')) {
    // A string: shortened, and closed even if the source left it open.
    const body = image.length > 1 && image.endsWith('"') ? image.slice(1, -1) : image.slice(1);
    return `"${body.length > 30 ? body.slice(0, 27) + "..." : body}"`;
  }
  if (image.length > 30) image = image.slice(0, 27) + "...";
  return `"${image}"`;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "nothing";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/** The message provider given to the parser; `setGrammar` must be called once the rules exist. */
export class TrialErrorMessages implements IParserErrorMessageProvider {
  /** Rule name → what may start an item of the block that a `}` closes in that rule. */
  private blockContents = new Map<string, TokenType[]>();

  /** Learn, for every rule with a `{ item* }` block, what an item may start with. */
  setGrammar(rules: Record<string, Rule>): void {
    for (const rule of Object.values(rules)) {
      const firsts: TokenType[] = [];
      collectBeforeClose(rule.definition, firsts);
      if (firsts.length > 0) this.blockContents.set(rule.name, firsts);
    }
  }

  /** A token other than the one required: `expected "{" after "data" but found "x"`. */
  buildMismatchTokenMessage(options: {
    expected: TokenType;
    actual: IToken;
    previous: IToken;
    ruleName: string;
  }): string {
    if (options.expected === EOF)
      return this.buildNotAllInputParsedMessage({ firstRedundant: options.actual, ruleName: options.ruleName });
    let expected = describeTokenType(options.expected);
    const contents = options.expected === RCurly ? this.blockContents.get(options.ruleName) : undefined;
    if (contents !== undefined) expected = orList([...contents.map(describeTokenType), expected]);
    return `expected ${expected}${after(options.previous, options.actual)} but found ${describeToken(options.actual)}`;
  }

  /** Text left after the last complete declaration. */
  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    return `expected a declaration (${DECLARATION_WORDS}) but found ${describeToken(options.firstRedundant)}`;
  }

  /** No alternative matches: the `ERR_MSG` of the `OR`, or the tokens each alternative starts with. */
  buildNoViableAltMessage(options: {
    expectedPathsPerAlt: TokenType[][][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const expected =
      options.customUserDescription ?? orList(options.expectedPathsPerAlt.flatMap((paths) => paths.map(firstLabel)));
    return `expected ${expected} but found ${describeToken(options.actual[0])}`;
  }

  /** A required repetition with no item: `expected a string after "title" ...`. */
  buildEarlyExitMessage(options: {
    expectedIterationPaths: TokenType[][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const expected = options.customUserDescription ?? orList(options.expectedIterationPaths.map(firstLabel));
    return `expected ${expected}${after(options.previous, options.actual[0])} but found ${describeToken(options.actual[0])}`;
  }
}

/** The words that start a top-level declaration, quoted and listed: `"trial", "use", ... or "response"`. */
export const DECLARATION_WORDS = orList(declarationKeywords.map(describeTokenType));

/**
 * ` after "x"` naming the token before the error, or nothing when there is none or when
 * recovery has already skipped past the offending token (the "previous" token would then
 * come after it and mislead).
 */
function after(previous: IToken | undefined, actual: IToken | undefined): string {
  if (previous === undefined || previous.tokenType === EOF || isNaN(previous.startOffset)) return "";
  if (actual !== undefined && actual.tokenType !== EOF && previous.startOffset >= actual.startOffset) return "";
  return ` after ${describeToken(previous)}`;
}

function firstLabel(path: TokenType[]): string {
  const first = path[0];
  return first === undefined ? "nothing" : describeTokenType(first);
}

/** Find `item* }` sequences and collect what the items may start with. */
function collectBeforeClose(prods: readonly IProduction[], out: TokenType[]): void {
  prods.forEach((prod, i) => {
    const next = prods[i + 1];
    if (prod instanceof Repetition && next instanceof Terminal && next.terminalType === RCurly) {
      firstOf(prod.definition, out, new Set());
    }
    const nested = (prod as { definition?: IProduction[] }).definition;
    if (Array.isArray(nested) && !(prod instanceof NonTerminal)) collectBeforeClose(nested, out);
  });
}

/** The tokens a sequence of productions may start with (a small FIRST set computation). */
function firstOf(prods: readonly IProduction[], out: TokenType[], seen: Set<string>): boolean {
  for (const prod of prods) {
    if (!firstOfOne(prod, out, seen)) return false;
  }
  return true;
}

/** Adds FIRST(prod) to `out`; returns whether `prod` may match nothing. */
function firstOfOne(prod: IProduction, out: TokenType[], seen: Set<string>): boolean {
  if (prod instanceof Terminal) {
    if (!out.includes(prod.terminalType)) out.push(prod.terminalType);
    return false;
  }
  if (prod instanceof NonTerminal) {
    if (seen.has(prod.nonTerminalName)) return false;
    seen.add(prod.nonTerminalName);
    return firstOf(prod.referencedRule.definition, out, seen);
  }
  if (prod instanceof Alternation) {
    let nullable = false;
    for (const alt of prod.definition)
      nullable = firstOf(alt instanceof Alternative ? alt.definition : [alt], out, seen) || nullable;
    return nullable;
  }
  const definition = (prod as { definition?: IProduction[] }).definition ?? [];
  const nullable = firstOf(definition, out, seen);
  return nullable || prod instanceof Option || prod instanceof Repetition || prod instanceof RepetitionWithSeparator;
}
