/**
 * Calendar time for trialc: strict parsing, calendar-correct shifting, ages
 * and CLOSED time windows, on top of Temporal (temporal-polyfill).
 *
 * Times are local "plain" dates and date-times: a protocol speaks of the site's
 * calendar. When the trial declares a time zone, date-times read in it carry it,
 * and hours and minutes added to them are real elapsed time (DST-correct); days,
 * weeks, months and years stay calendar arithmetic.
 *
 * Imported by the compiler and by generated evaluator modules.
 */
import { Temporal } from "temporal-polyfill";
import { Decimal } from "./decimal.js";

/**
 * A point in time: a calendar date, or a local (wall-clock) date-time. A date-time read
 * in the trial's declared time zone carries it (`zone`, IANA), so that adding hours or
 * minutes counts real elapsed time across daylight-saving changes.
 */
export type TimePoint =
  { kind: "date"; date: Temporal.PlainDate } | { kind: "datetime"; dateTime: Temporal.PlainDateTime; zone?: string };

/** The UCUM duration units a protocol may use (after aliases: years → a, months → mo…). */
export type DurationUnit = "min" | "h" | "d" | "wk" | "mo" | "a";

/** A duration as written in the protocol: an exact amount in one unit, never pre-converted. */
export interface Duration {
  amount: Decimal;
  unit: DurationUnit;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The years a date in a protocol or in data may have: a birth in 961 or a visit in 9999
 * is a typing error, and no decision is made on it (an age of 1065 years).
 */
export const PLAUSIBLE_YEARS = { low: 1900, high: 2200 } as const;
/** What a date must be, in the words of every message that refuses one. */
export const REAL_DATE = `a real date in the form YYYY-MM-DD (years ${PLAUSIBLE_YEARS.low} to ${PLAUSIBLE_YEARS.high})`;
/** ... and a date and time. */
export const REAL_DATE_TIME = `a real local date and time in the form YYYY-MM-DDTHH:MM (years ${PLAUSIBLE_YEARS.low} to ${PLAUSIBLE_YEARS.high})`;

function plausibleYear(y: number): boolean {
  return y >= PLAUSIBLE_YEARS.low && y <= PLAUSIBLE_YEARS.high;
}

/**
 * A parser that keeps what it read, by text (Temporal's values are immutable): a record
 * repeats its dates (a visit's results share one, a cohort its reference dates), and
 * building Temporal values took a fifth of reading a record. At most 10,000 texts.
 */
function remembering<T>(parse: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    let value = seen.get(text);
    if (value === undefined && !seen.has(text)) {
      value = parse(text);
      if (seen.size >= 10_000) seen.clear();
      seen.set(text, value);
    }
    return value as T;
  };
}

/**
 * Parses exactly `YYYY-MM-DD` and rejects impossible dates (2023-02-30) rather
 * than clamping them: a typo in a birth date must not silently become another
 * date. Returns null on any failure.
 */
export const parseDate: (text: string) => Temporal.PlainDate | null = remembering(readDate);

function readDate(text: string): Temporal.PlainDate | null {
  const m = DATE.exec(text);
  if (!m || !plausibleYear(+m[1]!)) return null;
  try {
    return Temporal.PlainDate.from({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { overflow: "reject" });
  } catch {
    return null;
  }
}

/**
 * Parses exactly `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` as local time.
 * Anything with a zone or offset (`Z`, `+02:00`), fractional seconds, a space
 * separator, hour 24 or second 60 gives null; the caller reports the text.
 */
export const parseDateTime: (text: string) => Temporal.PlainDateTime | null = remembering(readDateTime);

function readDateTime(text: string): Temporal.PlainDateTime | null {
  const m = DATE_TIME.exec(text);
  if (!m || !plausibleYear(+m[1]!)) return null;
  try {
    return Temporal.PlainDateTime.from(
      {
        year: +m[1]!,
        month: +m[2]!,
        day: +m[3]!,
        hour: +m[4]!,
        minute: +m[5]!,
        second: m[6] === undefined ? 0 : +m[6],
      },
      { overflow: "reject" },
    );
  } catch {
    return null;
  }
}

const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time stamp as patient records give one: a date (`2027-01-10`), a local date-time
 * (`2027-01-10T08:30`, read in the trial's time zone), or a date-time with a UTC offset
 * (`2027-01-10T08:30:00+01:00`, `…Z`; fractional seconds allowed), which is converted
 * to the wall-clock time of `timeZone`. An offset without a time zone to read it in is
 * refused ("no-zone"): the local time it stands for would be a guess.
 */
export function parseTimeStamp(
  text: string,
  timeZone?: string,
): { ok: true; tp: TimePoint } | { ok: false; reason: "syntax" | "no-zone" } {
  const date = parseDate(text);
  if (date) return { ok: true, tp: { kind: "date", date } };
  const local = parseDateTime(text);
  if (local) return { ok: true, tp: { kind: "datetime", dateTime: local, ...(timeZone ? { zone: timeZone } : {}) } };
  const m = OFFSET_DATE_TIME.exec(text);
  if (!m) return { ok: false, reason: "syntax" };
  // The written fields must be a real date-time (no 24:00, no 30 February).
  if (!parseDateTime(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}${m[6] === undefined ? "" : `:${m[6]}`}`))
    return { ok: false, reason: "syntax" };
  const offset = m[8]!;
  if (offset !== "Z" && (+offset.slice(1, 3) > 23 || +offset.slice(4) > 59)) return { ok: false, reason: "syntax" };
  if (!timeZone) return { ok: false, reason: "no-zone" };
  try {
    const dateTime = Temporal.Instant.from(text).toZonedDateTimeISO(timeZone).toPlainDateTime();
    return { ok: true, tp: { kind: "datetime", dateTime, zone: timeZone } };
  } catch {
    return { ok: false, reason: "syntax" };
  }
}

/**
 * A time point as a date-time. A date counts from the START of its day
 * (00:00): "48 h before D0", with D0 a date, is 00:00 two days earlier, and a
 * date compared with a date-time on the same day is the earlier of the two
 * unless the date-time is exactly 00:00.
 */
export function toDateTime(tp: TimePoint): Temporal.PlainDateTime {
  return tp.kind === "date" ? tp.date.toPlainDateTime() : tp.dateTime;
}

const MINUTES: Readonly<Record<"min" | "h" | "d", number>> = { min: 1, h: 60, d: 1440 };

/** A whole number as a JS integer; RangeError for fractions or absurd sizes. */
function whole(amount: Decimal, unit: string): number {
  if (!amount.isInteger())
    throw new RangeError(`a duration in "${unit}" must be a whole number (got ${amount.toString()})`);
  const n = amount.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`duration ${amount.toString()} ${unit} is out of range`);
  return n;
}

/**
 * `tp + sign × duration`.
 * - `mo`, `a`: calendar months/years with overflow "constrain" (31 Jan + 1 mo
 *   = 28/29 Feb; 29 Feb 2024 − 12 mo = 28 Feb 2023); must be whole, because
 *   "1.5 months" has no calendar meaning (RangeError).
 * - `wk`: whole weeks only (RangeError otherwise), as 7 calendar days.
 * - `d`: whole days keep a date a date; a fractional day becomes exact
 *   minutes (1.5 d = 2160 min) and promotes a date to 00:00 of that day.
 * - `h`, `min`: always promote a date to a date-time (from 00:00). Fractions
 *   are converted exactly (0.5 min = 30 s); amounts finer than a nanosecond
 *   are a RangeError rather than a silent rounding.
 */
export function shift(tp: TimePoint, duration: Duration, sign: 1 | -1): TimePoint {
  // By value: the time point (its kind, fields and zone), the duration and the sign.
  const key =
    `${tp.kind === "date" ? "d" : `t${tp.zone ?? ""}`}|${timeKey(tp).join(",")}|` +
    `${sign}|${duration.amount.toString()}|${duration.unit}`;
  let out = shifted.get(key);
  if (out === undefined) {
    out = Object.freeze(shiftOnce(tp, duration, sign));
    if (shifted.size >= MAX_SHIFTED) shifted.clear();
    shifted.set(key, out);
  }
  return out;
}

/**
 * The shifts computed so far, frozen. A protocol shifts a few reference dates by a few
 * durations, again and again (`D0 - 4 wk` for every baseline test of every patient), and
 * Temporal's calendar arithmetic took about half of an evaluation's time.
 */
const shifted = new Map<string, TimePoint>();
const MAX_SHIFTED = 10_000;

function shiftOnce(tp: TimePoint, duration: Duration, sign: 1 | -1): TimePoint {
  const { amount, unit } = duration;
  if (!["min", "h", "d", "wk", "mo", "a"].includes(unit)) throw new RangeError(`"${unit}" is not a duration unit`);
  if (unit === "mo" || unit === "a" || unit === "wk" || (unit === "d" && amount.isInteger())) {
    const n = sign * whole(amount, unit);
    const d = unit === "mo" ? { months: n } : unit === "a" ? { years: n } : { days: unit === "wk" ? 7 * n : n };
    return tp.kind === "date"
      ? { kind: "date", date: tp.date.add(d, { overflow: "constrain" }) }
      : Object.assign({}, tp, { dateTime: tp.dateTime.add(d, { overflow: "constrain" }) });
  }
  const minutes = amount.times(MINUTES[unit]).times(sign);
  const wholeMinutes = minutes.trunc();
  const nanos = minutes.minus(wholeMinutes).times(60e9);
  if (!nanos.isInteger()) throw new RangeError(`duration ${amount.toString()} ${unit} is finer than a nanosecond`);
  const step = { minutes: whole(wholeMinutes, "min"), nanoseconds: nanos.toNumber() };
  if (tp.kind === "datetime" && tp.zone) {
    // Elapsed time in the trial's zone: 48 h before 09:00 on the Monday after the spring
    // change is 08:00 on the Saturday, wall clock. An ambiguous or skipped wall time is
    // read as Temporal's "compatible" (the earlier offset; forward over a gap).
    const zoned = tp.dateTime.toZonedDateTime(tp.zone, { disambiguation: "compatible" }).add(step);
    return { kind: "datetime", dateTime: zoned.toPlainDateTime(), zone: tp.zone };
  }
  const dateTime = toDateTime(tp).add(step);
  return { kind: "datetime", dateTime };
}

/** Chronological order across kinds; a date stands for its 00:00 (see {@link toDateTime}). */
export function compareTime(a: TimePoint, b: TimePoint): -1 | 0 | 1 {
  // Field by field (a date is its 00:00): the same order as PlainDateTime.compare,
  // without building Temporal objects, which dominated evaluation time.
  const ka = timeKey(a);
  const kb = timeKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/**
 * `low ≤ subject ≤ high` for a closed window. A subject that is only a date is placed by
 * its calendar day: a bound at a time of day (D0 at 09:00 − 4 wk) counts as its whole
 * day, so a baseline test dated on the window's first day is inside it.
 */
export function inClosedWindow(subject: TimePoint, low: TimePoint | undefined, high: TimePoint | undefined): boolean {
  const day = (b: TimePoint): TimePoint =>
    subject.kind === "date" && b.kind === "datetime" ? { kind: "date", date: b.dateTime.toPlainDate() } : b;
  return (!low || compareTime(day(low), subject) <= 0) && (!high || compareTime(subject, day(high)) <= 0);
}

/** Calendar fields of a time point, most significant first. */
function timeKey(tp: TimePoint): number[] {
  if (tp.kind === "date") return [tp.date.year, tp.date.month, tp.date.day, 0, 0, 0, 0, 0, 0];
  const t = tp.dateTime;
  return [t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond, t.microsecond, t.nanosecond];
}

/**
 * Age in completed years on `at`. The birthday is reached on the same month
 * and day; a 29 February birthday is reached on 1 March in non-leap years
 * (birth 2000-02-29: 17 on 2018-02-28, 18 on 2018-03-01), the convention of
 * the protocol's ambiguity register. Temporal's `until` would say 18 on 02-28
 * (it constrains to the end of February), hence the explicit comparison.
 * Throws RangeError if `at` precedes `birth` (a data error, not an age).
 */
export function ageInYears(birth: Temporal.PlainDate, at: Temporal.PlainDate): number {
  if (Temporal.PlainDate.compare(at, birth) < 0)
    throw new RangeError(`date ${at.toString()} precedes birth ${birth.toString()}`);
  const leapBirthday = birth.month === 2 && birth.day === 29 && !at.inLeapYear;
  const [bm, bd] = leapBirthday ? [3, 1] : [birth.month, birth.day];
  const reached = at.month > bm || (at.month === bm && at.day >= bd);
  return at.year - birth.year - (reached ? 0 : 1);
}

/** Signed number of calendar days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: Temporal.PlainDate, b: Temporal.PlainDate): number {
  return a.until(b, { largestUnit: "days" }).days;
}

/**
 * ISO 8601 text: `2024-02-29` for a date; `2024-02-29T08:00` for a date-time,
 * with seconds (and a fraction) only when they are not zero.
 */
export function formatTimePoint(tp: TimePoint): string {
  if (tp.kind === "date") return tp.date.toString();
  const t = tp.dateTime;
  const exactMinute = t.second === 0 && t.millisecond === 0 && t.microsecond === 0 && t.nanosecond === 0;
  return exactMinute ? t.toString({ smallestUnit: "minute" }) : t.toString();
}

/**
 * Result of a window test, with the bounds used (ISO text) so that callers can
 * explain a decision with dates ("2023-03-10 ≤ 2023-05-02 ≤ 2024-03-10").
 */
export interface WindowResult {
  result: boolean;
  bounds: { low?: string; high?: string };
}

const le = (a: TimePoint, b: TimePoint): boolean => compareTime(a, b) <= 0;

/**
 * `subject within amount before anchor`: anchor − amount ≤ subject ≤ anchor,
 * both ends INCLUDED (the protocol's reading of "over the last 12 months").
 */
export function withinBefore(subject: TimePoint, amount: Duration, anchor: TimePoint): WindowResult {
  const low = shift(anchor, amount, -1);
  return {
    result: le(low, subject) && le(subject, anchor),
    bounds: { low: formatTimePoint(low), high: formatTimePoint(anchor) },
  };
}

/** `subject within amount after anchor`: anchor ≤ subject ≤ anchor + amount, both ends included. */
export function withinAfter(subject: TimePoint, amount: Duration, anchor: TimePoint): WindowResult {
  const high = shift(anchor, amount, 1);
  return {
    result: le(anchor, subject) && le(subject, high),
    bounds: { low: formatTimePoint(anchor), high: formatTimePoint(high) },
  };
}

/** `subject at least amount before anchor`: subject ≤ anchor − amount (exactly `amount` earlier qualifies). */
export function atLeastBefore(subject: TimePoint, amount: Duration, anchor: TimePoint): WindowResult {
  const high = shift(anchor, amount, -1);
  return { result: le(subject, high), bounds: { high: formatTimePoint(high) } };
}

/** `subject at least amount after anchor`: subject ≥ anchor + amount (exactly `amount` later qualifies). */
export function atLeastAfter(subject: TimePoint, amount: Duration, anchor: TimePoint): WindowResult {
  const low = shift(anchor, amount, 1);
  return { result: le(low, subject), bounds: { low: formatTimePoint(low) } };
}

/** `subject between low and high`: low ≤ subject ≤ high, both ends included. */
export function between(subject: TimePoint, low: TimePoint, high: TimePoint): WindowResult {
  return {
    result: le(low, subject) && le(subject, high),
    bounds: { low: formatTimePoint(low), high: formatTimePoint(high) },
  };
}
