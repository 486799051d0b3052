/**
 * The assessments input of `trialc response` and of the generated `response.ts`: one
 * patient's baseline lesions and follow-up time points, as JSON.
 *
 * It is validated before anything is decided, with the JSON path of every problem:
 * shape (types, required fields), real dates, UCUM lengths converted exactly, plausible ranges, one
 * unit per kind of measurement across the series (a series mixing cm and mm is almost
 * always a transcription error, and RECIST says nothing that would resolve it), lesion
 * ids unique, a lesion staying in its organ, new lesions not reusing baseline ids.
 * What RECIST itself says to do with incomplete data (a target not measured is NE) is
 * left to the RECIST rules, not reported here. A field that is not read is a warning with
 * its JSON path, as in every data file (`unknownField` in `patient.ts`): a misspelt
 * measurement is then named beside the NE it leads to, never silently dropped.
 */
import { z } from "zod";
import type { Decimal } from "decimal.js";
import { convert, commensurability, dimensionKey, unitAlias, validateUnit } from "./units.js";
import { readDecimal } from "./decimal.js";
import { compareTime, parseDate, REAL_DATE, type TimePoint } from "./time.js";
import { issueMessage, jsonPath, unknownField, type DataProblem } from "./patient.js";
import type { NonTargetStatus } from "./recist-types.js";

/** A length as the JSON gives it: `{"value": 1.5, "unit": "cm"}` (value a number or a decimal string). */
export interface LengthInput {
  value: number | string;
  unit: string;
}

/** The RECIST measurements: longest diameter (non-nodal lesions), short axis (lymph nodes). */
export const RECIST_MEASURES = ["longest_diameter", "short_axis"] as const;

/** What the reader needs from the protocol: its anchors and the lesion-level measurement. */
export interface InputSpec {
  anchors: string[];
  /** The lesion-level measurement: its JSON key, its unit, and its plausible range in that unit. */
  lesionMeasure: { key: string; unit: string; range: { low: string; high: string } | null } | null;
}

/** One measurement, exactly as given (unit after alias), with where it is. */
export interface Measure {
  value: Decimal;
  unit: string;
  path: string;
}

/** A lesion recorded at baseline. `target` is undefined when the data leave the choice to RECIST's default. */
export interface BaselineLesionData {
  id: string;
  organ: string;
  node: boolean;
  target?: boolean;
  measurable?: boolean;
  measures: Record<string, Measure>;
  path: string;
}

/** A baseline lesion seen again at a time point. */
export interface FollowUpData {
  id: string;
  organ?: string;
  status?: NonTargetStatus;
  tooSmall: boolean;
  measures: Record<string, Measure>;
  path: string;
}

/** A lesion not present at baseline. */
export interface NewLesionData {
  id: string;
  organ?: string;
  unequivocal: boolean;
  path: string;
}

/** One imaging assessment. */
export interface TimePointData {
  date: string;
  cycle: number | null;
  lesions: FollowUpData[];
  newLesions: NewLesionData[];
  markersNormal?: boolean;
  path: string;
}

/** The validated input; time points in date order. */
export interface AssessmentsData {
  anchors: Record<string, TimePoint>;
  baseline: { date: string; lesions: BaselineLesionData[] };
  timePoints: TimePointData[];
}

export type ReadOutcome =
  { ok: true; data: AssessmentsData; warnings: DataProblem[] } | { ok: false; errors: DataProblem[] };

const STATUSES = ["absent", "present", "unequivocal_progression", "not_evaluated"] as const;

/** The keys a lesion object may carry for measurements: RECIST's two, plus the protocol's lesion measure. */
export function measureKeys(spec: InputSpec): string[] {
  return [...new Set<string>([...RECIST_MEASURES, ...(spec.lesionMeasure ? [spec.lesionMeasure.key] : [])])];
}

/** The zod schema of the assessments JSON (shape only; values are checked in `readAssessments`). */
export function assessmentsSchema(spec: InputSpec): z.ZodType {
  const decimalInput = z.union([z.number(), z.string()]);
  const length = z.strictObject({ value: decimalInput, unit: z.string() }).nullable().optional();
  const measures = Object.fromEntries(measureKeys(spec).map((k) => [k, length]));
  const id = z.string().min(1);
  const baselineLesion = z.strictObject({
    id,
    organ: z.string().min(1),
    node: z.boolean().optional(),
    target: z.boolean().optional(),
    measurable: z.boolean().optional(),
    ...measures,
  });
  const followUp = z.strictObject({
    id,
    organ: z.string().min(1).optional(),
    status: z.enum(STATUSES).optional(),
    too_small_to_measure: z.boolean().optional(),
    ...measures,
  });
  const newLesion = z.strictObject({ id, organ: z.string().min(1).optional(), unequivocal: z.boolean() });
  const timePoint = z.strictObject({
    date: z.string(),
    cycle: z.number().int().min(1).optional(),
    lesions: z.array(followUp),
    new_lesions: z.array(newLesion).optional(),
    markers_normal: z.boolean().optional(),
  });
  return z.strictObject({
    anchors: z
      .strictObject(Object.fromEntries(spec.anchors.map((a) => [a, z.string().nullable().optional()])))
      .optional(),
    baseline: z.strictObject({ date: z.string(), lesions: z.array(baselineLesion).min(1) }),
    time_points: z.array(timePoint),
  });
}

/** What the object at `path` is, for the warning about a field it does not have. */
function objectAt(path: readonly PropertyKey[], spec: InputSpec): string {
  const last = path[path.length - 1];
  const before = path[path.length - 2];
  if (path.length === 0) return "an assessments file (anchors, baseline, time_points)";
  if (last === "anchors") return `the anchors (${spec.anchors.join(", ") || "none"})`;
  if (last === "baseline") return "the baseline (date, lesions)";
  if (before === "time_points") return "a time point (date, cycle, lesions, new_lesions, markers_normal)";
  if (before === "new_lesions") return "a new lesion (id, organ, unequivocal)";
  if (before === "lesions") return "a lesion";
  return "a length (value, unit)";
}

/**
 * Zod issues as errors, except unknown fields: those are warnings, each at its own path
 * (the strict schema finds them at every depth; the data are then read from `raw`).
 */
function shapeProblems(
  issues: z.ZodError["issues"],
  raw: unknown,
  spec: InputSpec,
): { errors: DataProblem[]; warnings: DataProblem[] } {
  const errors: DataProblem[] = [];
  const warnings: DataProblem[] = [];
  for (const i of issues)
    if (i.code === "unrecognized_keys")
      for (const k of [...i.keys].sort())
        warnings.push(unknownField(jsonPath([...i.path, k]), k, objectAt(i.path, spec)));
    else errors.push({ path: jsonPath(i.path), message: issueMessage(i, raw) });
  return { errors, warnings };
}

/** Read and check one measurement; undefined (with errors) when it is unusable. */
function readMeasure(
  raw: LengthInput,
  key: string,
  path: string,
  spec: InputSpec,
  errors: DataProblem[],
): Measure | undefined {
  const unit = unitAlias(raw.unit);
  if (!validateUnit(unit).ok) {
    errors.push({ path: `${path}.unit`, message: `unknown unit "${raw.unit}" (a UCUM length such as "mm" or "cm")` });
    return undefined;
  }
  const lesion = spec.lesionMeasure;
  const needs = [
    ...((RECIST_MEASURES as readonly string[]).includes(key) ? ["mm"] : []),
    ...(lesion?.key === key ? [lesion.unit] : []),
  ];
  const bad = needs.find((u) => commensurability(unit, u) !== "same");
  if (bad !== undefined) {
    errors.push({ path: `${path}.unit`, message: `"${raw.unit}" cannot express ${key}, which is measured in ${bad}` });
    return undefined;
  }
  const value = readDecimal(raw.value);
  if (typeof value === "string") {
    errors.push({ path: `${path}.value`, message: value });
    return undefined;
  }
  if (value.isNegative() && !value.isZero()) {
    errors.push({ path: `${path}.value`, message: `${value.toString()} ${raw.unit}: a length cannot be negative` });
    return undefined;
  }
  // The protocol's plausible range of the lesion measure applies to every length of the same kind.
  if (lesion?.range && commensurability(unit, lesion.unit) === "same") {
    const inUnit = convert(value, unit, lesion.unit);
    if (inUnit.lessThan(lesion.range.low) || inUnit.greaterThan(lesion.range.high))
      errors.push({
        path: `${path}.value`,
        message: `${value.toString()} ${raw.unit} is outside the plausible range ${lesion.range.low} to ${lesion.range.high} ${lesion.unit}`,
      });
  }
  return { value, unit, path };
}

/** The measurements of one lesion object, by key (null and absent both mean "not measured"). */
function readMeasures(
  obj: Record<string, unknown>,
  path: string,
  spec: InputSpec,
  errors: DataProblem[],
): Record<string, Measure> {
  const out: Record<string, Measure> = {};
  for (const key of measureKeys(spec)) {
    const raw = obj[key] as LengthInput | null | undefined;
    if (raw === null || raw === undefined) continue;
    const m = readMeasure(raw, key, `${path}.${key}`, spec, errors);
    if (m) out[key] = m;
  }
  return out;
}

const sameOrgan = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Validate and normalise the assessments JSON. Every problem is reported with its JSON
 * path; any error rejects the whole series, so no response is computed from bad data.
 */
export function readAssessments(spec: InputSpec, raw: unknown): ReadOutcome {
  const parsed = assessmentsSchema(spec).safeParse(raw);
  const shape = parsed.success ? { errors: [], warnings: [] } : shapeProblems(parsed.error.issues, raw, spec);
  if (shape.errors.length) return { ok: false, errors: shape.errors };
  type Obj = Record<string, unknown>;
  const input = raw as {
    anchors?: Record<string, string | null>;
    baseline: { date: string; lesions: Obj[] };
    time_points: Obj[];
  };
  const errors: DataProblem[] = [];
  const realDate = (text: string, path: string) => {
    const d = parseDate(text);
    if (!d) errors.push({ path, message: `"${text}" is not ${REAL_DATE}` });
    return d;
  };

  const anchors: Record<string, TimePoint> = {};
  for (const [name, text] of Object.entries(input.anchors ?? {})) {
    if (text === null || text === undefined) continue;
    const d = realDate(text, `$.anchors.${name}`);
    if (d) anchors[name] = { kind: "date", date: d };
  }

  const baseDate = realDate(input.baseline.date, "$.baseline.date");
  const byId = new Map<string, BaselineLesionData>();
  const lesions = input.baseline.lesions.map((l, i): BaselineLesionData => {
    const path = `$.baseline.lesions[${i}]`;
    const lesion: BaselineLesionData = {
      id: l.id as string,
      organ: l.organ as string,
      node: l.node === true,
      ...(typeof l.target === "boolean" ? { target: l.target } : {}),
      ...(typeof l.measurable === "boolean" ? { measurable: l.measurable } : {}),
      measures: readMeasures(l, path, spec, errors),
      path,
    };
    const first = byId.get(lesion.id);
    if (first)
      errors.push({ path: `${path}.id`, message: `lesion id "${lesion.id}" is already used at ${first.path}` });
    else byId.set(lesion.id, lesion);
    if (!lesion.node && lesion.measures.short_axis)
      errors.push({
        path: `${path}.short_axis`,
        message: `"${lesion.id}": a short axis is measured on lymph nodes only (set "node": true, or give its longest_diameter)`,
      });
    return lesion;
  });
  const flagged = lesions.filter((l) => l.target !== undefined).length;
  if (flagged > 0 && flagged < lesions.length) {
    for (const l of lesions)
      if (l.target === undefined)
        errors.push({
          path: `${l.path}.target`,
          message: `"target" is given for some baseline lesions but not for "${l.id}": give it for every lesion, or for none to let RECIST's default selection choose`,
        });
  }

  const seenDates = new Map<string, string>();
  const newLesionOrgans = new Map<string, { organ: string; path: string }>();
  const timePoints = input.time_points.map((t, ti): TimePointData => {
    const at = `$.time_points[${ti}]`;
    const date = t.date as string;
    const day = realDate(date, `${at}.date`);
    if (day) {
      const other = seenDates.get(day.toString());
      if (other) errors.push({ path: `${at}.date`, message: `two time points on ${date} (also ${other})` });
      seenDates.set(day.toString(), `${at}.date`);
      if (baseDate && compareTime({ kind: "date", date: day }, { kind: "date", date: baseDate }) <= 0)
        errors.push({
          path: `${at}.date`,
          message: `time point ${date} is not after the baseline ${input.baseline.date}`,
        });
    }
    const usedHere = new Map<string, string>();
    const once = (id: string, path: string) => {
      const prev = usedHere.get(id);
      if (prev) errors.push({ path: `${path}.id`, message: `lesion id "${id}" is already used at ${prev}` });
      usedHere.set(id, path);
    };
    const follow = (t.lesions as Obj[]).map((l, i): FollowUpData => {
      const path = `${at}.lesions[${i}]`;
      const id = l.id as string;
      once(id, path);
      const ref = byId.get(id);
      if (!ref)
        errors.push({
          path: `${path}.id`,
          message: `"${id}" is not a baseline lesion (a lesion not seen at baseline goes in new_lesions)`,
        });
      const organ = l.organ as string | undefined;
      if (ref && organ !== undefined && !sameOrgan(organ, ref.organ))
        errors.push({
          path: `${path}.organ`,
          message: `lesion "${id}" is in ${ref.organ} at ${ref.path} but in ${organ} here`,
        });
      const measures = readMeasures(l, path, spec, errors);
      if (ref && !ref.node && measures.short_axis)
        errors.push({
          path: `${path}.short_axis`,
          message: `"${id}" is not a lymph node: a short axis is measured on nodes only`,
        });
      const tooSmall = l.too_small_to_measure === true;
      const recistMeasure = ref?.node ? "short_axis" : "longest_diameter";
      if (tooSmall && measures[recistMeasure])
        errors.push({
          path: `${path}.too_small_to_measure`,
          message: `"${id}" is both measured (${recistMeasure}) and too small to measure: RECIST records a measurement whenever one can be made, so give one or the other`,
        });
      return {
        id,
        ...(organ !== undefined ? { organ } : {}),
        ...(l.status !== undefined ? { status: l.status as NonTargetStatus } : {}),
        tooSmall,
        measures,
        path,
      };
    });
    const fresh = ((t.new_lesions ?? []) as Obj[]).map((n, i): NewLesionData => {
      const path = `${at}.new_lesions[${i}]`;
      const id = n.id as string;
      once(id, path);
      const base = byId.get(id);
      if (base)
        errors.push({
          path: `${path}.id`,
          message: `new lesion "${id}" reuses the id of a baseline lesion (${base.path})`,
        });
      const organ = n.organ as string | undefined;
      const prev = newLesionOrgans.get(id);
      if (organ !== undefined && prev && !sameOrgan(prev.organ, organ))
        errors.push({
          path: `${path}.organ`,
          message: `new lesion "${id}" is in ${prev.organ} at ${prev.path} but in ${organ} here`,
        });
      if (organ !== undefined && !prev) newLesionOrgans.set(id, { organ, path });
      return { id, ...(organ !== undefined ? { organ } : {}), unequivocal: n.unequivocal as boolean, path };
    });
    return {
      date,
      cycle: typeof t.cycle === "number" ? t.cycle : null,
      lesions: follow,
      newLesions: fresh,
      ...(typeof t.markers_normal === "boolean" ? { markersNormal: t.markers_normal } : {}),
      path: at,
    };
  });

  errors.push(...mixedUnits(lesions, timePoints));
  if (errors.length) return { ok: false, errors };
  timePoints.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    ok: true,
    data: { anchors, baseline: { date: input.baseline.date, lesions }, timePoints },
    warnings: shape.warnings,
  };
}

/** Every measurement of one kind (length, ...) must use the unit the series first used for that kind. */
function mixedUnits(lesions: BaselineLesionData[], timePoints: TimePointData[]): DataProblem[] {
  const all = [
    ...lesions.flatMap((l) => Object.values(l.measures)),
    ...timePoints.flatMap((t) => t.lesions.flatMap((l) => Object.values(l.measures))),
  ];
  const first = new Map<string, Measure>();
  const out: DataProblem[] = [];
  for (const m of all) {
    const kind = dimensionKey(m.unit) ?? m.unit;
    const f = first.get(kind);
    if (!f) first.set(kind, m);
    else if (f.unit !== m.unit)
      out.push({
        path: `${m.path}.unit`,
        message: `"${m.unit}" differs from "${f.unit}" used at ${f.path}: give every measurement of a series in one unit`,
      });
  }
  return out;
}
