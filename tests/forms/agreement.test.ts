/**
 * One source of truth: for random patient records, the JSON Schema forms (ajv, strict)
 * and the evaluator's input validation (zod's `patientSchema`, then `normalizePatient`)
 * give the verdicts the design says they must, field by field.
 *
 * Records are the eligibility generators' random patients (tests/eligibility/
 * arbitraries.ts) that all three accept, with 0 to 3 defects injected from
 * mutations.ts, each of a known class. Exactly:
 *   - zod rejects     ⇔ there is a type defect, and it names the same fields as ajv does for them;
 *   - ajv rejects     ⇔ there is a type, shared or form defect (the fields named are exactly those);
 *   - evaluator rejects ⇔ there is a type, shared or runtime defect.
 * So ajv's verdict equals zod's on every record whose defects are type defects, ajv is
 * never more lenient than zod, and it is stricter than the evaluator only for `required
 * when` (missing data is unknown to the evaluator, incomplete to a form). What ajv
 * cannot see (UCUM units, ranges after conversion, ranges on decimal text) is listed as
 * the runtime class and checked to be caught by the evaluator alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorObject, ValidateFunction } from "ajv";
import { compileFile } from "../../src/cli/source.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { dictionaryOf } from "../../src/lower/dictionary.js";
import { normalizePatient, patientSchema, type DictElement } from "../../src/runtime/patient.js";
import { mutantOf, patientFor, thresholdsOf, valueFor } from "../eligibility/arbitraries.js";
import { formValidators } from "./support.js";
import { anchorMutation, elementMutation, formMutation, type DefectClass, type Mutation } from "./mutations.js";

let ir: IrProtocol;
let dict: DictElement[];
let anchors: string[];
let ajvPatient: ValidateFunction;
let thresholds: Map<string, string[]>;

beforeAll(() => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  dict = dictionaryOf(ir);
  anchors = ir.anchors.map((a) => a.name);
  ajvPatient = formValidators(ir).patient();
  thresholds = thresholdsOf(ir);
});

const SEEDS = readdirSync("protocols/patients")
  .filter((f) => f.endsWith(".json") && f !== "expected.json" && !f.startsWith("invalid"))
  .sort()
  .map((f) => JSON.parse(readFileSync(`protocols/patients/${f}`, "utf8")) as Record<string, unknown>);

/** The top-level field a JSON path starts in (`$` for the record itself). */
const topOfJsonPath = (p: string) =>
  /^\$\.([A-Za-z_][A-Za-z0-9_]*)/.exec(p)?.[1] ?? /^\$\["((?:[^"\\]|\\.)*)"\]/.exec(p)?.[1] ?? "$";
function ajvKeys(errors: ErrorObject[] | null | undefined): Set<string> {
  const keys = new Set<string>();
  for (const e of errors ?? []) {
    const top = e.instancePath.split("/")[1];
    if (top !== undefined) keys.add(top.replace(/~1/g, "/").replace(/~0/g, "~"));
    else if (e.keyword === "required") keys.add(String(e.params.missingProperty));
    else if (e.keyword === "type") keys.add("$");
  }
  return keys;
}

/** The three verdicts, each with the top-level fields it names. */
function verdicts(p: unknown) {
  const z = patientSchema(dict, anchors).safeParse(p);
  const zod = new Set(z.success ? [] : z.error.issues.map((i) => (i.path.length ? String(i.path[0]) : "$")));
  const ajv = ajvPatient(p) ? new Set<string>() : ajvKeys(ajvPatient.errors);
  // As the evaluator reads records: date-times with a UTC offset in the trial's time zone.
  const n = normalizePatient(dict, anchors, p, ir.timeZone ? { timeZone: ir.timeZone } : {});
  const run = new Set(n.ok ? [] : n.errors.map((e) => topOfJsonPath(e.path)));
  return { zod, ajv, run };
}

const sorted = (s: Iterable<string>) => [...s].sort();

/** A random patient with every `required when` field filled, so that completeness holds unless a defect breaks it. */
const basePatients = () =>
  fc.gen().map((g) => {
    const p = g(fc.boolean)
      ? patientFor(g, fc, ir, thresholds)
      : mutantOf(g, fc, ir, thresholds, SEEDS[g(fc.nat, { max: SEEDS.length - 1 })]!);
    for (const el of ir.elements)
      if (el.requiredWhen && (p[el.name] === undefined || p[el.name] === null))
        p[el.name] = valueFor(g, fc, el, thresholds, el.name, 0);
    return p;
  });

describe("JSON Schema forms and the evaluator agree (seed protocol)", () => {
  it("on the generators' random patients: ajv never accepts what zod rejects, and rejects only what the evaluator rejects", () => {
    let accepted = 0;
    fc.assert(
      fc.property(basePatients(), (p) => {
        const v = verdicts(p);
        for (const k of v.zod) expect(v.ajv.has(k), `zod rejects ${k}, ajv does not`).toBe(true);
        if (v.zod.size === 0)
          for (const k of v.ajv) expect(v.run.has(k), `ajv rejects ${k}, the evaluator does not`).toBe(true);
        if (v.zod.size + v.ajv.size + v.run.size === 0) accepted++;
      }),
      { numRuns: 200 },
    );
    expect(accepted).toBeGreaterThan(150); // the bases of the next property are plentiful
  });

  it("with injected defects, each check rejects exactly the fields of the defect classes it covers", () => {
    const seen = new Map<DefectClass, number>();
    const quantities = ir.elements.filter((e) => e.unit);
    const records = basePatients()
      .filter((p) => {
        const v = verdicts(p);
        return v.zod.size + v.ajv.size + v.run.size === 0;
      })
      .chain((base) =>
        fc.gen().map((g) => {
          const p: Record<string, unknown> = JSON.parse(JSON.stringify(base));
          const mutations: Mutation[] = [];
          const claimed = new Set<string>();
          const n = g(fc.nat, { max: 3 });
          for (let i = 0; i < n * 3 && mutations.length < n; i++) {
            // Quantities carry most defect kinds (units, ranges per unit, reference limits): half the picks.
            const kind = g(fc.nat, { max: 19 });
            const pool = kind < 10 ? quantities : ir.elements;
            const m =
              kind === 19
                ? anchorMutation(g, fc, ir.timeZone)
                : kind === 18
                  ? formMutation(g, fc, ir)
                  : elementMutation(g, fc, pool[g(fc.nat, { max: pool.length - 1 })]!, p, ir.timeZone);
            if (!m || m.claims.some((c) => claimed.has(c))) continue;
            m.claims.forEach((c) => claimed.add(c));
            m.apply(p);
            mutations.push(m);
          }
          if (g(fc.nat, { max: 9 }) === 0) p.not_in_the_dictionary = "ignored"; // neutral: unknown fields are warnings
          return { p, mutations };
        }),
      );
    fc.assert(
      fc.property(records, ({ p, mutations }) => {
        const of = (...cls: DefectClass[]) => new Set(mutations.filter((m) => cls.includes(m.cls)).map((m) => m.key));
        mutations.forEach((m) => seen.set(m.cls, (seen.get(m.cls) ?? 0) + 1));
        const v = verdicts(p);
        const why = mutations.map((m) => `${m.cls}: ${m.what}`).join("; ") || "no defect";
        expect(sorted(v.zod), `zod, ${why}`).toEqual(sorted(of("type")));
        expect(sorted(v.ajv), `ajv, ${why}`).toEqual(sorted(of("type", "shared", "form")));
        // The evaluator reports zod's type problems alone when there are any (it stops there).
        expect(sorted(v.run), `evaluator, ${why}`).toEqual(sorted(v.zod.size ? of("type") : of("shared", "runtime")));
      }),
      { numRuns: 400 },
    );
    for (const cls of ["type", "shared", "runtime", "form", "neutral"] as const)
      expect(seen.get(cls) ?? 0, cls).toBeGreaterThan(10);
  });

  it("a record that is not an object is rejected by all three", () => {
    for (const p of [[], null, "patient", 5]) {
      const v = verdicts(p);
      expect([sorted(v.zod), sorted(v.ajv), sorted(v.run)]).toEqual([["$"], ["$"], ["$"]]);
    }
  });
});
