/**
 * Chevrotain's LL(k) lookahead, from paths computed ahead of time.
 *
 * Building the parser computes, for every `OR`, `OPTION` and `MANY` of the grammar, the
 * token sequences (up to `maxLookahead` long) that choose each way: about 60 % of the
 * parser's construction, and so of every command's start. The paths depend only on the
 * grammar, so `npm run grammar` writes them to `generated/lookahead.ts` with the
 * grammar's fingerprint (a hash of its serialised productions), and `TableLookahead`
 * reads them from there. When the fingerprint differs (the grammar was edited and the
 * table not regenerated) it computes every path as Chevrotain does, so a stale table is
 * never used; `tests/grammar/generated.test.ts` fails until the table is regenerated.
 *
 * The functions built from the paths are Chevrotain's own (`LLkLookaheadStrategy` via
 * `buildAlternativesLookAheadFunc` and `buildSingleAlternativeLookaheadFunction` in
 * chevrotain/src/parse/grammar/lookahead.ts, Apache-2.0), restated here because
 * Chevrotain does not export them; `tests/grammar/lookahead.test.ts` checks that every
 * decision built here picks what Chevrotain's picks.
 */
import { createHash } from "node:crypto";
import {
  getLookaheadPaths,
  LLkLookaheadStrategy,
  serializeGrammar,
  tokenMatcher,
  type ILookaheadStrategy,
  type ILookaheadValidationError,
  type IOrAlt,
  type IToken,
  type LookaheadProductionType,
  type LookaheadSequence,
  type OptionalProductionType,
  type Rule,
  type TokenType,
} from "chevrotain";

/** Every decision's paths, as token names, for the grammar with this fingerprint. */
export interface LookaheadTable {
  fingerprint: string;
  /** By {@link decisionKey}: per alternative, the paths that choose it. */
  paths: Record<string, string[][][]>;
}

/** The key of one decision: its rule, kind, occurrence in the rule, and lookahead depth. */
export const decisionKey = (rule: string, type: LookaheadProductionType, occurrence: number, k: number): string =>
  `${rule} ${type} ${occurrence} ${k}`;

/** A hash of the grammar's productions: any change to a rule changes it. */
export function grammarFingerprint(rules: Rule[]): string {
  return createHash("sha256")
    .update(JSON.stringify(serializeGrammar(rules)))
    .digest("hex");
}

/** What a lookahead function reads: the parser's next tokens. */
interface Lookahead {
  LA(i: number): IToken;
}

/** Token matching without categories: the same type only. */
const exactMatcher = (token: IToken, type: TokenType): boolean => token.tokenTypeIdx === type.tokenTypeIdx;

const usesCategories = (paths: LookaheadSequence[]): boolean =>
  paths.some((alt) => alt.some((path) => path.some((t) => (t.categoryMatches?.length ?? 0) > 0)));

/** The lookahead strategy: the table's paths when it matches the grammar, Chevrotain's own computation otherwise. */
export class TableLookahead implements ILookaheadStrategy {
  private readonly llk: ILookaheadStrategy;
  private usable = false;
  /** Every decision's paths as token names, as used (what `npm run grammar` writes). */
  readonly used: Record<string, string[][][]> = {};
  /** The fingerprint of the grammar this parser was built from. */
  fingerprint = "";

  constructor(
    private readonly table: LookaheadTable | null,
    private readonly tokens: ReadonlyMap<string, TokenType>,
    maxLookahead: number,
  ) {
    this.llk = new LLkLookaheadStrategy({ maxLookahead });
  }

  validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
    return this.llk.validate(options);
  }

  /** Whether the paths came from the table (it matched the grammar). */
  get fromTable(): boolean {
    return this.usable;
  }

  initialize(options: { rules: Rule[] }): void {
    this.fingerprint = grammarFingerprint(options.rules);
    this.usable = this.table?.fingerprint === this.fingerprint;
  }

  buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    const paths = this.paths(options.rule, "Alternation", options.prodOccurrence, options.maxLookahead);
    return alternativesLookahead(paths, options.hasPredicates, options.dynamicTokensEnabled);
  }

  buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    const paths = this.paths(options.rule, options.prodType, options.prodOccurrence, options.maxLookahead);
    return singleAlternativeLookahead(paths, options.dynamicTokensEnabled);
  }

  private paths(rule: Rule, type: LookaheadProductionType, occurrence: number, k: number): LookaheadSequence[] {
    const key = decisionKey(rule.name, type, occurrence, k);
    const known = this.usable ? this.fromNames(this.table!.paths[key]) : null;
    const paths = known ?? getLookaheadPaths({ occurrence, rule, prodType: type, maxLookahead: k });
    this.used[key] = paths.map((alt) => alt.map((path) => path.map((t) => t.name)));
    return paths;
  }

  /** The token types of paths given by name; null when the table lacks them or names an unknown token. */
  private fromNames(named: string[][][] | undefined): LookaheadSequence[] | null {
    const paths: LookaheadSequence[] = [];
    for (const alt of named ?? []) {
      const out: TokenType[][] = [];
      for (const path of alt) {
        const types = path.map((name) => this.tokens.get(name));
        if (types.some((t) => t === undefined)) return null;
        out.push(types as TokenType[]);
      }
      paths.push(out);
    }
    return named ? paths : null;
  }
}

/** Which alternative of an `OR` the next tokens choose (Chevrotain's `buildAlternativesLookAheadFunc`). */
function alternativesLookahead(
  alts: LookaheadSequence[],
  hasPredicates: boolean,
  dynamicTokensEnabled: boolean,
): (this: Lookahead, orAlts?: IOrAlt<unknown>[]) => number | undefined {
  const matches = usesCategories(alts) ? tokenMatcher : exactMatcher;
  const firstMatching = (la: Lookahead, skip: (t: number) => boolean): number | undefined => {
    for (let t = 0; t < alts.length; t++) {
      if (skip(t)) continue;
      next: for (const path of alts[t]!) {
        for (let i = 0; i < path.length; i++) if (!matches(la.LA(i + 1), path[i]!)) continue next;
        return t; // a whole path matches (an empty path always does)
      }
    }
    return undefined;
  };
  if (hasPredicates)
    return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]) {
      const gates = (orAlts ?? []).map((alt) => alt.GATE);
      return firstMatching(this, (t) => gates[t] !== undefined && gates[t]!.call(this) === false);
    };
  const oneToken = alts.every((alt) => alt.every((path) => path.length === 1));
  if (oneToken && !dynamicTokensEnabled) {
    // One token decides: a table from its type (and the categories it belongs to) to the alternative.
    const choice: Record<number, number> = {};
    alts.forEach((alt, idx) =>
      alt.flat().forEach((type) => {
        for (const k of [type.tokenTypeIdx!, ...(type.categoryMatches ?? [])]) if (!(k in choice)) choice[k] = idx;
      }),
    );
    return function (this: Lookahead) {
      return choice[this.LA(1).tokenTypeIdx];
    };
  }
  return function (this: Lookahead) {
    return firstMatching(this, () => false);
  };
}

/** Whether the next tokens enter an `OPTION`/`MANY` (Chevrotain's `buildSingleAlternativeLookaheadFunction`). */
function singleAlternativeLookahead(
  paths: LookaheadSequence[],
  dynamicTokensEnabled: boolean,
): (this: Lookahead) => boolean {
  const alt = paths[0]!;
  const matches = usesCategories(paths) ? tokenMatcher : exactMatcher;
  if (alt.every((path) => path.length === 1) && !dynamicTokensEnabled) {
    const types = alt.flat();
    if (types.length === 1 && (types[0]!.categoryMatches?.length ?? 0) === 0) {
      const expected = types[0]!.tokenTypeIdx;
      return function (this: Lookahead) {
        return this.LA(1).tokenTypeIdx === expected;
      };
    }
    const starts: boolean[] = [];
    for (const type of types) for (const k of [type.tokenTypeIdx!, ...(type.categoryMatches ?? [])]) starts[k] = true;
    return function (this: Lookahead) {
      return starts[this.LA(1).tokenTypeIdx] === true;
    };
  }
  return function (this: Lookahead) {
    next: for (const path of alt) {
      for (let i = 0; i < path.length; i++) if (!matches(this.LA(i + 1), path[i]!)) continue next;
      return true;
    }
    return false;
  };
}
