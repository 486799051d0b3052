/**
 * The FHIR import's schemas cannot drift from FHIR R4 (`@types/fhir`): `Conforms` is the
 * compile-time check under each schema, and these cases show that it fails the type check
 * (`tsc`, part of `npm test`) on each kind of drift. Each `@ts-expect-error` line must be
 * an error, or the type check reports the directive itself as unused.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type * as fhir4 from "fhir/r4.js";
import type { Conforms, Narrow, Observation } from "../../src/runtime/fhir-bundle.js";

const quantity = z.looseObject({ value: z.number().optional(), unit: z.string().optional() });
type Q<T> = z.output<typeof quantity> & T;

describe("the FHIR schemas conform to FHIR R4's types", () => {
  it("a schema of FHIR fields, each of a type FHIR allows, conforms", () => {
    const ok: Conforms<z.output<typeof quantity>, fhir4.Quantity> = true;
    expect(ok).toBe(true);
  });

  it("fails to compile on a field FHIR R4 does not have, at any depth", () => {
    // @ts-expect-error "untis" is not a field of Quantity
    const typo: Conforms<Q<{ untis?: string }>, fhir4.Quantity> = true;
    // @ts-expect-error a misspelt field inside an Observation's valueQuantity
    const deep: Conforms<{ status: "final"; code: object; valueQuantity?: Q<{ vlaue?: number }> }, fhir4.Observation> =
      true;
    expect([typo, deep]).toEqual([true, true]);
  });

  it("fails to compile on a type FHIR R4 does not allow", () => {
    // @ts-expect-error a status is one of FHIR's codes, not any text
    const status: Conforms<{ status: string; code: object }, fhir4.Observation> = true;
    // @ts-expect-error Consent.category is required (1..*) in FHIR R4
    const optional: Conforms<{ status: "active"; category?: object[] }, fhir4.Consent> = true;
    // @ts-expect-error a value is a number in FHIR R4, not a decimal string
    const text: Conforms<{ value?: string }, fhir4.Quantity> = true;
    expect([status, optional, text]).toEqual([true, true, true]);
  });

  it("the import reads FHIR R4's types cut down to what was checked", () => {
    const o: Observation = { resourceType: "Observation", status: "final", code: {} };
    // @ts-expect-error `interpretation` is FHIR R4's, but the schema does not check it: not readable
    expect(o.interpretation).toBeUndefined();
    const n: Narrow<fhir4.Quantity, { value?: number }> = { value: 1 };
    // @ts-expect-error a field outside what was checked
    expect(n.unit).toBeUndefined();
  });
});
