/**
 * RECIST 1.1 over a patient's sequence of assessments: the nadir carried from one time
 * point to the next (§4.3.1), the back-dating of PD for an equivocal new lesion later
 * confirmed (§4.3.4), and the "reappearance" flag the best-overall-response rules need
 * (EORTC FAQ on lesions that disappear and reappear; README §2.4).
 */
import {
  Dec,
  RECIST_THRESHOLDS as T,
  daysBetween,
  type Assessment,
  type OverallResponse,
  type RecistBaseline,
  type RecistMeasureOptions,
} from "./recist-types.js";
import {
  newLesionStatus,
  nonTargetResponse,
  overallResponse,
  targetResponse,
  type NewLesionResult,
  type NonTargetResult,
  type TargetResult,
} from "./recist-response.js";

/** The full assessment of one time point. */
export interface TimePointResult {
  date: string;
  /** The overall response after the sequence rules (back-dated PD); the input of BOR. */
  response: OverallResponse;
  /** The Table 1 response from this assessment alone. */
  table1Response: OverallResponse;
  target: TargetResult;
  nonTarget: NonTargetResult;
  newLesions: NewLesionResult;
  /**
   * Whether any malignant lesion is visible again (for the rule "after a confirmed CR, any
   * reappearance is PD"): a non-nodal target > 0 mm or too small to measure, a target node
   * >= 10 mm, a non-nodal non-target present, a nodal non-target unequivocally progressing, or an
   * unequivocal new lesion. A nodal non-target merely "present" does not count (EORTC FAQ).
   */
  reappearance: boolean;
  explanation: string;
}

/**
 * Assess every time point in date order (RECIST 1.1 §4.3–4.4, README §2.3–2.5):
 * - the nadir of each time point is the smallest complete sum so far, baseline included;
 *   sums with a target not assessed never become the nadir (they are only lower bounds);
 * - an equivocal new lesion later reported unequivocal (same id) makes the time point where
 *   it first appeared PD (§4.3.4: "PD dated to the scan where it first appeared").
 */
export function assessTimePoints(
  baseline: RecistBaseline,
  assessments: readonly Assessment[],
  options: RecistMeasureOptions = {},
): TimePointResult[] {
  const ordered = [...assessments].sort((a, b) => daysBetween(b.date, a.date));
  // The smallest earlier complete sum; targetResponse folds in the baseline sum.
  let nadir: string | undefined;
  const firstSeen = new Map<string, number>();
  const results: TimePointResult[] = ordered.map((a, i) => {
    const target = targetResponse(baseline.targets, a.targets, nadir, options);
    nadir = target.nadirMm;
    if (target.sum.sumMm !== null && new Dec(target.sum.sumMm).lt(nadir)) nadir = target.sum.sumMm;
    const nonTarget = nonTargetResponse(baseline.nonTargets, a.nonTargets, a.markersNormal);
    const newLesions = newLesionStatus(a.newLesions);
    for (const n of a.newLesions) if (!firstSeen.has(n.id)) firstSeen.set(n.id, i);
    const overall = overallResponse(target.response, nonTarget.response, newLesions.status);
    return {
      date: a.date,
      response: overall.response,
      table1Response: overall.response,
      target,
      nonTarget,
      newLesions,
      reappearance: reappeared(baseline, a, target),
      explanation: `${a.date}: targets ${target.response} (${target.explanation}); non-targets ${nonTarget.response} (${nonTarget.explanation}); new lesions ${newLesions.status} (${newLesions.explanation}); Table 1: ${overall.row}`,
    };
  });
  // Back-date PD to the first appearance of a new lesion that later became unequivocal.
  results.forEach((r, i) => {
    for (const id of r.newLesions.unequivocal) {
      const first = firstSeen.get(id);
      const earlier = first === undefined ? undefined : results[first];
      if (first !== undefined && first < i && earlier !== undefined && earlier.response !== "PD") {
        earlier.response = "PD";
        earlier.explanation += `; PD back-dated: new lesion ${id}, equivocal here, confirmed on ${r.date} (RECIST 1.1 §4.3.4)`;
      }
    }
  });
  return results;
}

function reappeared(baseline: RecistBaseline, a: Assessment, target: TargetResult): boolean {
  const targetBack = target.sum.contributions.some((c) =>
    c.valueMm === undefined
      ? false
      : c.isNode
        ? new Dec(c.valueMm).gte(T.pathologicalNodeMm)
        : c.source === "too_small_default" || !new Dec(c.valueMm).isZero(),
  );
  const nodal = new Set(baseline.nonTargets.filter((l) => l.isNode).map((l) => l.id));
  const nonTargetBack = a.nonTargets.some((o) =>
    nodal.has(o.id)
      ? o.status === "unequivocal_progression"
      : o.status === "present" || o.status === "unequivocal_progression",
  );
  return targetBack || nonTargetBack || a.newLesions.some((n) => n.unequivocal);
}
