/**
 * The decision before each cycle: `decideCycle(spec, history, rules)` returns
 * `proceed | delay | stop | unknown` with every reason.
 *
 * Shared by the reference interpreter (`src/interpret/toxicity.ts`) and the generated
 * `toxicity.ts`. The two differ only in how a rule's condition is evaluated (IR
 * interpreted, or compiled code); everything else lives here: the terms the toxicity
 * section adds to expressions (`cumulative ORGAN`, `projected ORGAN`, `grade TERM`) and
 * the decision itself. The history is read by `toxicity-history.ts`.
 *
 * Run-time rules (also in docs/language.md, "Toxicity"):
 * - `cumulative ORGAN`: the exact sum of the per-cycle doses delivered so far; unknown,
 *   naming the missing records, when any delivered cycle lacks its dosimetry.
 * - `projected ORGAN`: the cumulative dose plus the mean per-cycle dose so far (the next
 *   full cycle is assumed to deliver the mean). Before the first cycle nothing has been
 *   delivered and there is nothing to project from: it is 0, and the step says so.
 * - `grade TERM` is one CTCAE grade, or a range of grades when a reference (LLN, ULN,
 *   baseline) is missing. A comparison is met when it holds for every grade of the range,
 *   not met when it fails for every one, unknown otherwise: Hb 11 g/dL without LLN is
 *   grade 0 or 1, so `grade anemia >= 3` is decided (not met).
 * - The decision: a stop rule met, or the course complete (`max cycles` given), → stop;
 *   else a stop rule unknown → unknown; else a delay rule met → delay; else a delay rule
 *   unknown → unknown; else proceed. Missing data never gives proceed.
 */
import type { Decimal } from "decimal.js";
import { dec } from "./decimal.js";
import { newCtx, note, noteValue, type EvalCtx, type Op, type Step } from "./ops.js";
import { catchDataErrors } from "./eligibility.js";
import { bool, tri, unknown, type Val } from "./values.js";
import type { CtcaeGrade, CtcaeTermEntry } from "./ctcae.js";
import type { DataProblem, DictElement } from "./patient.js";
import { normalizeHistory, type GradeInfo, type HistoryState } from "./toxicity-history.js";

export type { HistoryState, GradeInfo, OrganDoses } from "./toxicity-history.js";

// --------------------------------------------------------------------------- the spec

/** A source the protocol declares (`source emami1991 "…" literature`). */
export interface SourceRef {
  name: string;
  citation: string;
  kind: string;
}

/** One organ at risk: where its per-cycle dose is recorded, and its limit. */
export interface OrganSpec {
  name: string;
  label: string;
  /** The records element (one row per cycle in the history) and its dose field. */
  records: string;
  field: string;
  /** The unit doses are summed in: the field's unit (Gy). */
  unit: string;
  /** The limit in `unit`, the parameter declaring it, and that parameter's sources. */
  limit: { param: string; label: string; value: string; unit: string; sources: SourceRef[] };
}

/** One graded term: the CTCAE entry (embedded, so generated code needs no stdlib) and its element. */
export interface GradeSpec {
  term: string;
  label: string;
  element: string;
  entry: CtcaeTermEntry;
}

/** One stop or delay rule, as results report it. */
export interface RuleSpec {
  action: "stop" | "delay";
  name: string;
  label: string;
  /** The condition as written in the protocol. */
  when: string;
  /** The readings adopted, with their references ("… (domain §5)"). */
  interpretations: string[];
  /** Sources named by the rule, its interpretations and the limits it compares with. */
  sources: SourceRef[];
  /** Delay rules: the longest delay and what happens then ("at most 6 wk, then stop"); null when not given. */
  maxDelay?: string | null;
}

/** Everything `decideCycle` needs besides the rule conditions: plain JSON, embedded in generated code. */
export interface ToxicitySpec {
  protocol: { id: string; source: string; sha256: string };
  organs: OrganSpec[];
  grades: GradeSpec[];
  rules: RuleSpec[];
  maxCycles: number | null;
  /** Elements `labs` and `baseline` may hold: the graded elements and what the rules read. */
  labs: DictElement[];
  /** The records elements holding per-cycle dosimetry, with their fields. */
  dosimetry: DictElement[];
}

/** A rule's condition, evaluated on a history (interpreted or compiled). */
export type RuleCondition = (ctx: EvalCtx, st: HistoryState) => Val;

// --------------------------------------------------------------------------- results

export type CycleVerdict = "proceed" | "delay" | "stop" | "unknown";
export type RuleVerdict = "met" | "not_met" | "unknown";

/** One rule's verdict and how it was reached. */
export interface RuleResult {
  action: "stop" | "delay";
  name: string;
  label: string;
  when: string;
  verdict: RuleVerdict;
  /** The values, units, limits and grades used. */
  steps: Step[];
  /** Data that would decide an unknown verdict (sorted). */
  missing: string[];
  interpretations: string[];
  sources: SourceRef[];
}

/** An organ's doses: per delivered cycle (null where not recorded), cumulative and projected, in `unit`. */
export interface OrganSummary {
  organ: string;
  label: string;
  unit: string;
  perCycle: (string | null)[];
  cumulative: string | null;
  projected: string | null;
  limit: OrganSpec["limit"];
  missing: string[];
}

/** A graded term: the grade, or the range it is known to lie in, with the CTCAE explanation. */
export interface GradeSummary {
  term: string;
  label: string;
  element: string;
  grade: CtcaeGrade | null;
  /** The grades still possible; null when the value itself is missing. */
  range: [CtcaeGrade, CtcaeGrade] | null;
  explanation: string;
  missing: string[];
}

/** The decision before the next cycle. */
export interface CycleDecision {
  protocol: ToxicitySpec["protocol"];
  decision: CycleVerdict;
  cyclesGiven: number;
  nextCycle: number;
  maxCycles: number | null;
  /** One line per rule or fact that decided. */
  reasons: string[];
  /** For `unknown`: the data that would decide (sorted). */
  missing: string[];
  rules: RuleResult[];
  organs: OrganSummary[];
  grades: GradeSummary[];
  /** Problems in the history that changed no decision (unknown fields). */
  warnings: DataProblem[];
}

/** Either the decision, or the problems in the history (with JSON paths): never a decision on bad data. */
export type DecisionOutcome = { ok: true; result: CycleDecision } | { ok: false; errors: DataProblem[] };

// --------------------------------------------------------------------------- expression terms

/** `cumulative ORGAN` / `projected ORGAN`: a quantity in the organ's unit, or unknown naming the missing dosimetry. */
export function organDose(
  ctx: EvalCtx,
  st: HistoryState,
  measure: "cumulative" | "projected",
  organ: string,
  text: string,
): Val {
  const o = st.organs[organ];
  if (!o) throw new Error(`no organ "${organ}" in the toxicity spec`);
  if (o.cumulative === null || o.projected === null) return unknown(...o.missing);
  const n = o.perCycle.length;
  const doses = o.perCycle.map((d) => d!.toString()).join(" + ");
  if (measure === "cumulative") {
    noteValue(
      ctx,
      text,
      n === 0
        ? `no cycle given yet: 0 ${o.unit}`
        : `${doses} = ${o.cumulative.toString()} ${o.unit} over ${n} cycle${n === 1 ? "" : "s"}`,
    );
    return { t: "qty", v: o.cumulative, unit: o.unit };
  }
  noteValue(
    ctx,
    text,
    n === 0
      ? `no cycle given yet: nothing to project from, 0 ${o.unit}`
      : `${o.cumulative.toString()} ${o.unit} delivered + mean ${o.cumulative.div(n).toString()} ${o.unit} per cycle = ${o.projected.toString()} ${o.unit}`,
  );
  return { t: "qty", v: o.projected, unit: o.unit };
}

function holds(op: Op, c: number): boolean {
  return op === "<"
    ? c < 0
    : op === "<="
      ? c <= 0
      : op === ">"
        ? c > 0
        : op === ">="
          ? c >= 0
          : op === "="
            ? c === 0
            : c !== 0;
}

const grades = (g: GradeInfo): CtcaeGrade[] => {
  const out: CtcaeGrade[] = [];
  for (let x = g.range![0]; x <= g.range![1]; x++) out.push(x as CtcaeGrade);
  return out;
};
const showGrade = (g: GradeInfo): string =>
  g.range![0] === g.range![1] ? `grade ${g.range![0]}` : `grade ${g.range![0]} to ${g.range![1]}`;

function gradeOf(st: HistoryState, term: string): GradeInfo {
  const g = st.grades[term];
  if (!g) throw new Error(`no graded term "${term}" in the toxicity spec`);
  return g;
}

/**
 * `grade TERM op N` (or `grade TERM op grade OTHER`), exact over ranges: met when the
 * comparison holds for every possible grade, not met when it fails for every one.
 */
export function gradeTest(
  ctx: EvalCtx,
  st: HistoryState,
  term: string,
  op: Op,
  right: { value: string } | { grade: string },
  text: string,
): Val {
  const l = gradeOf(st, term);
  const r = "grade" in right ? gradeOf(st, right.grade) : null;
  const explained = r ? `${l.explanation}; ${r.explanation}` : l.explanation;
  if (l.range === null || (r && r.range === null))
    return note(ctx, text, unknown(...l.missing, ...(r?.missing ?? [])), explained);
  const value = "value" in right ? right.value : null;
  const rights: Decimal[] = r ? grades(r).map((x) => dec(x)) : [dec(value!)];
  const outcomes = grades(l).flatMap((a) => rights.map((b) => holds(op, dec(a).comparedTo(b))));
  const v = outcomes.every((x) => x)
    ? bool(true)
    : outcomes.every((x) => !x)
      ? bool(false)
      : unknown(...l.missing, ...(r?.missing ?? []));
  const ranged = l.range[0] !== l.range[1] || (r !== null && r.range![0] !== r.range![1]);
  const summary = `${showGrade(l)} ${op} ${r ? showGrade(r) : value!}${ranged ? ` (${tri(v) === "unknown" ? "true for some grades of the range, false for others" : `${tri(v)} for every grade of the range`})` : ""}`;
  return note(ctx, text, v, `${explained}; ${summary}`);
}

/** A bare `grade TERM`: the grade as a number, unknown when only a range is known. */
export function gradeValue(ctx: EvalCtx, st: HistoryState, term: string, text: string): Val {
  const g = gradeOf(st, term);
  if (g.range === null || g.range[0] !== g.range[1]) return unknown(...g.missing);
  noteValue(ctx, text, g.explanation);
  return { t: "num", v: dec(g.range[0]) };
}

// --------------------------------------------------------------------------- the decision

/** Evaluate one rule, collecting its explanation. */
export function evaluateRule(ctx: EvalCtx, r: RuleSpec, cond: (ctx: EvalCtx) => Val): RuleResult {
  const saved = ctx.steps;
  ctx.steps = [];
  try {
    const v = cond(ctx);
    const t = tri(v);
    const verdict: RuleVerdict = t === "true" ? "met" : t === "false" ? "not_met" : "unknown";
    const missing = v.t === "unknown" ? [...v.missing].sort() : [];
    return {
      action: r.action,
      name: r.name,
      label: r.label,
      when: r.when,
      verdict,
      steps: ctx.steps,
      missing,
      interpretations: r.interpretations,
      sources: r.sources,
    };
  } finally {
    ctx.steps = saved;
  }
}

const line = (r: RuleResult): string => `${r.action} ${r.name}: ${r.label}`;
const undecided = (r: RuleResult): string =>
  `${r.action} ${r.name} undecided (${r.label}): needs ${r.missing.join(", ")}`;

/** Combine the rule verdicts and the cycle count into the decision (see the file comment). */
export function decide(spec: ToxicitySpec, st: HistoryState, rules: RuleResult[]): CycleDecision {
  const pick = (action: RuleResult["action"], verdict: RuleVerdict) =>
    rules.filter((r) => r.action === action && r.verdict === verdict);
  const [stopMet, stopOpen, delayMet, delayOpen] = [
    pick("stop", "met"),
    pick("stop", "unknown"),
    pick("delay", "met"),
    pick("delay", "unknown"),
  ];
  const given = st.cyclesGiven;
  // A finished course is a stop whatever else is unknown: there is no next cycle to delay or give.
  const complete = spec.maxCycles !== null && given >= spec.maxCycles;
  let decision: CycleVerdict;
  let reasons: string[];
  if (stopMet.length || complete) {
    decision = "stop";
    reasons = stopMet.map(line);
    if (complete)
      reasons.push(`course complete: ${given} of ${spec.maxCycles} cycles given (max cycles ${spec.maxCycles})`);
  } else if (stopOpen.length) {
    decision = "unknown";
    reasons = stopOpen.map(undecided);
  } else if (delayMet.length) {
    decision = "delay";
    const limit = (r: RuleResult) => spec.rules.find((x) => x.name === r.name)?.maxDelay;
    reasons = delayMet.map((r) => (limit(r) ? `${line(r)} (${limit(r)})` : line(r)));
  } else if (delayOpen.length) {
    decision = "unknown";
    reasons = delayOpen.map(undecided);
  } else {
    decision = "proceed";
    reasons = [
      `no stop or delay rule met: cycle ${given + 1}${spec.maxCycles === null ? "" : ` of ${spec.maxCycles}`} may be given`,
    ];
  }
  const missing =
    decision === "unknown" ? [...new Set([...stopOpen, ...delayOpen].flatMap((r) => r.missing))].sort() : [];
  return {
    protocol: spec.protocol,
    decision,
    cyclesGiven: given,
    nextCycle: given + 1,
    maxCycles: spec.maxCycles,
    reasons,
    missing,
    rules,
    organs: spec.organs.map((o) => {
      const d = st.organs[o.name]!;
      const text = (x: Decimal | null) => (x === null ? null : x.toString());
      return {
        organ: o.name,
        label: o.label,
        unit: o.unit,
        perCycle: d.perCycle.map(text),
        cumulative: text(d.cumulative),
        projected: text(d.projected),
        limit: o.limit,
        missing: d.missing,
      };
    }),
    grades: spec.grades.map((g) => {
      const info = st.grades[g.term]!;
      return {
        term: g.term,
        label: g.label,
        element: g.element,
        grade: info.range && info.range[0] === info.range[1] ? info.range[0] : null,
        range: info.range,
        explanation: info.explanation,
        missing: info.missing,
      };
    }),
    warnings: st.warnings,
  };
}

/** Validate the history, evaluate every rule, and decide. `rules` maps each rule name to its condition. */
export function decideCycle(
  spec: ToxicitySpec,
  history: unknown,
  rules: Readonly<Record<string, RuleCondition>>,
): DecisionOutcome {
  const h = normalizeHistory(spec, history);
  if (!h.ok) return h;
  const st = h.state;
  const ctx = newCtx(st.data, {});
  return catchDataErrors(() => {
    const results = spec.rules.map((r) => {
      const cond = rules[r.name];
      if (!cond) throw new Error(`no condition for the toxicity rule "${r.name}"`);
      return evaluateRule(ctx, r, (c) => cond(c, st));
    });
    return { ok: true as const, result: decide(spec, st, results) };
  });
}
