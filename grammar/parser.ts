/**
 * The `.trial` parser: a Chevrotain `CstParser` with error recovery.
 *
 * The grammar is split over four classes so that no file grows past a few hundred
 * lines: `ExpressionRules` (expressions.ts) ← `DeclarationRules` (declarations.ts) ←
 * `SectionRules` (sections.ts: schedule, toxicity, response) ← `TrialParser` (this
 * file: the top level, the configuration and the exported instance). The rules hold
 * syntax only; `src/syntax/to-ast.ts` turns the CST into the AST, and
 * `src/syntax/parse.ts` is the entry point that never throws.
 */
import { CstParser, type CstNode, type ISerializedGast } from "chevrotain";
import { SectionRules } from "./sections.js";
import { DECLARATION_WORDS, TrialErrorMessages } from "./messages.js";
import { TableLookahead, type LookaheadTable } from "./lookahead.js";
import { LOOKAHEAD } from "./generated/lookahead.js";
import { allTokens } from "./tokens.js";

/** The deepest lookahead any decision of the grammar needs. */
const MAX_LOOKAHEAD = 3;
import * as T from "./tokens.js";

/** Chevrotain's step that adds a finished rule's CST node to its parent's children (not in its typings). */
type PostNonTerminal = (this: CstParser, cst: CstNode, ruleName: string) => void;
const addToParent = (CstParser.prototype as unknown as { cstPostNonTerminal: PostNonTerminal }).cstPostNonTerminal;

/** The full grammar; use the `trialParser` singleton rather than constructing one per file. */
export class TrialParser extends SectionRules {
  /**
   * Set for one parse by `src/syntax/parse.ts` (null otherwise): offered each top-level
   * declaration's CST as soon as the declaration is parsed, and each element of a `data`
   * block as soon as the element is (with the block's node, still being parsed), it
   * returns whether it took it, and a taken one is left out of its parent's children.
   * parse.ts builds the AST there and then, so the CST of a large file is never held
   * whole: each declaration's and each element's dies young, where collecting it is
   * cheap, instead of surviving (and being copied by the collector) until the whole file,
   * or the whole data block of 10,000 elements, is parsed.
   */
  cstTaker: ((cst: CstNode, parent: CstNode) => boolean) | null = null;

  /** The message provider, kept to hand it the grammar after self-analysis. */
  private readonly messages: TrialErrorMessages;
  /** The lookahead, read from `generated/lookahead.ts` when it matches the grammar (`npm run grammar` writes it). */
  readonly lookahead: TableLookahead;

  /**
   * Build the grammar and run Chevrotain's self-analysis. With `validate`, the analysis
   * also checks the grammar for ambiguities and left recursion: that is most of the
   * parser's start-up, so the shared instance skips it and
   * `tests/grammar/validations.test.ts` builds a validating one. `table` holds the
   * lookahead paths computed ahead of time (tests pass another to see a stale one ignored).
   */
  constructor(validate = false, table: LookaheadTable | null = LOOKAHEAD) {
    const messages = new TrialErrorMessages();
    const lookahead = new TableLookahead(table, new Map(allTokens.map((t) => [t.name, t])), MAX_LOOKAHEAD);
    super({
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: lookahead,
      // Offsets only: lines and columns are computed for the nodes that need them (src/syntax/spans.ts).
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: messages,
      skipValidations: !validate,
    });
    this.messages = messages;
    this.lookahead = lookahead;
    this.performSelfAnalysis();
    this.messages.setGrammar(this.getGAstProductions());
  }

  // -------------------------------------------------------------------------
  // Top level
  // -------------------------------------------------------------------------

  /** A whole file: declarations in any order. */
  trialFile = this.RULE("trialFile", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  /** Chevrotain's hook after a subrule: a declaration or a data block's element goes to {@link cstTaker} when there is one. */
  protected cstPostNonTerminal(cst: CstNode, ruleName: string): void {
    addToParent.call(this, cst, ruleName);
    if (this.cstTaker === null || (ruleName !== "declaration" && ruleName !== "element")) return;
    const parent = (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.at(-1);
    if (parent === undefined || (ruleName === "element" && parent.name !== "dataDecl")) return;
    if (this.cstTaker(cst, parent)) parent.children[ruleName]?.pop();
  }

  /** One top-level declaration. */
  declaration = this.RULE("declaration", () => {
    this.OR(
      (this.alts.declaration ??= {
        ERR_MSG: `a declaration (${DECLARATION_WORDS})`,
        DEF: [
          { ALT: () => this.SUBRULE(this.trialDecl) },
          { ALT: () => this.SUBRULE(this.useDecl) },
          { ALT: () => this.SUBRULE(this.sourceDecl) },
          { ALT: () => this.SUBRULE(this.anchorDecl) },
          { ALT: () => this.SUBRULE(this.formDecl) },
          { ALT: () => this.SUBRULE(this.dataDecl) },
          { ALT: () => this.SUBRULE(this.criterionDecl) },
          { ALT: () => this.SUBRULE(this.defineDecl) },
          { ALT: () => this.SUBRULE(this.parameterDecl) },
          { ALT: () => this.SUBRULE(this.scheduleDecl) },
          { ALT: () => this.SUBRULE(this.toxicityDecl) },
          { ALT: () => this.SUBRULE(this.responseDecl) },
          { ALT: () => this.SUBRULE(this.objectivesDecl) },
          { ALT: () => this.SUBRULE(this.normaliseDecl) },
        ],
      }),
    );
  });

  /**
   * `normalise gfr from decimal mL/min to 1.73 m2 by bsa { trace* }`: a declared
   * conversion of a measured element's absolute values (`value × 1.73 m2 / BSA`), the
   * body-surface area from a data element or from a named formula of others
   * (`by du_bois(height, weight)`). `decimal` before the unit is what lets the lexer read
   * a unit there, as in the data dictionary; the checker wants a `source` in the block.
   */
  normaliseDecl = this.RULE("normaliseDecl", () => {
    this.CONSUME(T.KwNormalise);
    this.CONSUME1(T.Name);
    this.CONSUME(T.KwFrom);
    this.CONSUME(T.KwDecimal);
    this.CONSUME1(T.Unit);
    this.CONSUME(T.KwTo);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME2(T.Unit);
    this.CONSUME(T.KwBy);
    this.CONSUME2(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Name) });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => this.SUBRULE(this.traceBlock));
  });
}

/** The parser instance: Chevrotain parsers are reusable (set `input`, call a rule). */
export const trialParser = new TrialParser();

/**
 * The grammar as serialisable data, for the railroad diagrams, in reading order: the
 * top level first, then declarations and sections, then expressions. (Chevrotain lists
 * rules in definition order, which starts with the base class: the expressions.)
 */
export function getSerializedGrammar(): ISerializedGast[] {
  const rules = trialParser.getSerializedGastProductions() as (ISerializedGast & { name: string })[];
  const top = rules.filter((r) => r.name === "trialFile" || r.name === "declaration");
  const firstDeclarationRule = rules.findIndex((r) => r.name === "traceItem");
  const expressions = rules.slice(0, firstDeclarationRule);
  const rest = rules.slice(firstDeclarationRule).filter((r) => !top.includes(r));
  return [...top, ...rest, ...expressions];
}
