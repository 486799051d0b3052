/**
 * The tokens of the `.trial` language: the one ordered, commented home for them.
 *
 * ORDER MATTERS. Chevrotain's lexer tries the patterns of `allTokens` in order and
 * takes the first that matches (not the longest), so:
 *   1. trivia come first: whitespace (skipped) and comments (set aside in a group);
 *   2. `Unit` comes before everything that could start one (keywords, identifiers,
 *      numbers, `%`), because it only matches right after a number (see `matchUnit`);
 *   3. strings, then the unterminated-string error token;
 *   4. keywords, longest first, each with `longer_alt: Identifier` so that `dates`
 *      is a name and not `date` + `s`;
 *   5. `Identifier`, `NumberLiteral`, then punctuation with two-character
 *      operators (`<=`, `>=`, `!=`) before their one-character prefixes.
 *
 * Keywords come in two kinds. *Reserved* words (expression operators, `true`/`false`
 * and the trace words) can never be names. Every other keyword is *soft*: it belongs to
 * the `Name` category, so a grammar position that expects a name also accepts it.
 * That is how `date`, `cycle`, `inclusion`, `treatment`, `change` or `stable` are both
 * keywords and the names of fields, anchors, forms and categories in the seed.
 * The editor grammar (`generate.ts`) reads its keyword lists from here.
 */
import { createToken, Lexer, type CustomPatternMatcherReturn, type IToken, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------
// 1. Trivia
// ---------------------------------------------------------------------------

/** Spaces, tabs, line breaks and a byte-order mark: skipped. */
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/**
 * The lexer group comments go to: the parser never sees them, but they stay available
 * in `tokenize(text).groups[COMMENTS]` for the formatter (`src/format`), which keeps
 * them where they were, and for the language server's folding ranges.
 */
export const COMMENTS = "comments";
/** `// to the end of the line`: kept aside in the `comments` group. */
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: COMMENTS });
/** `/* ... *\/`, possibly over several lines: kept aside in the `comments` group. */
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: COMMENTS,
  line_breaks: true,
});
/**
 * Error token: a `/*` never closed swallows the rest of the file. It goes to the
 * `errors` group (not to the parser) and `parse.ts` reports it as TRC1010.
 */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

// ---------------------------------------------------------------------------
// 2. Units (context-sensitive)
// ---------------------------------------------------------------------------

/** Every keyword's text; filled by `kw()` below and read lazily by `matchUnit`. */
const keywordWords = new Set<string>();

/** Characters a unit may contain outside `{...}` annotations and `[...]` atoms. */
export const UNIT_CHAR = /[A-Za-z0-9%*/.^_']/;
/** Characters a unit may start with (a digit is handled separately). */
export const UNIT_START = /[A-Za-z%\[{/]/;

/**
 * Custom pattern for `Unit`: UCUM text written right after a number (`9 g/dL`,
 * `1.5 10*3/uL`, `50 mL/min/{1.73_m2}`, `30 %`, `-30 %`, `12 mo`, `75000 /uL`) or after the type
 * keyword `decimal` (`decimal mg/dL`).
 *
 * It matches only when the previous token is a `NumberLiteral` or `decimal`, separated
 * from it by spaces or tabs only (never a line break or a comment), and the candidate
 * is not a keyword: that is what keeps `range 0 to 5`, `at least 1 of`, `2 x ULN`,
 * `range 0 to 30 with ULN` and `cycles 4 first at D0` lexing as keywords.
 * A candidate starting with a digit must continue with `*`, `^` or `/` (`10*3/uL`),
 * so two numbers in a row are never glued together. `{...}` and `[...]` must be
 * closed on the same word; a trailing `.` is left out (end of sentence).
 * `line_breaks: false` holds: a unit never contains a line break.
 */
function matchUnit(text: string, offset: number, tokens: IToken[]): CustomPatternMatcherReturn | null {
  const prev = tokens[tokens.length - 1];
  if (prev === undefined || (prev.tokenType !== NumberLiteral && prev.tokenType !== KwDecimal)) return null;
  for (let i = (prev.endOffset ?? offset - 1) + 1; i < offset; i++) {
    const c = text[i];
    if (c !== " " && c !== "\t") return null;
  }
  const first = text[offset];
  if (first === undefined) return null;
  const digitStart = first >= "0" && first <= "9";
  if (!digitStart && !UNIT_START.test(first)) return null;
  let i = offset;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      let j = i + 1;
      while (
        j < text.length &&
        text[j] !== close &&
        /[!-~]/.test(text[j] as string) &&
        text[j] !== '"' &&
        text[j] !== c
      )
        j++;
      if (text[j] !== close) break;
      i = j + 1;
    } else if (UNIT_CHAR.test(c)) {
      i++;
    } else if (
      (c === "-" || c === "+") &&
      (text[i - 1] === "*" || text[i - 1] === "^") &&
      /[0-9]/.test(text[i + 1] ?? "")
    ) {
      i++;
    } else break;
  }
  while (i > offset && text[i - 1] === ".") i--;
  if (i === offset) return null;
  const candidate = text.slice(offset, i);
  if (digitStart && !/^[0-9]+[*^/]/.test(candidate)) return null;
  if (keywordWords.has(candidate)) return null;
  return [candidate];
}

/** A UCUM unit after a number or after `decimal`; see `matchUnit` for when it applies. */
export const Unit: TokenType = createToken({
  name: "Unit",
  label: "a unit",
  pattern: { exec: matchUnit },
  line_breaks: false,
  start_chars_hint: [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%[{/"],
});

// ---------------------------------------------------------------------------
// 3. Strings
// ---------------------------------------------------------------------------

/**
 * `"text"` on one line. Escapes are `\"`, `\\`, `\n` and `\t` (others are lexed and
 * reported by `parse.ts`); any other Unicode character is allowed as written.
 */
export const StringLiteral = createToken({
  name: "StringLiteral",
  label: "a string",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
});
/**
 * Error token: a `"` with no closing quote on its line. It is a `StringLiteral` by
 * category, so the parser takes it as the string it was meant to be and reports
 * nothing more; `parse.ts` reports TRC1011 for it.
 */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  label: "a string",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n]?)*/,
  categories: [StringLiteral],
});

// ---------------------------------------------------------------------------
// 4. Names and keywords
// ---------------------------------------------------------------------------

/** Category of everything a name position accepts: identifiers and soft keywords. */
export const Name = createToken({ name: "Name", label: "a name", pattern: Lexer.NA });
/** `[A-Za-z_][A-Za-z0-9_]*`: names of elements, fields, criteria (`I3c_a`), anchors (`D0`). */
export const Identifier = createToken({
  name: "Identifier",
  label: "a name",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
});

/** What a keyword is for; decides its colour in the editor grammar. */
export type KeywordRole = "declaration" | "type" | "clause" | "operator" | "literal" | "trace";

/** A keyword token with the word it stands for. */
export interface KeywordInfo {
  token: TokenType;
  word: string;
  /** Reserved words are never names; soft ones are also accepted where a name is expected. */
  reserved: boolean;
  role: KeywordRole;
}

/** Every keyword, in definition order. */
export const keywords: KeywordInfo[] = [];

function kw(word: string, role: KeywordRole, reserved = false): TokenType {
  const name = "Kw" + word[0]!.toUpperCase() + word.slice(1);
  const token = createToken({
    name,
    label: `"${word}"`,
    pattern: new RegExp(word),
    // Told rather than found: Chevrotain would otherwise parse every keyword's RegExp to
    // learn its first character and whether it spans lines (most of building the lexer).
    start_chars_hint: [word[0]!],
    line_breaks: false,
    longer_alt: Identifier,
  });
  // A soft keyword is also a Name. Set here rather than through createToken's
  // `categories`, which re-processes the whole Name category at every keyword (quadratic,
  // 10 to 25 ms of every start); the lexer's construction links categories once for all.
  if (!reserved) token.CATEGORIES = [Name];
  keywords.push({ token, word, reserved, role });
  keywordWords.add(word);
  return token;
}

// Reserved: expression operators. A name could otherwise continue an expression
// (`a and b`, `x in (...)`, `d within 4 wk before D0`), so these can never be names.
/** `and` */ export const KwAnd = kw("and", "operator", true);
/** `or` */ export const KwOr = kw("or", "operator", true);
/** `not` */ export const KwNot = kw("not", "operator", true);
/** `if` */ export const KwIf = kw("if", "operator", true);
/** `then` */ export const KwThen = kw("then", "operator", true);
/** `else` */ export const KwElse = kw("else", "operator", true);
/** `in` */ export const KwIn = kw("in", "operator", true);
/** `within` */ export const KwWithin = kw("within", "operator", true);
/** `least` */ export const KwLeast = kw("least", "operator", true);
/** `between` */ export const KwBetween = kw("between", "operator", true);
/** `before` */ export const KwBefore = kw("before", "operator", true);
/** `after` */ export const KwAfter = kw("after", "operator", true);
/** `where` */ export const KwWhere = kw("where", "operator", true);
/** `true` */ export const KwTrue = kw("true", "literal", true);
/** `false` */ export const KwFalse = kw("false", "literal", true);
// Soft expression words: each starts a special form only when followed, on the same
// line, by what that form needs (`at least`, `grade anemia`, `count lesions`), so
// `at`, `grade`, `count` or `none` stay usable as field and code names.
/** `at` (`at least`, `at 30 min`, `first at D0`) */ export const KwAt = kw("at", "operator");
/** `any` */ export const KwAny = kw("any", "operator");
/** `all` (`all lesions where`, `all of`) */ export const KwAll = kw("all", "operator");
/** `none` */ export const KwNone = kw("none", "operator");
/** `count` */ export const KwCount = kw("count", "operator");
/** `cumulative` */ export const KwCumulative = kw("cumulative", "operator");
/** `projected` */ export const KwProjected = kw("projected", "operator");
/** `grade` (`grade anemia` in expressions and toxicity declarations) */ export const KwGrade = kw("grade", "operator");
// Reserved: trace words. The trial block mixes them with free metadata keys.
/** `cite` */ export const KwCite = kw("cite", "trace", true);
/** `interpretation` */ export const KwInterpretation = kw("interpretation", "trace", true);
/** `source` */ export const KwSource = kw("source", "trace", true);

// Soft: top-level declarations and their parts.
/** `trial` */ export const KwTrial = kw("trial", "declaration");
/** `use` */ export const KwUse = kw("use", "declaration");
/** `anchor` */ export const KwAnchor = kw("anchor", "declaration");
/** `repeating` */ export const KwRepeating = kw("repeating", "clause");
/** `form` */ export const KwForm = kw("form", "declaration");
/** `data` */ export const KwData = kw("data", "declaration");
/** `inclusion` (also the usual anchor name) */ export const KwInclusion = kw("inclusion", "declaration");
/** `exclusion` */ export const KwExclusion = kw("exclusion", "declaration");
/** `define` */ export const KwDefine = kw("define", "declaration");
/** `parameter` */ export const KwParameter = kw("parameter", "declaration");
/** `schedule` */ export const KwSchedule = kw("schedule", "declaration");
/** `toxicity` */ export const KwToxicity = kw("toxicity", "declaration");
/** `response` */ export const KwResponse = kw("response", "declaration");
/** `ref` */ export const KwRef = kw("ref", "trace");
/** `protocol` */ export const KwProtocol = kw("protocol", "clause");
/** `literature` */ export const KwLiterature = kw("literature", "clause");
/** `standard` */ export const KwStandard = kw("standard", "clause");
/** `reference` */ export const KwReference = kw("reference", "clause");
// Soft: data element types and attributes.
/** `decimal` */ export const KwDecimal = kw("decimal", "type");
/** `integer` */ export const KwInteger = kw("integer", "type");
/** `boolean` */ export const KwBoolean = kw("boolean", "type");
/** `date` */ export const KwDate = kw("date", "type");
/** `datetime` */ export const KwDatetime = kw("datetime", "type");
/** `text` */ export const KwText = kw("text", "type");
/** `code` */ export const KwCode = kw("code", "type");
/** `attestation` */ export const KwAttestation = kw("attestation", "type");
/** `records` */ export const KwRecords = kw("records", "type");
/** `by` */ export const KwBy = kw("by", "clause");
/** `investigator` */ export const KwInvestigator = kw("investigator", "clause");
/** `patient` */ export const KwPatient = kw("patient", "clause");
/** `range` */ export const KwRange = kw("range", "clause");
/** `to` */ export const KwTo = kw("to", "clause");
/** `with` */ export const KwWith = kw("with", "clause");
/** `ULN` */ export const KwULN = kw("ULN", "literal");
/** `LLN` */ export const KwLLN = kw("LLN", "literal");
/** `molar` */ export const KwMolar = kw("molar", "clause");
/** `mass` */ export const KwMass = kw("mass", "clause");
/** `required` */ export const KwRequired = kw("required", "clause");
/** `when` */ export const KwWhen = kw("when", "clause");
/** `capture` */ export const KwCapture = kw("capture", "clause");
/** `only` */ export const KwOnly = kw("only", "clause");
/** `select` (which result of a measured element rules read) */ export const KwSelect = kw("select", "clause");
/** `latest` */ export const KwLatest = kw("latest", "clause");
/** `noun` (what one row of a records element is called in sentences) */ export const KwNoun = kw("noun", "clause");
/** `plural` (the noun's plural, when adding "s" is wrong) */ export const KwPlural = kw("plural", "clause");
/** `normalise` (a declared conversion of an absolute value, `normalise gfr from decimal mL/min to 1.73 m2 by bsa`) */
export const KwNormalise = kw("normalise", "declaration");
// Soft: criteria and expressions.
/** `rule` */ export const KwRule = kw("rule", "clause");
/** `of` */ export const KwOf = kw("of", "clause");
/** `criterion` */ export const KwCriterion = kw("criterion", "declaration");
/** `x` in `2 x ULN`; soft, so `x` stays usable as a name. */ export const KwX = kw("x", "operator");
// Soft: schedule.
/** `treatment` */ export const KwTreatment = kw("treatment", "declaration");
/** `dose` */ export const KwDose = kw("dose", "clause");
/** `tolerance` */ export const KwTolerance = kw("tolerance", "clause");
/** `route` */ export const KwRoute = kw("route", "clause");
/** `cycles` */ export const KwCycles = kw("cycles", "clause");
/** `first` */ export const KwFirst = kw("first", "clause");
/** `spacing` */ export const KwSpacing = kw("spacing", "clause");
/** `day` */ export const KwDay = kw("day", "declaration");
/** `step` */ export const KwStep = kw("step", "declaration");
/** `lasting` */ export const KwLasting = kw("lasting", "clause");
/** `total` */ export const KwTotal = kw("total", "clause");
/** `visit` */ export const KwVisit = kw("visit", "declaration");
/** `each` */ export const KwEach = kw("each", "clause");
/** `cycle` (also the usual repeating anchor name) */ export const KwCycle = kw("cycle", "clause");
/** `procedures` */ export const KwProcedures = kw("procedures", "clause");
/** `require` */ export const KwRequire = kw("require", "declaration");
// Soft: toxicity.
/** `organ` */ export const KwOrgan = kw("organ", "declaration");
/** `limit` */ export const KwLimit = kw("limit", "clause");
/** `from` */ export const KwFrom = kw("from", "clause");
/** `stop` */ export const KwStop = kw("stop", "declaration");
/** `delay` */ export const KwDelay = kw("delay", "declaration");
/** `max` */ export const KwMax = kw("max", "clause");
// Soft: response.
/** `lesion` */ export const KwLesion = kw("lesion", "declaration");
/** `change` */ export const KwChange = kw("change", "clause");
/** `baseline` */ export const KwBaseline = kw("baseline", "clause");
/** `nadir` */ export const KwNadir = kw("nadir", "clause");
/** `category` */ export const KwCategory = kw("category", "declaration");
/** `otherwise` */ export const KwOtherwise = kw("otherwise", "clause");
/** `recist` */ export const KwRecist = kw("recist", "declaration");
/** `confirmation` */ export const KwConfirmation = kw("confirmation", "clause");
/** `evaluable` */ export const KwEvaluable = kw("evaluable", "clause");
/** `stable` */ export const KwStable = kw("stable", "clause");
/** `disease` */ export const KwDisease = kw("disease", "clause");
/** `minimum` */ export const KwMinimum = kw("minimum", "clause");
/** `too` */ export const KwToo = kw("too", "clause");
/** `small` */ export const KwSmall = kw("small", "clause");
/** `measure` */ export const KwMeasure = kw("measure", "clause");
// Soft: objectives and endpoints.
/** `objectives` */ export const KwObjectives = kw("objectives", "declaration");
/** `primary` */ export const KwPrimary = kw("primary", "declaration");
/** `secondary` */ export const KwSecondary = kw("secondary", "declaration");
/** `exploratory` */ export const KwExploratory = kw("exploratory", "declaration");
/** `endpoint` */ export const KwEndpoint = kw("endpoint", "declaration");
/** `uses` */ export const KwUses = kw("uses", "clause");
/** `per` (`per lesion`, `per patient`) */ export const KwPer = kw("per", "clause");

// ---------------------------------------------------------------------------
// 5. Numbers and punctuation
// ---------------------------------------------------------------------------

/**
 * `18`, `1.5`, `16114.5`: unsigned. A minus sign is always `Minus`; the grammar
 * accepts it in front of a number where a value is expected, so `D0 - 4 wk` and
 * `range -100 to 1000` both lex the same way.
 */
export const NumberLiteral = createToken({ name: "NumberLiteral", label: "a number", pattern: /[0-9]+(?:\.[0-9]+)?/ });

/** `{` */ export const LCurly = createToken({ name: "LCurly", label: '"{"', pattern: /\{/ });
/** `}` */ export const RCurly = createToken({ name: "RCurly", label: '"}"', pattern: /\}/ });
/** `(` */ export const LParen = createToken({ name: "LParen", label: '"("', pattern: /\(/ });
/** `)` */ export const RParen = createToken({ name: "RParen", label: '")"', pattern: /\)/ });
/** `,` */ export const Comma = createToken({ name: "Comma", label: '","', pattern: /,/ });
/** `:` */ export const Colon = createToken({ name: "Colon", label: '":"', pattern: /:/ });
/** `.` */ export const Dot = createToken({ name: "Dot", label: '"."', pattern: /\./ });
/** `<=` (before `<`) */ export const LessEq = createToken({ name: "LessEq", label: '"<="', pattern: /<=/ });
/** `>=` (before `>`) */ export const GreaterEq = createToken({ name: "GreaterEq", label: '">="', pattern: />=/ });
/** `!=` */ export const NotEq = createToken({ name: "NotEq", label: '"!="', pattern: /!=/ });
/** `<` */ export const Less = createToken({ name: "Less", label: '"<"', pattern: /</ });
/** `>` */ export const Greater = createToken({ name: "Greater", label: '">"', pattern: />/ });
/** `=` (comparison, and `parameter p "label" = value`) */ export const Equals = createToken({
  name: "Equals",
  label: '"="',
  pattern: /=/,
});
/** `+` */ export const Plus = createToken({ name: "Plus", label: '"+"', pattern: /\+/ });
/** `-` */ export const Minus = createToken({ name: "Minus", label: '"-"', pattern: /-/ });

/**
 * The words that start a top-level declaration. A block whose items start with a name
 * (the data dictionary, the trial metadata) ends before one of these, so a missing `}`
 * is reported there instead of swallowing the next declaration; `parse.ts` also
 * restarts at one of these if the parser gives up.
 */
export const declarationKeywords: TokenType[] = [
  KwTrial,
  KwUse,
  KwSource,
  KwAnchor,
  KwForm,
  KwData,
  KwInclusion,
  KwExclusion,
  KwDefine,
  KwParameter,
  KwSchedule,
  KwToxicity,
  KwResponse,
  KwObjectives,
  KwNormalise,
];

/** The comparison operator tokens, for the parser and the editor grammar. */
export const comparisonTokens: TokenType[] = [LessEq, GreaterEq, NotEq, Less, Greater, Equals];

/**
 * All tokens in lexing order. Keywords are sorted longest first so that a keyword
 * that is a prefix of another (`date`/`datetime`, `cycle`/`cycles`,
 * `require`/`required`) never hides it.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Unit,
  StringLiteral,
  UnterminatedString,
  ...[...keywords].sort((a, b) => b.word.length - a.word.length).map((k) => k.token),
  Name,
  Identifier,
  NumberLiteral,
  LCurly,
  RCurly,
  LParen,
  RParen,
  Comma,
  Colon,
  Dot,
  ...comparisonTokens,
  Plus,
  Minus,
];

/**
 * A lexer. `positionTracking: "full"` gives every token its line and column (the
 * formatter and the language server read them); `"onlyOffset"` gives offsets only, for
 * the compiler (src/syntax/parse.ts), which computes lines for the tokens that need them.
 * Chevrotain's validation of the token definitions costs about a third of the command's
 * start-up, so the lexers the commands use skip it; `tests/grammar/validations.test.ts`
 * builds one with `validate` on, so a bad token definition still fails the tests.
 */
export function makeLexer(validate: boolean, positionTracking: "full" | "onlyOffset" = "full"): Lexer {
  return new Lexer(allTokens, { positionTracking, ensureOptimizations: false, skipValidations: !validate });
}

/** The lexer with lines and columns (validated by the tests, not on every start). */
export const trialLexer = makeLexer(false);

/**
 * The compiler's lexer: offsets only. Chevrotain's `"onlyOffset"` tokens carry a start
 * offset but no end, which the parser's node locations need, so this lexer makes its
 * tokens itself (the hook is Chevrotain's own, chosen by `positionTracking`; the version
 * is pinned, and every parse in the tests goes through it): image, start and end offset,
 * type. Lines and columns on every token were most of lexing 10,000 criteria.
 */
export const offsetLexer: Lexer = (() => {
  const lexer = makeLexer(false, "onlyOffset");
  (lexer as unknown as { createTokenInstance: unknown }).createTokenInstance = (
    image: string,
    startOffset: number,
    tokenTypeIdx: number,
    tokenType: TokenType,
  ): IToken => ({ image, startOffset, endOffset: startOffset + image.length - 1, tokenTypeIdx, tokenType });
  return lexer;
})();

/**
 * Whether a line ends between the end of token `a` and the start of token `b` (`a`
 * before `b`), read from `text`, for tokens of {@link offsetLexer} that carry no line.
 */
export function lineBreakBetween(text: string, a: IToken, b: IToken): boolean {
  for (let i = (a.endOffset ?? a.startOffset) + 1; i < b.startOffset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}
