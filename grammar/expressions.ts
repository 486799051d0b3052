/**
 * Expression rules of the `.trial` grammar: the base of the parser class chain
 * (`ExpressionRules` ← `DeclarationRules` ← `TrialParser`).
 *
 * Precedence, lowest to highest:
 *   expression     if C then A [else B]  |  orExpression
 *   orExpression   and-expressions joined by `or`
 *   andExpression  not-expressions joined by `and`
 *   notExpression  `not` notExpression  |  relation
 *   relation       additive followed by at most one relational tail:
 *                  `< <= > >= = !=` additive, `in (a, b)`, `within D before|after X`,
 *                  `at least D before|after X`, `between L and H`, `before|after X`
 *   additive       primaries joined by `+` / `-`
 *   primary        number [unit | x ULN|LLN], string, true/false, name, name.field,
 *                  name(args), ( expression ), any|all|none|count name [where expression],
 *                  cumulative|projected organ, grade term
 *
 * The operands of the relational tails are additive expressions, so the `and` in
 * `between D0 - 4 wk and D0 - 1 d` can never be read as a conjunction.
 * Rules hold syntax only; `src/syntax/to-ast.ts` builds the AST from the CST.
 */
import {
  CstParser,
  tokenMatcher,
  type DSLMethodOpts,
  type IOrAlt,
  type IParserConfig,
  type IToken,
  type OrMethodOpts,
} from "chevrotain";
import * as T from "./tokens.js";

/** The expression half of the grammar; extended by `DeclarationRules`. */
export abstract class ExpressionRules extends CstParser {
  /** Forward the configuration; the most derived class calls `performSelfAnalysis`. */
  constructor(config: IParserConfig) {
    super(T.allTokens, config);
  }

  /**
   * The alternatives of every `OR`, and the `{ GATE, DEF }` options of every gated
   * `OPTION` and `MANY`, of every rule, by call site (`rule`, `rule2` for `OR2`,
   * `rule_many1` for `MANY1`: unique, as Chevrotain wants each call site's method and
   * index to be in its rule). Written inline, `this.OR([{ ALT: () => ... }, ...])` builds
   * an array of objects and closures on every call of the rule: 30 % of what parsing
   * 10,000 criteria allocated, and under tsx, which names each such closure as it is
   * made, half of the parser's time. They are built on a rule's first call instead
   * (Chevrotain's recording pass, when the parser is complete, so every rule and gate
   * they name exists) and reused by every parse: they read only `this`, never a value
   * of the call that built them.
   */
  protected readonly alts: Record<string, IOrAlt<unknown>[] | OrMethodOpts<unknown>> = {};
  /** The options of the gated `OPTION`s and `MANY`s: see {@link alts}. */
  protected readonly opts: Record<string, DSLMethodOpts<unknown>> = {};

  /**
   * The text the input's tokens index into, set for one parse by `src/syntax/parse.ts`,
   * whose lexer tracks offsets only (lines and columns on 200,000 tokens were a third of
   * lexing): {@link sameLine} reads it for tokens that carry no line.
   */
  source: string | null = null;

  /** Whether no line ends between the end of `a` and the start of `b` (`a` before `b`). */
  protected sameLine(a: IToken | undefined, b: IToken | undefined): boolean {
    if (a === undefined || b === undefined) return false;
    if (a.endLine !== undefined || b.startLine !== undefined) return a.endLine === b.startLine; // lines tracked
    const text = this.source;
    if (text === null || a.endOffset === undefined || isNaN(a.endOffset) || isNaN(b.startOffset)) return false;
    return !T.lineBreakBetween(text, a, b);
  }

  /** A full expression: `if ... then ... [else ...]` or an `or` chain. */
  expression = this.RULE("expression", () => {
    this.OR(
      (this.alts.expression ??= {
        ERR_MSG: "an expression",
        DEF: [{ ALT: () => this.SUBRULE(this.ifExpression) }, { ALT: () => this.SUBRULE(this.orExpression) }],
      }),
    );
  });

  /** `if C then A [else B]`; a dangling `else` belongs to the nearest `if`. */
  ifExpression = this.RULE("ifExpression", () => {
    this.CONSUME(T.KwIf);
    this.SUBRULE1(this.expression);
    this.CONSUME(T.KwThen);
    this.SUBRULE2(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.KwElse);
      this.SUBRULE3(this.expression);
    });
  });

  /** `a or b or c` (left-associative). */
  orExpression = this.RULE("orExpression", () => {
    this.SUBRULE1(this.andExpression);
    this.MANY(() => {
      this.CONSUME(T.KwOr);
      this.SUBRULE2(this.andExpression);
    });
  });

  /** `a and b and c` (left-associative). */
  andExpression = this.RULE("andExpression", () => {
    this.SUBRULE1(this.notExpression);
    this.MANY(() => {
      this.CONSUME(T.KwAnd);
      this.SUBRULE2(this.notExpression);
    });
  });

  /** `not x`, binding looser than comparisons: `not a = b` is `not (a = b)`. */
  notExpression = this.RULE("notExpression", () => {
    this.OR(
      (this.alts.notExpression ??= {
        ERR_MSG: "an expression",
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwNot);
              this.SUBRULE(this.notExpression);
            },
          },
          { ALT: () => this.SUBRULE(this.relation) },
        ],
      }),
    );
  });

  /** An additive expression with at most one relational tail. */
  relation = this.RULE("relation", () => {
    this.SUBRULE(this.additive);
    // `at` is a tail only as `at least` (it is otherwise a name, e.g. a next element `at: datetime`).
    this.OPTION(
      (this.opts.relation_option ??= {
        GATE: () => this.LA(1).tokenType !== T.KwAt || this.LA(2).tokenType === T.KwLeast,
        DEF: () =>
          this.OR(
            (this.alts.relation ??= [
              { ALT: () => this.SUBRULE(this.compareTail) },
              { ALT: () => this.SUBRULE(this.inTail) },
              { ALT: () => this.SUBRULE(this.withinTail) },
              { ALT: () => this.SUBRULE(this.atLeastTail) },
              { ALT: () => this.SUBRULE(this.betweenTail) },
              { ALT: () => this.SUBRULE(this.beforeAfterTail) },
            ]),
          ),
      }),
    );
  });

  /** `>= 18 a`: one comparison operator and its right operand. */
  compareTail = this.RULE("compareTail", () => {
    this.OR((this.alts.compareTail ??= T.comparisonTokens.map((tok) => ({ ALT: () => this.CONSUME(tok) }))));
    this.SUBRULE(this.additive);
  });

  /** `in (pancreas, stomach)`: membership in a list of code values. */
  inTail = this.RULE("inTail", () => {
    this.CONSUME(T.KwIn);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Name) });
    this.CONSUME(T.RParen);
  });

  /** `within 12 mo before inclusion`. */
  withinTail = this.RULE("withinTail", () => {
    this.CONSUME(T.KwWithin);
    this.SUBRULE1(this.additive);
    this.SUBRULE(this.direction);
    this.SUBRULE2(this.additive);
  });

  /** `at least 4 wk before D0`. */
  atLeastTail = this.RULE("atLeastTail", () => {
    this.CONSUME(T.KwAt);
    this.CONSUME(T.KwLeast);
    this.SUBRULE1(this.additive);
    this.SUBRULE(this.direction);
    this.SUBRULE2(this.additive);
  });

  /** `between D0 - 4 wk and D0 - 1 d` (closed on both ends). */
  betweenTail = this.RULE("betweenTail", () => {
    this.CONSUME(T.KwBetween);
    this.SUBRULE1(this.additive);
    this.CONSUME(T.KwAnd);
    this.SUBRULE2(this.additive);
  });

  /** `before first_study_procedure_at` / `after X` (strict). */
  beforeAfterTail = this.RULE("beforeAfterTail", () => {
    this.SUBRULE(this.direction);
    this.SUBRULE(this.additive);
  });

  /** `before` or `after`. */
  direction = this.RULE("direction", () => {
    this.OR(
      (this.alts.direction ??= {
        ERR_MSG: '"before" or "after"',
        DEF: [{ ALT: () => this.CONSUME(T.KwBefore) }, { ALT: () => this.CONSUME(T.KwAfter) }],
      }),
    );
  });

  /** `D0 - 4 wk`, `cycle + 1 d` (left-associative). */
  additive = this.RULE("additive", () => {
    this.SUBRULE1(this.primary);
    this.MANY(() => {
      this.OR((this.alts.additive ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]));
      this.SUBRULE2(this.primary);
    });
  });

  /**
   * The operands: literals, names, calls, paths, parentheses and the special forms.
   * `any`, `all`, `none`, `count`, `cumulative`, `projected` and `grade` are soft
   * keywords: they start their special form only when a name follows on the same
   * line, and are otherwise plain names (`grade < 2`, `site = none`). The special
   * forms therefore come before `nameTerm`.
   */
  primary = this.RULE("primary", () => {
    this.OR(
      (this.alts.primary ??= {
        ERR_MSG: "a value (a number, a quantity, a string, true, false, a name or an expression in parentheses)",
        DEF: [
          { ALT: () => this.SUBRULE(this.numberTerm) },
          { ALT: () => this.CONSUME(T.StringLiteral) },
          { ALT: () => this.CONSUME(T.KwTrue) },
          { ALT: () => this.CONSUME(T.KwFalse) },
          { GATE: this.nameFollows, ALT: () => this.SUBRULE(this.quantifier) },
          { GATE: this.nameFollows, ALT: () => this.SUBRULE(this.organDose) },
          { GATE: this.nameFollows, ALT: () => this.SUBRULE(this.gradeOf) },
          { ALT: () => this.SUBRULE(this.parenExpression) },
          { ALT: () => this.SUBRULE(this.nameTerm) },
        ],
      }),
    );
  });

  /** Whether the token after the next is a name on the same line (`grade anemia`). */
  private nameFollows = (): boolean => {
    const word = this.LA(1);
    const next = this.LA(2);
    return tokenMatcher(next, T.Name) && this.sameLine(word, next);
  };

  /**
   * `18`, `-30 %`, `9 g/dL`, `2 x ULN`. The `x ULN` suffix is gated on two tokens so that
   * a following name `x` (e.g. the next data element) is never taken for it.
   */
  numberTerm = this.RULE("numberTerm", () => {
    this.OPTION1(() => this.CONSUME(T.Minus));
    this.CONSUME(T.NumberLiteral);
    this.OPTION2(
      (this.opts.numberTerm_option2 ??= {
        GATE: () => {
          const next = this.LA(1).tokenType;
          if (next === T.Unit) return true;
          const after = this.LA(2).tokenType;
          return next === T.KwX && (after === T.KwULN || after === T.KwLLN);
        },
        DEF: () => {
          this.OR(
            (this.alts.numberTerm ??= [
              { ALT: () => this.CONSUME(T.Unit) },
              {
                ALT: () => {
                  this.CONSUME(T.KwX);
                  this.OR2(
                    (this.alts.numberTerm2 ??= [
                      { ALT: () => this.CONSUME(T.KwULN) },
                      { ALT: () => this.CONSUME(T.KwLLN) },
                    ]),
                  );
                },
              },
            ]),
          );
        },
      }),
    );
  });

  /** A signed number without unit: the bounds of `range -100 to 1000`. */
  signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.CONSUME(T.NumberLiteral);
  });

  /** `name`, `record.field` or `function(arg, ...)`. */
  nameTerm = this.RULE("nameTerm", () => {
    this.CONSUME1(T.Name);
    this.OPTION(() => {
      this.OR(
        (this.alts.nameTerm ??= [
          {
            ALT: () => {
              this.CONSUME(T.Dot);
              this.CONSUME2(T.Name);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.LParen);
              this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
              this.CONSUME(T.RParen);
            },
          },
        ]),
      );
    });
  });

  /** `( expression )`. */
  parenExpression = this.RULE("parenExpression", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** `any lesions where ...`: the `where` expression extends as far as possible. */
  quantifier = this.RULE("quantifier", () => {
    this.OR(
      (this.alts.quantifier ??= [
        { ALT: () => this.CONSUME(T.KwAny) },
        { ALT: () => this.CONSUME(T.KwAll) },
        { ALT: () => this.CONSUME(T.KwNone) },
        { ALT: () => this.CONSUME(T.KwCount) },
      ]),
    );
    this.CONSUME(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.KwWhere);
      this.SUBRULE(this.expression);
    });
  });

  /** `cumulative kidneys`, `projected bone_marrow`. */
  organDose = this.RULE("organDose", () => {
    this.OR(
      (this.alts.organDose ??= [
        { ALT: () => this.CONSUME(T.KwCumulative) },
        { ALT: () => this.CONSUME(T.KwProjected) },
      ]),
    );
    this.CONSUME(T.Name);
  });

  /** `grade platelet_count_decreased`. */
  gradeOf = this.RULE("gradeOf", () => {
    this.CONSUME(T.KwGrade);
    this.CONSUME(T.Name);
  });
}
