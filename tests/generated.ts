/**
 * Build a protocol's generated modules into `tests/.generated/<name>/` and import
 * them, so tests run the real compiled code (vitest transforms the TypeScript).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IrProtocol } from "../src/ir/types.js";
import { buildFiles } from "../src/build.js";

export const GENERATED_ROOT = join(dirname(fileURLToPath(import.meta.url)), ".generated");

/** Write the TypeScript target of `ir` under `tests/.generated/<name>` and return the folder. */
export function writeGenerated(ir: IrProtocol, name: string): string {
  const dir = join(GENERATED_ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of buildFiles(ir)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** The generated eligibility module's API. */
export interface EligibilityModule {
  evaluateEligibility(
    patient: unknown,
    options?: Record<string, string>,
  ): { ok: boolean; result?: unknown; errors?: unknown };
}

export async function importEligibility(dir: string): Promise<EligibilityModule> {
  return (await import(join(dir, "eligibility.ts"))) as EligibilityModule;
}

/** The generated decision-only module's API (`decide.ts`). */
export interface DecideModule {
  isEligible(patient: unknown, options?: Record<string, string>): "eligible" | "ineligible" | "indeterminate";
  screen(patients: readonly unknown[], options?: Record<string, string>): unknown[];
  PatientDataError: new (...a: never[]) => Error & { errors: unknown[] };
  paths: { fast: number; exact: number };
}

export async function importDecide(dir: string): Promise<DecideModule> {
  return (await import(join(dir, "decide.ts"))) as DecideModule;
}
