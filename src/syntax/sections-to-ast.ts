/**
 * CST → AST for the three sections: `schedule`, `toxicity` and `response`.
 * Single-valued settings given twice (`cycles` in a treatment, `total` in a day...)
 * keep the first value and are reported, since the AST has room for one.
 */
import type * as A from "../ast/nodes.js";
import type {
  ObjectivesDeclCstNode,
  DayDeclCstNode,
  LesionResponseCstNode,
  RecistDeclCstNode,
  ResponseDeclCstNode,
  ScheduleDeclCstNode,
  StepDeclCstNode,
  ToxicityDeclCstNode,
  TraceItemCstNode,
  TreatmentDeclCstNode,
  VisitDeclCstNode,
} from "../../grammar/generated/cst.js";
import type { BuildContext } from "./build-context.js";
import { child, has, Incomplete } from "./spans.js";

// ---------------------------------------------------------------------------
// Schedule
// ---------------------------------------------------------------------------

/** `schedule { ... }`. */
export function scheduleDecl(node: ScheduleDeclCstNode, cx: BuildContext): A.ScheduleDecl {
  const c = node.children;
  return {
    kind: "ScheduleDecl",
    trace: cx.trace(c.traceItem),
    treatments: cx.each(c.treatmentDecl, (n) => treatment(n, cx)),
    days: cx.each(c.dayDecl, (n) => day(n, cx)),
    visits: cx.each(c.visitDecl, (n) => visit(n, cx)),
    requires: cx.each(c.requireDecl, (n): A.RequireDecl => {
      const k = n.children;
      return {
        kind: "RequireDecl",
        name: cx.s.name(k.Name, "requirement name"),
        label: cx.str(k.StringLiteral, "label"),
        eachCycle: k.eachCycle !== undefined,
        expr: cx.x.expression(child(k.expression, "rule")),
        trace: cx.trace(k.traceItem),
        span: cx.s.ofNode(n),
      };
    }),
    span: cx.s.ofNode(node),
  };
}

function treatment(node: TreatmentDeclCstNode, cx: BuildContext): A.TreatmentDecl {
  const c = node.children;
  const decl: A.TreatmentDecl = {
    kind: "TreatmentDecl",
    name: cx.s.name(c.Name, "treatment name"),
    label: cx.str(c.StringLiteral, "label"),
    dose: null,
    route: null,
    cycles: null,
    firstAt: null,
    spacing: null,
    trace: { cites: [], interpretations: [], sources: [] },
    span: cx.s.ofNode(node),
  };
  const traceItems: TraceItemCstNode[] = [];
  const what = (setting: string): string => `the ${setting} of treatment "${decl.name.text}"`;
  for (const item of c.treatmentItem ?? []) {
    const k = item.children;
    if (k.traceItem !== undefined) {
      traceItems.push(...k.traceItem);
      continue;
    }
    cx.attempt(item, () => {
      const span = cx.s.ofNode(item);
      if (k.KwDose !== undefined) {
        const parts = k.additive ?? [];
        const tolerance = k.KwTolerance !== undefined ? cx.x.additive(child(parts, "tolerance", 1)) : null;
        decl.dose = cx.once(
          decl.dose,
          { amount: cx.x.additive(child(parts, "dose", 0)), tolerance, span },
          what("dose"),
          span,
        );
      } else if (k.KwRoute !== undefined) {
        decl.route = cx.once(decl.route, cx.str(k.StringLiteral, "route"), what("route"), span);
      } else if (k.KwCycles !== undefined) {
        decl.cycles = cx.once(
          decl.cycles,
          { count: cx.count(k.NumberLiteral, "number of cycles").count, span },
          what("number of cycles"),
          span,
        );
      } else if (k.KwFirst !== undefined) {
        decl.firstAt = cx.once(decl.firstAt, cx.s.name(k.Name, "anchor"), what("first administration"), span);
      } else if (k.KwSpacing !== undefined) {
        decl.spacing = cx.once(
          decl.spacing,
          cx.durationRange(child(k.durationRange, "spacing")),
          what("spacing"),
          span,
        );
      }
    });
  }
  decl.trace = cx.trace(traceItems);
  return decl;
}

function day(node: DayDeclCstNode, cx: BuildContext): A.DayDecl {
  const c = node.children;
  let total: A.DurationRange | null = null;
  for (const range of c.durationRange ?? []) {
    cx.attempt(range, () => {
      const r = cx.durationRange(range);
      total = cx.once(total, r, "the total duration of the day", r.span);
    });
  }
  return {
    kind: "DayDecl",
    label: cx.str(c.StringLiteral, "label"),
    steps: cx.each(c.stepDecl, (n) => step(n, cx)),
    total,
    trace: cx.trace(c.traceItem),
    span: cx.s.ofNode(node),
  };
}

function step(node: StepDeclCstNode, cx: BuildContext): A.StepDecl {
  const c = node.children;
  let timing: A.StepTiming;
  if (c.KwAt !== undefined) timing = { kind: "at", offset: cx.x.additive(child(c.additive, "offset")) };
  else if (c.KwBefore !== undefined) timing = { kind: "before", step: cx.s.name(c.Name, "step", 1) };
  else if (c.KwAfter !== undefined) timing = { kind: "after", step: cx.s.name(c.Name, "step", 1) };
  else throw new Incomplete("timing of the step");
  return {
    kind: "StepDecl",
    name: cx.s.name(c.Name, "step name", 0),
    label: cx.str(c.StringLiteral, "label"),
    timing,
    lasting: c.durationRange !== undefined ? cx.durationRange(child(c.durationRange, "duration")) : null,
    span: cx.s.ofNode(node),
  };
}

function visit(node: VisitDeclCstNode, cx: BuildContext): A.VisitDecl {
  const c = node.children;
  const parts = c.additive ?? [];
  const timing: A.VisitTiming =
    c.KwBetween !== undefined
      ? {
          kind: "between",
          low: cx.x.additive(child(parts, "start of the window", 0)),
          high: cx.x.additive(child(parts, "end of the window", 1)),
        }
      : { kind: "at", at: cx.x.additive(child(parts, "time of the visit", 0)) };
  const procedures = (c.procedures ?? []).flatMap((p) =>
    (p.children.StringLiteral ?? []).map((_t, i) => cx.str(p.children.StringLiteral, "procedure", i)),
  );
  return {
    kind: "VisitDecl",
    name: cx.s.name(c.Name, "visit name"),
    label: cx.str(c.StringLiteral, "label"),
    eachCycle: c.eachCycle !== undefined,
    timing,
    procedures,
    trace: cx.trace(c.traceItem),
    span: cx.s.ofNode(node),
  };
}

// ---------------------------------------------------------------------------
// Toxicity
// ---------------------------------------------------------------------------

/** `toxicity { ... }`. */
export function toxicityDecl(node: ToxicityDeclCstNode, cx: BuildContext): A.ToxicityDecl {
  const c = node.children;
  const { s } = cx;
  let maxCycles: A.ToxicityDecl["maxCycles"] = null;
  for (const m of c.maxCycles ?? []) {
    cx.attempt(m, () => {
      const span = s.ofNode(m);
      maxCycles = cx.once(
        maxCycles,
        { count: cx.count(m.children.NumberLiteral, "number of cycles").count, span },
        "max cycles",
        span,
      );
    });
  }
  return {
    kind: "ToxicityDecl",
    trace: cx.trace(c.traceItem),
    organs: cx.each(c.organDecl, (n): A.OrganDecl => {
      const names = n.children.Name;
      const base = s.name(names, "record", 1);
      const field = s.name(names, "field", 2);
      return {
        kind: "OrganDecl",
        name: s.name(names, "organ name", 0),
        label: cx.str(n.children.StringLiteral, "label"),
        dose: { kind: "PathRef", base, field, span: s.join(base.span, field.span) },
        limit: s.name(names, "limit", 3),
        span: s.ofNode(n),
      };
    }),
    grades: cx.each(c.gradeDecl, (n): A.GradeDecl => ({
      kind: "GradeDecl",
      term: s.name(n.children.Name, "graded term", 0),
      label: cx.str(n.children.StringLiteral, "label"),
      from: s.name(n.children.Name, "data element", 1),
      span: s.ofNode(n),
    })),
    rules: cx.each(c.toxRuleDecl, (n): A.ToxRuleDecl => ({
      kind: "ToxRuleDecl",
      action: has(n.children.KwStop) ? "stop" : "delay",
      name: s.name(n.children.Name, "rule name"),
      label: cx.str(n.children.StringLiteral, "label"),
      when: cx.x.expression(child(n.children.expression, "condition")),
      maxDelay: n.children.maxDelay
        ? ((m) => ({
            duration: cx.x.additive(child(m.children.additive, "maximum delay")),
            then: has(m.children.KwStop)
              ? { kind: "stop" as const }
              : { kind: "text" as const, text: cx.str(m.children.StringLiteral, "what happens after the delay") },
            span: s.ofNode(m),
          }))(child(n.children.maxDelay, "maximum delay"))
        : null,
      trace: cx.trace(n.children.traceBlock?.[0]?.children.traceItem),
      span: s.ofNode(n),
    })),
    maxCycles,
    span: s.ofNode(node),
  };
}

// ---------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------

/** `response { ... }`. */
export function responseDecl(node: ResponseDeclCstNode, cx: BuildContext): A.ResponseDecl {
  const c = node.children;
  const lesions = cx.each(c.lesionResponse, (n) => lesion(n, cx));
  const recists = cx.each(c.recistDecl, (n) => recist(n, cx));
  for (const extra of lesions.slice(1)) cx.report("atMostOneBlock", { block: "lesion" }, extra.span);
  for (const extra of recists.slice(1)) cx.report("atMostOneBlock", { block: "recist" }, extra.span);
  return {
    kind: "ResponseDecl",
    trace: cx.trace(c.traceItem),
    lesion: lesions[0] ?? null,
    recist: recists[0] ?? null,
    span: cx.s.ofNode(node),
  };
}

function lesion(node: LesionResponseCstNode, cx: BuildContext): A.LesionResponseDecl {
  const c = node.children;
  const reference = has(c.KwBaseline) ? "baseline" : has(c.KwNadir) ? "nadir" : null;
  if (reference === null) throw new Incomplete("baseline or nadir");
  return {
    kind: "LesionResponseDecl",
    field: cx.s.name(c.Name, "field"),
    reference,
    categories: cx.each(c.category, (n) => ({
      name: cx.s.name(n.children.Name, "category name"),
      label: cx.str(n.children.StringLiteral, "label"),
      when: n.children.KwWhen !== undefined ? cx.x.expression(child(n.children.expression, "condition")) : null,
      span: cx.s.ofNode(n),
    })),
    trace: cx.trace(c.traceItem),
    span: cx.s.ofNode(node),
  };
}

function recist(node: RecistDeclCstNode, cx: BuildContext): A.RecistDecl {
  const decl: A.RecistDecl = {
    kind: "RecistDecl",
    confirmation: null,
    maxNotEvaluableBetween: null,
    stableDiseaseMinimum: null,
    tooSmallToMeasure: null,
    trace: { cites: [], interpretations: [], sources: [] },
    span: cx.s.ofNode(node),
  };
  const traceItems: TraceItemCstNode[] = [];
  for (const item of node.children.recistItem ?? []) {
    const k = item.children;
    if (k.traceItem !== undefined) {
      traceItems.push(...k.traceItem);
      continue;
    }
    cx.attempt(item, () => {
      const span = cx.s.ofNode(item);
      if (k.KwConfirmation !== undefined) {
        const after = k.KwAfter !== undefined ? cx.x.additive(child(k.additive, "delay")) : null;
        decl.confirmation = cx.once(
          decl.confirmation,
          { required: !has(k.KwNot), after, span },
          "the RECIST confirmation",
          span,
        );
      } else if (k.KwEvaluable !== undefined) {
        const count = { count: cx.count(k.NumberLiteral, "count").count, span };
        decl.maxNotEvaluableBetween = cx.once(decl.maxNotEvaluableBetween, count, "max not evaluable between", span);
      } else if (k.KwStable !== undefined) {
        const sd = { amount: cx.x.additive(child(k.additive, "duration")), anchor: cx.s.name(k.Name, "anchor"), span };
        decl.stableDiseaseMinimum = cx.once(decl.stableDiseaseMinimum, sd, "the stable disease minimum", span);
      } else if (k.KwToo !== undefined) {
        decl.tooSmallToMeasure = cx.once(
          decl.tooSmallToMeasure,
          cx.x.additive(child(k.additive, "size")),
          "too small to measure",
          span,
        );
      }
    });
  }
  decl.trace = cx.trace(traceItems);
  return decl;
}

// ---------------------------------------------------------------------------
// Objectives and endpoints
// ---------------------------------------------------------------------------

/** `objectives { ... }`. */
export function objectivesDecl(node: ObjectivesDeclCstNode, cx: BuildContext): A.ObjectivesDecl {
  const s = cx.s;
  return {
    kind: "ObjectivesDecl",
    trace: cx.trace(node.children.traceItem),
    objectives: cx.each(node.children.objectiveDecl, (n): A.ObjectiveDecl => {
      const c = n.children;
      return {
        kind: "ObjectiveDecl",
        level: has(c.KwPrimary) ? "primary" : has(c.KwSecondary) ? "secondary" : "exploratory",
        id: s.name(c.Name, "objective id"),
        text: cx.str(c.StringLiteral, "objective text"),
        basis: has(c.KwLesion) ? "lesion" : has(c.KwPatient) ? "patient" : null,
        trace: cx.trace(c.traceItem),
        endpoints: cx.each(c.endpointDecl, (e): A.EndpointDecl => ({
          kind: "EndpointDecl",
          name: s.name(e.children.Name, "endpoint name"),
          label: cx.str(e.children.StringLiteral, "endpoint label"),
          uses: cx.each(e.children.dataPath, (p) => ({
            base: s.name(p.children.Name, "data element"),
            field: has(p.children.Dot) ? s.name(p.children.Name, "field", 1) : null,
            span: s.ofNode(p),
          })),
          trace: cx.trace(e.children.traceBlock?.[0]?.children.traceItem),
          span: s.ofNode(e),
        })),
        span: s.ofNode(n),
      };
    }),
    span: s.ofNode(node),
  };
}
