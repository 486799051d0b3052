/**
 * The sample histories of protocols/histories/ give their expected decisions, with the
 * interpreter and with the compiled module, and both give identical results
 * (explanations included).
 */
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { decideCycle } from "../../src/interpret/toxicity.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { decided, importToxicity, seedIr, verdicts, type ToxicityModule } from "./helpers.js";

const DIR = "protocols/histories";
interface Expected {
  decision?: string;
  rules?: Record<string, string>;
  organs?: Record<string, { cumulative?: string; projected?: string }>;
  grades?: Record<string, number>;
  missing?: string[];
  reasons?: string[];
  invalid?: string[];
}
const expected = JSON.parse(readFileSync(`${DIR}/expected/decisions.json`, "utf8")) as Record<string, Expected>;
const load = (file: string): unknown => JSON.parse(readFileSync(`${DIR}/${file}`, "utf8"));

let ir: IrProtocol;
let compiled: ToxicityModule;

beforeAll(async () => {
  ir = seedIr();
  compiled = await importToxicity(ir, "toxicity-samples");
});

describe("sample histories of the seed protocol", () => {
  it("every sample has an expectation", () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith(".json") && f !== "expected.json")
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.decision ?? "invalid history"}`, () => {
      const history = load(file);
      const interpreted = decideCycle(ir, history);
      expect(compiled.decideCycle(history)).toEqual(JSON.parse(JSON.stringify(interpreted)));
      if (want.invalid) {
        expect(interpreted.ok).toBe(false);
        if (!interpreted.ok) expect([...new Set(interpreted.errors.map((e) => e.path))].sort()).toEqual(want.invalid);
        return;
      }
      const d = decided(interpreted);
      expect(d.decision).toBe(want.decision);
      expect(d.warnings).toEqual([]);
      const rules = verdicts(d);
      for (const [name, verdict] of Object.entries(want.rules ?? {})) expect(rules[name], name).toBe(verdict);
      for (const [organ, doses] of Object.entries(want.organs ?? {}))
        expect(d.organs.find((o) => o.organ === organ)).toMatchObject(doses);
      for (const [term, grade] of Object.entries(want.grades ?? {}))
        expect(d.grades.find((g) => g.term === term)?.grade, term).toBe(grade);
      expect(d.missing).toEqual(want.missing ?? []);
      for (const r of want.reasons ?? []) expect(d.reasons).toContain(r);
      // A proceed is never reached with an undecided rule.
      if (d.decision === "proceed") expect(d.rules.filter((r) => r.verdict !== "not_met")).toEqual([]);
    });
  }
});

describe("explanations", () => {
  it("the kidney limit: the doses added exactly, the limit compared, and its literature sources", () => {
    const d = decided(decideCycle(ir, load("stop-kidney-limit.json")));
    const rule = d.rules.find((r) => r.name === "kidney_limit")!;
    expect(rule.steps).toEqual([
      { rule: "cumulative kidneys", result: "value", detail: "8.1 + 8.2 + 6.7 = 23 Gy over 3 cycles" },
      { rule: "cumulative kidneys >= kidney_dose_limit", result: "true", detail: "23 Gy >= 23 Gy" },
    ]);
    expect(rule.interpretations[0]).toMatch(/delivered dose reaches the limit.*\(domain §5\)$/);
    expect(rule.sources.map((s) => s.name)).toEqual(["emami1991", "sundlov2017"]);
    const kidneys = d.organs.find((o) => o.organ === "kidneys")!;
    expect(kidneys.limit).toMatchObject({ param: "kidney_dose_limit", value: "23", unit: "Gy" });
    expect(kidneys.limit.sources.every((s) => s.kind === "literature")).toBe(true);
    expect(d.reasons).toEqual([
      "stop kidney_limit: Cumulative kidney dose has reached the limit",
      "stop kidney_projection: The next full cycle would take the kidneys past the limit",
    ]);
  });

  it("the delay: the platelet count converted into the table's unit and graded", () => {
    const d = decided(decideCycle(ir, load("delay-low-platelets.json")));
    const rule = d.rules.find((r) => r.name === "haematological")!;
    expect(rule.steps[0]).toEqual({
      rule: "grade platelet_count_decreased >= 2",
      result: "true",
      detail: "62 10*3/uL = 62 10*9/L; platelets 62 10*9/L (LLN 150): 50.0 <= x < 75.0 → grade 2; grade 2 >= 2",
    });
    expect(d.reasons).toEqual([
      "delay haematological: Haematological toxicity grade 2 or more: delay until recovery (at most 6 wk from the due date, then stop)",
    ]);
  });

  it("an eGFR without LLN is CKD grade 0 to 1; the renal delay reads the GFR against I6's 50", () => {
    const d = decided(decideCycle(ir, load("normal-course.json")));
    const ckd = d.grades.find((g) => g.term === "chronic_kidney_disease")!;
    expect(ckd).toMatchObject({ grade: null, range: [0, 1], missing: ["labs.gfr.lln"] });
    const step = d.rules.find((r) => r.name === "renal")!.steps[0]!;
    expect(step).toEqual({
      rule: "gfr < 50 mL/min/{1.73_m2}",
      result: "false",
      detail: "84 mL/min/{1.73_m2} < 50 mL/min/{1.73_m2}",
    });
  });

  it("a GFR of 49 before a cycle delays it (below I6's threshold), with the maximum delay", () => {
    const h = load("normal-course.json") as { labs: Record<string, unknown> };
    const d = decided(decideCycle(ir, { ...h, labs: { ...h.labs, gfr: { value: 49, unit: "mL/min/{1.73_m2}" } } }));
    expect(d.decision).toBe("delay");
    expect(d.reasons[0]).toMatch(/^delay renal: .*\(at most 6 wk from the due date, then stop\)$/);
  });

  it("defect 5: an eGFR at or above its LLN is CKD grade 0 to 1, naming proteinuria and UPCR (grade 1 alternatives)", () => {
    const h = load("normal-course.json") as { labs: Record<string, unknown> };
    const labs = {
      ...h.labs,
      gfr: { value: 84, unit: "mL/min/{1.73_m2}", lln: { value: 60, unit: "mL/min/{1.73_m2}" } },
    };
    const history = { ...h, labs };
    const interpreted = decideCycle(ir, history);
    expect(compiled.decideCycle(history)).toEqual(JSON.parse(JSON.stringify(interpreted)));
    const ckd = decided(interpreted).grades.find((g) => g.term === "chronic_kidney_disease")!;
    expect(ckd).toMatchObject({
      grade: null,
      range: [0, 1],
      missing: ["proteinuria 2+ present (dipstick)", "urine protein/creatinine ratio > 0.5"],
    });
    // Grade 2 and above are still decided by the eGFR: 45 is grade 2 whatever the proteinuria.
    const low = { ...h, labs: { ...labs, gfr: { ...labs.gfr, value: 45 } } };
    expect(decided(decideCycle(ir, low)).grades.find((g) => g.term === "chronic_kidney_disease")).toMatchObject({
      grade: 2,
    });
  });

  it("missing dosimetry: unknown, naming the records to collect", () => {
    const d = decided(decideCycle(ir, load("unknown-missing-dosimetry.json")));
    expect(d.reasons[0]).toBe(
      "stop kidney_limit undecided (Cumulative kidney dose has reached the limit): needs cycles[1].dosimetry.kidney_dose",
    );
    expect(d.organs.find((o) => o.organ === "kidneys")).toMatchObject({
      perCycle: ["4.1", null],
      cumulative: null,
      projected: null,
    });
  });
});
