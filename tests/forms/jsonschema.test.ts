/**
 * The JSON Schema case report forms of the seed protocol: they compile under ajv's
 * strict mode, have stable ids, capture exactly each form's elements, accept every
 * valid sample patient (split by form) and reject the invalid one; and the patterns
 * they use for dates, date-times and decimal text accept exactly what the evaluator's
 * parsers accept.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { compileText } from "../../src/compile.js";
import type { IrProtocol } from "../../src/ir/types.js";
import {
  COMMON_FILE,
  DATE_PATTERN,
  DATETIME_PATTERN,
  DECIMAL_PATTERN,
  formFile,
  jsonSchemaFiles,
  PATIENT_FILE,
  POSITIVE_DECIMAL_PATTERN,
} from "../../src/emit/forms/jsonschema.js";
import { buildFiles } from "../../src/build.js";
import { parseDate, parseDateTime } from "../../src/runtime/time.js";
import { parseDecimal } from "../../src/runtime/decimal.js";
import { followShared, formValidators, splitByForm, strictAjv } from "./support.js";

const DIR = "protocols/patients";
const samples = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && f !== "expected.json")
  .sort();
const load = (f: string) => JSON.parse(readFileSync(`${DIR}/${f}`, "utf8")) as Record<string, unknown>;

let ir: IrProtocol;
let v: ReturnType<typeof formValidators>;
beforeAll(() => {
  ir = compileFile("protocols/lu177-octreotate.trial").ir!;
  v = formValidators(ir);
});

describe("JSON Schema forms of the seed protocol", () => {
  it("writes one schema per form, the shared definitions and the patient record", () => {
    expect([...v.files.keys()]).toEqual([COMMON_FILE, ...ir.forms.map((f) => formFile(f.name)), PATIENT_FILE]);
    expect(ir.forms.map((f) => f.name)).toEqual([
      "screening",
      "history",
      "labs",
      "imaging",
      "treatment",
      "dosimetry",
      "assessment",
      "adverse_events",
    ]);
  });

  it("every schema compiles in ajv strict mode, each on its own as well", () => {
    for (const [name] of v.files) expect(() => v.validator(name), name).not.toThrow();
    // A second, separate instance compiling them one by one, so no schema leans on compile order.
    const ajv = strictAjv();
    for (const s of v.schemas.values()) ajv.addSchema(s);
    for (const s of v.schemas.values()) expect(() => ajv.compile({ $ref: s.$id })).not.toThrow();
  });

  it("has stable, protocol-derived $ids and the 2020-12 dialect", () => {
    for (const [name, s] of v.schemas) {
      expect(s.$id).toBe(`https://trialc.dev/NCT01842165/forms/${name}`);
      expect((s as { $schema?: string }).$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    }
    expect(jsonSchemaFiles(ir)).toEqual(v.files); // same IR, same bytes
  });

  it("captures exactly the elements of each form, titled with their labels", () => {
    for (const f of ir.forms) {
      const s = v.schemas.get(formFile(f.name)) as unknown as {
        title: string;
        properties: Record<string, { title: string }>;
      };
      expect(s.title).toBe(f.label);
      expect(Object.keys(s.properties)).toEqual(f.elements);
      for (const name of f.elements)
        expect(s.properties[name]!.title).toBe(ir.elements.find((e) => e.name === name)!.label);
    }
  });

  it("states units, alternatives, ranges, codes with labels and dates by $ref", () => {
    const labs = v.schemas.get("labs.schema.json") as unknown as {
      properties: Record<string, Record<string, unknown>>;
    };
    const common = v.schemas.get(COMMON_FILE) as unknown as { $defs: Record<string, unknown> };
    const hb = JSON.stringify(followShared(labs.properties.hemoglobin, common));
    expect(hb).toContain('"$ref":"common-defs.schema.json#/$defs/quantity"');
    expect(hb).toContain('"examples":["g/dL","g/L"');
    expect(hb).toContain('"mmol/L"');
    expect(hb).toContain('"minimum":10,"maximum":250'); // 1 to 25 g/dL, restated exactly in g/L
    expect(hb).not.toMatch(/"const":"mmol\/L"/); // no exact short bound through the molar mass: the evaluator's job
    expect(labs.properties.hemoglobin!.description).toContain("JSON Schema cannot check UCUM units");
    expect(JSON.stringify(labs.properties.pregnancy_test_type)).toContain('{"const":"serum","title":"Serum"}');
    expect(JSON.stringify(labs.properties.pregnancy_test_date)).toContain(
      '"$ref":"common-defs.schema.json#/$defs/date"',
    );
    const hist = JSON.stringify(v.schemas.get("history.schema.json"));
    expect(hist).toContain('"type":["array","null"]'); // repeating groups are arrays of records
  });

  it("offers the absolute unit of a normalised element, ranged only in its own units", () => {
    const labs = v.schemas.get("labs.schema.json") as unknown as {
      properties: Record<string, Record<string, unknown>>;
    };
    const common = v.schemas.get(COMMON_FILE) as unknown as { $defs: Record<string, unknown> };
    const gfr = labs.properties.gfr!;
    expect(gfr.description).toContain("Also accepted: L/h/{1.73_m2}. "); // converted by a factor
    expect(gfr.description).toContain("An absolute value in mL/min is accepted: the evaluator normalises it");
    const shared = JSON.stringify(followShared(gfr, common));
    expect(shared).toContain('"examples":["mL/min/{1.73_m2}","L/h/{1.73_m2}","mL/min"]');
    expect(shared).not.toContain('"const":"mL/min"'); // no range check in it: it depends on the BSA
    // A result in mL/min passes the form, whatever its number: the evaluator ranges it after normalising.
    const validate = v.form("labs");
    expect(validate({ gfr: { value: 400, unit: "mL/min", at: "2027-01-05T09:00" } })).toBe(true);
    expect(validate({ gfr: { value: 400, unit: "mL/min/{1.73_m2}", at: "2027-01-05T09:00" } })).toBe(false);
  });

  it("requires the pregnancy test when the patient is of childbearing potential (if/then)", () => {
    const patient = v.patient();
    const base = load("eligible.json");
    expect(patient({ ...base, childbearing_potential: false })).toBe(true);
    expect(patient({ ...base, childbearing_potential: true })).toBe(false);
    const missing = (patient.errors ?? [])
      .map((e) => e.params.missingProperty)
      .filter(Boolean)
      .sort();
    expect(missing).toEqual(["pregnancy_test_date", "pregnancy_test_result", "pregnancy_test_type"]);
    const test = { pregnancy_test_type: "serum", pregnancy_test_result: "negative", pregnancy_test_date: "2026-12-20" };
    expect(patient({ ...base, childbearing_potential: true, ...test })).toBe(true);
    expect(patient({ ...base, childbearing_potential: true, ...test, pregnancy_test_date: null })).toBe(false);
    // Unknown condition: not required (a missing value satisfies no test).
    expect(patient({ ...base, childbearing_potential: null })).toBe(true);
  });

  for (const file of samples) {
    const valid = !file.startsWith("invalid");
    it(`${file}: ${valid ? "every form accepts its part" : "rejected where the schemas can tell"}`, () => {
      const p = load(file);
      const verdicts = [...splitByForm(ir, p)].map(([form, part]) => [form, v.form(form)(part)] as const);
      if (valid) {
        expect(verdicts.filter(([, ok]) => !ok)).toEqual([]);
        expect(v.patient()(p)).toBe(true);
        return;
      }
      expect(verdicts.filter(([, ok]) => !ok).map(([f]) => f)).toEqual(["screening", "labs", "imaging"]);
      const patient = v.patient();
      expect(patient(p)).toBe(false);
      const paths = new Set(
        (patient.errors ?? []).map((e) => e.instancePath).filter((p) => /^\/[a-z_]+(\/0\/[a-z_]+)?$/.test(p)),
      );
      // birth date 1961-02-30, hemoglobin 90 g/dL, krenning score 7. The fourth problem,
      // platelets in g/dL, is a UCUM question only the evaluator can answer.
      expect([...paths].sort()).toEqual(["/birth_date", "/hemoglobin", "/lesions/0/krenning_score"]);
    });
  }

  it("trialc build writes the same schemas under forms/", () => {
    const built = buildFiles(ir);
    for (const [name, text] of v.files) expect(built.get(`forms/${name}`)).toBe(text);
  });
});

describe("the schema's patterns accept what the evaluator's parsers accept", () => {
  const check = (pattern: string, extra: object = {}) => strictAjv().compile({ type: "string", pattern, ...extra });
  const digits = (n: number) =>
    fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n }).map((a) => a.join(""));
  const dateLike = fc
    .tuple(
      fc.oneof(digits(4), fc.constantFrom("1900", "2000", "2024", "2100", "2023", "0000", "1600")),
      fc.oneof(digits(2), fc.constantFrom("01", "02", "04", "12", "13", "00")),
      fc.oneof(digits(2), fc.constantFrom("28", "29", "30", "31", "32", "00")),
    )
    .map(([y, m, d]) => `${y}-${m}-${d}`);

  it("dates: the pattern and format date agree with parseDate (leap years included)", () => {
    const byPattern = check(DATE_PATTERN);
    const byFormat = check(".*", { format: "date" });
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string({ maxLength: 12 })), (s) => {
        const ok = parseDate(s) !== null;
        expect(byPattern(s), s).toBe(ok);
        // `format: date` cannot say "years 1900 to 2200" (the pattern does): compared within them.
        if (!/^[0-9]{4}-/.test(s) || (s.slice(0, 4) >= "1900" && s.slice(0, 4) <= "2200"))
          expect(byFormat(s), s).toBe(ok);
      }),
      { numRuns: 3000 },
    );
    for (const [s, ok] of [
      ["2024-02-29", true],
      ["2023-02-29", false],
      ["2000-02-29", true],
      ["1900-02-29", false],
      ["2027-04-31", false],
    ] as const)
      expect(byPattern(s), s).toBe(ok);
  });

  it("date-times: the pattern agrees with parseDateTime", () => {
    const byPattern = check(DATETIME_PATTERN);
    const time = fc.tuple(
      fc.oneof(digits(2), fc.constantFrom("23", "24")),
      fc.oneof(digits(2), fc.constantFrom("59", "60")),
      fc.option(fc.oneof(digits(2), fc.constantFrom("59", "60")), { nil: undefined }),
    );
    const sep = fc.constantFrom("T", "T", " ", "t");
    const zone = fc.constantFrom("", "", "", "Z", "+02:00", ".5");
    fc.assert(
      fc.property(fc.tuple(dateLike, sep, time, zone), ([d, t, [h, m, sec], z]) => {
        const s = `${d}${t}${h}:${m}${sec === undefined ? "" : `:${sec}`}${z}`;
        expect(byPattern(s), s).toBe(parseDateTime(s) !== null);
      }),
      { numRuns: 3000 },
    );
  });

  it("decimal text: the pattern agrees with the evaluator's parse (trimmed), positive ones too", () => {
    const decimal = check(DECIMAL_PATTERN);
    const positive = check(POSITIVE_DECIMAL_PATTERN);
    const text = fc
      .array(fc.constantFrom(..."0123456789", ".", "-", "+", "e", "E", " ", ",", "x", "\t"), { maxLength: 8 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(text, (s) => {
        const d = parseDecimal(s.trim());
        expect(decimal(s), JSON.stringify(s)).toBe(d !== null);
        expect(positive(s), JSON.stringify(s)).toBe(d !== null && d.gt(0));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("measured values are shared definitions", () => {
  // Same unit and range (a, b, and the rows' c); another range; a ULN; a molar mass,
  // which adds mmol/L to the accepted units and so makes a different schema.
  const SHARED = `trial "SHARE-1" { title "Shared definitions" }
source seed "generated" protocol
anchor inclusion "Inclusion"
form f "Form"
data {
  a: decimal mg/dL range 0 to 100 "A" form f
  b: decimal mg/dL range 0 to 100 "B" form f
  d: decimal mg/dL range 0 to 50 "D" form f
  u: decimal mg/dL range 0 to 100 with ULN "U" form f
  hb: decimal g/dL range 1 to 25 "Hb" form f
  hm: decimal g/dL range 1 to 25 molar mass 16114.5 g/mol "Hb with its molar mass" form f
  rows: records "Rows" form f { c: decimal mg/dL range 0 to 100 "C" }
}
inclusion I1 "All" { rule a >= 1 mg/dL and b >= 1 mg/dL and d >= 1 mg/dL and u >= 1 mg/dL and hb >= 9 g/dL and hm >= 9 g/dL and any rows where c >= 1 mg/dL }
`;
  const r = compileText(SHARED, "share.trial");
  const sir = r.ir!;
  const sv = formValidators(sir);
  const props = (sv.schemas.get(formFile("f")) as unknown as { properties: Record<string, unknown> }).properties;
  const refOf = (el: unknown) => /"\$ref":"common-defs\.schema\.json#\/\$defs\/([^"]+)"/.exec(JSON.stringify(el))?.[1];

  it("one definition per unit and range, one per other shape, named after both", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(refOf(props.a)).toBe("measured-mg_per_dL-0-100");
    expect(refOf(props.b)).toBe("measured-mg_per_dL-0-100");
    expect(refOf(props.d)).toBe("measured-mg_per_dL-0-50");
    expect(refOf(props.u)).toBe("measured-mg_per_dL-0-100-uln");
    expect(refOf(props.hb)).toBe("measured-g_per_dL-1-25");
    expect(refOf(props.hm)).toBe("measured-g_per_dL-1-25-2");
    // A record's field is a quantity (no results), the very one inside a's results.
    expect(refOf(props.rows)).toBe("quantity-mg_per_dL-0-100");
    const defs = Object.keys((sv.schemas.get(COMMON_FILE) as unknown as { $defs: object }).$defs);
    expect(defs.filter((d) => d.startsWith("range-"))).toEqual([
      "range-mg_per_dL-0-100",
      "range-mg_per_dL-0-50",
      "range-g_per_dL-1-25",
    ]);
  });

  it("each element sharing a definition is still checked in every accepted unit, alone and in results", () => {
    const form = sv.form("f");
    const q = (value: unknown, unit: string) => ({ value, unit });
    for (const el of ["a", "b"]) {
      expect(form({ [el]: q(100, "mg/dL") }), el).toBe(true);
      expect(form({ [el]: q(100.5, "mg/dL") }), el).toBe(false);
      expect(form({ [el]: q(0.1, "g/dL") }), el).toBe(true);
      expect(form({ [el]: q(0.2, "g/dL") }), el).toBe(false);
      expect(form({ [el]: { results: [q(5, "mg/dL"), { ...q(-1, "mg/dL"), at: "2027-01-01" }] } }), el).toBe(false);
      expect(form({ [el]: { results: [q(5, "mg/dL"), { ...q(1, "mg/dL"), at: "2027-01-01" }] } }), el).toBe(true);
      expect(form({ [el]: { ...q(5, "mg/dL"), uln: q(10, "mg/dL") } }), el).toBe(false); // no ULN declared
    }
    expect(form({ d: q(50, "mg/dL") })).toBe(true);
    expect(form({ d: q(51, "mg/dL") })).toBe(false);
    expect(form({ u: { ...q(5, "mg/dL"), uln: q(10, "mg/dL") } })).toBe(true);
    expect(form({ u: { ...q(5, "mg/dL"), uln: q(1000, "mg/L") } })).toBe(true);
    expect(form({ u: { ...q(5, "mg/dL"), uln: q(101, "mg/dL") } })).toBe(false);
    expect(form({ rows: [{ c: q(100, "mg/dL") }, { c: null }] })).toBe(true);
    expect(form({ rows: [{ c: q(101, "mg/dL") }] })).toBe(false);
    expect(form({ rows: [{ c: { results: [q(1, "mg/dL")] } }] })).toBe(false); // a field has no results
  });
});
