/**
 * Defects to inject into a valid patient record, each with the class of check that
 * catches it. The classes are the honest split between the form schemas (ajv) and the
 * evaluator (zod's type check, then `normalizePatient`):
 *
 * | class   | example                                   | zod | JSON Schema | evaluator |
 * |---------|-------------------------------------------|-----|-------------|-----------|
 * | type    | `"yes"` for a boolean, 1.5 for an integer | ✗   | ✗           | ✗         |
 * | shared  | 2027-02-30, 9 in a 0–4 range, uln undeclared, "1,5" | ✓ | ✗    | ✗         |
 * | runtime | unit "furlongs" or "Gy" for hemoglobin, a range broken in mmol/L or as decimal text | ✓ | ✓ | ✗ |
 * | form    | childbearing potential yes, pregnancy test missing | ✓ | ✗        | ✓ (unknown) |
 * | neutral | an unknown extra field, a value set to null | ✓ | ✓          | ✓         |
 */
import type fc from "fast-check";
import type { IrElement, IrProtocol } from "../../src/ir/types.js";
import { commensurability, convert } from "../../src/runtime/units.js";
import { dec } from "../../src/runtime/decimal.js";
import { acceptedUnits, COMMON_UNITS, exactRanges, formCondition } from "../../src/emit/forms/model.js";

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

/** Defects for one element's value (also used for a field inside a row). */
export function valueDefects(el: IrElement): Defect[] {
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
      if (r) {
        for (const x of exactRanges(el))
          out.push(
            d("shared", { value: beyond(x, true).toNumber(), unit: x.unit }, `above range in ${x.unit}`),
            d("shared", { value: beyond(x, false).toNumber(), unit: x.unit }, `below range in ${x.unit}`),
          );
        out.push(d("runtime", { value: beyond(r, true).toString(), unit }, "decimal text above range"));
        const exact = new Set(exactRanges(el).map((x) => x.unit));
        for (const u of acceptedUnits(el).filter((u) => !exact.has(u)))
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
/** A fixed choice per limit, so the catalogue is deterministic (the generator picks among defects). */
const pick0 = (xs: readonly (number | string)[], lim: string) => xs[lim.length % xs.length]!;

/** A mutation of a top-level element, of a field inside an existing row, or a neutral change. */
export function elementMutation(g: Gen, fcm: typeof fc, el: IrElement, p: Record<string, unknown>): Mutation {
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
  const defect = pick(g, fcm, valueDefects(el));
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
export function anchorMutation(g: Gen, fcm: typeof fc): Mutation {
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
