/**
 * Helpers for the response tests: the seed protocol (and variants of it) compiled once,
 * its generated `response.ts` imported, both evaluators run side by side, and short
 * builders for assessment series that read like the data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { evaluateResponse } from "../../src/interpret/response.js";
import type { ResponseOutcome, ResponseResult } from "../../src/runtime/response.js";
import { writeGenerated } from "../generated.js";

export const SEED = "protocols/lu177-octreotate.trial";
export const SAMPLES = "protocols/assessments";

/** The generated module's API. */
export interface ResponseModule {
  evaluateResponse(assessments: unknown, options?: Record<string, string>): ResponseOutcome;
}

/** The seed protocol's IR (errors fail the test). */
export function seedIr(): IrProtocol {
  const r = compileFile(SEED);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

/** The seed protocol with parts of its text replaced (each replacement must apply). */
export function variantIr(...edits: [string, string][]): IrProtocol {
  let text = readFileSync(SEED, "utf8");
  for (const [from, to] of edits) {
    expect(text.includes(from), `variant: "${from}" not in the seed`).toBe(true);
    text = text.replace(from, to);
  }
  const r = compileText(text, SEED);
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r.ir!;
}

/** Build `ir` into tests/.generated/NAME and import its response module. */
export async function compiledResponse(ir: IrProtocol, name: string): Promise<ResponseModule> {
  return (await import(join(writeGenerated(ir, name), "response.ts"))) as ResponseModule;
}

/** Run the interpreter and the compiled module; they must agree exactly (explanations included). */
export function both(
  ir: IrProtocol,
  mod: ResponseModule,
  series: unknown,
  options: Record<string, string> = {},
): ResponseOutcome {
  const interpreted = evaluateResponse(ir, series, options);
  expect(mod.evaluateResponse(series, options)).toEqual(JSON.parse(JSON.stringify(interpreted)));
  return interpreted;
}

/** The result of a valid series (fails the test with the errors otherwise). */
export function ok(outcome: ResponseOutcome): ResponseResult {
  if (!outcome.ok) throw new Error(`unexpected data errors: ${JSON.stringify(outcome.errors, null, 2)}`);
  return outcome.result;
}

/** The sorted, de-duplicated error paths of an invalid series. */
export function errorPaths(outcome: ResponseOutcome): string[] {
  expect(outcome.ok).toBe(false);
  return outcome.ok ? [] : [...new Set(outcome.errors.map((e) => e.path))].sort();
}

/** A length. */
export const len = (value: number | string, unit = "mm") => ({ value, unit });

/** A baseline lesion measured by its longest diameter. */
export const lesion = (
  id: string,
  organ: string,
  mm: number | string | null,
  target?: boolean,
  extra: Record<string, unknown> = {},
) => ({
  id,
  organ,
  ...(target === undefined ? {} : { target }),
  ...(mm === null ? {} : { longest_diameter: len(mm) }),
  ...extra,
});

/** A baseline lymph node measured by its short axis. */
export const node = (id: string, shortAxis: number | string, target?: boolean, organ = "mediastinal lymph node") => ({
  id,
  organ,
  node: true,
  ...(target === undefined ? {} : { target }),
  short_axis: len(shortAxis),
});

/** A time point; `lesions` maps id → a diameter in mm, a non-target status, or a full object. */
export function at(
  date: string,
  lesions: Record<string, number | string | null | Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) {
  return {
    date,
    lesions: Object.entries(lesions).map(([id, v]) =>
      v === null
        ? { id, longest_diameter: null }
        : typeof v === "number" || /^\d/.test(String(v))
          ? { id, longest_diameter: len(v as number | string) }
          : typeof v === "string"
            ? { id, status: v }
            : { id, ...v },
    ),
    ...extra,
  };
}

/** A series with D0 2024-01-01 and baseline on 2023-12-20. */
export function series(
  baselineLesions: unknown[],
  timePoints: unknown[],
  anchors: Record<string, string> = { D0: "2024-01-01" },
) {
  return { anchors, baseline: { date: "2023-12-20", lesions: baselineLesions }, time_points: timePoints };
}

/** The date `days` after 2024-01-01. */
export function day(days: number): string {
  return new Date(Date.UTC(2024, 0, 1 + days)).toISOString().slice(0, 10);
}
