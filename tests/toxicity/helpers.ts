/**
 * Helpers for the toxicity tests: the seed protocol's IR, its generated `toxicity.ts`
 * (written under tests/.generated/<name>, one folder per test file so parallel files
 * never share one), and builders that make a history read like the clinic's record.
 */
import { join } from "node:path";
import { expect } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import type { CycleDecision, DecisionOutcome } from "../../src/runtime/toxicity.js";
import { writeGenerated } from "../generated.js";

export const SEED = "protocols/lu177-octreotate.trial";

/** The generated module's API. */
export interface ToxicityModule {
  decideCycle(history: unknown): DecisionOutcome;
}

/** The seed protocol, checked without errors. */
export function seedIr(): IrProtocol {
  const r = compileFile(SEED);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

/** Build `ir` into tests/.generated/<name> and import its toxicity.ts. */
export async function importToxicity(ir: IrProtocol, name: string): Promise<ToxicityModule> {
  const dir = writeGenerated(ir, name);
  return (await import(join(dir, "toxicity.ts"))) as ToxicityModule;
}

/** The result of a valid history, or a test failure listing the data errors. */
export function decided(o: DecisionOutcome): CycleDecision {
  if (!o.ok) throw new Error(`invalid history:\n${o.errors.map((e) => `${e.path}: ${e.message}`).join("\n")}`);
  return o.result;
}

/** A quantity as the history's JSON carries it; reference limits are given in the value's unit. */
export const q = (
  value: number | string,
  unit: string,
  refs: { uln?: number | string; lln?: number | string } = {},
) => ({
  value,
  unit,
  ...(refs.uln !== undefined ? { uln: { value: refs.uln, unit } } : {}),
  ...(refs.lln !== undefined ? { lln: { value: refs.lln, unit } } : {}),
});

/** One cycle with its dosimetry (kidney, marrow), or without when `doses` is null. */
export function cycle(n: number, doses: [ReturnType<typeof q>, ReturnType<typeof q>] | null, date?: string) {
  return {
    cycle: n,
    ...(date ? { date } : {}),
    ...(doses ? { dosimetry: { kidney_dose: doses[0], marrow_dose: doses[1] } } : {}),
  };
}

/** Laboratory values within normal limits, every reference given; `over` replaces some. */
export function normalLabs(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hemoglobin: q(12.8, "g/dL", { lln: 12 }),
    neutrophils: q(3.1, "10*3/uL", { lln: 1.8 }),
    platelets: q(196, "10*9/L", { lln: 150 }),
    lymphocytes: q(1.1, "10*3/uL", { lln: 1 }),
    white_cells: q(5.4, "10*3/uL", { lln: 4 }),
    creatinine: q(0.92, "mg/dL", { uln: 1.2 }),
    total_bilirubin: q(0.6, "mg/dL", { uln: 1.2 }),
    ast: q(24, "U/L", { uln: 40 }),
    alt: q(21, "U/L", { uln: 41 }),
    albumin: q(4.1, "g/dL", { lln: 3.5 }),
    gfr: q(84, "mL/min/{1.73_m2}"),
    ...over,
  };
}

/** A history of cycles with the given kidney doses (Gy) and small marrow doses, normal labs. */
export function kidneyHistory(kidneyGy: (number | string)[], labs: Record<string, unknown> = normalLabs()) {
  return {
    cycles: kidneyGy.map((k, i) => cycle(i + 1, [q(k, "Gy"), q(0.2, "Gy")])),
    labs,
    baseline: { creatinine: q(85, "umol/L") },
  };
}

/** Verdicts by rule name. */
export function verdicts(d: CycleDecision): Record<string, string> {
  return Object.fromEntries(d.rules.map((r) => [r.name, r.verdict]));
}
