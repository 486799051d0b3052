/**
 * RECIST 1.1 responses at one time point: the sum of diameters (§4.3.2), target
 * response (§4.3.1), non-target response (§4.3.3), new lesions (§4.3.4) and the
 * overall time-point response of Table 1 (README §2.3–2.5).
 *
 * Every decision compares exact Decimals by multiplication (`sum <= 0.70 × baseline`,
 * `sum >= 1.2 × nadir`), never by a rounded percentage; percentages appear only in text.
 */
import type { Decimal } from "decimal.js";
import { sumBaseline } from "./recist-baseline.js";
import {
  Dec,
  RECIST_THRESHOLDS as T,
  mm,
  showMm,
  showPct,
  type BaselineLesion,
  type NewLesionObservation,
  type NewLesionStatus,
  type NonTargetObservation,
  type NonTargetResponse,
  type OverallResponse,
  type RecistMeasureOptions,
  type TargetMeasurement,
  type TargetResponse,
} from "./recist-types.js";

/** One target's contribution to the sum: its value, or undefined when not assessed. */
export interface TargetContribution {
  id: string;
  isNode: boolean;
  valueMm: string | undefined;
  /** How the value was read: measured, the too-small default, or missing. */
  source: "measured" | "too_small_default" | "not_assessed";
}

/** The sum of diameters at one assessment. */
export interface SumOfDiameters {
  /** The sum over every target, or null when one was not assessed. */
  sumMm: string | null;
  /** The sum over the targets that were assessed (a lower bound of the true sum). */
  measuredSumMm: string;
  /** Ids of targets not assessed. */
  missing: string[];
  contributions: TargetContribution[];
  explanation: string;
}

/**
 * Sum of diameters (RECIST 1.1 §4.3.2, README §2.3): the longest diameter of each non-nodal
 * target plus the short axis of each target node, over the baseline target list. A target
 * "too small to measure" counts as 5 mm (configurable); a disappeared one is recorded "0".
 * A target absent from `measurements`, or with `diameterMm: null`, is not assessed.
 */
export function sumOfDiameters(
  targets: readonly BaselineLesion[],
  measurements: readonly TargetMeasurement[],
  options: RecistMeasureOptions = {},
): SumOfDiameters {
  const tooSmall = options.tooSmallToMeasureMm ?? T.tooSmallToMeasureMm;
  const byId = new Map(measurements.map((m) => [m.id, m]));
  let measured = new Dec(0);
  const contributions: TargetContribution[] = targets.map((t) => {
    const m = byId.get(t.id);
    // The flag wins over a stray number: EORTC says to record a measurement whenever one can be made,
    // so "too small" means none could (data validation reports both being set).
    const value = m?.tooSmallToMeasure ? tooSmall : (m?.diameterMm ?? undefined);
    const source = m?.tooSmallToMeasure ? "too_small_default" : value === undefined ? "not_assessed" : "measured";
    if (value !== undefined) measured = measured.plus(mm(value, `target ${t.id}`));
    return { id: t.id, isNode: t.isNode, valueMm: value, source };
  });
  const missing = contributions.filter((c) => c.valueMm === undefined).map((c) => c.id);
  const terms = contributions.map(
    (c) => `${c.id} ${c.valueMm ?? "NA"}${c.source === "too_small_default" ? " (too small)" : ""}`,
  );
  return {
    sumMm: missing.length === 0 ? measured.toString() : null,
    measuredSumMm: measured.toString(),
    missing,
    contributions,
    explanation: `${terms.join(" + ")} = ${showMm(measured)}${missing.length ? ` (not assessed: ${missing.join(", ")})` : ""}`,
  };
}

/** The target response with the numbers that decided it. */
export interface TargetResult {
  response: TargetResponse;
  sum: SumOfDiameters;
  baselineSumMm: string;
  nadirMm: string;
  /** The RECIST rule that decided, e.g. "PR: sum <= 0.70 × baseline". */
  rule: string;
  explanation: string;
}

/**
 * Target-lesion response (RECIST 1.1 §4.3.1, README §2.3), checked in this order:
 * 1. not every target assessed: PD if the measured targets alone meet PD (missing ones can only
 *    add to the sum, §4.5 and the 50 → 80 mm example), else NE;
 * 2. CR: every non-nodal target 0 mm and every target node < 10 mm (so the sum need not be 0);
 * 3. PD: sum >= 1.2 × nadir AND sum − nadir >= 5 mm, nadir = smallest earlier sum including baseline;
 * 4. PR: sum <= 0.70 × baseline sum; 5. SD otherwise.
 * CR is tested before PD: nodes that are all < 10 mm are normal (§4.3.2), so growth among
 * normal nodes is not progression. `nadirMm` is the smallest earlier complete sum; the
 * baseline sum is always included.
 */
export function targetResponse(
  targets: readonly BaselineLesion[],
  measurements: readonly TargetMeasurement[],
  nadirMm?: string,
  options: RecistMeasureOptions = {},
): TargetResult {
  // Table 2 (non-target disease only) does not apply to this trial (I13 requires a target; README §2.5).
  if (targets.length === 0) throw new RangeError("RECIST: target response needs at least one baseline target");
  const baseline = sumBaseline(targets);
  if (baseline === undefined) throw new RangeError("RECIST: every baseline target needs a diameter");
  const nadir = nadirMm === undefined ? baseline : Dec.min(baseline, mm(nadirMm, "nadir"));
  const sum = sumOfDiameters(targets, measurements, options);
  const measured = new Dec(sum.measuredSumMm);
  const numbers = `sum ${showMm(measured)} (baseline ${showMm(baseline)}, ${showPct(measured, baseline)}; nadir ${showMm(nadir)}, ${showPct(measured, nadir)})`;
  const pd = meetsPd(measured, nadir);
  const done = (response: TargetResponse, rule: string, detail: string): TargetResult => ({
    response,
    sum,
    baselineSumMm: baseline.toString(),
    nadirMm: nadir.toString(),
    rule,
    explanation: `${sum.explanation}; ${numbers}: ${detail} → ${response}`,
  });
  if (sum.missing.length > 0) {
    return pd.met
      ? done("PD", "PD with targets missing: the measured targets alone meet PD (RECIST 1.1 §4.5)", pd.detail)
      : done("NE", "NE: not every target assessed (RECIST 1.1 §4.5)", `not assessed: ${sum.missing.join(", ")}`);
  }
  const present = sum.contributions.filter((c) => !isGone(c));
  if (present.length === 0) {
    return done(
      "CR",
      "CR: every non-nodal target disappeared and every target node < 10 mm",
      "every non-nodal target 0 mm, every node < 10 mm",
    );
  }
  if (pd.met) return done("PD", "PD: sum >= 1.2 × nadir and sum − nadir >= 5 mm", pd.detail);
  const prLimit = baseline.times(T.prFraction);
  if (measured.lte(prLimit)) {
    return done(
      "PR",
      "PR: sum <= 0.70 × baseline sum",
      `not PD (${pd.detail}); ${measured.toString()} <= 0.70 × ${baseline.toString()} = ${prLimit.toString()}`,
    );
  }
  return done(
    "SD",
    "SD: neither PR (vs baseline) nor PD (vs nadir)",
    `${pd.detail}; ${measured.toString()} > 0.70 × ${baseline.toString()} = ${prLimit.toString()}`,
  );
}

/** True when a target no longer blocks CR: a non-nodal one at 0 mm, a node below 10 mm. */
export function isGone(c: TargetContribution): boolean {
  if (c.valueMm === undefined) return false;
  const v = new Dec(c.valueMm);
  return c.isNode ? v.lt(T.pathologicalNodeMm) : v.isZero() && c.source === "measured";
}

/** The PD test of §4.3.1 with its arithmetic spelled out. */
function meetsPd(sum: Decimal, nadir: Decimal): { met: boolean; detail: string } {
  const relative = nadir.times(T.pdFraction);
  const absolute = sum.minus(nadir);
  const relOk = sum.gte(relative);
  const absOk = absolute.gte(T.pdAbsoluteMm);
  return {
    met: relOk && absOk,
    detail: `${sum.toString()} ${relOk ? ">=" : "<"} 1.2 × ${nadir.toString()} = ${relative.toString()}, increase ${showMm(absolute)} ${absOk ? ">=" : "<"} 5 mm`,
  };
}

/** The non-target response with the lesions that decided it. */
export interface NonTargetResult {
  response: NonTargetResponse;
  explanation: string;
}

/**
 * Non-target response (RECIST 1.1 §4.3.3, README §2.4): PD on unequivocal progression of any
 * non-target; otherwise NE when one is not evaluated; CR when all are absent (for nodes:
 * short axis < 10 mm) and tumour markers are normal; otherwise Non-CR/Non-PD. NONE when
 * there were no non-targets at baseline. A baseline non-target missing from the
 * observations counts as not evaluated. `markersNormal` undefined means no marker is followed.
 */
export function nonTargetResponse(
  baselineNonTargets: readonly BaselineLesion[],
  observations: readonly NonTargetObservation[],
  markersNormal?: boolean,
): NonTargetResult {
  const status = new Map(baselineNonTargets.map((l) => [l.id, "not_evaluated" as NonTargetObservation["status"]]));
  for (const o of observations) status.set(o.id, o.status);
  if (status.size === 0) return { response: "NONE", explanation: "no non-target lesions" };
  const ids = (s: NonTargetObservation["status"]) => [...status].filter(([, v]) => v === s).map(([k]) => k);
  const progressed = ids("unequivocal_progression");
  if (progressed.length)
    return { response: "PD", explanation: `unequivocal progression of ${progressed.join(", ")} → PD` };
  const notEvaluated = ids("not_evaluated");
  if (notEvaluated.length) return { response: "NE", explanation: `not evaluated: ${notEvaluated.join(", ")} → NE` };
  const present = ids("present");
  if (present.length)
    return { response: "NON_CR_NON_PD", explanation: `still present: ${present.join(", ")} → Non-CR/Non-PD` };
  if (markersNormal === false)
    return { response: "NON_CR_NON_PD", explanation: "all absent but tumour markers above normal → Non-CR/Non-PD" };
  return { response: "CR", explanation: `all ${status.size} absent${markersNormal ? ", markers normal" : ""} → CR` };
}

/** New-lesion status with the ids behind it. */
export interface NewLesionResult {
  status: NewLesionStatus;
  unequivocal: string[];
  equivocal: string[];
  explanation: string;
}

/**
 * New lesions (RECIST 1.1 §4.3.4, README §2.4): any unequivocal new lesion means PD; an
 * equivocal one is not PD yet but is flagged for follow-up (if later confirmed, PD dates
 * back to the scan where it first appeared; see `assessTimePoints`).
 */
export function newLesionStatus(newLesions: readonly NewLesionObservation[]): NewLesionResult {
  const unequivocal = newLesions.filter((n) => n.unequivocal).map((n) => n.id);
  const equivocal = newLesions.filter((n) => !n.unequivocal).map((n) => n.id);
  const status: NewLesionStatus = unequivocal.length ? "yes" : equivocal.length ? "equivocal" : "no";
  const parts = [
    unequivocal.length ? `unequivocal: ${unequivocal.join(", ")}` : "",
    equivocal.length ? `equivocal (follow up, not PD yet): ${equivocal.join(", ")}` : "",
  ];
  return { status, unequivocal, equivocal, explanation: parts.filter(Boolean).join("; ") || "no new lesions" };
}

/** The overall time-point response and the Table 1 row that gave it. */
export interface OverallResult {
  response: OverallResponse;
  row: string;
}

/**
 * Overall time-point response, RECIST 1.1 Table 1 (patients with target disease; README §2.5).
 * An equivocal new lesion counts as "No" here.
 */
export function overallResponse(
  target: TargetResponse,
  nonTarget: NonTargetResponse,
  newLesions: NewLesionStatus,
): OverallResult {
  if (newLesions === "yes") return { response: "PD", row: "any | any | new lesions yes → PD" };
  if (target === "PD") return { response: "PD", row: "target PD | any | any → PD" };
  if (nonTarget === "PD") return { response: "PD", row: "any | non-target PD | any → PD" };
  if (target === "NE") return { response: "NE", row: "target not all evaluated | non-PD | no → NE" };
  if (target === "CR") {
    if (nonTarget === "CR" || nonTarget === "NONE")
      return { response: "CR", row: "target CR | non-target CR (or none) | no → CR" };
    if (nonTarget === "NE") return { response: "PR", row: "target CR | non-target not evaluated | no → PR" };
    return { response: "PR", row: "target CR | non-CR/non-PD | no → PR" };
  }
  if (target === "PR") return { response: "PR", row: "target PR | non-PD or not all evaluated | no → PR" };
  return { response: "SD", row: "target SD | non-PD or not all evaluated | no → SD" };
}
