/**
 * The JSON Schemas of measured values (decimals with a unit), as shared definitions in
 * `common-defs.schema.json`, each written once and referenced by every element of the
 * same shape.
 *
 * Why: an element's plausible range is restated in every accepted unit (an `if`/`then`
 * per unit), and the same checks apply to the value, to its ULN and LLN, and to each
 * entry of `results`. Written inline, that was about 9 KB per element, and a protocol
 * of 10,000 elements gave 100 MB of forms that took most of `trialc build`. Shared, an
 * element is its title, its description and one `$ref`.
 *
 * Four layers, each a `$defs` entry named from the unit and range it checks (in
 * characters a URI fragment takes as they are), and reused whenever another element
 * needs exactly the same schema:
 *   - `range-<unit>-<low>-<high>`: the range checks, one `if`/`then` per unit;
 *   - `quantity-…`: a value with its unit (examples), ULN and LLN as the element allows;
 *   - `result-…`: one result of a measured element (the quantity, its time, method, specimen);
 *   - `measured-…`: one result, or every result under `results`.
 * Names are given in the order of the data dictionary, so the same IR gives the same
 * names; two different schemas that would share a name are told apart by `-2`, `-3`.
 */
import type { IrElement, IrProtocol } from "../../ir/types.js";
import { dec } from "../../runtime/decimal.js";
import { acceptedUnits, exactRanges } from "./model.js";

/** A JSON Schema, as plain data. */
type Schema = { [key: string]: unknown };

/** The measured-value definitions of one protocol, and which one each element uses. */
export interface QuantityDefs {
  /** The definitions, by name, in the order they were first needed. */
  readonly defs: Schema;
  /** The definition of an element's value: `measured-…` for a top-level element, `quantity-…` for a record's field. */
  readonly nameOf: ReadonlyMap<IrElement, string>;
}

const num = (text: string) => Number(dec(text).toString());
/**
 * A name made of characters a URI fragment and a JSON pointer take literally
 * (`mg/dL` → `mg_per_dL`, `10*3/uL` → `10_3_per_uL`, `%` → `percent`).
 */
const slug = (s: string) =>
  s
    .replace(/%/g, "percent")
    .replace(/\//g, "_per_")
    .replace(/[^A-Za-z0-9.-]+/g, "_")
    .replace(/^_|_$/g, "");

class DefTable {
  readonly defs: Schema = {};
  private readonly byText = new Map<string, string>();

  /** The name of `schema`'s definition: an existing one with the same content, else a new one named after `base`. */
  add(base: string, schema: Schema): string {
    const text = JSON.stringify(schema);
    const known = this.byText.get(text);
    if (known) return known;
    let name = base;
    for (let i = 2; Object.hasOwn(this.defs, name); i++) name = `${base}-${i}`;
    this.defs[name] = schema;
    this.byText.set(text, name);
    return name;
  }
}

/** `#/$defs/<name>` inside the shared definitions. */
const local = (name: string) => ({ $ref: `#/$defs/${name}` });

/** Register the definitions of one element (a decimal with a unit); returns the name of its value's schema. */
function addElement(table: DefTable, el: IrElement & { unit: string }, top: boolean): string {
  const ranges = exactRanges(el);
  const base = [el.unit, ...(el.range ? [el.range.low, el.range.high] : [])].map(slug).join("-");
  // Per unit, only for numbers: decimal text and unlisted units are ranged by the evaluator.
  const range = ranges.length
    ? table.add(`range-${base}`, {
        description: `Plausible range ${el.range!.low} to ${el.range!.high} ${el.unit}, for a number in ${ranges.map((r) => r.unit).join(", ")} (the evaluator converts and checks the rest).`,
        type: "object",
        allOf: ranges.map((r) => ({
          if: { properties: { unit: { const: r.unit }, value: { type: "number" } }, required: ["unit", "value"] },
          then: { properties: { value: { type: "number", minimum: num(r.low), maximum: num(r.high) } } },
        })),
      })
    : null;
  // A reference limit is a value of the same measurement: the same plausible range.
  const limit = (name: "uln" | "lln"): Schema =>
    !el.reference[name] ? { [name]: false } : range ? { [name]: local(range) } : {};
  const flags = (el.reference.uln ? "-uln" : "") + (el.reference.lln ? "-lln" : "");
  const quantity = table.add(`quantity-${base}${flags}`, {
    $ref: "#/$defs/quantity",
    type: "object",
    properties: { unit: { type: "string", examples: acceptedUnits(el) }, ...limit("uln"), ...limit("lln") },
    ...(range ? { allOf: [local(range)] } : {}),
  });
  if (!top) return quantity;
  // A measured element: one result (shorthand) or every result, each with its time.
  // Its fields are exactly those the evaluator reads (it refuses any other).
  const result = table.add(`result-${base}${flags}`, {
    $ref: local(quantity).$ref,
    type: "object",
    properties: {
      at: { $ref: "#/$defs/timestamp" },
      method: { type: "string" },
      specimen: { type: "string" },
      results: false,
    },
  });
  return table.add(`measured-${base}${flags}`, {
    anyOf: [
      local(result),
      {
        type: "object",
        required: ["results"],
        additionalProperties: false,
        properties: { results: { type: "array", items: local(result) } },
      },
    ],
  });
}

const cache = new WeakMap<IrProtocol, QuantityDefs>();

/** The measured-value definitions of `ir` (computed once per IR). */
export function quantityDefs(ir: IrProtocol): QuantityDefs {
  const known = cache.get(ir);
  if (known) return known;
  const table = new DefTable();
  const nameOf = new Map<IrElement, string>();
  // Elements of one unit, molar mass, range and limits have the same schemas: build them once.
  const byShape = new Map<string, string>();
  const visit = (elements: readonly IrElement[], top: boolean) => {
    for (const el of elements) {
      if (el.type === "decimal" && el.unit) {
        const { unit, molarMass, range, reference } = el;
        const shape = [unit, molarMass, range?.low, range?.high, reference.uln, reference.lln, top].join(" ");
        let name = byShape.get(shape);
        if (name === undefined) byShape.set(shape, (name = addElement(table, Object.assign({}, el, { unit }), top)));
        nameOf.set(el, name);
      }
      if (el.fields) visit(el.fields, false);
    }
  };
  visit(ir.elements, true);
  const out = { defs: table.defs, nameOf };
  cache.set(ir, out);
  return out;
}
