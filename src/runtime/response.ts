/**
 * Response: the trial's efficacy endpoints, evaluated and explained. Per lesion and per
 * time point, the change of the lesion measure and its protocol category; per patient,
 * RECIST 1.1 at every time point (sums, nadir, the rule that decided) and the best overall
 * response, confirmed and unconfirmed.
 *
 * Both the generated `response.ts` and the reference interpreter (`src/interpret/response.ts`)
 * call `evaluateResponseSpec` with a spec built from the IR; they differ only in how the
 * category conditions run (compiled or interpreted), so they agree by construction and the
 * differential tests check the translation. The parts, in the order data flows through them:
 * - `response-input.ts`   the assessments JSON: validation with JSON paths, exact units
 * - `response-recist.ts`  RECIST 1.1 over the series (the rules are `recist*.ts`)
 * - `response-lesions.ts` lesion-level change and categories
 */
import type { DataProblem } from "./patient.js";
import { resolveAnchors, type AnchorOptions } from "./anchors.js";
import { catchDataErrors } from "./eligibility.js";
import { RECIST_THRESHOLDS } from "./recist-types.js";
import { readAssessments, type InputSpec } from "./response-input.js";
import { lesionChanges, type LesionChange, type LesionRole, type LesionSpec } from "./response-lesions.js";
import {
  runRecist,
  type BaselineReport,
  type BorReport,
  type RecistSettings,
  type RecistTimePoint,
} from "./response-recist.js";

export {
  variable,
  showPercent,
  type CategoryRule,
  type LesionCategory,
  type LesionChange,
  type LesionRole,
  type LesionSpec,
} from "./response-lesions.js";
export type {
  BaselineLesionReport,
  BaselineReport,
  BorReport,
  RecistSettings,
  RecistTimePoint,
} from "./response-recist.js";
export type { LengthInput } from "./response-input.js";

/** Everything the evaluation needs from the protocol. */
export interface ResponseSpec {
  protocol: { id: string; source: string; sha256: string };
  /** The protocol's anchors (the assessments' `anchors` may give them). */
  anchors: string[];
  lesion: LesionSpec | null;
  recist: RecistSettings | null;
}

/** One time point: RECIST's response and each lesion's change. */
export interface TimePointReport {
  date: string;
  /** The treatment cycle the assessment follows, when the data say. */
  cycle: number | null;
  recist: RecistTimePoint | null;
  lesions: LesionChange[];
}

/** The response of one patient's assessment series. */
export interface ResponseResult {
  protocol: ResponseSpec["protocol"];
  /** The reference dates used. */
  anchors: Record<string, string>;
  /** RECIST's baseline (targets, non-targets, sum); null when the protocol does not use RECIST. */
  baseline: BaselineReport | null;
  /** How the protocol defines the lesion-level response; null when it does not. */
  lesionResponse: {
    records: string;
    field: string;
    unit: string;
    reference: "baseline" | "nadir";
    categories: { name: string; label: string; rule: string | null }[];
  } | null;
  /** In date order. */
  timePoints: TimePointReport[];
  /** Best overall response; null when RECIST is not used or its reference date is missing. */
  bor: BorReport | null;
  /** Data that would let the best overall response be derived (e.g. "anchor D0"). */
  missing: string[];
  /** Problems that changed no decision. */
  warnings: DataProblem[];
}

/** Either the result or the problems in the data, with JSON paths: never a response from bad data. */
export type ResponseOutcome = { ok: true; result: ResponseResult } | { ok: false; errors: DataProblem[] };

/** Reference dates for when the assessments do not carry them, ISO YYYY-MM-DD. */
export type ResponseOptions = AnchorOptions;

/** What the assessments reader needs from the spec. */
function inputSpec(spec: ResponseSpec): InputSpec {
  const l = spec.lesion;
  return { anchors: spec.anchors, lesionMeasure: l ? { key: l.field, unit: l.unit, range: l.range } : null };
}

/**
 * Evaluate a patient's assessment series (the JSON of `trialc response`): validate it,
 * run RECIST 1.1 and the lesion-level response, and explain every decision.
 */
export function evaluateResponseSpec(spec: ResponseSpec, raw: unknown, options: ResponseOptions = {}): ResponseOutcome {
  const read = readAssessments(inputSpec(spec), raw);
  if (!read.ok) return read;
  const data = read.data;
  const anchors = resolveAnchors(spec.anchors, data.anchors, options);
  if (!anchors.ok) return anchors;
  const errors: DataProblem[] = [];
  const warnings: DataProblem[] = [...read.warnings, ...anchors.warnings];
  return catchDataErrors((): ResponseOutcome => {
    const recist = spec.recist ? runRecist(spec.recist, data, anchors.anchors, errors, warnings) : null;
    if (errors.length) return { ok: false, errors };
    const roles = recist?.roles ?? new Map<string, LesionRole>();
    const tooSmall = spec.recist?.tooSmallToMeasureMm ?? RECIST_THRESHOLDS.tooSmallToMeasureMm;
    const lesions = spec.lesion
      ? lesionChanges(spec.lesion, data, anchors.anchors, roles, tooSmall)
      : data.timePoints.map(() => []);
    const l = spec.lesion;
    return {
      ok: true,
      result: {
        protocol: spec.protocol,
        anchors: anchors.shown,
        baseline: recist?.baseline ?? null,
        lesionResponse: l
          ? {
              records: l.records,
              field: l.field,
              unit: l.unit,
              reference: l.reference,
              categories: l.categories.map((c) => ({ name: c.name, label: c.label, rule: c.rule })),
            }
          : null,
        timePoints: data.timePoints.map((tp, i) => ({
          date: tp.date,
          cycle: tp.cycle,
          recist: recist?.timePoints.get(tp.date) ?? null,
          lesions: lesions[i] ?? [],
        })),
        bor: recist?.bor ?? null,
        missing: recist?.missing ?? [],
        warnings,
      },
    };
  });
}
