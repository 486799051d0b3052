/**
 * The shared lexer and parser skip Chevrotain's validations to start faster; these
 * build them with the validations on, so an ambiguous rule, left recursion or a bad
 * token definition still fails here (Chevrotain throws from the constructor).
 */
import { describe, expect, it } from "vitest";
import { TrialParser } from "../../grammar/parser.js";
import { makeLexer } from "../../grammar/tokens.js";

describe("grammar validations (skipped at start-up, run here)", () => {
  it("the lexer's token definitions pass Chevrotain's validations", () => {
    const lexer = makeLexer(true);
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(lexer.tokenize('trial "X" { title "Y" }').errors).toEqual([]);
  });

  it("the grammar passes Chevrotain's self-analysis with validations", () => {
    // Chevrotain throws "Parser Definition Errors detected" from the constructor.
    expect(() => new TrialParser(true)).not.toThrow();
  });
});
