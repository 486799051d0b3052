/**
 * The parser's lookahead from the generated table (grammar/lookahead.ts) decides exactly
 * as Chevrotain's own: the table holds the paths Chevrotain computes for every decision
 * of the grammar, each decision function built from them chooses what Chevrotain's
 * chooses on random next tokens (gates included), and a table that does not match the
 * grammar is ignored. (That the table on disk is current is the drift test in
 * generated.test.ts.)
 */
import fc from "fast-check";
import {
  createTokenInstance,
  EOF,
  GAstVisitor,
  getLookaheadPaths,
  LLkLookaheadStrategy,
  type Alternation,
  type IOrAlt,
  type IToken,
  type LookaheadProductionType,
  type Option,
  type Repetition,
  type RepetitionMandatory,
  type RepetitionMandatoryWithSeparator,
  type RepetitionWithSeparator,
  type Rule,
  type TokenType,
} from "chevrotain";
import { describe, expect, it } from "vitest";
import { LOOKAHEAD } from "../../grammar/generated/lookahead.js";
import { decisionKey, grammarFingerprint, TableLookahead } from "../../grammar/lookahead.js";
import { TrialParser, trialParser } from "../../grammar/parser.js";
import { allTokens } from "../../grammar/tokens.js";
import { parseTrial } from "../../src/syntax/parse.js";
import { readFileSync } from "node:fs";

const K = 3;
const rules = Object.values(trialParser.getGAstProductions()) as Rule[];
const tokens = new Map(allTokens.map((t) => [t.name, t]));

/** Every decision of a rule: its kind, occurrence and whether its alternatives have gates. */
interface Decision {
  rule: Rule;
  type: LookaheadProductionType;
  occurrence: number;
  hasPredicates: boolean;
}
function decisions(rule: Rule): Decision[] {
  const out: Decision[] = [];
  const add = (type: LookaheadProductionType, p: { idx: number }, hasPredicates = false) =>
    out.push({ rule, type, occurrence: p.idx, hasPredicates });
  rule.accept(
    new (class extends GAstVisitor {
      visitAlternation(p: Alternation) {
        add("Alternation", p, (p as Alternation & { hasPredicates?: boolean }).hasPredicates === true);
      }
      visitNonTerminal() {}
      visitAlternative() {}
      visitTerminal() {}
      visitRule() {}
      visitOption(p: Option) {
        add("Option", p);
      }
      visitRepetition(p: Repetition) {
        add("Repetition", p);
      }
      visitRepetitionMandatory(p: RepetitionMandatory) {
        add("RepetitionMandatory", p);
      }
      visitRepetitionWithSeparator(p: RepetitionWithSeparator) {
        add("RepetitionWithSeparator", p);
      }
      visitRepetitionMandatoryWithSeparator(p: RepetitionMandatoryWithSeparator) {
        add("RepetitionMandatoryWithSeparator", p);
      }
    })(),
  );
  return out;
}
const all = rules.flatMap(decisions);

const token = (type: TokenType): IToken => createTokenInstance(type, type.name, 0, 0, 1, 1, 1, 1);

describe("lookahead from the generated table", () => {
  it("the table is for this grammar and holds Chevrotain's paths for every decision", () => {
    expect(LOOKAHEAD).not.toBeNull();
    expect(LOOKAHEAD!.fingerprint).toBe(grammarFingerprint(rules));
    expect(trialParser.lookahead.fromTable).toBe(true);
    expect(all.length).toBeGreaterThan(100);
    const named = (paths: TokenType[][][]) => paths.map((alt) => alt.map((path) => path.map((t) => t.name)));
    const expected = Object.fromEntries(
      all.map((d) => [
        decisionKey(d.rule.name, d.type, d.occurrence, K),
        named(getLookaheadPaths({ occurrence: d.occurrence, rule: d.rule, prodType: d.type, maxLookahead: K })),
      ]),
    );
    expect(LOOKAHEAD!.paths).toEqual(expected);
  });

  it("every decision chooses as Chevrotain's lookahead does, on random next tokens and gates", () => {
    const ours = new TableLookahead(LOOKAHEAD, tokens, K);
    ours.initialize({ rules });
    const theirs = new LLkLookaheadStrategy({ maxLookahead: K });
    const vocabulary = [...allTokens, EOF];
    for (const d of all) {
      const options = { prodOccurrence: d.occurrence, rule: d.rule, maxLookahead: K, dynamicTokensEnabled: false };
      // Tokens of the decision's own paths are drawn more often, so the paths are taken, not only missed.
      const own = getLookaheadPaths({ occurrence: d.occurrence, rule: d.rule, prodType: d.type, maxLookahead: K })
        .flat(2)
        .concat(vocabulary.slice(0, 5));
      const next = fc.array(fc.oneof(fc.constantFrom(...own), fc.constantFrom(...vocabulary)), {
        minLength: K,
        maxLength: K,
      });
      if (d.type === "Alternation") {
        const a = ours.buildLookaheadForAlternation({ ...options, hasPredicates: d.hasPredicates });
        const b = theirs.buildLookaheadForAlternation({ ...options, hasPredicates: d.hasPredicates });
        fc.assert(
          fc.property(next, fc.array(fc.option(fc.boolean()), { minLength: 20, maxLength: 20 }), (seq, gates) => {
            const la = { LA: (i: number) => token(seq[i - 1]!) };
            const alts = gates.map((g) => ({
              ALT: () => {},
              ...(g === null ? {} : { GATE: () => g }),
            })) as IOrAlt<unknown>[];
            expect(a.call(la, alts), `${d.rule.name} ${d.type} ${d.occurrence}`).toBe(b.call(la, alts));
          }),
          { numRuns: 60 },
        );
      } else {
        const a = ours.buildLookaheadForOptional({ ...options, prodType: d.type });
        const b = theirs.buildLookaheadForOptional({ ...options, prodType: d.type });
        fc.assert(
          fc.property(next, (seq) => {
            const la = { LA: (i: number) => token(seq[i - 1]!) };
            expect(a.call(la), `${d.rule.name} ${d.type} ${d.occurrence}`).toBe(b.call(la));
          }),
          { numRuns: 60 },
        );
      }
    }
  });

  it("a table for another grammar is ignored: the paths are computed, and parsing is unchanged", () => {
    const stale = { fingerprint: "another grammar", paths: { "trialFile Repetition 0 3": [[["RCurly"]], [[]]] } };
    const parser = new TrialParser(false, stale);
    expect(parser.lookahead.fromTable).toBe(false);
    expect(parser.lookahead.used).toEqual(LOOKAHEAD!.paths);
    // The shared parser (from the table) reads the seed protocol as it always has.
    const seed = parseTrial(readFileSync("protocols/lu177-octreotate.trial", "utf8"), "seed.trial");
    expect(seed.diagnostics).toEqual([]);
    expect(seed.ast!.decls.length).toBeGreaterThan(20);
  });
});
