/**
 * The seed protocol, the language's specification by example, parses with no
 * diagnostics, and its AST holds what the file says, with exact spans.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type * as A from "../../src/ast/nodes.js";
import { parseTrialBytes } from "../../src/syntax/parse.js";
import { checkSpans } from "./helpers.js";

const SEED = fileURLToPath(new URL("../../protocols/lu177-octreotate.trial", import.meta.url));
const text = readFileSync(SEED, "utf8");
const result = parseTrialBytes(readFileSync(SEED), SEED);
const ast = result.ast!;
const slice = (span: A.Span): string => text.slice(span.start, span.end);
const byKind = <K extends A.Decl["kind"]>(kind: K) =>
  ast.decls.filter((d): d is Extract<A.Decl, { kind: K }> => d.kind === kind);

describe("the seed protocol", () => {
  it("parses with zero diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toBe(text);
  });

  it("has a declaration for every top-level keyword of the file", () => {
    // The seed evolves; count what the text declares rather than hard-coding it.
    const written = [
      ...text.matchAll(
        /^(trial|use|source|anchor|form|data|inclusion|exclusion|define|parameter|schedule|toxicity|response|objectives|normalise)\b/gm,
      ),
    ];
    expect(ast.decls.map((d) => slice(d.span).split(/\s/)[0])).toEqual(written.map((m) => m[1]));
    const ids = (role: string) => [...text.matchAll(new RegExp(`^${role} (\\w+)`, "gm"))].map((m) => m[1]);
    const criteria = byKind("CriterionDecl");
    expect(criteria.filter((c) => c.role === "inclusion").map((c) => c.id.text)).toEqual(ids("inclusion"));
    expect(criteria.filter((c) => c.role === "exclusion").map((c) => c.id.text)).toEqual(ids("exclusion"));
    expect(ids("inclusion").length).toBeGreaterThanOrEqual(13);
  });

  it("has well-formed, nested spans everywhere", () => {
    expect(checkSpans(ast, text, SEED)).toBeGreaterThan(1000);
    expect(ast.span).toMatchObject({ start: 0, end: text.length, line: 1, column: 1 });
  });

  it("spans each declaration from its keyword to its closing brace", () => {
    for (const d of ast.decls) {
      expect(slice(d.span)).toMatch(
        /^(trial|use|source|anchor|form|data|inclusion|exclusion|define|parameter|schedule|toxicity|response|objectives|normalise)\b/,
      );
      if (d.kind === "CriterionDecl" || d.kind === "DataDecl" || d.kind === "ScheduleDecl")
        expect(slice(d.span).endsWith("}")).toBe(true);
    }
  });

  it("reads the data dictionary, records and their fields", () => {
    const data = byKind("DataDecl")[0]!;
    const el = (name: string) => data.elements.find((e) => e.name.text === name)!;
    const dataText = slice(data.span);
    expect(data.elements).toHaveLength([...dataText.matchAll(/^  \w+:/gm)].length);
    expect(el("gfr").type).toMatchObject({ kind: "decimal", unit: { text: "mL/min/{1.73_m2}" } });
    expect(el("hemoglobin").molarMass).toMatchObject({ value: "16114.5", unit: { text: "g/mol" } });
    expect(el("creatinine")).toMatchObject({ withUln: true, range: { low: "0", high: "30" } });
    expect(data.elements.flatMap((e) => [e, ...e.fields]).filter((e) => e.captureOnly).length).toBe(
      [...dataText.matchAll(/capture only/g)].length,
    );
    expect(el("pregnancy_test_type").requiredWhen).toMatchObject({ kind: "NameRef", name: "childbearing_potential" });
    expect(el("ssr_scans").fields.map((f) => f.name.text)).toEqual([
      "date",
      "modality",
      "same_modality_as_reference",
      "new_lesions",
      "diameter_increase",
    ]);
    expect(el("symptom_changes").fields[3]!.range).toMatchObject({ low: "-5", high: "5" });
    // Every records element says what its rows are called, so that documents never print "ssr scan".
    const records = data.elements.filter((e) => e.type.kind === "records");
    expect(records.length).toBeGreaterThan(10);
    expect(records.filter((e) => !e.noun?.singular).map((e) => e.name.text)).toEqual([]);
    expect(el("ssr_scans").noun).toMatchObject({ singular: "somatostatin receptor scan", plural: null });
    expect(slice(el("neutrophils").typeSpan)).toBe("decimal 10*3/uL");
  });

  it("reads the expressions of the rules as written", () => {
    const rule = (id: string): A.Expr => {
      const c = byKind("CriterionDecl").find((k) => k.id.text === id)!;
      if (c.body.kind !== "Rule") throw new Error(`${id} is a group`);
      return c.body.expr;
    };
    expect(slice(rule("I1").span)).toBe("age(birth_date, inclusion) >= 18 a");
    expect(slice(rule("I5").span)).toBe(
      "(if long_acting_ssa_used then last_long_acting_ssa at least 4 wk before D0)\n    and (if short_acting_ssa_used then last_short_acting_ssa at least 48 h before D0)",
    );
    // Where the rule sits, worked out from the text so that edits above it do not matter.
    const line = text.slice(0, text.indexOf("rule (if long_acting_ssa_used")).split("\n").length;
    expect(rule("I5").span).toMatchObject({ line, column: 8, endLine: line + 1 });
    expect(rule("I6")).toMatchObject({
      kind: "Compare",
      right: { kind: "QuantityLit", value: "50", unit: "mL/min/{1.73_m2}" },
    });
    expect(rule("E3")).toMatchObject({
      kind: "Quantifier",
      where: { kind: "Logical", op: "and", right: { kind: "Paren" } },
    });
    const define = byKind("DefineDecl").find((d) => d.name.text === "baseline_done")!;
    expect(define.params.map((p) => p.text)).toEqual(["which"]);
    expect(slice(define.expr.span)).toBe(
      "any baseline_procedures where procedure = which and date between D0 - 4 wk and D0 - 1 d",
    );
  });

  it("reads the sections", () => {
    const schedule = byKind("ScheduleDecl")[0]!;
    expect(schedule.visits.map((v) => [v.name.text, v.eachCycle, v.timing.kind])).toEqual([
      ["pregnancy", false, "between"],
      ["screening", false, "between"],
      ["treatment", true, "at"],
      ["dosimetry", true, "between"],
      ["evaluation", true, "between"],
    ]);
    expect(schedule.requires.map((r) => r.name.text)).toEqual(["ssa_long", "ssa_short", "baseline", "pregnancy_test"]);
    const tox = byKind("ToxicityDecl")[0]!;
    expect([tox.organs.length, tox.grades.length, tox.rules.length, tox.maxCycles?.count]).toEqual([2, 11, 8, 4]);
    expect(
      tox.rules.find((r) => r.name.text === "grade4_haematological")!.trace.interpretations[0]!.sources[0]!.text,
    ).toBe("iaea2013");
    const response = byKind("ResponseDecl")[0]!;
    expect(response.lesion!.categories.map((c) => c.name.text)).toEqual(["decrease", "increase", "stable"]);
    expect(response.recist!.stableDiseaseMinimum!.anchor.text).toBe("D0");
  });
});
