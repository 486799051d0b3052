/**
 * The checker: the stages, in order. Each stage reads the AST and the symbol tables
 * the earlier stages filled; the result is the IR and every diagnostic found.
 * Checking never stops at the first error: each stage goes on with placeholders,
 * so one run reports every problem.
 */
import { createHash } from "node:crypto";
import type * as A from "../ast/nodes.js";
import type { IrElement, IrExpr, IrProtocol } from "../ir/types.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { CheckContext, lowerTrace, NO_TRACE } from "./context.js";
import { collectDeclarations } from "./declarations.js";
import { checkDefine } from "./calls.js";
import { checkCriteria, checkParameters } from "./criteria.js";
import { checkCondition } from "./expressions.js";
import { checkSchedule } from "./schedule.js";
import { checkToxicity } from "./toxicity.js";
import { checkResponse } from "./response.js";
import { checkSelection } from "./selection.js";
import { checkNormalisations } from "./normalise.js";
import { checkUsage, finishElement, formsOf, readsOf } from "./usage.js";
import { checkConsistency, consistencySpans } from "./consistency.js";
import { checkObjectives } from "./objectives.js";

export interface CheckResult {
  ir: IrProtocol | null;
  diagnostics: Diagnostic[];
}

/** Check a parsed file. `text` is its source (for hashing and quoting). */
/** An IANA time zone name this platform knows (`Europe/Brussels`), not an offset or abbreviation. */
function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function checkProtocol(file: A.TrialFile, text: string): CheckResult {
  const ctx = new CheckContext(text);
  const of = <K extends A.Decl["kind"]>(kind: K) =>
    file.decls.filter((d): d is Extract<A.Decl, { kind: K }> => d.kind === kind);
  const single = <K extends "TrialDecl" | "ScheduleDecl" | "ToxicityDecl" | "ResponseDecl" | "ObjectivesDecl">(
    kind: K,
  ) => {
    const all = of(kind);
    for (const extra of all.slice(1))
      ctx.report(
        "TRC5002",
        "protocolHasOneSection",
        { section: kind.replace("Decl", "").toLowerCase() },
        (extra as A.TrialDecl).span,
        {
          related: [{ message: "first one here", span: (all[0] as A.TrialDecl).span }],
        },
      );
    return all[0];
  };

  // 1. Names: every declaration, so that rules may refer forward.
  collectDeclarations(ctx, file);
  const trialDecl = single("TrialDecl");
  if (!trialDecl) ctx.report("TRC5001", "protocolHasNoTrial", {}, file.span);

  // 2. Parameters, then definitions (each checked once, on first use or here).
  const parameters = checkParameters(ctx);
  for (const d of ctx.defines.values()) checkDefine(ctx, d);

  // 3. Sections. Toxicity first: its organs and graded terms are names its rules use.
  const toxDecl = single("ToxicityDecl");
  const toxicity = toxDecl ? checkToxicity(ctx, toxDecl) : null;
  const eligibility = checkCriteria(ctx, of("CriterionDecl"));
  const schedDecl = single("ScheduleDecl");
  const schedule = schedDecl ? checkSchedule(ctx, schedDecl) : null;
  const respDecl = single("ResponseDecl");
  const response = respDecl ? checkResponse(ctx, respDecl) : null;
  const objDecl = single("ObjectivesDecl");
  const objectives = objDecl ? checkObjectives(ctx, objDecl) : null;

  // 4. Conditional requirements on the data dictionary.
  const elementDecls = new Map(of("DataDecl").flatMap((d) => d.elements.map((e) => [e.name.text, e] as const)));
  const requiredWhen = new Map<string, IrExpr>();
  for (const { ir, ast } of ctx.elements.values())
    if (ast.requiredWhen) requiredWhen.set(ir.name, checkCondition(ctx, ast.requiredWhen, { section: "data" }));
  // 5. Result selections of measured elements (added to the element when it is finished below).
  const selections = new Map<string, NonNullable<IrElement["select"]>>();
  for (const { ir, ast } of ctx.elements.values()) {
    const sel = ast.select ? checkSelection(ctx, ir, ast.select) : undefined;
    if (sel) selections.set(ir.name, sel);
  }
  // 5b. Declared normalisations of measured elements' absolute values (`normalise gfr …`).
  const normalisations = checkNormalisations(ctx, of("NormaliseDecl"));

  // 6. The trial's time zone: date-times with an offset, and hours across DST, are read in it.
  const tz = trialDecl?.props.find((p) => p.key === "timezone");
  let timeZone: string | undefined;
  if (tz) {
    const zone = tz.values[0] ?? "";
    if (tz.values.length !== 1 || !isTimeZone(zone))
      ctx.report("TRC4006", "unknownTimeZone", { zone: tz.values.join(" ") }, tz.span, {
        hint: 'e.g. timezone "Europe/Brussels"',
      });
    else timeZone = zone;
  }

  // 7. Who reads what: the last thing the data dictionary needs before the IR is assembled.
  const definitions = [...ctx.defines.values()].flatMap((d) => (d.ir ? [d.ir] : []));
  const reads = readsOf(
    { definitions, eligibility, schedule, toxicity, response, objectives },
    requiredWhen,
    normalisations,
  );
  const elements = [...ctx.elements.values()].map((e) => {
    const select = selections.get(e.ir.name);
    const normalise = normalisations.get(e.ir.name);
    return finishElement(
      Object.assign({}, e.ir, select ? { select } : {}, normalise ? { normalise } : {}),
      requiredWhen.get(e.ir.name),
      reads,
    );
  });

  // The IR, built once and never changed after.
  const ir: IrProtocol = {
    irVersion: 1,
    source: { file: file.file, sha256: createHash("sha256").update(text).digest("hex") },
    trial: {
      id: trialDecl?.id ?? "",
      title: trialDecl?.props.find((p) => p.key === "title")?.values[0] ?? "",
      meta: (trialDecl?.props ?? []).map((p) => ({
        key: p.key,
        values: p.values,
        ...(p.source ? { source: metaSource(ctx, p.source) } : {}),
      })),
      trace: lowerTrace(ctx, trialDecl?.trace ?? NO_TRACE),
    },
    libraries: [...ctx.libraries.values()].map((u) => ({ name: u.library.text, version: u.version })),
    ...(timeZone ? { timeZone } : {}),
    sources: [...ctx.sources.values()].map((s) => ({ name: s.name.text, citation: s.citation, kind: s.sourceKind })),
    anchors: [...ctx.anchors.values()].map((a) => ({ name: a.name.text, label: a.label, repeating: a.repeating })),
    forms: formsOf(of("FormDecl"), elements),
    elements,
    definitions,
    parameters,
    eligibility,
    schedule,
    toxicity,
    response,
    objectives,
  };

  // 6. Usage: what is declared and never used.
  // After an error, a rule that failed to check reads nothing: "unused" would be noise.
  if (!ctx.diagnostics.some((d) => d.severity === "error")) {
    checkUsage(ctx, ir, elementDecls);
    // 7. Consistency: do the sections agree with each other?
    checkConsistency(ctx, ir, consistencySpans(file));
  }

  const diagnostics = sortDiagnostics(ctx.diagnostics);
  return { ir: diagnostics.some((d) => d.severity === "error") ? null : ir, diagnostics };
}

/** `acronym "LuMEn" from domain`: the source must be declared. */
function metaSource(ctx: CheckContext, n: A.Name): string {
  if (!ctx.sources.has(n.text)) ctx.unknown("TRC2005", "source", n.text, n.span, ctx.sources.keys());
  return n.text;
}
