/**
 * Section rules of the `.trial` grammar: `schedule`, `toxicity` and `response`, with
 * the duration ranges and `each cycle` they share. Extended by `TrialParser`, which
 * adds the top level.
 */
import type { IParserConfig } from "chevrotain";
import { DeclarationRules } from "./declarations.js";
import * as T from "./tokens.js";

/** The three sections; extended by `TrialParser`. */
export abstract class SectionRules extends DeclarationRules {
  /** Forward the configuration; the most derived class calls `performSelfAnalysis`. */
  constructor(config: IParserConfig) {
    super(config);
  }

  /** `11 wk to 13 wk`: a closed range of durations. */
  durationRange = this.RULE("durationRange", () => {
    this.SUBRULE1(this.additive);
    this.CONSUME(T.KwTo);
    this.SUBRULE2(this.additive);
  });

  /** `each cycle`: the declaration repeats at every occurrence of the repeating anchor. */
  eachCycle = this.RULE("eachCycle", () => {
    this.CONSUME(T.KwEach);
    this.CONSUME(T.KwCycle);
  });

  // -------------------------------------------------------------------------
  // Schedule
  // -------------------------------------------------------------------------

  /** `schedule { trace | treatment | day | visit | require }`. */
  scheduleDecl = this.RULE("scheduleDecl", () => {
    this.CONSUME(T.KwSchedule);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR(
        (this.alts.scheduleDecl ??= [
          { ALT: () => this.SUBRULE(this.traceItem) },
          { ALT: () => this.SUBRULE(this.treatmentDecl) },
          { ALT: () => this.SUBRULE(this.dayDecl) },
          { ALT: () => this.SUBRULE(this.visitDecl) },
          { ALT: () => this.SUBRULE(this.requireDecl) },
        ]),
      );
    });
    this.CONSUME(T.RCurly);
  });

  /** `treatment lu177 "label" { dose ... route ... cycles N first at A spacing R }`. */
  treatmentDecl = this.RULE("treatmentDecl", () => {
    this.CONSUME(T.KwTreatment);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.treatmentItem));
    this.CONSUME(T.RCurly);
  });

  /** One line of a treatment block. */
  treatmentItem = this.RULE("treatmentItem", () => {
    this.OR(
      (this.alts.treatmentItem ??= [
        {
          ALT: () => {
            this.CONSUME(T.KwDose);
            this.SUBRULE1(this.additive);
            this.OPTION(() => {
              this.CONSUME(T.KwTolerance);
              this.SUBRULE2(this.additive);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwRoute);
            this.CONSUME(T.StringLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwCycles);
            this.CONSUME(T.NumberLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwFirst);
            this.CONSUME(T.KwAt);
            this.CONSUME(T.Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwSpacing);
            this.SUBRULE(this.durationRange);
          },
        },
        { ALT: () => this.SUBRULE(this.traceItem) },
      ]),
    );
  });

  /** `day "label" { step* total R trace* }`. */
  dayDecl = this.RULE("dayDecl", () => {
    this.CONSUME(T.KwDay);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR(
        (this.alts.dayDecl ??= [
          { ALT: () => this.SUBRULE(this.stepDecl) },
          {
            ALT: () => {
              this.CONSUME(T.KwTotal);
              this.SUBRULE(this.durationRange);
            },
          },
          { ALT: () => this.SUBRULE(this.traceItem) },
        ]),
      );
    });
    this.CONSUME(T.RCurly);
  });

  /** `step name "label" (at OFFSET | before STEP | after STEP) [lasting R]`. */
  stepDecl = this.RULE("stepDecl", () => {
    this.CONSUME(T.KwStep);
    this.CONSUME1(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OR(
      (this.alts.stepDecl ??= {
        ERR_MSG: 'the timing of the step ("at", "before" or "after")',
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwAt);
              this.SUBRULE(this.additive);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.KwBefore);
              this.CONSUME2(T.Name);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.KwAfter);
              this.CONSUME3(T.Name);
            },
          },
        ],
      }),
    );
    this.OPTION(() => {
      this.CONSUME(T.KwLasting);
      this.SUBRULE(this.durationRange);
    });
  });

  /** `visit name "label" [each cycle] (at X | between L and H) [{ procedures ... trace* }]`. */
  visitDecl = this.RULE("visitDecl", () => {
    this.CONSUME(T.KwVisit);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OPTION1(() => this.SUBRULE(this.eachCycle));
    this.OR(
      (this.alts.visitDecl ??= {
        ERR_MSG: 'the timing of the visit ("at" or "between")',
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwAt);
              this.SUBRULE1(this.additive);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.KwBetween);
              this.SUBRULE2(this.additive);
              this.CONSUME(T.KwAnd);
              this.SUBRULE3(this.additive);
            },
          },
        ],
      }),
    );
    this.OPTION2(() => {
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.OR2(
          (this.alts.visitDecl2 ??= [
            { ALT: () => this.SUBRULE(this.procedures) },
            { ALT: () => this.SUBRULE(this.traceItem) },
          ]),
        );
      });
      this.CONSUME(T.RCurly);
    });
  });

  /** `procedures "a", "b", "c"`. */
  procedures = this.RULE("procedures", () => {
    this.CONSUME(T.KwProcedures);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral) });
  });

  /** `require name "label" [each cycle] { trace* rule EXPR trace* }`. */
  requireDecl = this.RULE("requireDecl", () => {
    this.CONSUME(T.KwRequire);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => this.SUBRULE(this.eachCycle));
    this.CONSUME(T.LCurly);
    this.MANY1(() => this.SUBRULE1(this.traceItem));
    this.CONSUME(T.KwRule);
    this.SUBRULE(this.expression);
    this.MANY2(() => this.SUBRULE2(this.traceItem));
    this.CONSUME(T.RCurly);
  });

  // -------------------------------------------------------------------------
  // Toxicity
  // -------------------------------------------------------------------------

  /** `toxicity { trace | organ | grade | stop | delay | max cycles N }`. */
  toxicityDecl = this.RULE("toxicityDecl", () => {
    this.CONSUME(T.KwToxicity);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR(
        (this.alts.toxicityDecl ??= [
          { ALT: () => this.SUBRULE(this.traceItem) },
          { ALT: () => this.SUBRULE(this.organDecl) },
          { ALT: () => this.SUBRULE(this.gradeDecl) },
          { ALT: () => this.SUBRULE(this.toxRuleDecl) },
          { ALT: () => this.SUBRULE(this.maxCycles) },
        ]),
      );
    });
    this.CONSUME(T.RCurly);
  });

  /** `organ kidneys "Kidneys" dose dosimetry.kidney_dose limit kidney_dose_limit`. */
  organDecl = this.RULE("organDecl", () => {
    this.CONSUME(T.KwOrgan);
    this.CONSUME1(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.KwDose);
    this.CONSUME2(T.Name);
    this.CONSUME(T.Dot);
    this.CONSUME3(T.Name);
    this.CONSUME(T.KwLimit);
    this.CONSUME4(T.Name);
  });

  /** `grade anemia "Anemia" from hemoglobin`. */
  gradeDecl = this.RULE("gradeDecl", () => {
    this.CONSUME(T.KwGrade);
    this.CONSUME1(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.KwFrom);
    this.CONSUME2(T.Name);
  });

  /** `stop name "label" when EXPR [{ trace* }]`, or `delay ... [max DURATION then (stop | "text")]`. */
  toxRuleDecl = this.RULE("toxRuleDecl", () => {
    this.OR(
      (this.alts.toxRuleDecl ??= [{ ALT: () => this.CONSUME(T.KwStop) }, { ALT: () => this.CONSUME(T.KwDelay) }]),
    );
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.KwWhen);
    this.SUBRULE(this.expression);
    // `max cycles 4` may follow a rule: only `max` before a duration belongs to the rule.
    this.OPTION1(
      (this.opts.toxRuleDecl_option1 ??= {
        GATE: () => this.LA(2).tokenType !== T.KwCycles,
        DEF: () => this.SUBRULE(this.maxDelay),
      }),
    );
    this.OPTION2(() => this.SUBRULE(this.traceBlock));
  });

  /** `max 6 wk then stop`: the longest a delay may last, and what happens after it. */
  maxDelay = this.RULE("maxDelay", () => {
    this.CONSUME(T.KwMax);
    this.SUBRULE(this.additive);
    this.CONSUME(T.KwThen);
    this.OR(
      (this.alts.maxDelay ??= [{ ALT: () => this.CONSUME(T.KwStop) }, { ALT: () => this.CONSUME(T.StringLiteral) }]),
    );
  });

  /** `max cycles 4`. */
  maxCycles = this.RULE("maxCycles", () => {
    this.CONSUME(T.KwMax);
    this.CONSUME(T.KwCycles);
    this.CONSUME(T.NumberLiteral);
  });

  // -------------------------------------------------------------------------
  // Response
  // -------------------------------------------------------------------------

  /** `response { trace | lesion ... | recist { ... } }`. */
  responseDecl = this.RULE("responseDecl", () => {
    this.CONSUME(T.KwResponse);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR(
        (this.alts.responseDecl ??= [
          { ALT: () => this.SUBRULE(this.traceItem) },
          { ALT: () => this.SUBRULE(this.lesionResponse) },
          { ALT: () => this.SUBRULE(this.recistDecl) },
        ]),
      );
    });
    this.CONSUME(T.RCurly);
  });

  /** `lesion change of FIELD from baseline|nadir { category* trace* }`. */
  lesionResponse = this.RULE("lesionResponse", () => {
    this.CONSUME(T.KwLesion);
    this.CONSUME(T.KwChange);
    this.CONSUME(T.KwOf);
    this.CONSUME(T.Name);
    this.CONSUME(T.KwFrom);
    this.OR(
      (this.alts.lesionResponse ??= {
        ERR_MSG: '"baseline" or "nadir"',
        DEF: [{ ALT: () => this.CONSUME(T.KwBaseline) }, { ALT: () => this.CONSUME(T.KwNadir) }],
      }),
    );
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR2(
        (this.alts.lesionResponse2 ??= [
          { ALT: () => this.SUBRULE(this.category) },
          { ALT: () => this.SUBRULE(this.traceItem) },
        ]),
      );
    });
    this.CONSUME(T.RCurly);
  });

  /** `category decrease "Decrease" when change <= -30 %` or `... otherwise`. */
  category = this.RULE("category", () => {
    this.CONSUME(T.KwCategory);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OR(
      (this.alts.category ??= {
        ERR_MSG: '"when" or "otherwise"',
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.KwWhen);
              this.SUBRULE(this.expression);
            },
          },
          { ALT: () => this.CONSUME(T.KwOtherwise) },
        ],
      }),
    );
  });

  /** `recist { confirmation ... max not evaluable between N  stable disease minimum ... too small to measure ... }`. */
  recistDecl = this.RULE("recistDecl", () => {
    this.CONSUME(T.KwRecist);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.recistItem));
    this.CONSUME(T.RCurly);
  });

  /** One RECIST setting. */
  recistItem = this.RULE("recistItem", () => {
    this.OR(
      (this.alts.recistItem ??= [
        {
          // confirmation required [after D] | confirmation not required
          ALT: () => {
            this.CONSUME(T.KwConfirmation);
            this.OPTION1(() => this.CONSUME(T.KwNot));
            this.CONSUME(T.KwRequired);
            this.OPTION2(() => {
              this.CONSUME1(T.KwAfter);
              this.SUBRULE1(this.additive);
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwMax);
            this.CONSUME2(T.KwNot);
            this.CONSUME(T.KwEvaluable);
            this.CONSUME(T.KwBetween);
            this.CONSUME(T.NumberLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwStable);
            this.CONSUME(T.KwDisease);
            this.CONSUME(T.KwMinimum);
            this.SUBRULE2(this.additive);
            this.CONSUME2(T.KwAfter);
            this.CONSUME(T.Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.KwToo);
            this.CONSUME(T.KwSmall);
            this.CONSUME(T.KwTo);
            this.CONSUME(T.KwMeasure);
            this.SUBRULE3(this.additive);
          },
        },
        { ALT: () => this.SUBRULE(this.traceItem) },
      ]),
    );
  });

  // -------------------------------------------------------------------------
  // Objectives and endpoints
  // -------------------------------------------------------------------------

  /** `objectives { trace* (primary | secondary | exploratory)* }`. */
  objectivesDecl = this.RULE("objectivesDecl", () => {
    this.CONSUME(T.KwObjectives);
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR(
        (this.alts.objectivesDecl ??= [
          { ALT: () => this.SUBRULE(this.traceItem) },
          { ALT: () => this.SUBRULE(this.objectiveDecl) },
        ]),
      ),
    );
    this.CONSUME(T.RCurly);
  });

  /** `primary P1 "To assess ..." per lesion { trace* endpoint* }`. */
  objectiveDecl = this.RULE("objectiveDecl", () => {
    this.OR1(
      (this.alts.objectiveDecl1 ??= [
        { ALT: () => this.CONSUME(T.KwPrimary) },
        { ALT: () => this.CONSUME(T.KwSecondary) },
        { ALT: () => this.CONSUME(T.KwExploratory) },
      ]),
    );
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.KwPer);
      this.OR2(
        (this.alts.objectiveDecl2 ??= [
          { ALT: () => this.CONSUME(T.KwLesion) },
          { ALT: () => this.CONSUME(T.KwPatient) },
        ]),
      );
    });
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR3(
        (this.alts.objectiveDecl3 ??= [
          { ALT: () => this.SUBRULE(this.traceItem) },
          { ALT: () => this.SUBRULE(this.endpointDecl) },
        ]),
      ),
    );
    this.CONSUME(T.RCurly);
  });

  /** `endpoint fdg_uptake "label" uses lesion_imaging.fdg_suv, lesions [{ trace* }]`. */
  endpointDecl = this.RULE("endpointDecl", () => {
    this.CONSUME(T.KwEndpoint);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.KwUses);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.dataPath) });
    this.OPTION(() => this.SUBRULE(this.traceBlock));
  });

  /** `element` or `records.field`. */
  dataPath = this.RULE("dataPath", () => {
    this.CONSUME1(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
  });
}
