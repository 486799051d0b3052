/**
 * Patient-level RECIST 1.1 over validated assessments: the baseline target selection
 * (§4.2), every time point (sum, nadir, target / non-target / new-lesion response, Table 1,
 * back-dated PD) and the best overall response with the protocol's confirmation settings
 * (§4.4, §4.6, Table 3). The rules themselves are the RECIST library (`recist*.ts`); this
 * file maps the assessments JSON onto it, and maps what it reports back to JSON paths.
 */
import { convert } from "./units.js";
import { daysBetween as calendarDays, formatTimePoint, parseDate, type TimePoint } from "./time.js";
import type { DataProblem } from "./patient.js";
import { categoriseLesion, proposeTargets, selectTargets, sumBaseline } from "./recist-baseline.js";
import { overallResponse } from "./recist-response.js";
import { assessTimePoints } from "./recist-timepoints.js";
import { bestOverallResponse, type BorResult } from "./recist-bor.js";
import { validateRecistData } from "./recist-validate.js";
import type {
  Assessment,
  BaselineLesion,
  NewLesionStatus,
  NonTargetResponse,
  OverallResponse,
  RecistBaseline,
  TargetMeasurement,
  TargetResponse,
} from "./recist-types.js";
import type { AssessmentsData, BaselineLesionData, Measure } from "./response-input.js";
import type { LesionRole } from "./response-lesions.js";

/** What RECIST 1.1 leaves to the protocol (IR `response.recist`). */
export interface RecistSettings {
  confirmation: { required: boolean; minIntervalDays: number };
  maxNotEvaluableBetween: number;
  /** SD counts from a time point at least `days` after the anchor (the start of treatment). */
  stableDiseaseMinimum: { days: number; anchor: string } | null;
  tooSmallToMeasureMm: string;
}

/** One baseline lesion as RECIST classed it. */
export interface BaselineLesionReport {
  id: string;
  organ: string;
  node: boolean;
  role: Exclude<LesionRole, null>;
  /** Long axis (short axis for a node) in mm, or null when not measured. */
  diameterMm: string | null;
  explanation: string;
}

/** The baseline: which lesions are targets, and their sum. */
export interface BaselineReport {
  date: string;
  /** "given" when the data flag the targets, "proposed" when RECIST's default selection chose them. */
  selection: "given" | "proposed";
  lesions: BaselineLesionReport[];
  sumMm: string;
  explanation: string;
}

/** RECIST at one time point. */
export interface RecistTimePoint {
  response: OverallResponse;
  /** From this assessment alone (Table 1); differs from `response` when PD is back-dated. */
  table1Response: OverallResponse;
  /** The rule that decided `response`. */
  decidedBy: string;
  sumMm: string | null;
  measuredSumMm: string;
  baselineSumMm: string;
  /** The nadir this time point was compared with (the smallest earlier complete sum, baseline included). */
  nadirMm: string;
  target: { response: TargetResponse; rule: string; explanation: string };
  nonTarget: { response: NonTargetResponse; explanation: string };
  newLesions: { status: NewLesionStatus; explanation: string };
  /** How the best overall response read this time point; null when it could not be derived. */
  bor: { counted: boolean; effective: OverallResponse; note: string | null } | null;
}

/** Best overall response, confirmed and unconfirmed, with the settings used. */
export interface BorReport extends Omit<BorResult, "timePoints"> {
  confirmationRequired: boolean;
  minIntervalDays: number;
  maxNotEvaluableBetween: number;
  sdMinimumDays: number;
  referenceDate: string;
  /** The anchor the reference date comes from, or null when it is the baseline date. */
  referenceAnchor: string | null;
}

/** Everything RECIST says about the series. */
export interface RecistOutcome {
  baseline: BaselineReport;
  roles: Map<string, LesionRole>;
  /** By time-point date. */
  timePoints: Map<string, RecistTimePoint>;
  bor: BorReport | null;
  missing: string[];
}

const mmText = (m: Measure) => convert(m.value, m.unit, "mm").toFixed();
const measureOf = (node: boolean) => (node ? "short_axis" : "longest_diameter");

/** The lesion as the RECIST library takes it: the short axis of a node, the longest diameter otherwise, in mm. */
function libraryLesion(l: BaselineLesionData): BaselineLesion {
  const m = l.measures[measureOf(l.node)];
  return {
    id: l.id,
    organ: l.organ,
    isNode: l.node,
    diameterMm: m ? mmText(m) : null,
    ...(l.measurable !== undefined ? { measurable: l.measurable } : {}),
  };
}

/** Targets flagged by the data and checked against §4.2, or RECIST's default proposal. */
function chooseTargets(
  data: AssessmentsData,
  errors: DataProblem[],
  warnings: DataProblem[],
): { baseline: RecistBaseline; report: BaselineReport; roles: Map<string, LesionRole> } {
  const lesions = data.baseline.lesions;
  const lib = new Map(lesions.map((l) => [l.id, libraryLesion(l)]));
  const given = lesions.some((l) => l.target !== undefined);
  let targets: BaselineLesionData[];
  let nonTargets: BaselineLesionData[];
  let explanation: string;
  if (given) {
    targets = lesions.filter((l) => l.target === true);
    const unmeasured = new Set(targets.filter((t) => lib.get(t.id)?.diameterMm === null));
    for (const t of unmeasured)
      errors.push({
        path: `${t.path}.${measureOf(t.node)}`,
        message: `target "${t.id}" needs its ${t.node ? "short axis (RECIST measures nodes by it)" : "longest diameter"} at baseline`,
      });
    const check = selectTargets(targets.map((t) => lib.get(t.id)!));
    for (const v of check.violations) {
      // The library locates problems in the array it was given ($.targets[i]); map them back to the input.
      const m = /^\$\.targets\[(\d+)\](.*)$/.exec(v.path);
      const lesion = m ? targets[Number(m[1])] : undefined;
      // A target without its measurement was reported above; "not measurable" would only repeat it.
      if (lesion && unmeasured.has(lesion) && v.code === "not-measurable") continue;
      errors.push({
        path: lesion ? `${lesion.path}${m![2]}` : "$.baseline.lesions",
        message: `${v.message} (RECIST 1.1 §4.2)`,
      });
    }
    nonTargets = lesions.filter((l) => l.target === false);
    explanation = `targets as given: ${check.explanation}`;
  } else {
    const p = proposeTargets(lesions.map((l) => lib.get(l.id)!));
    const ids = new Set(p.targets.map((t) => t.id));
    targets = lesions.filter((l) => ids.has(l.id));
    nonTargets = lesions.filter((l) => !ids.has(l.id));
    explanation = `RECIST 1.1 default selection: ${p.explanation}`;
  }
  if (targets.length === 0)
    errors.push({
      path: "$.baseline.lesions",
      message:
        'no target lesion: RECIST 1.1 Table 1 needs measurable target disease (flag a measurable lesion "target": true)',
    });
  const roles = new Map<string, LesionRole>();
  const report: BaselineLesionReport[] = lesions.map((l) => {
    const c = categoriseLesion(lib.get(l.id)!);
    const role: Exclude<LesionRole, null> = targets.includes(l)
      ? "target"
      : c.category === "normal_node"
        ? "not_recorded"
        : "non_target";
    if (role === "not_recorded" && given)
      warnings.push({ path: l.path, message: `${c.explanation} (RECIST 1.1 §3.1.1); it is not followed` });
    roles.set(l.id, role);
    return {
      id: l.id,
      organ: l.organ,
      node: l.node,
      role,
      diameterMm: lib.get(l.id)!.diameterMm,
      explanation: c.explanation,
    };
  });
  const recorded = (ls: BaselineLesionData[]) =>
    ls.filter((l) => roles.get(l.id) !== "not_recorded").map((l) => lib.get(l.id)!);
  const baseline: RecistBaseline = {
    date: data.baseline.date,
    targets: recorded(targets),
    nonTargets: recorded(nonTargets),
  };
  const sum = sumBaseline(baseline.targets)?.toString() ?? "0";
  return {
    baseline,
    roles,
    report: {
      date: data.baseline.date,
      selection: given ? "given" : "proposed",
      lesions: report,
      sumMm: sum,
      explanation,
    },
  };
}

/** The time points in the RECIST library's form; statuses and measurements are checked against each lesion's role. */
function libraryAssessments(
  data: AssessmentsData,
  roles: Map<string, LesionRole>,
  errors: DataProblem[],
  warnings: DataProblem[],
): Assessment[] {
  const node = new Map(data.baseline.lesions.map((l) => [l.id, l.node]));
  return data.timePoints.map((tp) => {
    const targets: TargetMeasurement[] = [];
    const nonTargets: Assessment["nonTargets"] = [];
    for (const e of tp.lesions) {
      const role = roles.get(e.id);
      const isNode = node.get(e.id) === true;
      if (role === "target") {
        if (e.status !== undefined)
          errors.push({
            path: `${e.path}.status`,
            message: `"${e.id}" is a target: give its ${measureOf(isNode)} (0 mm if it disappeared), or leave it out if it was not assessed`,
          });
        const m = e.measures[measureOf(isNode)];
        if (!m && !e.tooSmall && isNode && e.measures.longest_diameter)
          warnings.push({
            path: e.path,
            message: `target node "${e.id}" has a longest diameter but no short axis: RECIST follows nodes by the short axis, so it counts as not assessed`,
          });
        targets.push(
          e.tooSmall
            ? { id: e.id, diameterMm: null, tooSmallToMeasure: true }
            : { id: e.id, diameterMm: m ? mmText(m) : null },
        );
      } else if (role === "non_target") {
        if (e.status === undefined)
          errors.push({
            path: `${e.path}.status`,
            message: `"${e.id}" is a non-target: give its status (absent, present, unequivocal_progression or not_evaluated)`,
          });
        else nonTargets.push({ id: e.id, status: e.status });
      } else if (e.status !== undefined && e.status !== "absent") {
        warnings.push({
          path: `${e.path}.status`,
          message: `"${e.id}" was a normal node at baseline and is not followed; a node that became pathological is reported as a new lesion`,
        });
      }
    }
    const newLesions = tp.newLesions.map((n) => ({
      id: n.id,
      unequivocal: n.unequivocal,
      ...(n.organ !== undefined ? { organ: n.organ } : {}),
    }));
    return {
      date: tp.date,
      targets,
      nonTargets,
      newLesions,
      ...(tp.markersNormal !== undefined ? { markersNormal: tp.markersNormal } : {}),
    };
  });
}

/**
 * RECIST 1.1 for the whole series. Problems only RECIST's roles reveal (a status for a
 * target, a non-target without one, a target set breaking §4.2) go to `errors`; when any
 * is found the caller reports them and decides nothing. Without the reference date (the
 * anchor the protocol measures stable disease from) the time points are still assessed
 * but the best overall response is not: it says which date is missing.
 */
export function runRecist(
  settings: RecistSettings,
  data: AssessmentsData,
  anchors: Record<string, TimePoint>,
  errors: DataProblem[],
  warnings: DataProblem[],
): RecistOutcome | null {
  const { baseline, report, roles } = chooseTargets(data, errors, warnings);
  const assessments = libraryAssessments(data, roles, errors, warnings);
  if (errors.length) return null;
  const issues = validateRecistData(baseline, assessments);
  // The checks of response-input.ts cover the library's; a disagreement is a bug, not bad data.
  const libErrors = issues.filter((i) => i.severity === "error");
  if (libErrors.length)
    throw new Error(
      `RECIST validation disagrees with the assessments reader: ${libErrors.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    );
  const results = assessTimePoints(baseline, assessments, { tooSmallToMeasureMm: settings.tooSmallToMeasureMm });

  const sd = settings.stableDiseaseMinimum;
  const anchorTp = sd ? anchors[sd.anchor] : undefined;
  const missing = sd && !anchorTp ? [`anchor ${sd.anchor}`] : [];
  const referenceDate = sd ? (anchorTp ? formatTimePoint(anchorTp) : null) : data.baseline.date;
  if (sd && anchorTp) {
    // The protocol's stable-disease anchor is the start of treatment (RECIST 1.1 §4.6), which §3.2 dates the baseline from.
    const start = anchorTp.kind === "date" ? anchorTp.date : anchorTp.dateTime.toPlainDate();
    const days = calendarDays(parseDate(data.baseline.date)!, start);
    if (days > 28)
      warnings.push({
        path: "$.baseline.date",
        message: `baseline ${data.baseline.date} is ${days} days before ${sd.anchor} ${referenceDate}: RECIST 1.1 §3.2 asks for baseline imaging no more than 4 weeks before treatment`,
      });
    if (days < 0)
      warnings.push({
        path: "$.baseline.date",
        message: `baseline ${data.baseline.date} is after ${sd.anchor} ${referenceDate}: RECIST 1.1 takes the baseline before treatment`,
      });
  }
  let bor: BorReport | null = null;
  let borResult: BorResult | null = null;
  if (referenceDate !== null) {
    const opts = {
      confirmation: settings.confirmation,
      maxNeBetween: settings.maxNotEvaluableBetween,
      sdMinimumDays: sd?.days ?? 0,
      referenceDate,
    };
    borResult = bestOverallResponse(
      results.map((t) => ({ date: t.date, response: t.response, reappearance: t.reappearance })),
      opts,
    );
    const { timePoints: _notes, ...rest } = borResult;
    bor = Object.assign({}, rest, {
      confirmationRequired: settings.confirmation.required,
      minIntervalDays: settings.confirmation.minIntervalDays,
      maxNotEvaluableBetween: settings.maxNotEvaluableBetween,
      sdMinimumDays: opts.sdMinimumDays,
      referenceDate,
      referenceAnchor: sd?.anchor ?? null,
    });
  }
  const timePoints = new Map<string, RecistTimePoint>();
  for (const r of results) {
    const note = borResult?.timePoints.find((n) => n.date === r.date);
    const backDated = r.response !== r.table1Response ? /PD back-dated: .*$/.exec(r.explanation)?.[0] : undefined;
    // After a confirmed CR, disease that reappears is PD at that time point (RECIST 1.1 Table 3,
    // footnote a): one answer per time point, the same the best overall response reads.
    const reappeared = note?.counted && note.effective === "PD" && r.response !== "PD" ? note.note : undefined;
    timePoints.set(r.date, {
      response: reappeared ? "PD" : r.response,
      table1Response: r.table1Response,
      decidedBy:
        (reappeared ? `RECIST 1.1 Table 3 footnote a: ${reappeared}` : undefined) ??
        backDated ??
        `Table 1: ${overallResponse(r.target.response, r.nonTarget.response, r.newLesions.status).row}`,
      sumMm: r.target.sum.sumMm,
      measuredSumMm: r.target.sum.measuredSumMm,
      baselineSumMm: r.target.baselineSumMm,
      nadirMm: r.target.nadirMm,
      target: { response: r.target.response, rule: r.target.rule, explanation: r.target.explanation },
      nonTarget: { response: r.nonTarget.response, explanation: r.nonTarget.explanation },
      newLesions: { status: r.newLesions.status, explanation: r.newLesions.explanation },
      bor: note ? { counted: note.counted, effective: note.effective, note: note.note ?? null } : null,
    });
  }
  return { baseline: report, roles, timePoints, bor, missing };
}
