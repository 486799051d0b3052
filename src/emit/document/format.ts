/**
 * How numbers, UCUM units, durations and relative times read on paper.
 *
 * Documents show what the author wrote (`written` in the IR), never the normalised
 * value: a coordinator compares the printout with the protocol, so "1.5 × 10³/µL"
 * must look like the protocol's "1.5 x 10^3/uL", not like "1500 /uL". These functions
 * return plain text; escaping for HTML or Markdown happens once, at rendering.
 */
import type { DurationUnit, IrDuration, IrRelativeTime } from "../../ir/types.js";

const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "-": "⁻",
};

const superscript = (digits: string) => [...digits].map((c) => SUPERSCRIPT[c] ?? c).join("");

/** Duration units in words, singular and plural. */
const DURATION_WORDS: Record<DurationUnit, [string, string]> = {
  min: ["minute", "minutes"],
  h: ["hour", "hours"],
  d: ["day", "days"],
  wk: ["week", "weeks"],
  mo: ["month", "months"],
  a: ["year", "years"],
};

/** True for the UCUM codes that are also durations (so `18 a` reads "18 years"). */
export function isDurationUnit(unit: string): unit is DurationUnit {
  return Object.hasOwn(DURATION_WORDS, unit);
}

/**
 * A UCUM unit as printed: `10*3/uL` → `× 10³/µL`, `mL/min/{1.73_m2}` → `mL/min/1.73 m²`.
 * The leading "×" is returned separately so that callers can write "1.5 × 10³/µL".
 */
export function unitText(unit: string): { times: boolean; text: string } {
  let u = unit;
  let times = false;
  const power = /^10\*(-?\d+)/.exec(u);
  if (power) {
    times = true;
    u = `10${superscript(power[1]!)}${u.slice(power[0].length)}`;
  }
  // UCUM writes micro as "u"; only before a unit letter, so "U/L" (enzyme units) stays.
  u = u.replace(/(^|[/.])u(?=[LgmM]|mol)/g, "$1µ");
  // Annotations such as {1.73_m2} are part of how the unit is read, not code.
  u = u.replace(/\{([^}]*)\}/g, (_, inner: string) =>
    inner.replace(/_/g, " ").replace(/([a-zA-Z])(\d)\b/g, (_m, l: string, d: string) => l + superscript(d)),
  );
  return { times, text: u };
}

/** A quantity as printed: `9 g/dL`, `30%`, `18 years`, `1.5 × 10³/µL`. */
export function quantityText(value: string, unit: string): string {
  if (unit === "%") return `${value}%`;
  if (unit === "1") return value;
  if (isDurationUnit(unit)) return durationText({ amount: value, unit });
  const u = unitText(unit);
  return u.times ? `${value} × ${u.text}` : `${value} ${u.text}`;
}

/** A duration in words: `1 day`, `12 months`, `48 hours`. */
export function durationText(d: IrDuration): string {
  const [one, many] = DURATION_WORDS[d.unit];
  return `${d.amount} ${d.amount === "1" ? one : many}`;
}

/** A duration range: `11 to 13 weeks`, or `15 minutes to 1 hour` when units differ. */
export function durationRangeText(r: { min: IrDuration; max: IrDuration }): string {
  if (r.min.unit === r.max.unit) return `${r.min.amount} to ${durationText(r.max)}`;
  return `${durationText(r.min)} to ${durationText(r.max)}`;
}

/** A relative time: `D0 − 4 weeks`, `cycle + 1 day`, `D0`. */
export function relativeTimeText(t: IrRelativeTime): string {
  return [t.anchor, ...t.offsets.map((o) => `${o.sign < 0 ? "−" : "+"} ${durationText(o.duration)}`)].join(" ");
}

/** Days per unit, for drawing only (the timeline): never used to decide anything. */
const APPROX_DAYS: Record<DurationUnit, number> = { min: 1 / 1440, h: 1 / 24, d: 1, wk: 7, mo: 30.436875, a: 365.2425 };

/** A duration in days, approximately (months and years are calendar units). For drawing. */
export function approxDays(d: IrDuration): number {
  return Number(d.amount) * APPROX_DAYS[d.unit];
}

/** A relative time as days from its anchor, approximately. For drawing and column order. */
export function approxOffsetDays(t: IrRelativeTime): number {
  return t.offsets.reduce((sum, o) => sum + o.sign * approxDays(o.duration), 0);
}

/** Lower-case the first letter of a label used inside a sentence, unless it starts an acronym. */
export function inSentence(label: string): string {
  // "Hemoglobin" → "hemoglobin", "A baseline …" → "a baseline …", but "MRI …" and "ECOG …" stay.
  if (/^[A-Z]([a-z]|\s)/.test(label)) return label[0]!.toLowerCase() + label.slice(1);
  return label;
}

/** A records element's name as a singular noun: `prior_therapies` → "prior therapy". */
export function singularNoun(name: string): string {
  const words = name.replace(/_/g, " ");
  if (/ies$/.test(words)) return words.replace(/ies$/, "y");
  if (/(ss|us)$/.test(words)) return words;
  return words.replace(/s$/, "");
}
