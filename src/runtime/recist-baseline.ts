/**
 * RECIST 1.1 baseline rules: measurability of each lesion (§3.1, README §2.1) and the
 * choice of target lesions (§4.2, README §2.2).
 */
import type { Decimal } from "decimal.js";
import {
  Dec,
  RECIST_THRESHOLDS as T,
  organKey,
  parseMm,
  showMm,
  type BaselineLesion,
  type RecistIssue,
} from "./recist-types.js";

/**
 * What a lesion can be at baseline (§3.1): `measurable` (may be a target),
 * `non_measurable` (non-target only: small lesions, nodes of 10 to < 15 mm, effusions ...)
 * or `normal_node` (short axis < 10 mm: not a lesion, not recorded).
 */
export type BaselineCategory = "measurable" | "non_measurable" | "normal_node";

/** The category of one lesion and the rule that decided it. */
export interface LesionCategorisation {
  id: string;
  category: BaselineCategory;
  explanation: string;
}

/** Options of the measurability rule. */
export interface MeasurabilityOptions {
  /**
   * Minimum longest diameter of a measurable non-nodal lesion; "10" by default. RECIST §3.1.1
   * raises it to twice the slice thickness when slices are thicker than 5 mm, and to 20 mm on chest X-ray.
   */
  minLesionMm?: string;
}

/**
 * Categorise a baseline lesion (RECIST 1.1 §3.1.1–3.1.2, README §2.1): non-nodal
 * measurable at >= 10 mm longest diameter; a node is a possible target at >= 15 mm short
 * axis, pathological non-target at 10 to < 15 mm, and normal below 10 mm (strict).
 * `measurable: false` (investigator judgement, e.g. an irradiated lesion) makes it non-target.
 */
export function categoriseLesion(lesion: BaselineLesion, options: MeasurabilityOptions = {}): LesionCategorisation {
  const id = lesion.id;
  const d = lesion.diameterMm === null ? undefined : parseMm(lesion.diameterMm);
  if (d === undefined) {
    return { id, category: "non_measurable", explanation: `${id}: no valid diameter → non-measurable (non-target)` };
  }
  if (lesion.isNode) {
    if (d.lt(T.pathologicalNodeMm)) {
      return {
        id,
        category: "normal_node",
        explanation: `${id}: node short axis ${showMm(d)} < 10 mm → normal, not recorded`,
      };
    }
    if (d.lt(T.targetNodeMm)) {
      return {
        id,
        category: "non_measurable",
        explanation: `${id}: node short axis 10 <= ${showMm(d)} < 15 mm → pathological, non-target`,
      };
    }
  } else {
    const min = new Dec(options.minLesionMm ?? T.measurableLesionMm);
    if (d.lt(min)) {
      return {
        id,
        category: "non_measurable",
        explanation: `${id}: longest diameter ${showMm(d)} < ${showMm(min)} → non-measurable (non-target)`,
      };
    }
  }
  if (lesion.measurable === false) {
    return {
      id,
      category: "non_measurable",
      explanation: `${id}: declared non-measurable (e.g. previously irradiated) → non-target`,
    };
  }
  const rule = lesion.isNode
    ? `node short axis ${showMm(d)} >= 15 mm`
    : `longest diameter ${showMm(d)} >= ${options.minLesionMm ?? "10"} mm`;
  return { id, category: "measurable", explanation: `${id}: ${rule} → measurable` };
}

/** Outcome of checking a proposed target set. */
export interface TargetSelectionResult {
  valid: boolean;
  /** Each broken rule, with the path of the offending lesion in the proposed array. */
  violations: RecistIssue[];
  /** Baseline sum of diameters when every target has a diameter, else null. */
  baselineSumMm: string | null;
  explanation: string;
}

/**
 * Validate a proposed set of target lesions (RECIST 1.1 §4.2, README §2.2): at most 5 in
 * total, at most 2 per organ with all lymph nodes counted as ONE organ (EORTC
 * clarification), each lesion measurable (§3.1), no id twice.
 */
export function selectTargets(
  proposed: readonly BaselineLesion[],
  options: MeasurabilityOptions = {},
): TargetSelectionResult {
  const violations: RecistIssue[] = [];
  const at = (i: number) => `$.targets[${i}]`;
  if (proposed.length > T.maxTargets) {
    violations.push({
      path: "$.targets",
      code: "too-many-targets",
      severity: "error",
      message: `${proposed.length} targets; RECIST 1.1 allows at most 5`,
    });
  }
  const seen = new Set<string>();
  const perOrgan = new Map<string, number[]>();
  proposed.forEach((l, i) => {
    if (seen.has(l.id))
      violations.push({
        path: `${at(i)}.id`,
        code: "duplicate-id",
        severity: "error",
        message: `lesion id "${l.id}" is proposed twice`,
      });
    seen.add(l.id);
    const c = categoriseLesion(l, options);
    if (c.category !== "measurable")
      violations.push({ path: at(i), code: "not-measurable", severity: "error", message: c.explanation });
    const key = organKey(l);
    perOrgan.set(key, [...(perOrgan.get(key) ?? []), i]);
  });
  for (const [organ, idx] of perOrgan) {
    if (idx.length > T.maxTargetsPerOrgan) {
      const ids = idx.map((i) => proposed[i]?.id).join(", ");
      violations.push({
        path: at(idx[T.maxTargetsPerOrgan] ?? 0),
        code: "too-many-in-organ",
        severity: "error",
        message: `${idx.length} targets in ${organ} (${ids}); at most 2 per organ`,
      });
    }
  }
  const sum = sumBaseline(proposed);
  const sumText = sum === undefined ? "baseline sum unknown (a diameter is missing)" : `baseline sum ${showMm(sum)}`;
  const verdict = violations.length === 0 ? "valid target set" : `${violations.length} violation(s)`;
  return {
    valid: violations.length === 0,
    violations,
    baselineSumMm: sum?.toString() ?? null,
    explanation: `${proposed.length} target(s) in ${perOrgan.size} organ(s); ${sumText}; ${verdict}`,
  };
}

/** Sum of baseline diameters (long axis, short axis for nodes), or undefined when one is missing. */
export function sumBaseline(targets: readonly BaselineLesion[]): Decimal | undefined {
  let sum = new Dec(0);
  for (const t of targets) {
    const d = t.diameterMm === null ? undefined : parseMm(t.diameterMm);
    if (d === undefined) return undefined;
    sum = sum.plus(d);
  }
  return sum;
}

/** A default split of all baseline lesions into targets, non-targets and normal nodes. */
export interface TargetProposal {
  targets: BaselineLesion[];
  nonTargets: BaselineLesion[];
  notRecorded: BaselineLesion[];
  explanation: string;
}

/**
 * Propose the default target selection (RECIST 1.1 §4.2): measurable lesions, largest
 * first (ties keep input order), skipping any that would break the 2-per-organ or
 * 5-total limit. RECIST also asks for targets that are reproducible and representative
 * of all involved organs; that is the investigator's call, so the explanation names the
 * organs with measurable disease that the proposal leaves without a target.
 */
export function proposeTargets(lesions: readonly BaselineLesion[], options: MeasurabilityOptions = {}): TargetProposal {
  const measurable: { lesion: BaselineLesion; d: Decimal; order: number }[] = [];
  const nonTargets: BaselineLesion[] = [];
  const notRecorded: BaselineLesion[] = [];
  lesions.forEach((lesion, order) => {
    const c = categoriseLesion(lesion, options).category;
    if (c === "normal_node") notRecorded.push(lesion);
    else if (c === "non_measurable") nonTargets.push(lesion);
    else measurable.push({ lesion, d: parseMm(lesion.diameterMm ?? "") ?? new Dec(0), order });
  });
  measurable.sort((a, b) => b.d.comparedTo(a.d) || a.order - b.order);
  const targets: BaselineLesion[] = [];
  const perOrgan = new Map<string, number>();
  for (const { lesion } of measurable) {
    const key = organKey(lesion);
    const n = perOrgan.get(key) ?? 0;
    if (targets.length < T.maxTargets && n < T.maxTargetsPerOrgan) {
      targets.push(lesion);
      perOrgan.set(key, n + 1);
    } else {
      nonTargets.push(lesion);
    }
  }
  const unrepresented = [...new Set(measurable.map((m) => organKey(m.lesion)))].filter((o) => !perOrgan.has(o));
  const note =
    unrepresented.length === 0 ? "" : `; organs with measurable disease but no target: ${unrepresented.join(", ")}`;
  return {
    targets,
    nonTargets,
    notRecorded,
    explanation: `${targets.length} target(s) chosen largest first (${targets.map((t) => t.id).join(", ")}), ${nonTargets.length} non-target(s), ${notRecorded.length} normal node(s) not recorded${note}`,
  };
}
