/**
 * Declared normalisation of an absolute value to a reference body-surface area:
 * `normalise gfr from decimal mL/min to 1.73 m2 by bsa` reads a GFR given in mL/min as
 * `value × 1.73 m2 / BSA`, in the element's unit (`mL/min/{1.73_m2}`). Without such a
 * declaration the two are different kinds and never equated (`units.ts`).
 *
 * The BSA is the value rules would read for its element (its own selection, with its
 * date), or is computed from height and weight by a published formula. With an element,
 * the arithmetic is exact (rationals, one rounding at the end, as for a unit conversion).
 * A formula has non-integer powers or a square root, so its BSA is computed to 50
 * significant digits (decimal.js, never binary floats). A BSA the data do not give makes
 * the value unknown, naming what to collect; a normalised value outside the element's
 * plausible range is unknown too, saying why, never decided on.
 */
import { Decimal, ratioDiv, ratioMul, ratioOf, ratioToDecimal, type Ratio } from "./decimal.js";
import { annotatedRatio, commensurability, conversionRatio, convert } from "./units.js";
import { formatTimePoint } from "./time.js";
import { unknown, type Limit, type Val } from "./values.js";
import { BSA_FORMULAS, type BsaFormula } from "./bsa-formulas.js";

export { BSA_FORMULAS, type BsaFormula } from "./bsa-formulas.js";

/** A normalisation as the run time reads it (the units and BSA of the IR's `IrNormalisation`). */
export interface Normalisation {
  /** The absolute unit (UCUM, `mL/min`): results of its kind are normalised. */
  readonly from: string;
  /** The reference area, in the unit written (`1.73` `m2`). */
  readonly area: { readonly value: string; readonly unit: string };
  /** Where the BSA comes from: a data element (an area), or a formula of a height and a weight. */
  readonly bsa:
    | { readonly kind: "element"; readonly element: string }
    | {
        readonly kind: "formula";
        readonly formula: BsaFormula;
        /** The formula's name and year (`Du Bois 1916`), for explanations and documents. */
        readonly label: string;
        readonly height: string;
        readonly weight: string;
      };
}

type Qty = Extract<Val, { t: "qty" }>;

/** What an element needs to be normalised: its name, unit, plausible range and declaration. */
export interface NormalisedElement {
  readonly name: string;
  readonly unit?: string;
  readonly range?: { readonly low: string; readonly high: string };
  readonly normalise?: Normalisation;
}

/** A quantity's time, for explanations: ` on 2027-01-10`, or nothing. */
const when = (q: Qty) => (q.at ? ` on ${formatTimePoint(q.at)}` : "");

/**
 * The patient's BSA in m2 (exact for an element, 50 digits for a formula) and how it is
 * shown, or the unknown value naming what is missing. `data` holds the values rules read.
 */
export function bsaOf(
  n: Normalisation,
  data: Record<string, Val | undefined>,
  prefix = "",
): { m2: Ratio; shown: string } | Val {
  const quantity = (name: string): Qty | Val => {
    const v = data[name];
    return v === undefined ? unknown(prefix + name) : v;
  };
  if (n.bsa.kind === "element") {
    const b = quantity(n.bsa.element);
    if (b.t !== "qty") return b.t === "unknown" ? b : unknown(prefix + n.bsa.element);
    return {
      m2: ratioMul(ratioOf(b.v), conversionRatio(b.unit, "m2")),
      shown: `${b.v.toString()} ${b.unit}${when(b)}`,
    };
  }
  const { formula, height, weight } = n.bsa;
  const f = BSA_FORMULAS[formula];
  const h = quantity(height);
  const w = quantity(weight);
  if (h.t !== "qty" || w.t !== "qty")
    return unknown(
      ...[h, w].flatMap((v, i) =>
        v.t === "unknown" ? v.missing : v.t === "qty" ? [] : [prefix + (i ? weight : height)],
      ),
    );
  const bsa = f.bsa(convert(h.v, h.unit, f.height), convert(w.v, w.unit, f.weight));
  return {
    m2: ratioOf(bsa),
    shown:
      `${bsa.toSignificantDigits(6).toString()} m2 (${f.label}: ${height} ${h.v.toString()} ${h.unit}${when(h)}, ` +
      `${weight} ${w.v.toString()} ${w.unit}${when(w)})`,
  };
}

/**
 * The normaliser of an element's results, given the values rules read (the BSA among
 * them), or undefined for an element without a declared normalisation. A result of the
 * element's own kind is returned as it is; one in the absolute unit becomes
 * `value × area / BSA` in the element's unit, its reference limits too (each in its own
 * unit: an absolute one is normalised with the same BSA), and says how in `normalised`.
 * `prefix` goes before the name of missing data (`labs.` for a cycle's labs).
 */
export function normaliser(
  el: NormalisedElement,
  data: Record<string, Val | undefined>,
  prefix = "",
): ((r: Qty) => Val) | undefined {
  const n = el.normalise;
  if (!n || !el.unit) return undefined;
  const unit = el.unit;
  let bsa: ReturnType<typeof bsaOf> | undefined;
  const area = ratioMul(ratioOf(n.area.value), conversionRatio(n.area.unit, "m2"));
  /** `x` in an absolute unit, in the element's unit: x × area / BSA. */
  const scaled = (v: Decimal, from: string, m2: Ratio) =>
    ratioToDecimal(
      ratioDiv(
        ratioMul(ratioMul(ratioOf(v), conversionRatio(from, n.from)), ratioMul(annotatedRatio(n.from, unit), area)),
        m2,
      ),
    );
  return (r) => {
    const absolute = (u: string) => commensurability(u, unit, r.molarMass) !== "same";
    const limits = (["uln", "lln"] as const).filter((k) => r[k] && absolute(r[k].unit));
    if (!absolute(r.unit) && !limits.length) return r;
    bsa ??= bsaOf(n, data, prefix);
    if ("t" in bsa) {
      if (absolute(r.unit)) return bsa;
      // The value is known; a limit in the absolute unit is unknown, naming the BSA.
      const out: Qty = Object.assign({}, r, { limitUnknown: { ...r.limitUnknown } });
      for (const k of limits) {
        delete out[k];
        out.limitUnknown![k] = bsa.t === "unknown" ? bsa.missing : [];
      }
      return out;
    }
    const { m2, shown } = bsa;
    const limit = (l: Limit | undefined): Limit | undefined =>
      !l || !absolute(l.unit) ? l : { v: scaled(l.v, l.unit, m2), unit };
    if (!absolute(r.unit)) {
      const out: Qty = { ...r };
      for (const k of limits) out[k] = limit(r[k])!;
      return out;
    }
    const v = scaled(r.v, r.unit, m2);
    const by = ` × ${n.area.value} ${n.area.unit} / BSA ${shown}`;
    if (el.range && (v.lessThan(el.range.low) || v.greaterThan(el.range.high)))
      return unknown(
        `a plausible ${el.name} (${r.v.toString()} ${r.unit}${when(r)}${by} is ${v.toString()} ${unit}, outside ${el.range.low} to ${el.range.high})`,
      );
    const how = `${r.v.toString()} ${r.unit}${by}`;
    const out: Qty = Object.assign({}, r, { v, unit, normalised: how });
    const uln = limit(r.uln);
    const lln = limit(r.lln);
    if (uln) out.uln = uln;
    if (lln) out.lln = lln;
    return out;
  };
}
