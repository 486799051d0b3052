/**
 * The explained fast path (`explain.ts`, run by the generated `evaluateEligibility` for
 * records it reads plainly) gives exactly the result of the exact path and of the
 * interpreter: every verdict, step, detail, missing item and warning. On random protocols
 * and patients, on the seed protocol's samples and mutants of them, and on the bench
 * cohort; the tests also check that the fast path did produce most of those results,
 * so that the equality is not won by always falling back.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { fromJsonNumber } from "../../src/runtime/decimal.js";
import { num, recordWarnings, time } from "../../src/runtime/explain-fast.js";
import { anchorWarnings, topLevelWarnings, type DataProblem } from "../../src/runtime/patient.js";
import { formatTimePoint, parseTimeStamp } from "../../src/runtime/time.js";
import { writeGenerated } from "../generated.js";
import { cohort } from "../../bench/cohort.js";
import { mutantOf, patientFor, thresholdsOf, withNumbers } from "./arbitraries.js";
import { protocolText } from "./random-protocol-text.js";

interface Explained {
  evaluateEligibility(p: unknown, o?: Record<string, string>): unknown;
  evaluateExactly(p: unknown, o?: Record<string, string>): unknown;
  explainPaths: { fast: number; exact: number };
}

async function load(ir: IrProtocol, name: string): Promise<Explained> {
  return (await import(`${writeGenerated(ir, name)}/eligibility.ts`)) as Explained;
}

/** The interpreter's result as JSON (what the generated module must equal). */
const reference = (ir: IrProtocol, p: unknown, o: Record<string, string> = {}) =>
  JSON.parse(JSON.stringify(evaluateEligibility(ir, p, o))) as unknown;

function expectSame(mod: Explained, ir: IrProtocol, p: unknown, o: Record<string, string> = {}) {
  const want = reference(ir, p, o);
  expect(mod.evaluateEligibility(p, o), JSON.stringify(p)).toEqual(want);
  expect(mod.evaluateExactly(p, o)).toEqual(want);
}

const fastShare = (mod: Explained, before: { fast: number; exact: number }) => {
  const fast = mod.explainPaths.fast - before.fast;
  return { fast, total: fast + mod.explainPaths.exact - before.exact };
};

describe("explained fast path = exact path = interpreter", () => {
  it("on random protocols and patients", async () => {
    const protocols = fc.sample(fc.gen().map(protocolText), { numRuns: 12, seed: 20261203 });
    let fast = 0;
    let total = 0;
    for (const [k, text] of protocols.entries()) {
      const ir = compileText(text, `explain-${k}.trial`).ir!;
      const mod = await load(ir, `explain-${k}`);
      const thresholds = thresholdsOf(ir);
      const before = { ...mod.explainPaths };
      fc.assert(
        fc.property(fc.gen(), (g) => expectSame(mod, ir, withNumbers(g, patientFor(g, fc, ir, thresholds)))),
        { numRuns: 60 },
      );
      const share = fastShare(mod, before);
      fast += share.fast;
      total += share.total;
    }
    // Not vacuous: the fast path explained many of them (the others carry decimal strings,
    // limits or record fields in other units, results outside their window, or invalid
    // data; about 28 % were fast when this was written).
    expect(fast / total).toBeGreaterThan(0.2);
  }, 180_000);

  it("on the seed protocol: sample patients, mutants of them, and the bench cohort", async () => {
    const ir = compileFile("protocols/lu177-octreotate.trial").ir!;
    const mod = await load(ir, "explain-seed");
    const samples = readdirSync("protocols/patients")
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(`protocols/patients/${f}`, "utf8")) as Record<string, unknown>);
    for (const s of samples) expectSame(mod, ir, s);
    const thresholds = thresholdsOf(ir);
    fc.assert(
      fc.property(fc.gen(), fc.nat({ max: samples.length - 1 }), (g, i) => {
        const p = withNumbers(g, mutantOf(g, fc, ir, thresholds, samples[i]!)) as Record<string, unknown>;
        expectSame(mod, ir, p);
        const { anchors, ...rest } = p;
        expectSame(mod, ir, rest, anchors as Record<string, string>);
      }),
      { numRuns: 200 },
    );
    const before = { ...mod.explainPaths };
    for (const p of cohort(300)) expectSame(mod, ir, p);
    // Every cohort record is plain (dated results in their element's unit): all explained fast.
    expect(fastShare(mod, before)).toEqual({ fast: 300, total: 300 });
  }, 180_000);

  it("prints numbers as Decimal does, and times as formatTimePoint does", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(num(n)).toBe(fromJsonNumber(n).toString());
      }),
      { numRuns: 2000 },
    );
    // Laboratory values: one or two decimals, printed from their hundredths.
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constantFrom(1, 10, 100), (k, d) => {
        const n = k / d;
        expect(num(n)).toBe(fromJsonNumber(n).toString());
      }),
      { numRuns: 5000 },
    );
    for (const n of [0.1, 0.05, -0.05, 10.5, 1.01, 99.99, -123.45, 1e12 + 0.5, 0.30000000000000004, 1.005])
      expect(num(n)).toBe(fromJsonNumber(n).toString());
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2200-12-31T23:59:59Z"), noInvalidDate: true }),
        fc.boolean(),
        (d, dateTime) => {
          const seconds = Math.floor(d.getTime() / 1000);
          const iso = new Date(seconds * 1000).toISOString();
          const text = dateTime ? iso.slice(0, 19) : iso.slice(0, 10);
          const tp = parseTimeStamp(text);
          expect(tp.ok).toBe(true);
          const at = dateTime ? seconds : Math.floor(seconds / 86400) * 86400;
          if (tp.ok) expect(time(at, dateTime)).toBe(formatTimePoint(tp.tp));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("warns of unknown fields as the exact path does, through its cache of key sequences", () => {
    // The cache is keyed by the record's keys in order: records with the same keys in
    // another order, with one key more or less, with and without reference dates, and two
    // dictionaries used in turn must each get the warnings computed afresh.
    const dictionaries = [new Set(["a", "b", "c"]), new Set(["b", "x"])];
    const anchorNames = ["inclusion"];
    const key = fc.constantFrom("a", "b", "c", "x", "y", "z", "anchors");
    const record = fc.uniqueArray(key, { maxLength: 7 }).chain((keys) =>
      fc.record({
        keys: fc.constant(keys),
        anchorKeys: fc.uniqueArray(fc.constantFrom("inclusion", "D0", "other"), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(record, fc.nat({ max: 1 })), { minLength: 1, maxLength: 20 }), (runs) => {
        for (const [{ keys, anchorKeys }, d] of runs) {
          const r: Record<string, unknown> = {};
          for (const k of keys)
            r[k] = k === "anchors" ? Object.fromEntries(anchorKeys.map((a) => [a, "2027-01-01"])) : 1;
          const want: DataProblem[] = [];
          topLevelWarnings(r, dictionaries[d]!, want);
          if (r.anchors != null) anchorWarnings(r.anchors as object, anchorNames, want);
          const got = recordWarnings(r, dictionaries[d]!, anchorNames);
          expect(got).toEqual(want);
          // Each result has warnings of its own: changing one does not change the next.
          if (got.length) got[0]!.message = "changed";
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every sequence of keys apart when many share their beginnings (the tree's runs split)", () => {
    // One dictionary throughout, so that the tree grows: sequences that are prefixes of
    // one another, that part at every position, and that come back later.
    const dictionary = new Set(["a", "b", "c", "d"]);
    const anchorNames = ["inclusion"];
    const keys = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "anchors"), { maxLength: 9 });
    const anchorKeys = fc.uniqueArray(fc.constantFrom("inclusion", "D0", "other"), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, anchorKeys), { minLength: 1, maxLength: 60 }), (records) => {
        for (const [ks, as] of [...records, ...records]) {
          const r: Record<string, unknown> = {};
          for (const k of ks) r[k] = k === "anchors" ? Object.fromEntries(as.map((a) => [a, "2027-01-01"])) : 1;
          const want: DataProblem[] = [];
          topLevelWarnings(r, dictionary, want);
          if (r.anchors != null) anchorWarnings(r.anchors as object, anchorNames, want);
          expect(recordWarnings(r, dictionary, anchorNames)).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
