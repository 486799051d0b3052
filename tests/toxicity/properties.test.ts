/**
 * Properties of the toxicity decision over random histories of the seed protocol:
 * the compiled module equals the reference interpreter; raising an organ dose never
 * makes a decision less severe (a stop stays a stop); worsening a laboratory value
 * never lowers its CTCAE grade (read from the compiled module) nor turns a delay or a
 * stop into proceed; missing dosimetry or labs never give proceed.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { decideCycle } from "../../src/interpret/toxicity.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { dec } from "../../src/runtime/decimal.js";
import type { CycleDecision } from "../../src/runtime/toxicity.js";
import { histories, LABS, SEVERITY, type History } from "./arbitraries.js";
import { decided, importToxicity, seedIr, type ToxicityModule } from "./helpers.js";

let ir: IrProtocol;
let compiled: ToxicityModule;

beforeAll(async () => {
  ir = seedIr();
  compiled = await importToxicity(ir, "toxicity-properties");
});

const RUNS = { numRuns: 300 };
const copy = (h: History): History => JSON.parse(JSON.stringify(h)) as History;
const run = (h: History): CycleDecision => decided(compiled.decideCycle(h));

/** Whether `after` is at least as severe as `before` (unknown only follows unknown). */
function noLessSevere(before: CycleDecision, after: CycleDecision): boolean {
  if (before.decision === "stop") return after.decision === "stop";
  // From unknown, a worse value may settle an open rule (gfr 88 → 60 decides the renal
  // delay rule); it must never settle into proceed.
  if (before.decision === "unknown") return after.decision !== "proceed";
  return after.decision !== "unknown" && SEVERITY[after.decision]! >= SEVERITY[before.decision]!;
}

describe("the compiled module and the interpreter", () => {
  it("give identical results, explanations included", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(histories, (h) => {
        const a = decideCycle(ir, h);
        expect(compiled.decideCycle(h)).toEqual(JSON.parse(JSON.stringify(a)));
        if (a.ok) seen.add(a.result.decision);
      }),
      RUNS,
    );
    // The generator reaches every decision, or the property would prove little.
    expect([...seen].sort()).toEqual(["delay", "proceed", "stop", "unknown"]);
  });
});

describe("organ doses", () => {
  it("raising any organ dose never makes the decision less severe; a stop stays a stop", () => {
    fc.assert(
      fc.property(histories, fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 500 }), (h, i, kidney, hundredths) => {
        const withDoses = h.cycles.filter((c) => c.dosimetry);
        fc.pre(withDoses.length > 0);
        const before = run(h);
        const raised = copy(h);
        const target = raised.cycles.filter((c) => c.dosimetry)[i % withDoses.length]!.dosimetry!;
        const d = kidney ? target.kidney_dose : target.marrow_dose;
        const delta = dec(hundredths)
          .div(100)
          .times(d.unit === "mGy" ? 1000 : 1);
        d.value = dec(d.value!).plus(delta).toString();
        const after = run(raised);
        expect(noLessSevere(before, after), `${before.decision} → ${after.decision}`).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("laboratory values", () => {
  const names = Object.keys(LABS);

  it("worsening a value never lowers its grade (compiled module) nor turns a delay or a stop into proceed", () => {
    fc.assert(
      fc.property(histories, fc.nat(), fc.integer({ min: 1, max: 50 }), (h, i, percent) => {
        const name = names[i % names.length]!;
        const lab = h.labs[name];
        fc.pre(lab !== undefined);
        const worse = copy(h);
        // Falling counts worsen downwards, rising enzymes upwards; the references stay.
        const factor = dec(100 + (LABS[name]!.increasing ? percent : -percent)).div(100);
        worse.labs[name]!.value = dec(lab.value!).times(factor).toString();
        const before = run(h);
        const after = run(worse);
        for (const g of before.grades.filter((x) => x.element === name)) {
          const a = after.grades.find((x) => x.term === g.term)!;
          if (g.range === null) continue;
          expect(a.range![0], `${g.term}: ${g.explanation} → ${a.explanation}`).toBeGreaterThanOrEqual(g.range[0]);
          expect(a.range![1], `${g.term}: ${g.explanation} → ${a.explanation}`).toBeGreaterThanOrEqual(g.range[1]);
        }
        expect(
          noLessSevere(before, after),
          `${name} ×${factor.toString()}: ${before.decision} → ${after.decision}`,
        ).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("missing data", () => {
  const read = ["hemoglobin", "neutrophils", "platelets", "creatinine", "total_bilirubin", "ast", "alt", "gfr"];

  it("a delivered cycle without dosimetry, or a lab the rules read missing, never gives proceed", () => {
    fc.assert(
      fc.property(histories, (h) => {
        const d = run(h);
        const noDosimetry = h.cycles.some((c) => !c.dosimetry);
        const noLab = read.some((n) => h.labs[n] === undefined);
        if (noDosimetry || noLab) expect(d.decision).not.toBe("proceed");
        if (d.decision === "unknown") expect(d.missing.length).toBeGreaterThan(0);
        if (noDosimetry && h.cycles.length < 4) expect(["stop", "unknown"]).toContain(d.decision);
      }),
      RUNS,
    );
  });
});
