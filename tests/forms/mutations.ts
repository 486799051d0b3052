/**
 * Defects to inject into a valid patient record, each with the class of check that
 * catches it. The classes are the honest split between the form schemas (ajv) and the
 * evaluator (zod's type check, then `normalizePatient`):
 *
 * | class   | example                                   | zod | JSON Schema | evaluator |
 * |---------|-------------------------------------------|-----|-------------|-----------|
 * | type    | `"yes"` for a boolean, 1.5 for an integer | ✗   | ✗           | ✗         |
 * | shared  | 2027-02-30, 9 in a 0–4 range, uln undeclared, "1,5", a bare-number limit, a limit above range, both `results` and one result's fields | ✓ | ✗ | ✗ |
 * | runtime | unit "furlongs" or "Gy" for hemoglobin (of a value or a limit), a range broken in mmol/L or as decimal text | ✓ | ✓ | ✗ |
 * | form    | childbearing potential yes, pregnancy test missing | ✓ | ✗        | ✓ (unknown) |
 * | neutral | an unknown extra field at any depth (a result's, a limit's: the evaluator warns), a value set to null | ✓ | ✓          | ✓         |
 */
import type fc from "fast-check";
import type { IrElement, IrProtocol } from "../../src/ir/types.js";
import { commensurability, convert } from "../../src/runtime/units.js";
import { dec } from "../../src/runtime/decimal.js";
import { COMMON_UNITS, exactRanges, formCondition, ownUnits } from "../../src/emit/forms/model.js";

/** Which checks catch a defect (see the table above). */
export type DefectClass = "type" | "shared" | "runtime" | "form" | "neutral";
/** A replacement value and the class of the defect it carries. */
export interface Defect {
  cls: DefectClass;
  value: unknown;
  what: string;
}
/** A defect placed in a record: `key` is the top-level field it breaks; `claims` the fields it touches. */
export interface Mutation {
  cls: DefectClass;
  key: string;
  claims: string[];
  what: string;
  apply(p: Record<string, unknown>): void;
}

type Gen = fc.GeneratorValue;
const pick = <T>(g: Gen, fcm: typeof fc, xs: readonly T[]): T => xs[g(fcm.nat, { max: xs.length - 1 })]!;
const d = (cls: DefectClass, value: unknown, what: string): Defect => ({ cls, value, what });

/** A number well above the range's top (or below its bottom), in the same unit. */
const beyond = (r: { low: string; high: string }, up: boolean) =>
  up ? dec(r.high).plus(dec(r.high).abs()).plus(1) : dec(r.low).minus(dec(r.low).abs()).minus(1);

/** Where a value sits: a top-level quantity is a measured element (one result, or `{"results": […]}`). */
export interface Place {
  top?: boolean;
  /** The protocol's time zone: a time with a UTC offset is read in it, and refused without one. */
  timeZone?: string;
}

/** Defects for one element's value (also used for a field inside a row). */
export function valueDefects(el: IrElement, place: Place = {}): Defect[] {
  const out: Defect[] = [];
  const r = el.range;
  switch (el.type) {
    case "boolean":
    case "attestation":
      out.push(
        d("type", "yes", "string for a boolean"),
        d("type", 1, "number for a boolean"),
        d("type", {}, "object for a boolean"),
      );
      break;
    case "integer":
      out.push(
        d("type", 1.5, "fraction for an integer"),
        d("type", "3", "string for an integer"),
        d("type", 2 ** 53, "unsafe integer"),
      );
      if (r)
        out.push(
          d("shared", beyond(r, true).toNumber(), "integer above range"),
          d("shared", beyond(r, false).toNumber(), "integer below range"),
        );
      break;
    case "text":
      out.push(d("type", 5, "number for text"), d("type", false, "boolean for text"));
      break;
    case "code":
      out.push(d("type", "not_a_code", "unknown code"), d("type", "", "empty code"), d("type", 3, "number for a code"));
      break;
    case "date":
      out.push(d("type", 20270104, "number for a date"));
      for (const s of ["2027-02-29", "2027-13-01", "2027-1-04", "04/01/2027", "2027-01-04T10:00"])
        out.push(d("shared", s, `date ${s}`));
      break;
    case "datetime":
      out.push(d("type", true, "boolean for a date-time"));
      for (const s of ["2027-02-30T10:00", "2027-01-04T24:00", "2027-01-04 10:00", "2027-01-04T10:00Z", "2027-01-04"])
        out.push(d("shared", s, `date-time ${s}`));
      break;
    case "records":
      out.push(
        d("type", {}, "object for records"),
        d("type", "rows", "string for records"),
        d("type", [5], "number as a row"),
        d("type", [null], "null row"),
      );
      break;
    case "decimal": {
      if (!el.unit) {
        out.push(
          d("type", true, "boolean for a decimal"),
          d("type", {}, "object for a decimal"),
          d("shared", "1,5", "decimal comma"),
          d("shared", "abc", "not a decimal"),
        );
        // A bound the schema states only when it is an exact short decimal (model.ts); otherwise the evaluator's alone.
        if (r)
          out.push(
            d(exactRanges(el).length ? "shared" : "runtime", beyond(r, true).toNumber(), "number above range"),
            d("runtime", beyond(r, true).toString(), "decimal text above range"),
          );
        break;
      }
      const unit = el.unit;
      const mid = r ? dec(r.low).plus(r.high).div(2).toNumber() : 1;
      out.push(
        d("type", mid, "bare number for a quantity"),
        d("type", { value: mid }, "no unit"),
        d("type", { unit }, "no value"),
        d("type", { value: true, unit }, "boolean value"),
        d("type", { value: mid, unit: 5 }, "number as unit"),
        d("type", `${mid} ${unit}`, "quantity as text"),
        d("type", { value: mid, unit, uln: true }, "boolean ULN"),
        d("shared", { value: "1,5", unit }, "decimal comma in a value"),
        d("runtime", { value: mid, unit: "furlongs" }, "unknown unit"),
      );
      for (const [lim, declared] of [
        ["uln", el.reference.uln],
        ["lln", el.reference.lln],
      ] as const)
        if (!declared) out.push(d("shared", { value: mid, unit, [lim]: { value: 1, unit } }, `undeclared ${lim}`));
        else
          out.push(
            d(
              "shared",
              { value: mid, unit, [lim]: { value: pick0([0, "-1", "0.00"], lim), unit } },
              `non-positive ${lim}`,
            ),
            d("shared", { value: mid, unit, [lim]: 1 }, `${lim} without its own unit`),
          );
      const bad = COMMON_UNITS.find((u) => commensurability(u, unit, el.molarMass) !== "same");
      if (bad) out.push(d("runtime", { value: mid, unit: bad }, `incompatible unit ${bad}`));
      // A declared limit: its own value and unit, positive, inside the element's plausible range.
      for (const lim of ["uln", "lln"] as const) {
        if (!el.reference[lim]) continue;
        const ok = { value: mid, unit };
        const q = (l: unknown) => ({ value: mid, unit, [lim]: l });
        out.push(
          d("type", q({ value: mid }), `${lim} without a unit`),
          d("type", q({ unit }), `${lim} without a value`),
          d("type", q({ value: mid, unit: 5 }), `${lim} with a number as unit`),
          d("neutral", q({ ...ok, note: "fasting" }), `${lim} with an unknown field`),
          d("shared", q({ value: "1,5", unit }), `${lim} with a decimal comma`),
          d("shared", q(String(mid)), `${lim} as bare decimal text`),
          d("runtime", q({ value: mid, unit: "furlongs" }), `${lim} in an unknown unit`),
        );
        if (bad) out.push(d("runtime", q({ value: mid, unit: bad }), `${lim} in the incompatible unit ${bad}`));
        if (r) {
          for (const x of exactRanges(el))
            out.push(
              d("shared", q({ value: beyond(x, true).toNumber(), unit: x.unit }), `${lim} above range in ${x.unit}`),
            );
          out.push(d("runtime", q({ value: beyond(r, true).toString(), unit }), `${lim} as decimal text above range`));
          const exact = new Set(exactRanges(el).map((x) => x.unit));
          for (const u of ownUnits(el).filter((u) => !exact.has(u)))
            out.push(
              d(
                "runtime",
                q({ value: convert(beyond(r, true), unit, u, el.molarMass).toNumber(), unit: u }),
                `${lim} above range in ${u} (no exact bound)`,
              ),
            );
        }
      }
      if (place.top) out.push(...measuredDefects(el, mid, place));
      if (r) {
        for (const x of exactRanges(el))
          out.push(
            d("shared", { value: beyond(x, true).toNumber(), unit: x.unit }, `above range in ${x.unit}`),
            d("shared", { value: beyond(x, false).toNumber(), unit: x.unit }, `below range in ${x.unit}`),
          );
        out.push(d("runtime", { value: beyond(r, true).toString(), unit }, "decimal text above range"));
        const exact = new Set(exactRanges(el).map((x) => x.unit));
        for (const u of ownUnits(el).filter((u) => !exact.has(u)))
          out.push(
            d(
              "runtime",
              { value: convert(beyond(r, true), unit, u, el.molarMass).toNumber(), unit: u },
              `above range in ${u} (no exact bound)`,
            ),
          );
      }
      break;
    }
  }
  return out;
}
/**
 * Defects of a measured element's shape: one result object or `{"results": [...]}`,
 * never both, with only a result's own fields (value, unit, at, uln, lln, method, specimen).
 */
function measuredDefects(el: IrElement, mid: number, place: Place): Defect[] {
  const unit = el.unit!;
  const good = { value: mid, unit, at: "2027-01-11" };
  const list = (bad: unknown) => ({ results: [good, bad] });
  const out = [
    d("type", { results: "2027-01-11" }, "text for the results"),
    d("type", { results: good }, "one result object as the results"),
    d("type", { results: [5] }, "number as a result"),
    d("type", { results: [null] }, "null result"),
    d("type", list({ unit, at: "2027-01-11" }), "listed result without a value"),
    d("type", list({ value: mid, at: "2027-01-11" }), "listed result without a unit"),
    d("type", { ...good, at: 20270111 }, "number as a result's time"),
    d("type", { ...good, method: 5 }, "number as a result's method"),
    d("type", list({ ...good, specimen: true }), "boolean as a listed result's specimen"),
    d("neutral", { ...good, note: "fasting" }, "unknown field of a result"),
    d("neutral", list({ ...good, flag: "H" }), "unknown field of a listed result"),
    d("shared", { results: [good], value: mid, unit }, "both results and one result's fields"),
    d("shared", { results: [good], at: "2027-01-11" }, "results and a time beside them"),
    d("shared", { ...good, at: "2027-02-30" }, "impossible result date"),
    d("shared", { ...good, at: "1899-12-31" }, "result date before 1900"),
    d("shared", list({ ...good, at: "2201-01-01" }), "listed result date after 2200"),
    d("shared", { ...good, at: "2027-01-11T24:00" }, "result time 24:00"),
    d("shared", { ...good, at: "2027-01-11T10:00:00.5" }, "fractional seconds without an offset"),
    d("shared", list({ ...good, value: "1,5" }), "decimal comma in a listed result"),
    d("runtime", list({ ...good, unit: "furlongs" }), "listed result in an unknown unit"),
    d("neutral", { results: [] }, "no results"),
    d(
      "neutral",
      { ...good, at: "2027-01-11T10:30", method: "automated", specimen: "serum" },
      "a result's time of day, method and specimen",
    ),
  ];
  // A UTC offset is read in the trial's time zone; without one the evaluator refuses to guess.
  out.push(
    d(
      place.timeZone ? "neutral" : "shared",
      { ...good, at: "2027-01-11T10:30:00.25+01:00" },
      "result time with an offset",
    ),
  );
  for (const x of el.range ? exactRanges(el) : [])
    out.push(
      d("shared", list({ value: beyond(x, true).toNumber(), unit: x.unit }), `listed result above range in ${x.unit}`),
    );
  return out;
}

/** A fixed choice per limit, so the catalogue is deterministic (the generator picks among defects). */
const pick0 = (xs: readonly (number | string)[], lim: string) => xs[lim.length % xs.length]!;

/** A mutation of a top-level element, of a field inside an existing row, or a neutral change. */
export function elementMutation(
  g: Gen,
  fcm: typeof fc,
  el: IrElement,
  p: Record<string, unknown>,
  timeZone?: string,
): Mutation {
  const rows = p[el.name];
  if (el.type === "records" && Array.isArray(rows) && rows.length && g(fcm.boolean)) {
    const i = g(fcm.nat, { max: rows.length - 1 });
    const field = pick(g, fcm, el.fields ?? []);
    const defect = pick(g, fcm, valueDefects(field));
    return {
      cls: defect.cls,
      key: el.name,
      claims: [el.name],
      what: `${el.name}[${i}].${field.name}: ${defect.what}`,
      apply: (q) => {
        (q[el.name] as Record<string, unknown>[])[i]![field.name] = defect.value;
      },
    };
  }
  if (g(fcm.nat, { max: 9 }) === 0 && !el.requiredWhen)
    return {
      cls: "neutral",
      key: el.name,
      claims: [el.name],
      what: `${el.name} set to null`,
      apply: (q) => {
        q[el.name] = null;
      },
    };
  const defect = pick(g, fcm, valueDefects(el, { top: true, timeZone }));
  return {
    cls: defect.cls,
    key: el.name,
    claims: [el.name],
    what: `${el.name}: ${defect.what}`,
    apply: (q) => {
      q[el.name] = defect.value;
    },
  };
}

/** Defects of the reference dates. */
export function anchorMutation(g: Gen, fcm: typeof fc, timeZone?: string): Mutation {
  const options: [DefectClass, string, (q: Record<string, unknown>) => void][] = [
    [
      "type",
      "anchors as text",
      (q) => {
        q.anchors = "2027-01-04";
      },
    ],
    [
      "type",
      "anchors null",
      (q) => {
        q.anchors = null;
      },
    ],
    [
      "type",
      "number as an anchor",
      (q) => {
        q.anchors = { ...(q.anchors as object), inclusion: 5 };
      },
    ],
    [
      "shared",
      "impossible anchor date",
      (q) => {
        q.anchors = { ...(q.anchors as object), D0: "2027-02-30" };
      },
    ],
    [
      "shared",
      "anchor date before 1900",
      (q) => {
        q.anchors = { ...(q.anchors as object), inclusion: "1899-12-31" };
      },
    ],
    [
      "neutral",
      "D0 with the injection's time of day",
      (q) => {
        q.anchors = { ...(q.anchors as object), D0: "2027-01-18T09:30" };
      },
    ],
    [
      // Read in the trial's time zone; without one the evaluator refuses to guess.
      timeZone ? "neutral" : "shared",
      "D0 with a UTC offset",
      (q) => {
        q.anchors = { ...(q.anchors as object), D0: "2027-01-18T08:30:00Z" };
      },
    ],
  ];
  const [cls, what, apply] = pick(g, fcm, options);
  return { cls, key: "anchors", claims: ["anchors"], what, apply };
}

/** A field required under a condition left empty while the condition holds (simple conditions only). */
export function formMutation(g: Gen, fcm: typeof fc, ir: IrProtocol): Mutation | null {
  const candidates = ir.elements.flatMap((el) => {
    const c = el.requiredWhen ? formCondition(ir, el.requiredWhen) : null;
    const leaves = c?.kind === "is" ? [c] : c?.kind === "all" && c.args.every((a) => a.kind === "is") ? c.args : [];
    return leaves.length
      ? [{ el, leaves: leaves as { kind: "is"; element: string; values: (string | boolean)[] }[] }]
      : [];
  });
  if (!candidates.length) return null;
  const { el, leaves } = pick(g, fcm, candidates);
  const remove = g(fcm.boolean);
  return {
    cls: "form",
    key: el.name,
    claims: [el.name, ...leaves.map((l) => l.element)],
    what: `${el.name} ${remove ? "absent" : "null"} while required`,
    apply: (q) => {
      for (const l of leaves) q[l.element] = l.values[0];
      if (remove) delete q[el.name];
      else q[el.name] = null;
    },
  };
}
