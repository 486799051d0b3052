/**
 * Declaration rules of the `.trial` grammar, part one: traceability items, the trial
 * block, `use`, `source`, `anchor`, `form`, the data dictionary, criteria, `define`
 * and `parameter`. Schedule, toxicity, response and the top level are in `parser.ts`.
 *
 * Wherever a name is expected the rules consume the `Name` token category, which
 * matches identifiers and soft keywords alike (`date: date`, `anchor cycle`).
 */
import type { IParserConfig } from "chevrotain";
import { ExpressionRules } from "./expressions.js";
import * as T from "./tokens.js";

/** Declarations that are not sections; extended by `TrialParser`. */
export abstract class DeclarationRules extends ExpressionRules {
  /** Forward the configuration; the most derived class calls `performSelfAnalysis`. */
  constructor(config: IParserConfig) {
    super(config);
  }

  // -------------------------------------------------------------------------
  // Traceability
  // -------------------------------------------------------------------------

  /** What every traceable block may contain: `cite`, `interpretation`, `source`. */
  traceItem = this.RULE("traceItem", () => {
    this.OR(
      (this.alts.traceItem ??= {
        ERR_MSG: '"cite", "interpretation" or "source"',
        DEF: [
          { ALT: () => this.SUBRULE(this.cite) },
          { ALT: () => this.SUBRULE(this.interpretation) },
          { ALT: () => this.SUBRULE(this.sourceRef) },
        ],
      }),
    );
  });

  /** `cite seed "protocol words"`. */
  cite = this.RULE("cite", () => {
    this.CONSUME(T.KwCite);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
  });

  /**
   * `interpretation "reading" [ref "where"] [source name]*`. A `source` belongs to the
   * interpretation only when written on the same line; on a line of its own it is a
   * separate `source` item of the enclosing block.
   */
  interpretation = this.RULE("interpretation", () => {
    this.CONSUME(T.KwInterpretation);
    this.CONSUME1(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.KwRef);
      this.CONSUME2(T.StringLiteral);
    });
    this.MANY(
      (this.opts.interpretation_many ??= {
        GATE: () => this.sameLine(this.LA(0), this.LA(1)),
        DEF: () => {
          this.CONSUME(T.KwSource);
          this.CONSUME(T.Name);
        },
      }),
    );
  });

  /** `source emami1991`. */
  sourceRef = this.RULE("sourceRef", () => {
    this.CONSUME(T.KwSource);
    this.CONSUME(T.Name);
  });

  /** `{ trace* }`: the optional block of a parameter or a toxicity rule. */
  traceBlock = this.RULE("traceBlock", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.traceItem));
    this.CONSUME(T.RCurly);
  });

  // -------------------------------------------------------------------------
  // Trial metadata, libraries, sources, anchors, forms
  // -------------------------------------------------------------------------

  /** `trial "NCT..." { key "value"... interpretation ... }`. */
  trialDecl = this.RULE("trialDecl", () => {
    this.CONSUME(T.KwTrial);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    // A metadata key is never a declaration keyword: `use ...` after a missing `}` ends the
    // block. (`source` is also a trace item, so it does not end it.)
    this.MANY(
      (this.opts.trialDecl_many ??= {
        GATE: () => this.LA(1).tokenType === T.KwSource || !T.declarationKeywords.includes(this.LA(1).tokenType),
        DEF: () =>
          this.OR(
            (this.alts.trialDecl ??= [
              { ALT: () => this.SUBRULE(this.traceItem) },
              { ALT: () => this.SUBRULE(this.metaProperty) },
            ]),
          ),
      }),
    );
    this.CONSUME(T.RCurly);
  });

  /**
   * `phase "3"`, `official title "..."`, `registry "EudraCT" "2012-003666-41"`; a value the
   * protocol text does not give names where it comes from: `acronym "LuMEn" from domain`.
   */
  metaProperty = this.RULE("metaProperty", () => {
    this.CONSUME1(T.Name);
    this.OPTION1(() => this.CONSUME2(T.Name));
    this.AT_LEAST_ONE(() => this.CONSUME(T.StringLiteral));
    this.OPTION2(() => {
      this.CONSUME(T.KwFrom);
      this.CONSUME3(T.Name);
    });
  });

  /** `use ctcae "4.03"`. */
  useDecl = this.RULE("useDecl", () => {
    this.CONSUME(T.KwUse);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
  });

  /** `source emami1991 "citation" literature`. */
  sourceDecl = this.RULE("sourceDecl", () => {
    this.CONSUME(T.KwSource);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OR(
      (this.alts.sourceDecl ??= {
        ERR_MSG: 'the kind of source ("protocol", "literature", "standard" or "reference")',
        DEF: [
          { ALT: () => this.CONSUME(T.KwProtocol) },
          { ALT: () => this.CONSUME(T.KwLiterature) },
          { ALT: () => this.CONSUME(T.KwStandard) },
          { ALT: () => this.CONSUME(T.KwReference) },
        ],
      }),
    );
  });

  /** `anchor cycle "label" [repeating]`. */
  anchorDecl = this.RULE("anchorDecl", () => {
    this.CONSUME(T.KwAnchor);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => this.CONSUME(T.KwRepeating));
  });

  /** `form labs "Laboratory"`. */
  formDecl = this.RULE("formDecl", () => {
    this.CONSUME(T.KwForm);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
  });

  // -------------------------------------------------------------------------
  // Data dictionary
  // -------------------------------------------------------------------------

  /** `data { element* }`. */
  dataDecl = this.RULE("dataDecl", () => {
    this.CONSUME(T.KwData);
    this.CONSUME(T.LCurly);
    this.MANY((this.opts.dataDecl_many ??= { GATE: this.elementStarts, DEF: () => this.SUBRULE(this.element) }));
    this.CONSUME(T.RCurly);
  });

  /**
   * Whether the next tokens start an element: any name, except a declaration keyword
   * not followed by `:` (`inclusion I1 ...` after a missing `}` ends the block).
   */
  private elementStarts = (): boolean =>
    !T.declarationKeywords.includes(this.LA(1).tokenType) || this.LA(2).tokenType === T.Colon;

  /**
   * `name: type attribute*`, where a `records` element ends with `{ field* }`.
   * The attribute loop stops before `word :` so that a next element named like an
   * attribute keyword (`form: text`) starts a new element.
   */
  element = this.RULE("element", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.OR(
      (this.alts.element ??= {
        ERR_MSG: "a type (decimal, integer, boolean, date, datetime, text, code(...), attestation by ..., records)",
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwRecords);
              this.MANY1(
                (this.opts.element_many1 ??= {
                  GATE: this.notNextElement,
                  DEF: () => this.SUBRULE1(this.elementAttribute),
                }),
              );
              this.CONSUME(T.LCurly);
              this.MANY2(
                (this.opts.element_many2 ??= { GATE: this.elementStarts, DEF: () => this.SUBRULE(this.element) }),
              );
              this.CONSUME(T.RCurly);
            },
          },
          {
            ALT: () => {
              this.SUBRULE(this.scalarType);
              this.MANY3(
                (this.opts.element_many3 ??= {
                  GATE: this.notNextElement,
                  DEF: () => this.SUBRULE2(this.elementAttribute),
                }),
              );
            },
          },
        ],
      }),
    );
  });

  /** Whether the next tokens are not `word :`, which starts the next element. */
  private notNextElement = (): boolean => this.LA(2).tokenType !== T.Colon;

  /** Every type but `records`: `decimal [unit]`, `code(a "A", ...)`, `attestation by patient`... */
  scalarType = this.RULE("scalarType", () => {
    this.OR(
      (this.alts.scalarType ??= [
        {
          ALT: () => {
            this.CONSUME(T.KwDecimal);
            this.OPTION(() => this.CONSUME(T.Unit));
          },
        },
        { ALT: () => this.CONSUME(T.KwInteger) },
        { ALT: () => this.CONSUME(T.KwBoolean) },
        { ALT: () => this.CONSUME(T.KwDate) },
        { ALT: () => this.CONSUME(T.KwDatetime) },
        { ALT: () => this.CONSUME(T.KwText) },
        {
          ALT: () => {
            this.CONSUME(T.KwCode);
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.codeOption) });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwAttestation);
            this.CONSUME(T.KwBy);
            this.OR2(
              (this.alts.scalarType2 ??= {
                ERR_MSG: '"investigator" or "patient"',
                DEF: [{ ALT: () => this.CONSUME(T.KwInvestigator) }, { ALT: () => this.CONSUME(T.KwPatient) }],
              }),
            );
          },
        },
      ]),
    );
  });

  /** `female "Female" [code SNOMED "248152002"]*`: one value of a code list. */
  codeOption = this.RULE("codeOption", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.MANY(() => this.SUBRULE(this.codeBinding));
  });

  /** `code LOINC "718-7"`: a standard code bound to an element, a field or a code value. */
  codeBinding = this.RULE("codeBinding", () => {
    this.CONSUME(T.KwCode);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
  });

  /** One attribute of an element, in any order. */
  elementAttribute = this.RULE("elementAttribute", () => {
    this.OR(
      (this.alts.elementAttribute ??= [
        { ALT: () => this.CONSUME(T.StringLiteral) },
        {
          ALT: () => {
            this.CONSUME(T.KwForm);
            this.CONSUME(T.Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwRange);
            this.SUBRULE1(this.signedNumber);
            this.CONSUME(T.KwTo);
            this.SUBRULE2(this.signedNumber);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwWith);
            this.OR2(
              (this.alts.elementAttribute2 ??= [
                { ALT: () => this.CONSUME(T.KwULN) },
                { ALT: () => this.CONSUME(T.KwLLN) },
              ]),
            );
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwMolar);
            this.CONSUME(T.KwMass);
            this.CONSUME(T.NumberLiteral);
            this.CONSUME(T.Unit);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwRequired);
            this.CONSUME(T.KwWhen);
            this.SUBRULE(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwCapture);
            this.CONSUME(T.KwOnly);
          },
        },
        { ALT: () => this.SUBRULE(this.codeBinding) },
        {
          // `noun "somatostatin receptor scan" [plural "somatostatin receptor scans"]`
          ALT: () => {
            this.CONSUME(T.KwNoun);
            this.CONSUME3(T.StringLiteral);
            this.OPTION3(() => {
              this.CONSUME(T.KwPlural);
              this.CONSUME4(T.StringLiteral);
            });
          },
        },
        {
          // `select latest [by "method"] [between D0 - 4 wk and D0 - 1 d]`
          ALT: () => {
            this.CONSUME(T.KwSelect);
            this.CONSUME(T.KwLatest);
            this.OPTION1(() => {
              this.CONSUME(T.KwBy);
              this.CONSUME2(T.StringLiteral);
            });
            this.OPTION2(() => {
              this.CONSUME(T.KwBetween);
              this.SUBRULE1(this.additive);
              this.CONSUME(T.KwAnd);
              this.SUBRULE2(this.additive);
            });
          },
        },
      ]),
    );
  });

  // -------------------------------------------------------------------------
  // Criteria, definitions, parameters
  // -------------------------------------------------------------------------

  /** `inclusion I1 "text" { ... }` or `exclusion E2 "text" { ... }`. */
  criterionDecl = this.RULE("criterionDecl", () => {
    this.OR(
      (this.alts.criterionDecl ??= [
        { ALT: () => this.CONSUME(T.KwInclusion) },
        { ALT: () => this.CONSUME(T.KwExclusion) },
      ]),
    );
    this.SUBRULE(this.criterionRest);
  });

  /** `criterion I3a "text" { ... }` inside `all of` / `at least N of`. */
  subCriterion = this.RULE("subCriterion", () => {
    this.CONSUME(T.KwCriterion);
    this.SUBRULE(this.criterionRest);
  });

  /** `ID "text" { trace* body trace* }`. */
  criterionRest = this.RULE("criterionRest", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY1(() => this.SUBRULE1(this.traceItem));
    this.SUBRULE(this.criterionBody);
    this.MANY2(() => this.SUBRULE2(this.traceItem));
    this.CONSUME(T.RCurly);
  });

  /** `rule EXPR`, `all of { criterion* }` or `at least N of { criterion* }`. */
  criterionBody = this.RULE("criterionBody", () => {
    this.OR(
      (this.alts.criterionBody ??= {
        ERR_MSG: 'a criterion body ("rule", "all of" or "at least N of")',
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwRule);
              this.SUBRULE(this.expression);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.KwAll);
              this.CONSUME1(T.KwOf);
              this.SUBRULE1(this.criterionGroup);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.KwAt);
              this.CONSUME(T.KwLeast);
              this.CONSUME(T.NumberLiteral);
              this.CONSUME2(T.KwOf);
              this.SUBRULE2(this.criterionGroup);
            },
          },
        ],
      }),
    );
  });

  /** `{ criterion* }`. */
  criterionGroup = this.RULE("criterionGroup", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.subCriterion));
    this.CONSUME(T.RCurly);
  });

  /** `define name(params) "label" { trace* rule EXPR trace* }`. */
  defineDecl = this.RULE("defineDecl", () => {
    this.CONSUME(T.KwDefine);
    this.CONSUME1(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Name) });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY1(() => this.SUBRULE1(this.traceItem));
    this.CONSUME(T.KwRule);
    this.SUBRULE(this.expression);
    this.MANY2(() => this.SUBRULE2(this.traceItem));
    this.CONSUME(T.RCurly);
  });

  /** `parameter name "label" = EXPR [{ trace* }]`. */
  parameterDecl = this.RULE("parameterDecl", () => {
    this.CONSUME(T.KwParameter);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.SUBRULE(this.traceBlock));
  });
}
