/**
 * The progression definitions inclusion I3 uses (issue: "progression definitions the seed
 * uses for inclusion I3, written in the language and compiled"), at their boundaries, as
 * `trialc eval` evaluates them:
 * - SSR imaging: a new lesion, or a transaxial diameter increase of MORE than 30 %, on the
 *   same modality, within the 12 months before inclusion (closed window);
 * - clinical: symptom frequency up at least 50 % or severity up at least one CTCAE grade,
 *   sustained MORE than 2 weeks (> 14 days, compared exactly across units);
 * - biochemical: one marker rising in two successive measurements (3 strictly rising values).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { CriterionResult } from "../../src/runtime/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { main } from "../../src/cli/program.js";
import { seedIr } from "./helpers.js";

let ir: IrProtocol;
beforeAll(() => {
  ir = seedIr();
});

type Patient = Record<string, unknown>;
const patient = (f: string): Patient => JSON.parse(readFileSync(`protocols/patients/${f}`, "utf8")) as Patient;

/** The verdicts of the named criteria for a patient. */
function verdicts(p: Patient, ...ids: string[]): string[] {
  const r = evaluateEligibility(ir, p);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const all = new Map<string, CriterionResult>();
  const walk = (c: CriterionResult) => (all.set(c.id, c), c.children.forEach(walk));
  r.result.inclusion.forEach(walk);
  return ids.map((id) => all.get(id)!.verdict);
}

describe("SSR progression (I3b)", () => {
  const ssr = (scan: Record<string, unknown>) => {
    const p = patient("eligible-ssr-progression.json");
    const base = (p.ssr_scans as Record<string, unknown>[])[0]!;
    return verdicts({ ...p, ssr_scans: [{ ...base, ...scan }] }, "I3b")[0];
  };
  it("more than 30 %: exactly 30 % is not progression, 30.01 % is", () => {
    expect(ssr({ diameter_increase: { value: 30, unit: "%" } })).toBe("not_met");
    expect(ssr({ diameter_increase: { value: "30.01", unit: "%" } })).toBe("met");
  });
  it("a new lesion is progression on the same modality, not against another modality", () => {
    expect(ssr({ diameter_increase: { value: 0, unit: "%" }, new_lesions: true })).toBe("met");
    expect(
      ssr({ diameter_increase: { value: 0, unit: "%" }, new_lesions: true, same_modality_as_reference: false }),
    ).toBe("not_met");
    expect(ssr({ same_modality_as_reference: false })).toBe("not_met");
  });
  it("within the 12 months before inclusion (2027-01-04), both ends included", () => {
    expect(ssr({ date: "2026-01-04" })).toBe("met");
    expect(ssr({ date: "2026-01-03" })).toBe("not_met");
  });
});

describe("clinical progression (I3c_a)", () => {
  const clinical = (change: Record<string, unknown>) => {
    const p = patient("eligible-clinical-biochemical.json");
    const base = (p.symptom_changes as Record<string, unknown>[])[0]!;
    return verdicts({ ...p, symptom_changes: [{ ...base, ...change }] }, "I3c_a", "I3c")[0];
  };
  it("sustained more than 2 weeks: 14 days (or 2 wk, or 336 h) is not enough; 14.5 days is", () => {
    expect(clinical({ sustained_for: { value: 14, unit: "d" } })).toBe("not_met");
    expect(clinical({ sustained_for: { value: 2, unit: "wk" } })).toBe("not_met");
    expect(clinical({ sustained_for: { value: 336, unit: "h" } })).toBe("not_met");
    expect(clinical({ sustained_for: { value: "14.5", unit: "d" } })).toBe("met");
    expect(clinical({ sustained_for: { value: 15, unit: "d" } })).toBe("met");
  });
  it("frequency up by 50 % (at least), or severity up by one grade", () => {
    expect(clinical({ frequency_increase: { value: "49.9", unit: "%" } })).toBe("not_met");
    expect(clinical({ frequency_increase: { value: 50, unit: "%" } })).toBe("met");
    expect(clinical({ frequency_increase: { value: 0, unit: "%" }, severity_grade_increase: 1 })).toBe("met");
    expect(clinical({ frequency_increase: { value: 0, unit: "%" }, severity_grade_increase: 0 })).toBe("not_met");
  });
  it("through trialc eval: 14 days sustained is reported NOT MET with the exact comparison", async () => {
    const p = patient("eligible-clinical-biochemical.json");
    const base = (p.symptom_changes as Record<string, unknown>[])[0]!;
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "trialc-i3-")), "p.json");
    writeFileSync(
      file,
      JSON.stringify({ ...p, symptom_changes: [{ ...base, sustained_for: { value: 2, unit: "wk" } }] }),
    );
    let out = "";
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      expect(await main(["eval", "protocols/lu177-octreotate.trial", file])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    expect(out).toMatch(/I3c_a +NOT MET +Clinical progression/);
    expect(out).toContain("Verdict: INELIGIBLE");
  });
});

describe("biochemical progression (I3c_b)", () => {
  /** [marker, date, value, name?, unit?]: the name and unit default to the marker's usual ones. */
  const marker = (...values: [string, string, number, string?, string?][]) =>
    verdicts(
      {
        ...patient("eligible-clinical-biochemical.json"),
        marker_measurements: values.map(([m, date, value, name, unit]) => ({
          marker: m,
          marker_name: name ?? m,
          date,
          value,
          unit: unit ?? "ng/mL",
        })),
      },
      "I3c_b",
    )[0];
  it("two successive rises of one marker (three strictly rising values, in date order)", () => {
    expect(
      marker(
        ["chromogranin_a", "2026-06-01", 310],
        ["chromogranin_a", "2026-08-30", 402],
        ["chromogranin_a", "2026-11-20", 515],
      ),
    ).toBe("met");
    expect(
      marker(
        ["chromogranin_a", "2026-11-20", 515],
        ["chromogranin_a", "2026-06-01", 310],
        ["chromogranin_a", "2026-08-30", 402],
      ),
    ).toBe("met");
  });
  it("defect 3: two different 'other' markers, or one marker in two units, are never one series", () => {
    expect(
      marker(
        ["other", "2026-06-01", 50, "Pancreastatin", "pmol/L"],
        ["other", "2026-08-30", 60, "Neurokinin A", "pmol/L"],
        ["other", "2026-11-20", 70, "Pancreastatin", "pmol/L"],
      ),
    ).toBe("not_met");
    expect(
      marker(
        ["chromogranin_a", "2026-06-01", 310, "CgA", "ng/mL"],
        ["chromogranin_a", "2026-08-30", 402, "CgA", "ug/L"],
        ["chromogranin_a", "2026-11-20", 515, "CgA", "ng/mL"],
      ),
    ).toBe("not_met");
    // One named 'other' marker in one unit is a series like any other.
    expect(
      marker(
        ["other", "2026-06-01", 50, "Pancreastatin", "pmol/L"],
        ["other", "2026-08-30", 60, "Pancreastatin", "pmol/L"],
        ["other", "2026-11-20", 70, "Pancreastatin", "pmol/L"],
      ),
    ).toBe("met");
  });
  it("one rise, a plateau, or rises split between two markers are not enough", () => {
    expect(marker(["chromogranin_a", "2026-06-01", 310], ["chromogranin_a", "2026-08-30", 402])).toBe("not_met");
    expect(
      marker(
        ["chromogranin_a", "2026-06-01", 310],
        ["chromogranin_a", "2026-08-30", 402],
        ["chromogranin_a", "2026-11-20", 402],
      ),
    ).toBe("not_met");
    expect(
      marker(
        ["chromogranin_a", "2026-06-01", 310],
        ["chromogranin_a", "2026-08-30", 402],
        ["nse", "2026-08-30", 12],
        ["nse", "2026-11-20", 15],
      ),
    ).toBe("not_met");
  });
});
