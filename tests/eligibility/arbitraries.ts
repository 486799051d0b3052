/**
 * Random patients for a protocol, built from its IR: values at and next to every
 * threshold the rules compare with, in any unit of the same kind, dates around the
 * anchors' window edges, missing fields, and records of 0 to 3 rows.
 */
import type fc from "fast-check";
import fcRuntime from "fast-check";
import type { IrElement, IrExpr, IrProtocol } from "../../src/ir/types.js";
import { children } from "../../src/ir/walk.js";
import { commensurability, convert } from "../../src/runtime/units.js";
import { dec } from "../../src/runtime/decimal.js";
import { exactAsDouble } from "../../src/runtime/fast.js";

export type Gen = fc.GeneratorValue;

/** Units tried for each quantity, filtered to those commensurable with the element's unit. */
const UNIT_POOL = [
  "g/dL",
  "g/L",
  "mg/dL",
  "mg/L",
  "mmol/L",
  "umol/L",
  "10*3/uL",
  "10*9/L",
  "/nL",
  "10*6/mL",
  "%",
  "mm",
  "cm",
  "d",
  "h",
  "wk",
  "mL/min/{1.73_m2}",
  "L/h/{1.73_m2}",
  "U/L",
  "U/mL",
  "GBq",
  "MBq",
  "Gy",
  "mGy",
  "1",
];

export const ANCHORS = { inclusion: "2027-01-04", D0: "2027-01-18" };
const DAY_OFFSETS = [
  0, 1, -1, 2, -2, 13, 14, 15, -27, -28, -29, -41, -42, -43, -83, -84, -85, -364, -365, -366, -700, 30,
];

/** Thresholds compared with each element (key `name` or `records.field`), in the element's unit. */
export function thresholdsOf(ir: IrProtocol): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (e: IrExpr) => {
    if (
      e.kind === "compare" &&
      (e.left.kind === "element" || e.left.kind === "field") &&
      (e.right.kind === "quantity" || e.right.kind === "number")
    ) {
      const key = e.left.kind === "element" ? e.left.name : `${e.left.record}.${e.left.name}`;
      out.set(key, [...(out.get(key) ?? []), e.right.value]);
    }
    // `age(birth, …) >= 18 a`: birth dates around that many years before the anchors.
    if (
      e.kind === "compare" &&
      e.left.kind === "builtin" &&
      e.left.fn === "age" &&
      e.left.args[0]?.kind === "element" &&
      e.right.kind === "quantity"
    ) {
      const key = `age:${e.left.args[0].name}`;
      out.set(key, [...(out.get(key) ?? []), e.right.value]);
    }
    children(e).forEach(visit);
  };
  const crit = (cs: IrProtocol["eligibility"]["inclusion"]) =>
    cs.forEach((c) => (c.body.kind === "rule" ? visit(c.body.expr) : crit(c.body.children)));
  crit(ir.eligibility.inclusion);
  crit(ir.eligibility.exclusion);
  ir.definitions.forEach((d) => visit(d.expr));
  return out;
}

/** Units a value of `el` may be given in. */
export function unitsFor(el: IrElement): string[] {
  if (!el.unit) return [];
  return [el.unit, ...UNIT_POOL.filter((u) => u !== el.unit && commensurability(u, el.unit!, el.molarMass) === "same")];
}

/**
 * Express `value` (in the element's unit) in `unit` with the run time's exact rational
 * conversion (a factor rounded to a decimal, 1/0.06 for L/h to mL/min, would make two
 * equal results differ in the 40th digit).
 */
export function inUnit(el: IrElement, value: string, unit: string): string {
  return convert(dec(value), el.unit!, unit, el.molarMass).toString();
}

function shiftDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function numberNear(g: Gen, fcm: typeof fc, el: IrElement, thresholds: string[]): string {
  const low = dec(el.range?.low ?? "0");
  const high = dec(el.range?.high ?? "1000");
  const pick = g(fcm.nat, { max: 9 });
  let v;
  if (thresholds.length && pick < 7) {
    const t = dec(thresholds[g(fcm.nat, { max: thresholds.length - 1 })]!);
    const deltas = el.type === "integer" ? ["0", "1", "-1"] : ["0", "0.01", "-0.01", "0.1", "-0.1", "1", "-1"];
    v = t.plus(deltas[g(fcm.nat, { max: deltas.length - 1 })]!);
  } else {
    const span = high.minus(low);
    v = low.plus(span.times(g(fcm.nat, { max: 1000 })).dividedBy(1000));
    if (el.type === "integer") v = v.floor();
    else v = v.toDecimalPlaces(2);
  }
  if (v.lessThan(low)) v = low;
  if (v.greaterThan(high)) v = high;
  return v.toString();
}

/** Reference limits as laboratories print them, in the element's unit; those inside its plausible range are used. */
const TYPICAL_LIMITS = ["1.2", "0.7", "35", "20.5", "40", "3.5", "90", "1.5", "150", "12"];

/**
 * A reference limit `{value, unit}` of `el`: a positive value inside the plausible range
 * (a limit is a value of the same measurement), in `unit` (the result's) or the element's own.
 */
function limitFor(g: Gen, fcm: typeof fc, el: IrElement, unit: string): { value: string; unit: string } {
  const low = dec(el.range?.low ?? "0");
  const high = dec(el.range?.high ?? "1000");
  const fits = TYPICAL_LIMITS.filter((x) => dec(x).gt(0) && dec(x).gt(low) && dec(x).lt(high));
  let v: string;
  if (fits.length && g(fcm.nat, { max: 3 }) > 0) v = fits[g(fcm.nat, { max: fits.length - 1 })]!;
  else {
    // Strictly inside the range, so that a conversion's rounding cannot push it out.
    const span = high.minus(low);
    v = low
      .plus(span.times(1 + g(fcm.nat, { max: 997 })).dividedBy(1000))
      .toDecimalPlaces(2)
      .toString();
    if (!dec(v).gt(0) || !dec(v).gt(low) || !dec(v).lt(high)) v = low.plus(span.dividedBy(2)).toString();
  }
  const own = g(fcm.nat, { max: 3 }) === 0 ? el.unit! : unit;
  return { value: inUnit(el, v, own), unit: own };
}

/** Result dates: mostly inside the usual baseline window (D0 - 4 wk to D0 - 1 d), some just outside it. */
const RESULT_DAYS = [-7, -7, -1, -2, -14, -27, -28, -29, 0, -35];

/**
 * One result of a quantity, in a unit the element accepts, with its declared reference
 * limits; for a measured element (`top`) also its time, method and specimen.
 */
function resultFor(
  g: Gen,
  fcm: typeof fc,
  el: IrElement,
  thresholds: Map<string, string[]>,
  key: string,
  top: boolean,
): Record<string, unknown> {
  const v = numberNear(g, fcm, el, thresholds.get(key) ?? []);
  const units = unitsFor(el);
  const unit = units[g(fcm.nat, { max: units.length - 1 })]!;
  const q: Record<string, unknown> = { value: inUnit(el, v, unit), unit };
  for (const lim of ["uln", "lln"] as const)
    if (el.reference[lim] && g(fcm.nat, { max: 4 }) > 0) q[lim] = limitFor(g, fcm, el, unit);
  if (!top) return q;
  // A result the element's selection reads, most often: by its method, inside the baseline window.
  if (el.select?.window || g(fcm.nat, { max: 3 }) === 0) {
    const day = shiftDays(ANCHORS.D0, RESULT_DAYS[g(fcm.nat, { max: RESULT_DAYS.length - 1 })]!);
    q.at = g(fcm.nat, { max: 3 }) === 0 ? `${day}T0${g(fcm.nat, { max: 9 })}:15` : day;
  }
  if (el.select?.method) q.method = g(fcm.nat, { max: 4 }) > 0 ? el.select.method : "MDRD";
  else if (g(fcm.nat, { max: 5 }) === 0) q.method = "automated analyser";
  if (g(fcm.nat, { max: 5 }) === 0) q.specimen = "serum";
  return q;
}

/**
 * A random value for one element, or undefined for "missing". `top` is false for a field
 * of a row, where a quantity is a plain `{value, unit}` rather than a measured element.
 */
export function valueFor(
  g: Gen,
  fcm: typeof fc,
  el: IrElement,
  thresholds: Map<string, string[]>,
  key: string,
  missingRate = 8,
  top = true,
): unknown {
  if (g(fcm.nat, { max: 99 }) < missingRate) return g(fcm.boolean) ? null : undefined;
  switch (el.type) {
    case "boolean":
    case "attestation":
      return g(fcm.boolean);
    case "integer":
      return Number(numberNear(g, fcm, el, thresholds.get(key) ?? []));
    case "decimal": {
      if (!el.unit) return Number(numberNear(g, fcm, el, thresholds.get(key) ?? []));
      // A top-level quantity is a measured element: one result, or a list of timed results.
      if (!top || g(fcm.nat, { max: 2 }) > 0) return resultFor(g, fcm, el, thresholds, key, top);
      const n = 1 + g(fcm.nat, { max: 2 });
      // Each listed result dated: of several, an undated one would make any selection unknown.
      return {
        results: Array.from({ length: n }, () => {
          const r = resultFor(g, fcm, el, thresholds, key, top);
          r.at ??= shiftDays(ANCHORS.D0, RESULT_DAYS[g(fcm.nat, { max: RESULT_DAYS.length - 1 })]!);
          return r;
        }),
      };
    }
    case "code":
      return el.values![g(fcm.nat, { max: el.values!.length - 1 })]!.code;
    case "text":
      return `t${g(fcm.nat, { max: 9 })}`;
    case "date":
    case "datetime": {
      const base = g(fcm.boolean) ? ANCHORS.inclusion : ANCHORS.D0;
      const ages = thresholds.get(`age:${key}`);
      if (ages && g(fcm.boolean)) {
        const years = Number(ages[g(fcm.nat, { max: ages.length - 1 })]);
        const birthday = `${Number(ANCHORS.inclusion.slice(0, 4)) - years}${ANCHORS.inclusion.slice(4)}`;
        return shiftDays(birthday, g(fcm.integer, { min: -2, max: 2 }));
      }
      const day = shiftDays(base, DAY_OFFSETS[g(fcm.nat, { max: DAY_OFFSETS.length - 1 })]!);
      if (el.type === "date") return day;
      return `${day}T${String(g(fcm.nat, { max: 23 })).padStart(2, "0")}:${g(fcm.boolean) ? "00" : "30"}`;
    }
    case "records": {
      const n = g(fcm.nat, { max: 3 });
      return Array.from({ length: n }, () => {
        const row: Record<string, unknown> = {};
        for (const f of el.fields ?? []) {
          const v = valueFor(g, fcm, f, thresholds, `${el.name}.${f.name}`, 5, false);
          if (v !== undefined) row[f.name] = v;
        }
        return row;
      });
    }
  }
}

/** A random patient for `ir`. */
export function patientFor(
  g: Gen,
  fcm: typeof fc,
  ir: IrProtocol,
  thresholds: Map<string, string[]>,
): Record<string, unknown> {
  const p: Record<string, unknown> = { anchors: { ...ANCHORS } };
  for (const el of ir.elements) {
    const v = valueFor(g, fcm, el, thresholds, el.name);
    if (v !== undefined) p[el.name] = v;
  }
  return p;
}

/**
 * A patient near a known one: `base` with a few elements replaced by random values
 * (or removed), so that runs also reach eligible and indeterminate verdicts.
 */
export function mutantOf(
  g: Gen,
  fcm: typeof fc,
  ir: IrProtocol,
  thresholds: Map<string, string[]>,
  base: Record<string, unknown>,
): Record<string, unknown> {
  const p: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  const n = g(fcm.nat, { max: 3 });
  for (let i = 0; i < n; i++) {
    const el = ir.elements[g(fcm.nat, { max: ir.elements.length - 1 })]!;
    const v = valueFor(g, fcm, el, thresholds, el.name, 25);
    if (v === undefined) delete p[el.name];
    else p[el.name] = v;
  }
  return p;
}

/**
 * Decimal strings of quantities become JSON numbers where exact: in most patients all of
 * them (as a system that sends JSON numbers does), in the others each one by chance, so
 * that both paths, and records that mix the two, are exercised. (Since values, limits
 * and results are separate fields, converting each by chance alone leaves few patients
 * wholly numeric.)
 */
export function withNumbers(g: Gen, x: unknown, all = g(fcRuntime.nat, { max: 4 }) < 4): unknown {
  if (Array.isArray(x)) return x.map((v) => withNumbers(g, v, all));
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      const numeric = (k === "value" || k === "uln" || k === "lln") && typeof v === "string" && exactAsDouble(v);
      out[k] = numeric && (all || g(fcRuntime.nat, { max: 9 }) < 9) ? Number(v) : withNumbers(g, v, all);
    }
    return out;
  }
  return x;
}
