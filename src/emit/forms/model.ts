/**
 * What every case-report-form export needs beyond the IR, computed once and the same
 * way for all of them (JSON Schema, CDISC ODM, REDCap): the units a value may be
 * entered in, the plausible range restated exactly in each of those units, and a
 * `required when` condition reduced to simple tests on other elements.
 *
 * Reads the IR only. The exact checks (UCUM validity, conversion, ranges after
 * conversion) stay in the run time; the exports state what a form tool can enforce
 * and say so where they cannot.
 */
import type { IrElement, IrExpr, IrProtocol } from "../../ir/types.js";
import { commensurability, conversionRatio } from "../../runtime/units.js";
import { ratio, ratioMul, ratioOf, type Ratio } from "../../runtime/decimal.js";

/**
 * Common clinical UCUM units, offered as alternatives to an element's own unit when
 * they are commensurable with it. A fixed list, so output is deterministic and does
 * not depend on ucum-lhc's table; the run time accepts any commensurable UCUM unit.
 * Calendar units (`mo`, `a`) are left out: their UCUM lengths are means, not dates.
 */
export const COMMON_UNITS: readonly string[] = [
  "g/dL",
  "g/L",
  "mg/dL",
  "mg/L",
  "mg/mL",
  "ug/L",
  "ng/mL",
  "mmol/L",
  "umol/L",
  "nmol/L",
  "pmol/L",
  "10*3/uL",
  "10*9/L",
  "10*6/uL",
  "10*12/L",
  "/uL",
  "/nL",
  "%",
  "1",
  "mm",
  "cm",
  "m",
  "min",
  "h",
  "d",
  "wk",
  "mL/min/{1.73_m2}",
  "L/h/{1.73_m2}",
  "U/L",
  "[IU]/L",
  "U/mL",
  "ukat/L",
  "GBq",
  "MBq",
  "mCi",
  "Gy",
  "cGy",
  "mGy",
  "kg",
  "g",
  "mg",
  "L",
  "mL",
];

/**
 * Results by the unit, molar mass and range they depend on: elements of one shape are
 * common (a protocol of 10,000 lab values in a handful of units), and each answer costs
 * 43 unit analyses and exact conversions. Bounded, for a long-lived language server.
 */
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= 10_000) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}
const unitsCache = new Map<string, readonly string[]>();
const rangesCache = new Map<string, readonly UnitRange[]>();

/**
 * The units a value of `el` may be entered in: its own unit first, then commensurable
 * common ones, then the units of absolute values it declares a normalisation for
 * (`normalise gfr from decimal mL/min ...`: see {@link normalisedUnits}).
 */
export function acceptedUnits(el: IrElement): readonly string[] {
  const own = ownUnits(el);
  const normalised = normalisedUnits(el);
  return normalised.length ? [...own, ...normalised] : own;
}

/** Its own unit, then the common units it converts to exactly (by a factor, or a molar mass). */
export function ownUnits(el: IrElement): readonly string[] {
  const own = el.unit;
  if (!own) return [];
  return memo(unitsCache, `${own} ${el.molarMass ?? ""}`, () => [
    own,
    ...COMMON_UNITS.filter((u) => u !== own && commensurability(u, own, el.molarMass) === "same"),
  ]);
}

/**
 * The units of absolute values the evaluator normalises into the element's unit with the
 * body-surface area: the declared one, then the common units of its kind. No range is
 * stated in them (it depends on the patient's BSA): the evaluator checks it after
 * normalisation.
 */
export function normalisedUnits(el: IrElement): readonly string[] {
  const from = el.normalise?.from;
  if (!from || !el.unit) return [];
  return memo(unitsCache, `normalised ${from} ${el.unit}`, () => [
    from,
    ...COMMON_UNITS.filter((u) => u !== from && u !== el.unit && commensurability(u, from) === "same"),
  ]);
}

/** What a form says of a normalisation: the units, the reference area, where the BSA comes from. */
export function normalisationNote(el: IrElement): string | null {
  const n = el.normalise;
  if (!n) return null;
  const bsa =
    n.bsa.kind === "element"
      ? `the body-surface area "${n.bsa.element}"`
      : `the body-surface area by ${n.bsa.label} from "${n.bsa.height}" and "${n.bsa.weight}"`;
  return `An absolute value in ${normalisedUnits(el).join(" or ")} is accepted: the evaluator normalises it to ${n.area.value} ${n.area.unit} with ${bsa} (value x ${n.area.value} / BSA), and checks the plausible range after normalisation.`;
}

/** A range restated in one unit; `low`/`high` are decimal text. */
export interface UnitRange {
  unit: string;
  low: string;
  high: string;
}

/** At most this many significant digits: such decimals survive a trip through a binary double unchanged. */
const MAX_DIGITS = 15;

/** The exact decimal text of `r` if it terminates within MAX_DIGITS significant digits, else null. */
function exactDecimal(r: Ratio): string | null {
  let den = r.den;
  let twos = 0,
    fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  if (den !== 1n) return null; // does not terminate (e.g. 1/24, or a molar-mass conversion)
  const k = Math.max(twos, fives);
  const scaled = r.num * 2n ** BigInt(k - twos) * 5n ** BigInt(k - fives); // r = scaled / 10^k
  const neg = scaled < 0n;
  let digits = (neg ? -scaled : scaled).toString().padStart(k + 1, "0");
  let text = k === 0 ? digits : `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`;
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  digits = text
    .replace(/^[0.]+/, "")
    .replace(".", "")
    .replace(/0+$/, "");
  if (digits.length > MAX_DIGITS) return null;
  return (neg && text !== "0" ? "-" : "") + text;
}

/**
 * The plausible range in each accepted unit where it is an exact, short decimal, so a
 * form tool comparing binary doubles gives the same answer as the exact run time.
 * Units whose bounds do not terminate (g/dL → mmol/L via a molar mass) are left out:
 * the run time still checks them after exact conversion.
 */
export function exactRanges(el: IrElement): readonly UnitRange[] {
  const range = el.range;
  if (!range) return [];
  return memo(rangesCache, `${el.unit ?? ""} ${el.molarMass ?? ""} ${range.low} ${range.high}`, () =>
    computeRanges(el, range),
  );
}

function computeRanges(el: IrElement, range: { readonly low: string; readonly high: string }): UnitRange[] {
  const out: UnitRange[] = [];
  for (const unit of el.unit ? ownUnits(el) : [""]) {
    const r = el.unit ? conversionRatio(el.unit, unit, el.molarMass) : ratio(1n); // "" stands for a pure number
    const low = exactDecimal(ratioMul(ratioOf(range.low), r));
    const high = exactDecimal(ratioMul(ratioOf(range.high), r));
    if (low !== null && high !== null) out.push({ unit, low, high });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Conditions

/**
 * A `required when` condition as form tools can express it: `is` holds when the
 * element is present and its value is one of `values`; `all` / `any` combine.
 * A missing value satisfies no test, which is Kleene logic's "unknown is not true":
 * the field is required only when the condition is known to hold.
 */
export type FormCondition =
  { kind: "is"; element: string; values: (string | boolean)[] } | { kind: "all" | "any"; args: FormCondition[] };

/** Every value an element can take, for negation; null when the domain is open (numbers, text). */
function domainOf(el: IrElement | undefined): (string | boolean)[] | null {
  if (!el) return null;
  if (el.type === "boolean" || el.type === "attestation") return [true, false];
  if (el.type === "code") return (el.values ?? []).map((c) => c.code);
  return null;
}

/** The elements of a protocol by name, built once per IR (once per element was quadratic in the protocol's size). */
const byNameCache = new WeakMap<IrProtocol, Map<string, IrElement>>();
export function elementsByName(ir: IrProtocol): Map<string, IrElement> {
  let m = byNameCache.get(ir);
  if (!m) byNameCache.set(ir, (m = new Map(ir.elements.map((x) => [x.name, x]))));
  return m;
}

/**
 * Reduce `e` to a {@link FormCondition}, or null when it is not a simple test on
 * top-level boolean or code elements (comparisons of numbers, dates, definitions…):
 * exports then state the condition in words instead.
 */
export function formCondition(ir: IrProtocol, e: IrExpr): FormCondition | null {
  const byName = elementsByName(ir);
  const leaf = (name: string, values: readonly (string | boolean)[], negate: boolean): FormCondition | null => {
    const domain = domainOf(byName.get(name));
    if (!domain) return null;
    const chosen = negate ? domain.filter((v) => !values.includes(v)) : domain.filter((v) => values.includes(v));
    return chosen.length ? { kind: "is", element: name, values: chosen } : null;
  };
  const go = (x: IrExpr, negate: boolean): FormCondition | null => {
    switch (x.kind) {
      case "element":
        return x.type === "boolean" ? leaf(x.name, [true], negate) : null;
      case "fact":
        return go(x.arg, negate);
      case "not":
        return go(x.arg, !negate);
      case "in":
        return x.arg.kind === "element" ? leaf(x.arg.name, x.values, negate) : null;
      case "compare": {
        if (x.op !== "=" && x.op !== "!=") return null;
        const [el, c] = x.left.kind === "element" ? [x.left, x.right] : [x.right, x.left];
        if (el.kind !== "element") return null;
        const value = c.kind === "code" ? c.value : c.kind === "bool" ? c.value : null;
        return value === null ? null : leaf(el.name, [value], negate !== (x.op === "!="));
      }
      case "and":
      case "or": {
        const args = x.args.map((a) => go(a, negate));
        if (args.some((a) => a === null)) return null;
        // De Morgan: a negated "and" is an "or" of the negations.
        return { kind: (x.kind === "and") !== negate ? "all" : "any", args: args as FormCondition[] };
      }
      default:
        return null;
    }
  };
  return go(e, false);
}

/** The elements a condition tests. */
export function conditionElements(c: FormCondition): string[] {
  return c.kind === "is" ? [c.element] : [...new Set(c.args.flatMap(conditionElements))];
}

/** The condition in words, with element labels: `Woman of childbearing potential (childbearing_potential) is yes`. */
export function conditionText(ir: IrProtocol, c: FormCondition): string {
  const byName = elementsByName(ir);
  const show = (v: string | boolean, el: IrElement | undefined) =>
    typeof v === "boolean" ? (v ? "yes" : "no") : `${el?.values?.find((k) => k.code === v)?.label ?? v} (${v})`;
  const go = (x: FormCondition, top: boolean): string => {
    if (x.kind === "is") {
      const el = byName.get(x.element);
      return `${el?.label ?? x.element} (${x.element}) is ${x.values.map((v) => show(v, el)).join(" or ")}`;
    }
    const s = x.args.map((a) => go(a, false)).join(x.kind === "all" ? " and " : " or ");
    return top ? s : `(${s})`;
  };
  return go(c, true);
}

/**
 * Sentences every export adds to an element's description: molar mass, reference
 * limits, who attests it, a repeating group, its `required when`, and what reads it.
 */
export function elementNotes(ir: IrProtocol, el: IrElement): string[] {
  const bits: string[] = [];
  if (el.molarMass) bits.push(`Molar mass ${el.molarMass} g/mol (mass and substance units convert).`);
  const normalised = normalisationNote(el);
  if (normalised) bits.push(normalised);
  if (el.reference.uln) bits.push('Carries the upper limit of normal ("uln"), with its own unit.');
  if (el.reference.lln) bits.push('Carries the lower limit of normal ("lln"), with its own unit.');
  if (el.attestedBy) bits.push(`Attested by the ${el.attestedBy}.`);
  if (el.type === "records") bits.push("A repeating group: one row per record.");
  if (el.requiredWhen) {
    const c = formCondition(ir, el.requiredWhen);
    bits.push(`Required when ${c ? conditionText(ir, c) : el.requiredWhen.text}.`);
  }
  if (el.captureOnly) bits.push("Captured only: no rule reads it.");
  else if (el.readBy.length) bits.push(`Read by: ${el.readBy.join(", ")}.`);
  return bits;
}
