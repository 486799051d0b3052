/**
 * The catalog of diagnostic codes, in the style of Malloy's message map: for each
 * code its severity, a title, and its message templates by key. A template names its
 * parameters in braces (`unknown {what} "{name}"`); `MessageParams` derives their
 * types from the template, so a call site that passes the wrong parameters does not
 * compile (`ctx.report("TRC2004", "definitionNeverUsed", { name }, span)`). Codes are
 * stable: tests, editors and CI scripts may match on them. Add new codes at the end of
 * their group; a new message goes beside the others of its code.
 *
 * TRC1xxx: reading the file and syntax; TRC2xxx: names; TRC3xxx: types and units;
 * TRC4xxx: time; TRC5xxx: structure of the protocol; TRC6xxx: data dictionary and forms.
 */
export const CODES = {
  // Reading and syntax
  TRC1001: {
    severity: "error",
    title: "file cannot be read",
    messages: {
      notAFile: 'cannot read "{path}": it is not a file',
      unreadable: 'cannot read "{path}": {reason}',
    },
  },
  TRC1002: {
    severity: "error",
    title: "file is not text",
    messages: {
      notUtf8: "the file is not valid UTF-8 here: save it as UTF-8",
      notText: "the protocol is not text",
      nulCharacter: "the file contains a NUL character: it is not a text file",
      notUnicode: "the file contains characters that are not valid Unicode text: save it as UTF-8",
    },
  },
  TRC1003: {
    severity: "error",
    title: "file is too large",
    messages: {
      tooLarge: "the file is {size} MB; a protocol may be at most {max} MB",
    },
  },
  TRC1004: {
    severity: "error",
    title: "empty protocol",
    messages: {
      empty: "the protocol is empty",
      onlyComments: "the protocol contains no declarations, only comments",
    },
  },
  TRC1010: {
    severity: "error",
    title: "unexpected character",
    messages: {
      unexpectedCharacters: 'unexpected character{plural} "{chars}"',
      unterminatedComment: 'unterminated comment: "/*" is never closed by "*/"',
      unknownEscape: 'unknown escape "\\{escape}" in a string',
    },
  },
  TRC1011: {
    severity: "error",
    title: "unterminated string",
    messages: {
      unterminatedString: 'unterminated string: the closing " is missing on this line',
    },
  },
  TRC1020: {
    severity: "error",
    title: "syntax error",
    messages: {
      parser: "{message}",
      internalParser: "internal error in the parser: {message}",
      internalBuilding: "internal error while reading this {node}: {message}",
      givenTwice: "{what} is given more than once",
      atMostOneBlock: 'a response section has at most one "{block}" block',
    },
  },
  TRC1021: {
    severity: "error",
    title: "missing token",
    messages: {
      needsWhereCondition: '"{quantifier} {collection}" needs a "where" condition',
    },
  },
  TRC1022: {
    severity: "error",
    title: "nesting or expression too deep",
    messages: {
      nestingTooDeep:
        "nesting too deep: more than {max} parentheses and braces open here; split the rule into definitions",
      tooManyNots: 'more than {max} "not" in a row',
      tooManyOperands: "an arithmetic expression may have at most {max} operands",
    },
  },
  TRC1023: {
    severity: "error",
    title: "number out of range",
    messages: {
      tooManyDigits: "a number may have at most {max} digits; this one has {digits}",
    },
  },
  TRC1024: {
    severity: "error",
    title: "control character in a string",
    messages: {
      controlCharacter: "a string may not contain the control character {char}",
    },
  },
  // Names
  TRC2001: {
    severity: "error",
    title: "unknown name",
    messages: {
      notField: '"{arg}" is not a field of "{records}"',
      notRecords: '"{name}" is not a list of records: it has no field "{field}"',
      unknown: 'unknown {what} "{name}"',
    },
  },
  TRC2002: {
    severity: "error",
    title: "duplicate name",
    messages: {
      parameterListedTwice: 'parameter "{name}" is listed twice',
      alreadyDeclaredAs: '{what} "{name}" is already declared as a {other}',
      declaredTwice: '{what} "{name}" is declared twice',
      reservedWordCannotName: '"{name}" is a reserved word and cannot name a data element',
      codeListedTwice: 'code "{code}" is listed twice',
      fieldDeclaredTwice: 'field "{name}" is declared twice in "{records}"',
      visitDeclaredTwice: 'visit "{name}" is declared twice',
      ruleDeclaredTwice: 'rule "{name}" is declared twice',
      normalisedTwice: '"{name}" is normalised twice',
    },
  },
  TRC2003: {
    severity: "error",
    title: "duplicate criterion id",
    messages: {
      criterionIdUsedTwice: 'criterion id "{id}" is used twice',
    },
  },
  TRC2004: {
    severity: "warning",
    title: "unused definition",
    messages: {
      definitionNeverUsed: 'definition "{name}" is never used',
      parameterNeverUsed: 'parameter "{name}" is never used',
    },
  },
  TRC2005: {
    severity: "error",
    title: "unknown source",
    messages: {
      unknown: 'unknown {what} "{name}"',
    },
  },
  TRC2006: {
    severity: "error",
    title: "unknown form",
    messages: {
      unknown: 'unknown {what} "{name}"',
    },
  },
  TRC2007: {
    severity: "error",
    title: "unknown code value",
    messages: {
      notOneCodes: '"{name}" is not one of the codes of "{owner}"{codes}',
    },
  },
  TRC2008: {
    severity: "error",
    title: "unknown library or library term",
    messages: {
      trialcImplementsNot: 'trialc implements {library} {list}, not "{version}"',
      addUseRecistProtocol: "add 'use recist \"1.1\"' to the protocol to use RECIST",
      gradingUsesCtcaeAdd: "grading uses CTCAE: add 'use ctcae \"4.03\"' to the protocol",
      unknown: 'unknown {what} "{name}"',
    },
  },
  TRC2009: {
    severity: "error",
    title: "recursive definition",
    messages: {
      definitionUsesItself: 'definition "{name}" uses itself',
    },
  },
  TRC2010: {
    severity: "error",
    title: "wrong number of arguments",
    messages: {
      takesArgument: "{callee} takes {count} argument{plural}: {signature}",
      definitionTakesButGiven: 'definition "{name}" takes {want}, but {given} {verb} given',
    },
  },
  // Types and units
  TRC3001: {
    severity: "error",
    title: "type mismatch",
    messages: {
      cannotCompare: 'cannot compare {left} ("{leftText}") with {right} ("{rightText}")',
      needsUnit: '"{right}" needs a unit to be compared with "{left}"',
      numberWithoutUnit: '"{left}" is a number without a unit, but "{right}" has one',
      noOrder: '{type} has no order: use = or != with "{left}"',
      ageCountedBetweenDates: "age is counted between dates, not date-times",
      firstArgumentSuccessiveRises: "the first argument of successive_rises must be a list of records",
      argumentSuccessiveRisesMust:
        'argument {position} of successive_rises must be a {types} field; "{field}" is a {type}',
      argumentMustBut: 'argument "{param}" of "{definition}" must be {wanted}, but "{arg}" is {actual}',
      typeParameterCannotWorked:
        'the type of parameter "{name}" cannot be worked out: compare it with a coded field, e.g. "field = {name}"',
      codedValuesHaveNo: 'coded values have no order: use = or != with "{left}"',
      putCodedFieldOn: 'put the coded field on the left: "{name} {op} {left}"',
      testsCodedValueBut: '"in (…)" tests a coded value, but "{arg}" is {type}',
      parameterSValueMust: 'a parameter\'s value must be a number, a quantity or a duration, not "{value}"',
      expectedBut: 'expected {what}, but "{name}" is {type}',
      notListRecordsSo: '"{collection}" is not a list of records, so "{quantifier}" cannot range over it',
      doseQuantityWithUnit: 'a dose is a quantity with a unit, such as "7.4 GBq"',
    },
  },
  TRC3002: {
    severity: "error",
    title: "unknown unit",
    messages: {
      unknownUnit: 'unknown unit "{unit}": {message}',
    },
  },
  TRC3003: {
    severity: "error",
    title: "incompatible units",
    messages: {
      noFixedLength: 'a {unit} has no fixed length: compare "{left}" with days or weeks',
      differentThings:
        '"{right}" ({rightUnit}) cannot be compared with "{left}" ({leftUnit}): the units measure different things',
      molarMassWrittenG: 'a molar mass is written in g/mol, not "{unit}"',
      needsLengthUnitMeasure: '"{name}" needs a length unit to measure a change',
      tooSmallMeasureLength: '"too small to measure" is a length such as "5 mm"',
      doseTolerancePercentageQuantity: "a dose tolerance is a percentage or a quantity in the dose's unit",
      organDoseAbsorbedDose: 'an organ dose is an absorbed dose (Gy); "{name}" is in {unit}',
      limitMustAbsorbedDose: 'the limit "{limit}" must be an absorbed dose such as "23 Gy"',
      gradedBut: '"{term}" is graded in {unit}, but "{name}" is in {actual}',
      normaliseFromKind:
        '"{from}" is not {name}\'s unit ({unit}) without its annotation: a normalisation turns an absolute value into the annotated kind',
      normaliseNothing: '"{from}" already expresses {name} ({unit}): there is nothing to normalise',
      normaliseAreaM2: 'the reference area is an area such as "1.73 m2", not "{text}"',
      normaliseBsaArea: 'the body-surface area "{name}" must be an area in m2; it is {actual}',
      normaliseFormulaArgument: '{formula} reads the {what} as {wanted}; "{name}" is {actual}',
    },
  },
  TRC3004: {
    severity: "error",
    title: "unit conversion needs a molar mass",
    messages: {
      needsMolarMass: 'converting {from} to {to} needs a molar mass: declare "molar mass … g/mol" on "{left}"',
    },
  },
  TRC3005: {
    severity: "error",
    title: "multiple of ULN/LLN without a reference limit",
    messages: {
      hasNoDeclareIt: '"{left}" has no {limit}: declare it "with {limit}" in the data dictionary',
      mustComparedWithLaboratory: '"{base}" must be compared with a laboratory value declared "with {limit}"',
      gradedAgainstUlnDeclare: '"{term}" is graded against the ULN: declare "{name}" "with ULN"',
    },
  },
  TRC3006: {
    severity: "error",
    title: "invalid range",
    messages: {
      rangeNeedsTwoNumbers: "a range needs two numbers",
      rangeReversed: "range {low} to {high} is reversed",
      integerRangeNeedsWhole: "an integer range needs whole numbers",
      molarMassMustPositive: "a molar mass must be a positive number",
      normaliseInputRange:
        '"{name}" needs a plausible range above 0 (e.g. "range 0.2 to 4" in {unit}): a body-surface area of 0 cannot normalise',
    },
  },
  TRC3007: {
    severity: "warning",
    title: "threshold outside the plausible range",
    messages: {
      thresholdOutsidePlausibleRange:
        'threshold {right}{converted} is outside the plausible range of "{name}" ({low} to {high}{unit})',
    },
  },
  // Time
  TRC4001: {
    severity: "error",
    title: "window bounds reversed",
    messages: {
      windowBoundsAreReversed: 'window bounds are reversed: "{low}" comes after "{high}"',
      rangeReversedLongerThan: 'range is reversed: "{min}" is longer than "{max}"',
    },
  },
  TRC4002: {
    severity: "error",
    title: "not a duration",
    messages: {
      giveThisIntervalDays: "give this interval in days or weeks: RECIST intervals are counted in days",
      expectedDurationSuchAs: 'expected a duration such as "4 wk" or "48 h", but "{name}" is {type}',
    },
  },
  TRC4003: {
    severity: "error",
    title: "not a date or anchor",
    messages: {
      visitPlannedFromTime: 'a visit is planned from a time anchor, e.g. "D0 - 4 wk"; "{name}" depends on patient data',
      expectedDateDateTime: 'expected a date, a date-time or a time anchor, but "{name}" is {type}',
      selectionWindowFixed:
        'a selection window hangs off a time anchor by fixed durations, e.g. "D0 - 4 wk"; "{text}" does not',
    },
  },
  TRC4004: {
    severity: "error",
    title: "negative duration",
    messages: {
      durationCannotNegativeUse: 'a duration cannot be negative ("{name}"): use "before" or "after" for direction',
    },
  },
  TRC4005: {
    severity: "warning",
    title: "range can be empty in some months",
    messages: {
      canEmptyMayAs:
        '"{min} to {max}" can be empty: {max} may be as short as {longest} days, less than {shortest} days',
    },
  },
  TRC4006: {
    severity: "error",
    title: "unknown time zone",
    messages: { unknownTimeZone: '"{zone}" is not an IANA time zone' },
  },
  // Structure
  TRC5001: {
    severity: "error",
    title: "missing trial block",
    messages: {
      protocolHasNoTrial: 'the protocol has no "trial" block naming the trial',
    },
  },
  TRC5002: {
    severity: "error",
    title: "duplicate section",
    messages: {
      protocolHasOneSection: "a protocol has one {section} section",
    },
  },
  TRC5003: {
    severity: "error",
    title: "invalid count",
    messages: {
      atLeastNeedsBetween: '"at least {count} of" needs between 1 and {parts} sub-criteria to be met',
      groupCriteriaCannotEmpty: "a group of criteria cannot be empty",
      lesionResponseNeedsExactly: 'lesion response needs exactly one "otherwise" category',
      treatmentNeedsAtLeast: "a treatment needs at least one cycle",
      maxCyclesMustAt: "max cycles must be at least 1",
    },
  },
  TRC5004: {
    severity: "error",
    title: "construct not allowed here",
    messages: {
      recordsCannotNestedInside: "records cannot be nested inside records",
      recordFieldCapturedOn: "a record field is captured on its record's form; remove `form`",
      rangeAppliesNumbersNot: "a range applies to numbers, not to a {kind}",
      withUlnWithLln: "`with ULN` / `with LLN` applies to decimal laboratory values",
      namesFieldEveryRecord: '"{field}" names a field of every record: use "any {records} where …" to test it',
      canOnlyUsed: "{what} can only be used in {where}",
      eachCycleVisitsAre: '"each cycle" visits are planned from a repeating anchor such as "cycle"',
      selectNeedsMeasured: "`select` applies to measured elements (a decimal with a unit), which hold results",
      selectMethodEmpty: "the method of a selection cannot be empty",
      nounNeedsRecords: "`noun` names what one row of a list is called: it applies to records elements only",
      nounEmpty: "the {what} of a records element cannot be empty",
      stopRuleNoMaxDelay: "a stop rule has no maximum delay: only delay rules take 'max … then …'",
      normaliseNeedsMeasured:
        "`normalise` applies to measured elements (a decimal with a unit, at the top of the data dictionary)",
      normaliseOwnArea: '"{name}" cannot be normalised with itself',
      normaliseFormulaArity: "{formula} takes {signature}",
    },
  },
  TRC5005: {
    severity: "warning",
    title: "value from outside the protocol has no source",
    messages: {
      doseLimitDoesNot: 'the dose limit "{limit}" does not come from the protocol text: name its source',
    },
  },
  TRC5006: {
    severity: "error",
    title: "declared conversion without a source",
    messages: {
      normaliseNeedsSource:
        'the normalisation of "{name}" must name its source: add "source NAME" in its block (a formula\'s publication, or the text it follows)',
    },
  },
  // Data dictionary and forms
  TRC6001: {
    severity: "warning",
    title: "element read by no rule and not capture-only",
    messages: {
      dataElementReadBy: 'data element "{name}" is read by no rule: use it, or declare it "capture only"',
      fieldReadByNo: 'field "{records}.{field}" is read by no rule: use it, or declare it "capture only"',
    },
  },
  TRC6002: {
    severity: "warning",
    title: "element read by a rule has no form",
    messages: {
      dataElementReadBy: 'data element "{name}" is read by {readBy} but no form captures it: add "form …"',
    },
  },
  TRC6003: {
    severity: "warning",
    title: "endpoint data collected by no form",
    messages: {
      endpointDataNoForm:
        'endpoint "{endpoint}" needs "{element}", which no form collects: add "form …" to the element',
    },
  },
  // Standard codes bound to elements, fields and code values (`code LOINC "718-7"`).
  TRC6010: {
    severity: "error",
    title: "unknown code system",
    messages: {
      unknownSystem: 'unknown code system "{system}" (known: {known})',
    },
  },
  TRC6011: {
    severity: "error",
    title: "malformed standard code",
    messages: {
      malformedCode: '"{code}" is not a valid {system} code: expected {shape}',
    },
  },
  TRC6012: {
    severity: "error",
    title: "standard code bound twice",
    messages: {
      boundTwice: '{system} code "{code}" is bound twice',
    },
  },
  // Consistency between rules: each finding's message is composed by src/check/consistency.ts
  // with its witness value (a patient value that shows it).
  TRC7001: {
    severity: "warning",
    title: "eligible patient already delayed or stopped before cycle 1",
    messages: { finding: "{finding}" },
  },
  TRC7002: { severity: "warning", title: "criterion can never be met", messages: { finding: "{finding}" } },
  TRC7003: {
    severity: "warning",
    title: "criterion always holds (alone or given another)",
    messages: { finding: "{finding}" },
  },
  TRC7004: { severity: "warning", title: "criteria contradict each other", messages: { finding: "{finding}" } },
  TRC7005: {
    severity: "warning",
    title: "delay rule without a maximum",
    messages: {
      delayWithoutMaximum:
        'delay rule "{rule}" gives no maximum: say how long treatment may be delayed and what happens then',
    },
  },
} as const satisfies Record<
  string,
  { severity: "error" | "warning"; title: string; messages: Readonly<Record<string, string>> }
>;

/** A diagnostic code of the catalog. */
export type DiagnosticCode = keyof typeof CODES;

/** The message keys of a code. */
export type MessageKey<C extends DiagnosticCode> = keyof (typeof CODES)[C]["messages"] & string;

/** The parameter names a template mentions, `{name}` by `{name}`. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters of one message: exactly the names its template mentions. */
export type MessageParams<C extends DiagnosticCode, K extends MessageKey<C>> = {
  readonly [P in Placeholders<Extract<(typeof CODES)[C]["messages"][K], string>>]: string | number;
};

/** The codes that have a message of the given key (e.g. every code reporting an `unknown` name). */
export type CodeWithMessage<K extends string> = {
  [C in DiagnosticCode]: K extends MessageKey<C> ? C : never;
}[DiagnosticCode];

/** A message from its template and parameters. */
export function formatMessage<C extends DiagnosticCode, K extends MessageKey<C>>(
  code: C,
  key: K,
  params: MessageParams<C, K>,
): string {
  const template = (CODES[code].messages as Readonly<Record<string, string>>)[key]!;
  const values = params as Readonly<Record<string, string | number>>;
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => String(values[name]));
}
