/**
 * Consistency between rules (TRC7001-TRC7004): each finding with its witness, the seed's
 * old renal rule, and a property test over random small protocols in which every
 * witness is confirmed by the interpreter and by the compiled modules, and a protocol
 * without findings has no eligible patient that is already delayed before cycle 1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { analyseConsistency, type Finding } from "../../src/check/consistency.js";
import type { Assignment, FormulaBuilder } from "../../src/check/consistency-solve.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { decideCycle } from "../../src/interpret/toxicity.js";
import type { IrProtocol } from "../../src/ir/types.js";
import { importEligibility, writeGenerated } from "../generated.js";
import { codes, compileSnippet, expectDiagnostic } from "../helpers.js";

const DATA = `  x: decimal mg/dL range 0 to 100 "X" form f
  y: integer range 0 to 5 "Y" form f
  bili: decimal mg/dL range 0 to 60 with ULN "Bilirubin" form f`;

describe("criteria on their own and in pairs", () => {
  it("a criterion no value can meet (TRC7002), with the comparisons that clash", () => {
    const r = compileSnippet(DATA, `inclusion I1 "Empty" { rule x > 5 mg/dL and x < 3 mg/dL }`);
    const d = expectDiagnostic(r, "TRC7002", "I1 can never be met");
    expect(d.message).toContain('"x > 5 mg/dL" together with "x < 3 mg/dL"');
  });

  it("a criterion that always holds (TRC7003)", () => {
    const r = compileSnippet(DATA, `inclusion I1 "Always" { rule y >= 0 or y < 1 }`);
    expectDiagnostic(r, "TRC7003", "I1 always holds");
  });

  it("a criterion implied by another (TRC7003) points at both, with a witness", () => {
    const r = compileSnippet(
      DATA,
      `inclusion I1 "Weak" { rule x >= 2 mg/dL }
inclusion I2 "Strong" { rule x >= 5 mg/dL }`,
    );
    const d = expectDiagnostic(r, "TRC7003", "I1 always holds when I2 does");
    expect(d.message).toMatch(/x = \d+(\.\d+)? mg\/dL meets both/);
    expect(d.related.map((x) => x.message)).toEqual(["I2 is here"]);
    expect(codes(r).filter((c) => c === "TRC7003")).toHaveLength(1);
  });

  it("two inclusions that contradict (TRC7004), in ULN multiples", () => {
    const r = compileSnippet(
      DATA,
      `inclusion I1 "Low" { rule bili <= 1 x ULN }
inclusion I2 "High" { rule bili > 1.5 x ULN }`,
    );
    const d = expectDiagnostic(r, "TRC7004", "I1 and I2 contradict");
    expect(d.message).toMatch(/bili = [\d.]+ x ULN meets I1 but not I2/);
  });

  it("an inclusion that every patient meeting it is excluded for (TRC7004)", () => {
    const r = compileSnippet(
      DATA,
      `inclusion I1 "In" { rule y <= 1 }
exclusion E1 "Out" { rule y < 3 }`,
    );
    const d = expectDiagnostic(r, "TRC7004", "every patient who meets I1 is excluded by E1");
    expect(d.message).toMatch(/y = [01]\)/);
    expect(d.related[0]!.message).toBe("exclusion E1 is here");
  });

  it("criteria that merely overlap are not reported", () => {
    const r = compileSnippet(
      DATA,
      `inclusion I1 "A" { rule x >= 2 mg/dL }
inclusion I2 "B" { rule x <= 50 mg/dL }
exclusion E1 "C" { rule x > 40 mg/dL }`,
    );
    expect(codes(r).filter((c) => c.startsWith("TRC7"))).toEqual([]);
  });
});

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = readFileSync(join(ROOT, "protocols", "lu177-octreotate.trial"), "utf8");

describe("the seed protocol", () => {
  it("reports no contradiction", () => {
    const r = compileText(SEED, "lu177-octreotate.trial");
    expect(r.diagnostics.filter((d) => d.code.startsWith("TRC7")).map((d) => d.message)).toEqual([]);
  });

  it("with the old renal rule (CKD grade >= 2, eGFR < 60) reports I6 against it, with the witness", () => {
    const old = SEED.replace(
      /delay renal "[^"]*" when [\s\S]*? max 6 wk then stop \{/,
      'delay renal "Renal toxicity grade 2 or more: delay until recovery" when grade creatinine_increased >= 2 or grade chronic_kidney_disease >= 2 {',
    );
    expect(old).not.toBe(SEED);
    const r = compileText(old, "old-renal.trial");
    const d = expectDiagnostic(r, "TRC7001", 'delayed by "renal" before cycle 1');
    expect(d.message).toContain("gfr = 50 mL/min/{1.73_m2} is accepted by I6");
    expect(d.message).toContain("chronic_kidney_disease is grade 2");
    expect(d.related.map((x) => x.message)).toEqual(["I6 accepts it: gfr >= 50 mL/min/{1.73_m2}"]);
    // The witness is real: that patient is eligible on I6 and the interpreter delays cycle 1.
    const ir = r.ir!;
    const decision = decideCycle(ir, { cycles: [], labs: { gfr: { value: 50, unit: "mL/min/{1.73_m2}" } } });
    expect(decision.ok && decision.result.rules.find((x) => x.name === "renal")?.verdict).toBe("met");
  });
});

// ---------------------------------------------------------------------------
// Property: random small protocols
// ---------------------------------------------------------------------------

const RANDOM_DATA = `trial "RND" { title "Random protocol" }
use ctcae "4.03"
source seed "generated" protocol
anchor inclusion "Inclusion"
anchor D0 "First dose"
form f "Form"
data {
  hb: decimal g/dL range 1 to 25 "Hb" form f
  plt: decimal 10*3/uL range 1 to 2000 "Platelets" form f
  bili: decimal mg/dL range 0.1 to 60 with ULN "Bilirubin" form f
  score: integer range 0 to 5 "Score" form f
}
`;
const OPS = ["<", "<=", ">", ">=", "=", "!="];

function atom(g: fc.GeneratorValue): string {
  return g(
    fc.constantFrom,
    () => `hb ${g(fc.constantFrom, ...OPS)} ${g(fc.constantFrom, "8 g/dL", "9 g/dL", "100 g/L", "12 g/dL")}`,
    () => `plt ${g(fc.constantFrom, ...OPS)} ${g(fc.constantFrom, "50 10*3/uL", "75 10*9/L", "100 10*3/uL")}`,
    () => `bili ${g(fc.constantFrom, "<=", "<", ">", ">=")} ${g(fc.constantFrom, "1", "1.5", "2", "3")} x ULN`,
    () => `score ${g(fc.constantFrom, ...OPS)} ${g(fc.integer, { min: 0, max: 5 })}`,
  )();
}

function cond(g: fc.GeneratorValue, depth: number): string {
  if (depth <= 0) return atom(g);
  const a = () => cond(g, depth - 1);
  return g(
    fc.constantFrom,
    () => `(${a()} and ${a()})`,
    () => `(${a()} or ${a()})`,
    () => `not (${a()})`,
    a,
  )();
}

function toxAtom(g: fc.GeneratorValue): string {
  return g(
    fc.constantFrom,
    () => `grade anemia >= ${g(fc.constantFrom, 2, 3)}`,
    () => `grade platelet_count_decreased >= ${g(fc.constantFrom, 2, 3, 4)}`,
    () => `grade blood_bilirubin_increased >= ${g(fc.constantFrom, 1, 2, 3)}`,
  )();
}

function randomProtocol(g: fc.GeneratorValue): string {
  const lines: string[] = [];
  const n = g(fc.integer, { min: 1, max: 3 });
  for (let i = 1; i <= n; i++) lines.push(`inclusion I${i} "Random ${i}" { rule ${cond(g, 1)} }`);
  if (g(fc.boolean)) lines.push(`exclusion E1 "Random exclusion" { rule ${cond(g, 1)} }`);
  lines.push(`toxicity {
  grade anemia "Anemia" from hb
  grade platelet_count_decreased "Platelets decreased" from plt
  grade blood_bilirubin_increased "Bilirubin increased" from bili
  delay d1 "Delay" when ${toxAtom(g)} or ${toxAtom(g)}
  stop s1 "Stop" when ${toxAtom(g)}
}`);
  return RANDOM_DATA + lines.join("\n") + "\n";
}

/** Normal values: no grade, inside every range. */
const NORMAL = { hb: "14", plt: "250", bili: "0.5", score: 0 };
const ULN = "1";

/** A patient from a witness: every coordinate it fixes, normal values elsewhere. */
function patientOf(w: Assignment, b: FormulaBuilder): Record<string, unknown> {
  const v = (name: string) => w.num.get(name)?.toString();
  const biliMultiple = w.num.get("bili@ULN");
  return {
    hb: { value: v("hb") ?? NORMAL.hb, unit: "g/dL" },
    plt: { value: v("plt") ?? NORMAL.plt, unit: "10*3/uL" },
    bili: {
      value: biliMultiple ? biliMultiple.times(ULN).toString() : NORMAL.bili,
      unit: "mg/dL",
      uln: { value: ULN, unit: "mg/dL" },
    },
    score: w.num.has("score") ? Number(v("score")) : NORMAL.score,
    ...(b.coords.has("bili") && !biliMultiple
      ? { bili: { value: v("bili") ?? NORMAL.bili, unit: "mg/dL", uln: { value: ULN, unit: "mg/dL" } } }
      : {}),
  };
}

/** Numbers as JSON: the patient reader takes numbers, and decimal strings where exactness matters. */
const asJson = (p: Record<string, unknown>) =>
  JSON.parse(
    JSON.stringify(p, (_k, x) => (typeof x === "string" && /^-?\d+(\.\d+)?$/.test(x) ? Number(x) : x)),
  ) as Record<string, unknown>;

function labsOf(p: Record<string, unknown>) {
  const { score: _score, ...labs } = p;
  return { cycles: [], labs: { hb: labs.hb, plt: labs.plt, bili: labs.bili } };
}

type Verdicts = { inclusion: { id: string; verdict: string }[]; exclusion: { id: string; verdict: string }[] } | null;

/** Every inclusion met and no exclusion met, except the criteria in `alone`. */
function eligibleApartFrom(r: Verdicts | undefined, alone: Set<string>): boolean {
  if (!r) return false;
  return (
    r.inclusion.every((c) => alone.has(c.id) || c.verdict === "met") &&
    r.exclusion.every((c) => alone.has(c.id) || c.verdict === "not_met")
  );
}

type ToxModule = { decideCycle(h: unknown): { ok: boolean; result?: { rules: { name: string; verdict: string }[] } } };

function ruleMet(out: ReturnType<typeof decideCycle> | ReturnType<ToxModule["decideCycle"]>, name: string): boolean {
  return !!out.ok && out.result!.rules.some((r) => r.name === name && r.verdict === "met");
}

describe("random protocols", () => {
  it("every finding's witness is confirmed by the interpreter and the compiled modules; no finding, no such patient", async () => {
    const texts = fc.sample(fc.gen().map(randomProtocol), {
      numRuns: 40,
      seed: Number(process.env.CONSISTENCY_SEED ?? 20261202),
    });
    let confirmed = 0;
    let clean = 0;
    for (const [k, text] of texts.entries()) {
      const r = compileText(text, `consistency-${k}.trial`);
      expect(
        r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
        text,
      ).toEqual([]);
      const ir = r.ir as IrProtocol;
      const { findings, builder } = analyseConsistency(ir);
      const alone = new Set(
        findings
          .filter((f) => f.code === "TRC7002" || (f.code === "TRC7003" && f.related.length === 0))
          .map((f) => (f.at as { criterion: string }).criterion),
      );
      const dir = writeGenerated(ir, `consistency-${k}`);
      const elig = await importEligibility(dir);
      const tox = (await import(join(dir, "toxicity.ts"))) as ToxModule;
      for (const f of findings.filter((x): x is Finding & { witness: Assignment } => !!x.witness)) {
        const p = asJson(patientOf(f.witness, builder));
        const res = evaluateEligibility(ir, p);
        const compiled = elig.evaluateEligibility(p);
        if (f.code === "TRC7001") {
          const rule = (f.at as { rule: string }).rule;
          // A criterion reported on its own (never met, always holds) is left out of the question.
          expect(eligibleApartFrom(res.ok ? res.result : null, alone), `${f.message}\n${text}`).toBe(true);
          expect(eligibleApartFrom(compiled.result as Verdicts, alone)).toBe(true);
          expect(ruleMet(decideCycle(ir, labsOf(p)), rule), f.message).toBe(true);
          expect(ruleMet(tox.decideCycle(labsOf(p)), rule)).toBe(true);
          confirmed++;
        } else if (f.code === "TRC7004") {
          // An inclusion whose every patient is excluded: the witness meets both.
          const ids = [f.at, ...f.related.map((x) => x.at)].map((x) => (x as { criterion: string }).criterion);
          const all = res.ok ? [...res.result.inclusion, ...res.result.exclusion] : [];
          for (const id of ids) expect(all.find((c) => c.id === id)?.verdict, f.message).toBe("met");
          confirmed++;
        }
      }
      // Sampled patients: an eligible one is never delayed or stopped before cycle 1 unless reported.
      const reported = new Set(
        findings.filter((f) => f.code === "TRC7001").map((f) => (f.at as { rule: string }).rule),
      );
      if (reported.size === 0) clean++;
      const values = (key: string) => (builder.coords.has(key) ? builder.candidates(key).map(String) : []);
      fc.assert(
        fc.property(
          fc.constantFrom(...values("hb"), NORMAL.hb),
          fc.constantFrom(...values("plt"), NORMAL.plt),
          fc.constantFrom(...values("bili@ULN"), "0.5"),
          fc.constantFrom(...values("score"), "0"),
          (hb, plt, bili, score) => {
            const p = asJson({
              hb: { value: hb, unit: "g/dL" },
              plt: { value: plt, unit: "10*3/uL" },
              bili: { value: bili, unit: "mg/dL", uln: { value: ULN, unit: "mg/dL" } },
              score: Number(score),
            });
            const res = evaluateEligibility(ir, p);
            if (!res.ok || res.result.verdict !== "eligible") return;
            // Only elements the eligibility criteria read can make a finding; others stay normal.
            const read = new Set(ir.eligibility.inclusion.concat(ir.eligibility.exclusion).flatMap((c) => c.reads));
            const labs = labsOf(p).labs as Record<string, unknown>;
            const normal = asJson({
              hb: { value: NORMAL.hb, unit: "g/dL" },
              plt: { value: NORMAL.plt, unit: "10*3/uL" },
              bili: { value: NORMAL.bili, unit: "mg/dL", uln: { value: ULN, unit: "mg/dL" } },
            });
            for (const e of ["hb", "plt", "bili"]) if (!read.has(e)) labs[e] = normal[e];
            for (const rule of ir.toxicity!.rules)
              if (ruleMet(decideCycle(ir, { cycles: [], labs }), rule.name))
                expect(
                  reported.has(rule.name),
                  `${JSON.stringify(p)} is eligible and meets ${rule.name}\n${text}`,
                ).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
    }
    expect(confirmed).toBeGreaterThan(5);
    expect(clean).toBeGreaterThan(2);
  }, 240_000);
});
