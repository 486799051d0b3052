/**
 * Lesion-level response: per lesion and per time point, the change of the protocol's
 * lesion measure (for the seed, the longest transverse diameter) from baseline or from
 * the lesion's own nadir, and the category the protocol declares for it
 * (`category decrease "Decrease" when change <= -30 %`).
 *
 * The categories' conditions are protocol code: the interpreter evaluates them from the
 * IR and the generated module runs them compiled, both through the run-time operations,
 * with `change` bound as a quantity in %. Everything around them is shared here.
 */
import type { Decimal } from "decimal.js";
import { dec } from "./decimal.js";
import { convert } from "./units.js";
import { newCtx, type EvalCtx, type Step } from "./ops.js";
import { unknown, type Val } from "./values.js";
import type { TimePoint } from "./time.js";
import type { AssessmentsData, FollowUpData, Measure } from "./response-input.js";

/** A category's condition, compiled or interpreted; `vars` holds the section's variables (`change`). */
export type CategoryRule = (ctx: EvalCtx, vars: Record<string, Val>) => Val;

/** One declared category; `when: null` is the `otherwise` category. */
export interface LesionCategory {
  name: string;
  label: string;
  /** The condition as written, for explanations. */
  rule: string | null;
  when: CategoryRule | null;
}

/** The lesion-level response as the protocol declares it (IR `response.lesion`). */
export interface LesionSpec {
  /** The data dictionary's records element and field the measure belongs to. */
  records: string;
  field: string;
  /** The unit changes are computed in (the field's unit). */
  unit: string;
  reference: "baseline" | "nadir";
  /** Plausible range of the field, in `unit`. */
  range: { low: string; high: string } | null;
  categories: LesionCategory[];
}

/** A lesion's RECIST role at baseline; null when the protocol does not use RECIST. */
export type LesionRole = "target" | "non_target" | "not_recorded" | null;

/** One lesion's change at one time point. */
export interface LesionChange {
  id: string;
  organ: string;
  role: LesionRole;
  /** The value at this time point in `unit`, or null when not measured. */
  value: string | null;
  source: "measured" | "too_small_default" | "not_measured";
  unit: string;
  reference: "baseline" | "nadir";
  /** The baseline value, or the smallest earlier value of this lesion (baseline included). */
  referenceValue: string;
  /** Change in % of the reference (exact, or to 50 significant digits when the division does not end); null when not measured or the reference is 0. */
  change: string | null;
  /** The category's name and label; null when it cannot be decided. */
  category: string | null;
  label: string | null;
  /** The category conditions evaluated, in order. */
  steps: Step[];
  /** What would decide an undecided category. */
  missing: string[];
  explanation: string;
}

/** A response variable, read by compiled and interpreted category conditions alike. */
export function variable(vars: Record<string, Val>, name: string): Val {
  return vars[name] ?? unknown(name);
}

/** The category of one change: the first condition that holds, else `otherwise`; undecided after an unknown one. */
function categorise(
  ctx: EvalCtx,
  spec: LesionSpec,
  vars: Record<string, Val>,
): { chosen: LesionCategory | null; steps: Step[]; missing: string[] } {
  const saved = ctx.steps;
  ctx.steps = [];
  try {
    const missing: string[] = [];
    for (const c of spec.categories) {
      if (!c.when) continue;
      const v = c.when(ctx, vars);
      // An earlier unknown condition might hold too, so a later true one does not decide.
      if (v.t === "bool" && v.v) return { chosen: missing.length ? null : c, steps: ctx.steps, missing };
      if (v.t === "unknown") missing.push(...v.missing);
    }
    return {
      chosen: missing.length ? null : (spec.categories.find((c) => !c.when) ?? null),
      steps: ctx.steps,
      missing: [...new Set(missing)],
    };
  } finally {
    ctx.steps = saved;
  }
}

/**
 * The lesion-level response of every baseline lesion that has the measure at baseline, at
 * every time point (in date order). The change is `100 × (value − reference) / reference`,
 * multiplied before the single division so that only that division can round (at 50
 * significant digits, far below any difference a threshold could see). A lesion "too small
 * to measure" counts at the protocol's default (RECIST §4.3.2), converted exactly.
 */
export function lesionChanges(
  spec: LesionSpec,
  data: AssessmentsData,
  anchors: Record<string, TimePoint>,
  roles: ReadonlyMap<string, LesionRole>,
  tooSmallMm: string,
): LesionChange[][] {
  const ctx = newCtx({}, anchors);
  const inUnit = (m: Measure) => convert(m.value, m.unit, spec.unit);
  const tooSmall = convert(dec(tooSmallMm), "mm", spec.unit);
  const show = (d: Decimal) => `${d.toString()} ${spec.unit}`;
  const followed = data.baseline.lesions.flatMap((l) => {
    const m = l.measures[spec.field];
    return m ? [{ lesion: l, baseline: inUnit(m), nadir: inUnit(m) }] : [];
  });
  return data.timePoints.map((tp) => {
    const entries = new Map<string, FollowUpData>(tp.lesions.map((e) => [e.id, e]));
    return followed.map((f): LesionChange => {
      const entry = entries.get(f.lesion.id);
      const measured = entry?.measures[spec.field];
      const value = measured ? inUnit(measured) : entry?.tooSmall ? tooSmall : null;
      const source = measured ? "measured" : value ? "too_small_default" : "not_measured";
      const ref = spec.reference === "baseline" ? f.baseline : f.nadir;
      const refText = `${spec.reference} ${show(ref)}`;
      const base = {
        id: f.lesion.id,
        organ: f.lesion.organ,
        role: roles.get(f.lesion.id) ?? null,
        value: value?.toString() ?? null,
        source,
        unit: spec.unit,
        reference: spec.reference,
        referenceValue: ref.toString(),
      } as const;
      if (value && value.lessThan(f.nadir)) f.nadir = value;
      if (!value) {
        const where = entry
          ? `${entry.path}.${spec.field}`
          : `${tp.path}.lesions[?(@.id==${JSON.stringify(f.lesion.id)})].${spec.field}`;
        return Object.assign({}, base, {
          change: null,
          category: null,
          label: null,
          steps: [],
          missing: [where],
          explanation: `${f.lesion.id}: ${spec.field} not measured on ${tp.date} (${refText})`,
        });
      }
      const shown = `${show(value)}${source === "too_small_default" ? " (too small to measure, default)" : ""}`;
      if (ref.isZero()) {
        return Object.assign({}, base, {
          change: null,
          category: null,
          label: null,
          steps: [],
          missing: [],
          explanation: `${f.lesion.id}: ${shown} vs ${refText}: a change in % of 0 is undefined`,
        });
      }
      const change = value.minus(ref).times(100).div(ref);
      const { chosen, steps, missing } = categorise(ctx, spec, { change: { t: "qty", v: change, unit: "%" } });
      const how = chosen
        ? chosen.rule
          ? `${chosen.rule} → ${chosen.label}`
          : `otherwise → ${chosen.label}`
        : `undecided (missing: ${missing.join(", ")})`;
      return Object.assign({}, base, {
        change: change.toFixed(),
        category: chosen?.name ?? null,
        label: chosen?.label ?? null,
        steps,
        missing,
        explanation: `${f.lesion.id}: ${shown} vs ${refText}: change ${showPercent(change)}; ${how}`,
      });
    });
  });
}

/** A change in % for people: exact when it has at most 2 decimals, else "≈" and 2 decimals. */
export function showPercent(change: Decimal): string {
  const near = change.toDecimalPlaces(2);
  return `${near.eq(change) ? "" : "≈ "}${near.isPositive() && !near.isZero() ? "+" : ""}${near.toFixed()} %`;
}
