/**
 * The decision-only module (`decide.ts`: `isEligible`, `screen`) gives exactly the
 * verdict of the explained evaluation, and rejects exactly the data it rejects: on
 * random protocols with random patients, and on the seed protocol with its sample
 * patients and mutants of them. Quantities are sent as JSON numbers wherever that is
 * exact (so the fast path decides them) and as decimal strings otherwise (so the exact
 * path does); the tests also check that the fast path did decide most patients.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileFile } from "../../src/cli/source.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { importDecide, writeGenerated, type DecideModule } from "../generated.js";
import { mutantOf, patientFor, thresholdsOf, withNumbers } from "./arbitraries.js";
import { parseConceptMap } from "../../src/emit/sql/index.js";
import { bind } from "../../src/emit/sql/binding.js";
import { RUN, synthCohort } from "../../scripts/omop/synth.js";
import { omopToPatient, splitByPerson } from "../../scripts/omop/to-patient.js";

const MAP_FILE = "protocols/omop/lu177-concept-map.csv";
import { protocolText } from "./random-protocol-text.js";

function expectSameVerdict(mod: DecideModule, ir: IrProtocol, patient: unknown, options: Record<string, string> = {}) {
  const exact = evaluateEligibility(ir, patient, options);
  if (exact.ok) expect(mod.isEligible(patient, options), JSON.stringify(patient)).toBe(exact.result.verdict);
  else {
    expect(() => mod.isEligible(patient, options), JSON.stringify(patient)).toThrow(mod.PatientDataError);
    expect(mod.screen([patient], options)).toEqual([{ errors: exact.errors }]);
  }
}

describe("decision-only module = explained evaluation", () => {
  it("on random protocols and patients", async () => {
    const protocols = fc.sample(fc.gen().map(protocolText), { numRuns: 12, seed: 20261202 });
    let fast = 0;
    let total = 0;
    for (const [k, text] of protocols.entries()) {
      const ir = compileText(text, `decide-${k}.trial`).ir!;
      const mod = await importDecide(writeGenerated(ir, `decide-${k}`));
      const thresholds = thresholdsOf(ir);
      const before = { ...mod.paths };
      fc.assert(
        fc.property(fc.gen(), (g) => {
          expectSameVerdict(mod, ir, withNumbers(g, patientFor(g, fc, ir, thresholds)));
        }),
        { numRuns: 60 },
      );
      fast += mod.paths.fast - before.fast;
      total += mod.paths.fast + mod.paths.exact - before.fast - before.exact;
    }
    // Not a vacuous property: the fast path decided many of the patients (the others carry
    // decimal strings, conversions that are not exact doubles, or invalid data).
    expect(fast / total).toBeGreaterThan(0.3);
  }, 180_000);

  it("on the seed protocol: the sample patients and mutants of them, anchors from data or options", async () => {
    const ir = compileFile("protocols/lu177-octreotate.trial").ir!;
    const mod = await importDecide(writeGenerated(ir, "decide-seed"));
    const samples = readdirSync("protocols/patients")
      .filter((f) => f.endsWith(".json") && f !== "expected.json")
      .map((f) => JSON.parse(readFileSync(`protocols/patients/${f}`, "utf8")) as Record<string, unknown>);
    for (const s of samples) expectSameVerdict(mod, ir, s);
    const thresholds = thresholdsOf(ir);
    fc.assert(
      fc.property(fc.gen(), fc.nat({ max: samples.length - 1 }), (g, i) => {
        const p = withNumbers(g, mutantOf(g, fc, ir, thresholds, samples[i]!)) as Record<string, unknown>;
        expectSameVerdict(mod, ir, p);
        // The same reference dates given as options instead of in the data.
        const { anchors, ...rest } = p;
        expectSameVerdict(mod, ir, rest, anchors as Record<string, string>);
      }),
      { numRuns: 300 },
    );
    expect(mod.paths.fast).toBeGreaterThan(mod.paths.exact);
  }, 180_000);

  it("on the seed protocol: lab results around the selection windows, methods, undated results and ties", async () => {
    const ir = compileFile("protocols/lu177-octreotate.trial").ir!;
    const mod = await importDecide(writeGenerated(ir, "decide-seed-results"));
    const base = JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8")) as Record<string, unknown>;
    // D0 is 2027-01-18: the labs' window is 2026-12-21 .. 2027-01-17; these dates sit on,
    // just inside and just outside both ends, and a date-time on the window's last day.
    const dates = [
      "2026-12-20",
      "2026-12-21",
      "2026-12-22",
      "2027-01-16",
      "2027-01-17",
      "2027-01-18",
      "2027-01-17T08:00",
    ];
    const result = (el: "gfr" | "platelets" | "total_bilirubin") =>
      fc.record(
        {
          value:
            el === "gfr"
              ? fc.constantFrom(49, 50, 51)
              : el === "platelets"
                ? fc.constantFrom(99, 100, 101)
                : fc.constantFrom(1.1, 1.2, 2.4, 3),
          unit: fc.constant(el === "gfr" ? "mL/min/{1.73_m2}" : el === "platelets" ? "10*9/L" : "mg/dL"),
          at: fc.constantFrom(...dates),
          ...(el === "gfr" ? { method: fc.constantFrom("51Cr-EDTA", " 51cr-edta ", "MDRD", "") } : {}),
          ...(el === "total_bilirubin" ? { uln: fc.constant({ value: 1.2, unit: "mg/dL" }) } : {}),
        },
        { requiredKeys: ["value", "unit"] },
      );
    const measured = (el: "gfr" | "platelets" | "total_bilirubin") =>
      fc.oneof(
        result(el),
        fc.array(result(el), { maxLength: 4 }).map((results) => ({ results })),
      );
    const before = { ...mod.paths };
    fc.assert(
      fc.property(
        measured("gfr"),
        measured("platelets"),
        measured("total_bilirubin"),
        (gfr, platelets, total_bilirubin) => {
          expectSameVerdict(mod, ir, { ...base, gfr, platelets, total_bilirubin });
        },
      ),
      { numRuns: 400, seed: 20261202 },
    );
    // Most of these are decided on the fast path (agreeing ties and unusual records are not).
    expect(mod.paths.fast - before.fast).toBeGreaterThan(mod.paths.exact - before.exact);
  }, 180_000);

  it("windows in hours around a date: a bound at a time of day counts as its whole day for a date", async () => {
    // Found by review: 2027-01-16 is inside [D0 - 36 h, D0] for the exact path (the bound
    // 2027-01-16T12:00 counts as its day), and the fast path said not. One criterion per
    // protocol, so that each one's verdict is the patient's.
    const rules = [
      "last_dose within 36 h before D0",
      "last_dose between D0 - 36 h and D0 + 12 h",
      "last_dose within 30 h after D0",
      "last_dose at least 36 h before D0",
      "event_at within 36 h before D0",
    ];
    const iso = (d: number) => new Date(Date.UTC(2027, 0, 18) + d * 86400000).toISOString().slice(0, 10);
    for (const [k, rule] of rules.entries()) {
      const text = [
        'trial "T-W" { title "window edges in hours" }',
        'source seed "test" protocol',
        'anchor D0 "D0"',
        'form f "F"',
        'data { last_dose: date "Last dose" form f  event_at: datetime "Event" form f }',
        `inclusion I1 "The window." { rule ${rule} }`,
      ].join("\n");
      const r = compileText(text, "windows.trial");
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const ir = r.ir!;
      const dir = writeGenerated(ir, `decide-windows-${k}`);
      const mod = await importDecide(dir);
      const explained = (await import(`${dir}/eligibility.ts`)) as { evaluateEligibility(p: unknown): unknown };
      fc.assert(
        fc.property(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4 * 24, max: 4 * 24 }), (d, h) => {
          const at = new Date(Date.UTC(2027, 0, 18) + h * 3600000).toISOString().slice(0, 16);
          const p = { anchors: { D0: "2027-01-18" }, last_dose: iso(d), event_at: at };
          const want = evaluateEligibility(ir, p);
          expect(mod.isEligible(p), `${rule}: ${JSON.stringify(p)}`).toBe(want.ok && want.result.verdict);
          expect(explained.evaluateEligibility(p)).toEqual(JSON.parse(JSON.stringify(want)));
        }),
        { numRuns: 150 },
      );
      expect(mod.paths.exact).toBe(0);
    }
  });

  it("decides plainly a result or a limit with fields of its own, which only draw warnings", async () => {
    // Fields a result or a limit does not have are warned of by the exact path and never
    // change a verdict: isEligible reads such a record plainly, and must still agree.
    const ir = compileFile("bench/criteria15.trial").ir!;
    const mod = await importDecide(writeGenerated(ir, "decide-extra-fields"));
    const base = JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8")) as Record<string, unknown>;
    const extra = [
      {
        total_bilirubin: { value: 2.5, unit: "mg/dL", uln: { value: 1.2, unit: "mg/dL", lab: "X" }, at: "2027-01-10" },
      },
      {
        total_bilirubin: { value: 2.4, unit: "mg/dL", uln: { value: 1.2, unit: "mg/dL" }, at: "2027-01-10", note: "x" },
      },
      { hemoglobin: { value: 8.9, unit: "g/dL", at: "2027-01-10", device: "POC" } },
      { hemoglobin: { value: 9, unit: "g/dL", at: "2027-01-10", device: "POC" } },
      { prior_ebrt_marrow_fraction: { value: 25.1, unit: "%", comment: "estimated" } },
    ];
    for (const e of extra) {
      const p = { ...base, ...e };
      const before = { ...mod.paths };
      const exact = evaluateEligibility(ir, p);
      const name = Object.keys(e)[0]!;
      const nested = exact.ok ? exact.result.warnings.filter((w) => w.path.startsWith(`$.${name}.`)) : [];
      expect(nested.length, JSON.stringify(e)).toBe(1);
      expectSameVerdict(mod, ir, p);
      expect(mod.paths.fast - before.fast, JSON.stringify(e)).toBe(1);
    }
  });

  it("decides plainly what a database sends: decimal text, other units, agreeing results at one time", async () => {
    // Persons of the synthetic OMOP cohort, converted to patient records as the SQL
    // target's tests do: values and limits as decimal text ("138", "120.0"), in the
    // laboratory's units (g/L, 10*9/L), and duplicate results at one time. They all took
    // the exact path (about 2 ms each) before decimal text and agreeing ties were read plainly.
    const ir = compileFile("protocols/lu177-octreotate.trial").ir!;
    const mod = await importDecide(writeGenerated(ir, "decide-omop"));
    const map = parseConceptMap(MAP_FILE, readFileSync(MAP_FILE, "utf8"));
    const anchors = { inclusion: RUN.inclusion, D0: RUN.D0 };
    // Half the values drawn at a rule's edge, where exactness decides.
    const bindings = bind(ir, map);
    const persons = [...splitByPerson(synthCohort(7, 1, 300, 0.5)).entries()].map(([pid, rows]) =>
      omopToPatient(ir, bindings, map, rows, pid, RUN.asOf, anchors),
    );
    const text = persons.filter((p) => JSON.stringify(p).includes('"value":"')).length;
    expect(text).toBe(persons.length);
    const before = { ...mod.paths };
    for (const p of persons) expectSameVerdict(mod, ir, p, anchors);
    expect(mod.paths.exact - before.exact).toBe(0);
    expect(mod.paths.fast - before.fast).toBe(persons.length);
  });

  it("screen gives each patient's verdict in order", async () => {
    const ir = compileFile("protocols/lu177-octreotate.trial").ir!;
    const mod = await importDecide(writeGenerated(ir, "decide-seed-screen"));
    const names = ["eligible", "ineligible-platelets", "indeterminate", "invalid-data"];
    const patients = names.map((n) => JSON.parse(readFileSync(`protocols/patients/${n}.json`, "utf8")) as unknown);
    const verdicts = mod.screen(patients);
    expect(verdicts.slice(0, 3)).toEqual(["eligible", "ineligible", "indeterminate"]);
    expect(verdicts[3]).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ path: "$.birth_date" })]),
    });
  });
});
