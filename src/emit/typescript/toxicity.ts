/**
 * The generated `toxicity.ts`: `decideCycle(history)` → proceed | delay | stop | unknown
 * with every reason, for a protocol with a `toxicity` section.
 *
 * The module embeds the section as data (`SPEC`: organs and limits with their sources,
 * the CTCAE entries it grades with, the rules' texts) and compiles each rule's condition
 * (lowered by `src/lower/toxicity.ts`) to calls of the same run-time operations the
 * interpreter uses, so the two agree by construction and the differential tests check
 * the translation.
 */
import type { IrExpr, IrProtocol } from "../../ir/types.js";
import { lower } from "../../lower/index.js";
import { isGradeTest } from "../../lower/grade-tests.js";
import { commentText, definitionsUsed, ident, json, Lines, lit } from "./code.js";
import { emitExpr, type ExtraEmitter } from "./expr.js";
import { header } from "./modules.js";

/** The toxicity terms as run-time calls; `st` is the normalised history in scope. */
const extra: ExtraEmitter = (e) => {
  if (e.kind === "organDose") return `tx.organDose(ctx, st, ${lit(e.measure)}, ${lit(e.organ)}, ${lit(e.text)})`;
  if (isGradeTest(e)) {
    const r = e.test.right;
    const right = "grade" in r ? `{ grade: ${lit(r.grade)} }` : `{ value: ${lit(r.value)} }`;
    return `tx.gradeTest(ctx, st, ${lit(e.term)}, ${lit(e.test.op)}, ${right}, ${lit(e.text)})`;
  }
  if (e.kind === "grade") return `tx.gradeValue(ctx, st, ${lit(e.term)}, ${lit(e.text)})`;
  throw new Error(`"${e.text}" cannot be compiled in the toxicity section`);
};

/** `toxicity.ts` for the protocol, or null when it has no toxicity section. */
export function emitToxicityModule(ir: IrProtocol): string | null {
  const tox = lower(ir).toxicity;
  if (!tox) return null;
  const spec = tox.spec;
  const rules = tox.rules.map(({ rule: r, when }) => ({ r, when }));
  const defs = definitionsUsed(rules.map(({ when }) => when));
  const labKeys = spec.labs.map((e) => lit(e.name)).join(" | ") || "never";
  const L = new Lines();
  L.line(
    header(
      ir,
      "Toxicity: decideCycle(history) before each cycle, proceed | delay | stop | unknown, with every reason.",
    ),
  );
  L.line('import * as rt from "./runtime/ops.js";');
  L.line('import * as v from "./runtime/values.js";');
  L.line('import * as tx from "./runtime/toxicity.js";');
  L.line('import type { Patient } from "./patient.js";');
  if (defs.length) L.line(`import { ${defs.map((d) => ident("def_", d)).join(", ")} } from "./definitions.js";`);
  L.line();
  L.line(
    'export type { CycleDecision, CycleVerdict, DecisionOutcome, GradeSummary, OrganSummary, RuleResult } from "./runtime/toxicity.js";',
  );
  L.line();
  L.line("/** One cycle given so far: its number, its injection date and its post-treatment dosimetry. */");
  L.line("export interface HistoryCycle {").indent(() => {
    L.line("/** The cycle number: 1, 2, … in order. */");
    L.line("cycle: number;");
    L.line("/** The injection date, YYYY-MM-DD. */");
    L.line("date?: string | null;");
    for (const rec of spec.dosimetry) {
      L.line(
        `/** This cycle's row of ${commentText(rec.name)}; absent while the dosimetry is not done (decisions are then unknown). */`,
      );
      L.line(`${lit(rec.name)}?: NonNullable<Patient[${lit(rec.name)}]>[number] | null;`);
    }
  });
  L.line("}");
  L.line();
  L.line("/** Laboratory values as the protocol's data elements, with their units and reference limits. */");
  L.line(`export type HistoryValues = Pick<Patient, ${labKeys}>;`);
  L.line();
  L.line(
    "/** The treatment history: cycles given, labs before the next cycle (and their date), pre-treatment baseline values. */",
  );
  L.line("export interface History {").indent(() => {
    L.line("cycles: HistoryCycle[];");
    L.line("labs?: (HistoryValues & { date?: string | null }) | null;");
    L.line("baseline?: HistoryValues | null;");
  });
  L.line("}");
  L.line();
  L.line("/** The toxicity section as data: organs and limits with their sources, CTCAE entries, rules. */");
  L.line(`const SPEC: tx.ToxicitySpec = ${json(spec)};`);
  L.line();
  for (const { r, when } of rules) {
    L.line(`/** ${commentText(`${r.action} ${r.name}: ${r.label}`)} */`);
    L.line(`function ${ident("rule_", r.name)}(ctx: rt.EvalCtx, st: tx.HistoryState): v.Val {`).indent(() =>
      L.line(`return ${emitExpr(when, extra)};`),
    );
    L.line("}");
    L.line();
  }
  L.line("const RULES: Record<string, tx.RuleCondition> = {").indent(() => {
    for (const { r } of rules) L.line(`${lit(r.name)}: ${ident("rule_", r.name)},`);
  });
  L.line("};");
  L.line();
  L.line(
    "/** Decide the next cycle: every rule's verdict and explanation, the organ doses, the grades; bad data gives errors with JSON paths. */",
  );
  L.line("export function decideCycle(history: History | unknown): tx.DecisionOutcome {").indent(() =>
    L.line("return tx.decideCycle(SPEC, history, RULES);"),
  );
  L.line("}");
  return L.toString();
}
