/**
 * RECIST 1.1 data types, thresholds and exact-arithmetic helpers shared by the
 * `recist-*.ts` runtime files.
 *
 * Source: Eisenhauer EA et al., New response evaluation criteria in solid tumours:
 * revised RECIST guideline (version 1.1), Eur J Cancer 2009;45:228–247, as summarised
 * with boundary rules in the trialc domain README §2.
 *
 * All inputs are plain JSON-able data. Diameters are decimal strings in millimetres
 * (the caller converts units); every comparison is exact Decimal arithmetic, because
 * binary floats put sums such as 20.1 + 15.2 + 14.7 and ratios such as 35/50 a hair
 * to either side of a threshold (README §2.7).
 */
import { Decimal } from "decimal.js";

/** Exact decimals for the RECIST files; 50 digits keep every sum and product exact. */
export const Dec = Decimal.clone({ precision: 50 });

/**
 * The thresholds of RECIST 1.1 in one place, as decimal strings in mm (README §2.1–2.3, §2.7).
 * `tooSmallToMeasureMm` is the default of §4.3.2 and can be overridden per call.
 */
export const RECIST_THRESHOLDS = Object.freeze({
  /** §3.1.1: a non-nodal lesion is measurable with a longest diameter >= 10 mm (CT, slice <= 5 mm). */
  measurableLesionMm: "10",
  /** §3.1.1: a node is measurable (a possible target) with a short axis >= 15 mm. */
  targetNodeMm: "15",
  /** §3.1.2 / §4.3.1: a node is pathological at >= 10 mm and normal below (strict `< 10`). */
  pathologicalNodeMm: "10",
  /** §4.3.1: PR when sum <= 0.70 × baseline sum (a decrease of at least 30 %). */
  prFraction: "0.70",
  /** §4.3.1: PD needs sum >= 1.2 × nadir (an increase of at least 20 %) ... */
  pdFraction: "1.2",
  /** ... and an absolute increase of at least 5 mm over the nadir. */
  pdAbsoluteMm: "5",
  /** §4.3.2: a target present but too small to measure counts as 5 mm. */
  tooSmallToMeasureMm: "5",
  /** §4.2.2 (README §2.2): at most 5 targets in total ... */
  maxTargets: 5,
  /** ... and at most 2 per organ; all lymph nodes together are one organ (EORTC clarification). */
  maxTargetsPerOrgan: 2,
});

/**
 * A lesion recorded at baseline (README §2.1–2.2). `diameterMm` is the longest
 * diameter, or the short axis for a node; null for lesions that cannot be measured
 * (effusions, ascites, blastic bone). `measurable: false` records the investigator's
 * judgement that a lesion is not measurable whatever its size (e.g. previously irradiated).
 */
export interface BaselineLesion {
  id: string;
  organ: string;
  isNode: boolean;
  diameterMm: string | null;
  measurable?: boolean;
  /** The unit the measurement was taken in, where the source data gives one; must be "mm". */
  unit?: string;
}

/** The baseline record: the chosen targets, every other lesion as a non-target. */
export interface RecistBaseline {
  date?: string;
  targets: BaselineLesion[];
  nonTargets: BaselineLesion[];
}

/**
 * A target measured at one assessment. `diameterMm: null` means "not assessed";
 * "0" means disappeared; `tooSmallToMeasure` means present but below reliable
 * measurement, counted at the default 5 mm (RECIST §4.3.2).
 */
export interface TargetMeasurement {
  id: string;
  diameterMm: string | null;
  tooSmallToMeasure?: boolean;
  organ?: string;
  unit?: string;
}

/** A non-target's state at an assessment (README §2.4). For a node, "absent" means short axis < 10 mm. */
export type NonTargetStatus = "absent" | "present" | "unequivocal_progression" | "not_evaluated";

/** One non-target lesion at one assessment. */
export interface NonTargetObservation {
  id: string;
  status: NonTargetStatus;
  organ?: string;
}

/** A lesion not seen at baseline; `unequivocal: false` is followed up, not PD yet (README §2.4). */
export interface NewLesionObservation {
  id: string;
  unequivocal: boolean;
  organ?: string;
}

/** One imaging assessment (time point). `markersNormal` is absent when no tumour marker is followed. */
export interface Assessment {
  date: string;
  targets: TargetMeasurement[];
  nonTargets: NonTargetObservation[];
  newLesions: NewLesionObservation[];
  markersNormal?: boolean;
}

/** Target-lesion response (RECIST §4.3.1); NE when not every target was assessed. */
export type TargetResponse = "CR" | "PR" | "SD" | "PD" | "NE";

/** Non-target response (§4.3.3); NONE when the patient had no non-target lesion at baseline. */
export type NonTargetResponse = "CR" | "NON_CR_NON_PD" | "PD" | "NE" | "NONE";

/** New lesions at a time point (§4.3.4): an unequivocal one is PD; an equivocal one is only flagged. */
export type NewLesionStatus = "yes" | "equivocal" | "no";

/** Overall time-point response (Table 1, patients with target disease) and best overall response. */
export type OverallResponse = "CR" | "PR" | "SD" | "PD" | "NE";

/** Per-call options of the measurement rules. */
export interface RecistMeasureOptions {
  /** The value of a "too small to measure" target; RECIST §4.3.2 default "5". */
  tooSmallToMeasureMm?: string;
}

/** A problem found in RECIST input, located by a JSON-path-like string such as `$.assessments[2].targets[0]`. */
export interface RecistIssue {
  path: string;
  code: string;
  severity: "error" | "warning";
  message: string;
}

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parse a diameter exactly, or undefined when it is not a non-negative decimal string. */
export function parseMm(text: string): Decimal | undefined {
  const s = text.trim();
  if (!DECIMAL_TEXT.test(s)) return undefined;
  const d = new Dec(s);
  return d.isNegative() && !d.isZero() ? undefined : d;
}

/** Parse a diameter the caller promised to be valid; throws with the path otherwise. */
export function mm(text: string, path: string): Decimal {
  const d = parseMm(text);
  if (d === undefined) throw new RangeError(`RECIST: ${path} "${text}" is not a non-negative decimal in mm`);
  return d;
}

/** "12.5 mm". */
export function showMm(d: Decimal): string {
  return `${d.toString()} mm`;
}

/** Change of `value` relative to `ref` in percent, one decimal, signed ("-30%", "+20%"); only for display. */
export function showPct(value: Decimal, ref: Decimal): string {
  if (ref.isZero()) return value.isZero() ? "±0%" : "n/a (reference 0 mm)";
  const p = value.minus(ref).div(ref).times(100).toDecimalPlaces(1);
  return `${p.isPositive() && !p.isZero() ? "+" : ""}${p.toString()}%`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD", or undefined when it is not one. */
export function dayNumber(date: string): number | undefined {
  const m = ISO_DATE.exec(date);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86_400_000;
}

/** Whole days from `from` to `to` (calendar dates); throws on a malformed date. */
export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === undefined || b === undefined) throw new RangeError(`RECIST: invalid date "${a === undefined ? from : to}"`);
  return b - a;
}

/** The organ key of the 2-per-organ rule: every lymph node is the one organ "lymph node" (EORTC). */
export function organKey(lesion: { organ: string; isNode: boolean }): string {
  return lesion.isNode ? "lymph node" : lesion.organ.trim().toLowerCase();
}
