/**
 * RECIST 1.1 runtime: the one module generated code and the interpreter import.
 *
 * Source: Eisenhauer EA et al., Eur J Cancer 2009;45:228–247 (RECIST 1.1), with the
 * boundary rules and the trial's confirmation convention of the domain README §2.
 * The rules live in split files, in the order a patient's data flows through them:
 * - `recist-types.ts`      data types, thresholds, exact-decimal and date helpers
 * - `recist-baseline.ts`   measurability (§3.1) and target selection (§4.2)
 * - `recist-response.ts`   sum of diameters, target / non-target / new-lesion response, Table 1
 * - `recist-timepoints.ts` the sequence of assessments: nadir, back-dated PD, reappearance
 * - `recist-bor.ts`        best overall response with confirmation (§4.4, §4.6, Table 3)
 * - `recist-validate.ts`   data checks with JSON paths
 */
import { bestOverallResponse, type BorOptions, type BorResult } from "./recist-bor.js";
import { assessTimePoints, type TimePointResult } from "./recist-timepoints.js";
import type { Assessment, RecistBaseline, RecistIssue, RecistMeasureOptions } from "./recist-types.js";
import { validateRecistData } from "./recist-validate.js";

export * from "./recist-types.js";
export * from "./recist-baseline.js";
export * from "./recist-response.js";
export * from "./recist-timepoints.js";
export * from "./recist-bor.js";
export * from "./recist-validate.js";

/** Everything RECIST says about one patient. */
export interface RecistEvaluation {
  /** Data problems; when any is an error, `timePoints` is empty and `bor` is null. */
  issues: RecistIssue[];
  timePoints: TimePointResult[];
  bor: BorResult | null;
}

/**
 * Validate, assess every time point and derive the best overall response (RECIST 1.1 §4.3–4.6,
 * README §2.3–2.6). Responses are computed only from valid data: an error stops before
 * any response, so no response is ever computed from a malformed diameter or date.
 */
export function evaluateRecist(
  baseline: RecistBaseline,
  assessments: readonly Assessment[],
  borOptions: BorOptions,
  options: RecistMeasureOptions = {},
): RecistEvaluation {
  const issues = validateRecistData(baseline, assessments);
  if (issues.some((i) => i.severity === "error")) return { issues, timePoints: [], bor: null };
  const timePoints = assessTimePoints(baseline, assessments, options);
  const bor = bestOverallResponse(
    timePoints.map((t) => ({ date: t.date, response: t.response, reappearance: t.reappearance })),
    borOptions,
  );
  return { issues, timePoints, bor };
}
