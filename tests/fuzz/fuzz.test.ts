/**
 * The bounded fuzz run of `npm test` (a few seconds each): mutated protocols and mutated
 * data files never crash trialc. `npm run fuzz` runs the same cases 100,000 times.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkData, checkProtocol, dataCase, protocolCase, seed } from "./cases.js";

/** Each property runs until this many milliseconds have passed (at least a few cases). */
const BUDGET_MS = 4000;

describe("fuzz: trialc answers every mutated input without crashing", () => {
  it("mutated protocols: every problem a coded diagnostic with a position", () => {
    fc.assert(fc.property(protocolCase, checkProtocol), { numRuns: 10_000, interruptAfterTimeLimit: BUDGET_MS });
  });

  it("mutated patient, history, assessment and events files: every problem a JSON path in words", () => {
    seed();
    fc.assert(fc.property(dataCase, checkData), { numRuns: 100_000, interruptAfterTimeLimit: BUDGET_MS });
  });
});
