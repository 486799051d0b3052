/**
 * The traceability appendix and the list of interpretations.
 *
 * Every rule of the protocol (criteria and their parts, definitions, schedule,
 * toxicity and response rules) gets one row: the rule in plain language beside the
 * protocol text it encodes. A rule that cites nothing itself points to the row that
 * prints its text (the criterion or section around it, or the criteria using a
 * definition), so long quotations are printed once; a rule that nothing covers is
 * marked uncited. Every value that does not come from the protocol (a parameter
 * from the literature, a rule taken from a guideline, CTCAE grading) is listed with
 * its source's kind and citation.
 */
import type { IrCriterion, IrExpr, IrNormalisation, IrTrace } from "../../ir/types.js";
import { plainRule } from "./plain-language.js";
import { durationRangeText, quantityText } from "./format.js";
import {
  criterionRef,
  flagsOf,
  libraryFlag,
  parameterFlags,
  parameterValueText,
  parametersUsed,
  subExpressions,
  traceModel,
  type DocContext,
} from "./model-common.js";
import { visitWindowText } from "./model-schedule.js";
import type { AmbiguityModel, FlagModel, SourceModel, TraceRowModel } from "./model-types.js";
import { definitionUsers } from "./model-eligibility.js";

/** A rule before it becomes a row: what it says, its own trace, and what covers it when it cites nothing. */
interface Traced {
  id: string;
  kind: string;
  label: string;
  rule: string;
  ruleSource: string;
  expr: IrExpr | null;
  trace: IrTrace;
  /**
   * Where the protocol text is printed when the rule cites none itself: the enclosing
   * criterion or section row, or the criteria that use a definition. Null: nothing covers it.
   */
  covered: string | null;
  /** Parameters used outside expressions (a dose tolerance, an organ limit). */
  params: string[];
}

const EMPTY: IrTrace = { cites: [], interpretations: [], sources: [] };

/** A declared normalisation in words: "An absolute gfr (mL/min) is read as value × 1.73 m2 / BSA (bsa)". */
export function normalisationText(name: string, n: IrNormalisation): string {
  const bsa = n.bsa.kind === "element" ? n.bsa.element : `${n.bsa.label}, from ${n.bsa.height} and ${n.bsa.weight}`;
  return `An absolute ${name} (${n.from}) is read as value × ${n.area.value} ${n.area.unit} / body-surface area (${bsa})`;
}

/** A section's own row, and the note its rules carry when they cite nothing. */
function section(id: string, label: string, trace: IrTrace): { row: Traced; covered: string | null } {
  const row: Traced = {
    id,
    kind: "Section",
    label,
    rule: `The ${label.toLowerCase()} section as a whole`,
    ruleSource: "",
    expr: null,
    trace,
    covered: null,
    params: [],
  };
  return { row, covered: trace.cites.length ? `see ${id} above` : null };
}

/** Every rule of the protocol, in document order. */
function tracedRules(ctx: DocContext): Traced[] {
  const ir = ctx.ir;
  const out: Traced[] = [];
  const criterion = (c: IrCriterion, parent: string | null, covered: string | null): void => {
    const body = c.body;
    out.push({
      id: c.id,
      kind:
        c.role === "criterion"
          ? `Part of ${parent ? criterionRef(ctx, parent) : "a criterion"}`
          : c.role === "inclusion"
            ? "Inclusion criterion"
            : "Exclusion criterion",
      label: c.text,
      rule:
        body.kind === "rule"
          ? plainRule(body.expr, ctx.plain)
          : body.mode === "all"
            ? "All of its parts"
            : `At least ${body.count} of its parts`,
      ruleSource: body.kind === "rule" ? body.expr.text : "",
      expr: body.kind === "rule" ? body.expr : null,
      trace: c.trace,
      covered,
      params: [],
    });
    // Parts are covered by the nearest cited criterion: I7a encodes words cited under I7.
    const next = c.trace.cites.length ? `see ${c.id} above` : covered;
    if (body.kind === "group") for (const child of body.children) criterion(child, c.id, next);
  };
  for (const c of [...ir.eligibility.inclusion, ...ir.eligibility.exclusion]) criterion(c, null, null);
  const users = definitionUsers(ctx);
  // Declared normalisations: conversions the rules rely on, each with its source. Their
  // protocol text is that of the criteria reading the element (I6 states GFR per 1.73 m2).
  const criteria = new Set(out.map((t) => t.id));
  for (const e of ir.elements)
    if (e.normalise) {
      const by = e.readBy.filter((r) => criteria.has(r));
      out.push({
        id: `normalise ${e.name}`,
        kind: "Conversion",
        label: e.label,
        rule: normalisationText(e.name, e.normalise),
        ruleSource: e.normalise.text,
        expr: null,
        trace: e.normalise.trace,
        covered: by.length ? `see ${by.join(", ")}, which read${by.length === 1 ? "s" : ""} ${e.name}` : null,
        params: [],
      });
    }
  for (const d of ir.definitions) {
    const by = (users.get(d.name) ?? []).map((u) => criterionRef(ctx, u));
    const covered =
      by.length === 0 ? null : by.length === 1 ? `see ${by[0]}, which uses it` : `see ${by.join(", ")}, which use it`;
    out.push(Object.assign({}, rule(ctx, d.name, "Definition", d.label, d.expr, d.trace), { covered }));
  }

  const s = ir.schedule;
  if (s) {
    const { row, covered } = section("schedule", "Schedule", s.trace);
    out.push(row);
    for (const t of s.treatments) {
      const tol = t.dose?.tolerance;
      const facts = [
        t.dose
          ? `${quantityText(t.dose.value, t.dose.unit)}${tol ? ` ± ${quantityText(tol.value, tol.unit)}` : ""}`
          : null,
        t.route,
        t.cycles !== null ? `${t.cycles} cycles` : null,
        t.firstAt ? `first at ${t.firstAt}` : null,
        t.spacing ? `every ${durationRangeText(t.spacing)}` : null,
      ].filter((x): x is string => x !== null);
      out.push({
        id: `treatment.${t.name}`,
        kind: "Treatment",
        label: t.label,
        rule: facts.join("; "),
        ruleSource: "",
        expr: null,
        trace: t.trace,
        covered,
        params: tol?.param ? [tol.param] : [],
      });
    }
    for (const d of s.days) {
      const total = d.total ? `, total ${durationRangeText(d.total)}` : "";
      out.push({
        id: "day",
        kind: "Treatment day",
        label: d.label,
        rule: `${d.steps.length} steps${total}`,
        ruleSource: "",
        expr: null,
        trace: d.trace,
        covered,
        params: [],
      });
    }
    for (const v of s.visits) {
      const when = `${visitWindowText(v)}${v.eachCycle ? ", every cycle" : ""}: ${v.procedures.join("; ")}`;
      out.push({
        id: `visit.${v.name}`,
        kind: "Visit",
        label: v.label,
        rule: when,
        ruleSource: "",
        expr: null,
        trace: v.trace,
        covered,
        params: [],
      });
    }
    for (const r of s.requirements)
      out.push(Object.assign({}, rule(ctx, `require.${r.name}`, "Requirement", r.label, r.expr, r.trace), { covered }));
  }

  const t = ir.toxicity;
  if (t) {
    const { row, covered } = section("toxicity", "Toxicity", t.trace);
    out.push(row);
    for (const o of t.organs) {
      const limit = `Cumulative absorbed dose limit for the ${o.label.toLowerCase()}: ${quantityText(o.limit.value, o.limit.unit)}`;
      out.push({
        id: `organ.${o.name}`,
        kind: "Organ at risk",
        label: o.label,
        rule: limit,
        ruleSource: "",
        expr: null,
        trace: EMPTY,
        covered,
        params: [o.limit.param],
      });
    }
    for (const g of t.grades) {
      const from = ctx.elements.get(g.element)?.label ?? g.element;
      out.push({
        id: `grade.${g.term}`,
        kind: "CTCAE grading",
        label: g.label,
        rule: `Graded from ${from}`,
        ruleSource: "",
        expr: null,
        trace: EMPTY,
        covered,
        params: [],
      });
    }
    for (const r of t.rules)
      out.push(
        Object.assign(
          {},
          rule(
            ctx,
            `${r.action}.${r.name}`,
            r.action === "stop" ? "Stopping rule" : "Delay rule",
            r.label,
            r.when,
            r.trace,
          ),
          { covered },
        ),
      );
  }

  const r = ir.response;
  if (r) {
    const { row, covered } = section("response", "Response", r.trace);
    out.push(row);
    const lesion = r.lesion;
    if (lesion) {
      const cats = lesion.categories
        .map((c) => `${c.label}: ${c.when ? plainRule(c.when, ctx.plain) : "otherwise"}`)
        .join("; ");
      const source = lesion.categories.map((c) => `${c.name}: ${c.when?.text ?? "otherwise"}`).join("; ");
      out.push({
        id: "lesion",
        kind: "Lesion response",
        label: `Change of ${lesion.field} from ${lesion.reference}`,
        rule: cats,
        ruleSource: source,
        expr: null,
        trace: lesion.trace,
        covered,
        params: [],
      });
    }
    if (r.recist)
      out.push({
        id: "recist",
        kind: "RECIST settings",
        label: "RECIST 1.1 settings",
        rule: "The choices RECIST 1.1 leaves to the protocol (listed under Response)",
        ruleSource: "",
        expr: null,
        trace: r.recist.trace,
        covered,
        params: [],
      });
  }
  return out;
}

function rule(ctx: DocContext, id: string, kind: string, label: string, expr: IrExpr, trace: IrTrace): Traced {
  return {
    id,
    kind,
    label,
    rule: plainRule(expr, ctx.plain),
    ruleSource: expr.text,
    expr,
    trace,
    covered: null,
    params: [],
  };
}

/** Values in a rule that do not come from the protocol, each with its source. */
function valuesOf(ctx: DocContext, t: Traced): { what: string; flags: FlagModel[] }[] {
  const values: { what: string; flags: FlagModel[] }[] = [];
  for (const name of new Set([...t.params, ...(t.expr ? parametersUsed(t.expr) : [])])) {
    const p = ctx.params.get(name);
    const flags = parameterFlags(ctx, name);
    if (flags.length) values.push({ what: p ? `${p.label} = ${parameterValueText(p)}` : name, flags });
  }
  const graded = t.expr ? subExpressions(t.expr).some((x) => x.kind === "grade") : false;
  if (graded || t.id.startsWith("grade."))
    values.push({ what: "CTCAE grade thresholds", flags: [libraryFlag(ctx, "ctcae")] });
  const own = flagsOf(ctx, t.trace.sources);
  if (own.length) values.push({ what: "The rule itself", flags: own });
  return values;
}

/** The traceability appendix. */
export function traceabilityRows(ctx: DocContext): TraceRowModel[] {
  return tracedRules(ctx).map((t) => {
    const trace = traceModel(ctx, t.trace);
    const citedVia = trace.cites.length === 0 ? t.covered : null;
    return {
      id: t.id,
      kind: t.kind,
      label: t.label,
      rule: t.rule,
      ruleSource: t.ruleSource,
      cites: trace.cites,
      citedVia,
      values: valuesOf(ctx, t),
      interpretations: trace.interpretations,
      uncited: trace.cites.length === 0 && citedVia === null,
    };
  });
}

/** Every interpretation adopted, with where it applies, in document order. */
export function ambiguities(ctx: DocContext): AmbiguityModel[] {
  const ir = ctx.ir;
  const items: { where: string; trace: IrTrace }[] = [{ where: `trial ${ir.trial.id}`, trace: ir.trial.trace }];
  for (const t of tracedRules(ctx)) items.push({ where: t.id, trace: t.trace });
  for (const p of ir.parameters) items.push({ where: `parameter ${p.name}`, trace: p.trace });
  return items.flatMap((i) =>
    traceModel(ctx, i.trace).interpretations.map((interpretation) => ({ where: i.where, interpretation })),
  );
}

/** The sources, as the protocol lists them. */
export function sourceModels(ctx: DocContext): SourceModel[] {
  return ctx.ir.sources.map((s) => ({
    name: s.name,
    kind: s.kind,
    citation: s.citation,
    fromProtocol: s.kind === "protocol",
  }));
}
