/**
 * Eligibility results: per criterion `met | not_met | unknown` with its explanation,
 * and the overall verdict. Shared by the interpreter and the generated modules.
 *
 * The overall verdict is `ineligible` as soon as one inclusion is not met or one
 * exclusion is met, whatever else is unknown; `eligible` only when every inclusion is
 * met and every exclusion is not met; `indeterminate` otherwise, with the data that
 * would decide it.
 */
import { DataError, tri, type Val } from "./values.js";
import { note, type EvalCtx, type Step } from "./ops.js";
import type { DataProblem } from "./patient.js";

export type CriterionVerdict = "met" | "not_met" | "unknown";
export type EligibilityVerdict = "eligible" | "ineligible" | "indeterminate";

export interface CriterionResult {
  id: string;
  role: "inclusion" | "exclusion" | "criterion";
  /** The protocol's wording. */
  text: string;
  verdict: CriterionVerdict;
  /** How the verdict was reached: the values, units, conversions and dates used. */
  steps: Step[];
  /** Data that would decide an unknown verdict. */
  missing: string[];
  /** Sub-criteria of a group (`all of`, `at least N of`). */
  children: CriterionResult[];
  /** For groups: how many sub-criteria must be met. */
  needed?: number;
}

export interface EligibilityResult {
  protocol: { id: string; source: string; sha256: string };
  verdict: EligibilityVerdict;
  /** The reference dates used. */
  anchors: Record<string, string>;
  inclusion: CriterionResult[];
  exclusion: CriterionResult[];
  /** One line per criterion that decided an `ineligible` verdict. */
  reasons: string[];
  /** Data that would decide an `indeterminate` verdict (sorted). */
  missing: string[];
  /** Problems in the data that changed no decision (unknown fields). */
  warnings: DataProblem[];
}

function verdictOf(v: Val): CriterionVerdict {
  const t = tri(v);
  return t === "true" ? "met" : t === "false" ? "not_met" : "unknown";
}

/** Evaluate a criterion whose body is a rule, collecting its explanation. */
export function ruleCriterion(
  ctx: EvalCtx,
  id: string,
  role: CriterionResult["role"],
  text: string,
  rule: (ctx: EvalCtx) => Val,
): CriterionResult {
  const saved = ctx.steps;
  ctx.steps = [];
  try {
    const v = rule(ctx);
    return {
      id,
      role,
      text,
      verdict: verdictOf(v),
      steps: ctx.steps,
      missing: v.t === "unknown" ? [...v.missing].sort() : [],
      children: [],
    };
  } finally {
    ctx.steps = saved;
  }
}

/** Combine sub-criteria: `all of` needs every one, `at least N of` needs N. */
export function groupCriterion(
  id: string,
  role: CriterionResult["role"],
  text: string,
  needed: number,
  children: CriterionResult[],
): CriterionResult {
  const met = children.filter((c) => c.verdict === "met").length;
  const open = children.filter((c) => c.verdict === "unknown");
  const verdict: CriterionVerdict = met >= needed ? "met" : met + open.length < needed ? "not_met" : "unknown";
  const missing = verdict === "unknown" ? [...new Set(open.flatMap((c) => c.missing))].sort() : [];
  const step: Step = {
    rule: `at least ${needed} of ${children.length}`,
    result: verdict === "met" ? "true" : verdict === "not_met" ? "false" : "unknown",
    detail: `${met} met, ${open.length} unknown, ${children.length - met - open.length} not met`,
  };
  return { id, role, text, verdict, steps: [step], missing, children, needed };
}

/** Use of a named definition: its body's steps stay in the explanation, plus a summary. */
export function useDefinition(ctx: EvalCtx, name: string, rule: string, body: () => Val): Val {
  const v = body();
  return note(ctx, rule, v, `definition ${name}`);
}

/**
 * For a group, the sub-criteria that decided it, deepest first: "(I7c not met: Platelet
 * count >= 100 x 10^3/uL)". Empty for a criterion with a rule of its own.
 */
function deciding(c: CriterionResult, verdict: CriterionVerdict): string {
  const leaves: CriterionResult[] = [];
  const walk = (k: CriterionResult) => {
    if (k.children.length === 0) leaves.push(k);
    else k.children.filter((x) => x.verdict === verdict).forEach(walk);
  };
  c.children.filter((x) => x.verdict === verdict).forEach(walk);
  const word = verdict === "met" ? "met" : "not met";
  return leaves.length ? ` (${leaves.map((k) => `${k.id} ${word}: ${k.text}`).join("; ")})` : "";
}

/** The overall verdict and its reasons. */
export function overall(
  protocol: EligibilityResult["protocol"],
  anchors: Record<string, string>,
  inclusion: CriterionResult[],
  exclusion: CriterionResult[],
  warnings: DataProblem[],
): EligibilityResult {
  // Loops rather than filter, spread and map: this runs once per patient on the fast path.
  const reasons: string[] = [];
  let open = false;
  for (const c of inclusion)
    if (c.verdict === "not_met") reasons.push(`inclusion ${c.id} not met: ${c.text}${deciding(c, "not_met")}`);
    else if (c.verdict === "unknown") open = true;
  for (const c of exclusion)
    if (c.verdict === "met") reasons.push(`exclusion ${c.id} met: ${c.text}${deciding(c, "met")}`);
    else if (c.verdict === "unknown") open = true;
  const verdict: EligibilityVerdict = reasons.length ? "ineligible" : open ? "indeterminate" : "eligible";
  let missing: string[] = [];
  if (verdict === "indeterminate") {
    const names = new Set<string>();
    for (const list of [inclusion, exclusion])
      for (const c of list) if (c.verdict === "unknown") for (const m of c.missing) names.add(m);
    missing = [...names].sort();
  }
  return { protocol, verdict, anchors, inclusion, exclusion, reasons, missing, warnings };
}

/** Run an evaluation; data that are impossible together become data errors, not a decision. */
export function catchDataErrors<T>(run: () => T): T | { ok: false; errors: DataProblem[] } {
  try {
    return run();
  } catch (e) {
    if (e instanceof DataError) return { ok: false, errors: [{ path: e.path, message: e.message }] };
    throw e;
  }
}
