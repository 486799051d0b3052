/**
 * Which result of a measured element a rule reads.
 *
 * A measured element (a laboratory value, a vital sign, a score) holds one or more
 * results, each with its value, unit, time, reference limits, method and specimen. The
 * protocol says once per element which result counts (`select latest within 4 wk before
 * D0`); this module applies it, once per evaluation, before any rule runs.
 *
 * The choice never depends on the order of the results, and a result outside the
 * window is ignored: adding one can change nothing except towards unknown (when it has
 * no date, it might be in the window). When no result qualifies the value is unknown
 * and names what to collect: "a new hemoglobin (on or after 2026-12-21)".
 */
import { compareTime, formatTimePoint, inClosedWindow, shift, type DurationUnit, type TimePoint } from "./time.js";
import { compareQuantities } from "./units.js";
import { dec } from "./decimal.js";
import { missingOf, unknown, type Val } from "./values.js";
import { normaliser, type NormalisedElement } from "./bsa.js";

/** A time relative to an anchor, as the IR states it (`D0 - 4 wk`). */
export interface RelTime {
  readonly anchor: string;
  readonly offsets: readonly { readonly sign: 1 | -1; readonly duration: { amount: string; unit: DurationUnit } }[];
  readonly text: string;
}

/** How a measured element's result is chosen: the latest one, of a method, in a window. */
export interface Selection {
  /** Only results by this method count (compared ignoring case and spaces at the ends). */
  readonly method?: string;
  /** Closed window; either bound may be absent. */
  readonly window?: { readonly low?: RelTime; readonly high?: RelTime };
  /** The selection as written, for explanations. */
  readonly text: string;
}

type Qty = Extract<Val, { t: "qty" }>;

/** The time point of a relative time, or the name of the anchor that is missing. */
function resolve(rt: RelTime, anchors: Record<string, TimePoint | undefined>): TimePoint | string {
  let tp = anchors[rt.anchor];
  if (!tp) return `anchor ${rt.anchor}`;
  for (const o of rt.offsets) tp = shift(tp, { amount: dec(o.duration.amount), unit: o.duration.unit }, o.sign);
  return tp;
}

const sameMethod = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The result `sel` picks among `results`. `anchors` null is a context without reference
 * dates (a cycle's labs for the toxicity rules): there the latest result is read, with
 * neither the window nor the method, which belong to the eligibility rules.
 */
export function pickResult(
  name: string,
  results: Qty[],
  sel: Selection | undefined,
  anchors: Record<string, TimePoint | undefined> | null,
  normalise?: (r: Qty) => Val,
): Val {
  const method = anchors ? sel?.method : undefined;
  const by = method ? ` by ${method}` : "";
  let candidates = method ? results.filter((r) => r.method && sameMethod(r.method, method)) : results;
  let low: TimePoint | undefined;
  let high: TimePoint | undefined;
  if (sel?.window && anchors) {
    const missing: string[] = [];
    for (const [side, rt] of [
      ["low", sel.window.low],
      ["high", sel.window.high],
    ] as const) {
      if (!rt) continue;
      const tp = resolve(rt, anchors);
      if (typeof tp === "string") missing.push(tp);
      else if (side === "low") low = tp;
      else high = tp;
    }
    if (missing.length) return unknown(...missing);
  }
  const windowed = low !== undefined || high !== undefined;
  if (candidates.length > 1 || windowed) {
    const undated = candidates.findIndex((r) => !r.at);
    if (undated >= 0) return unknown(`the date of every ${name} result`);
    candidates = candidates.filter((r) => inClosedWindow(r.at!, low, high));
  }
  if (!candidates.length) {
    const when =
      low && high
        ? ` (from ${formatTimePoint(low)} to ${formatTimePoint(high)})`
        : low
          ? ` (on or after ${formatTimePoint(low)})`
          : high
            ? ` (on or before ${formatTimePoint(high)})`
            : "";
    return unknown(`a new ${name}${by}${when}`);
  }
  // The latest; results at the same time must agree, or the choice would depend on their order.
  let latest = candidates[0]!;
  for (const r of candidates.slice(1)) if (r.at && latest.at && compareTime(r.at, latest.at) > 0) latest = r;
  let ties = candidates.filter((r) => r === latest || (r.at && latest.at && compareTime(r.at, latest.at) === 0));
  if (normalise) {
    // Absolute values in the element's own kind (declared normalisation), only for the results read.
    const normalised = ties.map(normalise);
    const open = normalised.filter((v) => v.t !== "qty");
    if (open.length) return unknown(...missingOf(...open));
    ties = normalised as Qty[];
    latest = ties[0]!;
  }
  for (const t of ties)
    if (compareQuantities(t.v, t.unit, latest.v, latest.unit, latest.molarMass) !== 0)
      return unknown(`one ${name} result at ${firstTime(ties)} (two disagree)`);
  return agreeing(name, ties);
}

/** The earliest text of the time of results at one time (a date sorts before that day's 00:00). */
function firstTime(ties: Qty[]): string {
  return ties.map((t) => (t.at ? formatTimePoint(t.at) : "")).sort()[0]!;
}

/** The fields that tell results with equal values apart, as one text that sorts them. */
function tieKey(r: Qty): string {
  const lim = (l: Qty["uln"]) => (l ? `${l.unit} ${l.v.toString()}` : "");
  const fields = [r.at ? formatTimePoint(r.at) : "", r.unit, lim(r.uln), lim(r.lln), r.method ?? "", r.specimen ?? ""];
  return [...fields, r.normalised ?? ""].join("\u0000");
}

/**
 * Results at one time with equal values are one result, whichever is listed first: the one
 * whose fields sort first is shown. A reference limit they do not agree on (two values, or
 * one result giving it and another not) is unknown, saying so: a rule reading it is unknown,
 * one reading only the value is not.
 */
function agreeing(name: string, ties: Qty[]): Qty {
  const shown = ties.reduce((a, b) => (tieKey(b) < tieKey(a) ? b : a));
  if (ties.length === 1) return shown;
  const out: Qty = { ...shown };
  for (const lim of ["uln", "lln"] as const) {
    const given = ties.map((t) => t[lim]);
    const ref = given.find((g) => g !== undefined);
    const agree =
      ref === undefined ||
      given.every((g) => g !== undefined && compareQuantities(g.v, g.unit, ref.v, ref.unit, shown.molarMass) === 0);
    if (agree) continue;
    delete out[lim];
    const day = firstTime(ties).slice(0, 10);
    out.limitUnknown = Object.assign({}, out.limitUnknown, {
      [lim]: [`${name}.${lim} (two results on ${day} disagree on the ${lim.toUpperCase()})`],
    });
  }
  return out;
}

/**
 * The values rules read: `data` with each measured element's result chosen by its
 * selection, windows measured from `anchors`. Called once per evaluation.
 */
export function selectResults(
  dict: (NormalisedElement & { select?: Selection })[],
  results: Record<string, Qty[]>,
  anchors: Record<string, TimePoint | undefined>,
  data: Record<string, Val>,
): Record<string, Val> {
  const out: Record<string, Val> = { ...data };
  for (const el of dict) {
    const list = results[el.name];
    if (list && !el.normalise && (el.select?.window || el.select?.method))
      out[el.name] = pickResult(el.name, list, el.select, anchors);
  }
  // Then the elements normalised with a BSA (or height and weight) read as the rules read it.
  for (const el of dict) {
    const list = results[el.name];
    if (list && el.normalise) out[el.name] = pickResult(el.name, list, el.select, anchors, normaliser(el, out));
  }
  return out;
}
