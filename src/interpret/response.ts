/**
 * `evaluateResponse` by interpretation of the IR: the run-time spec built from the IR's
 * response section, with the lesion categories' conditions evaluated by the reference
 * interpreter. The generated `response.ts` passes the same spec with the conditions
 * compiled, and is tested against this.
 */
import type { IrDefinition, IrExpr, IrProtocol } from "../ir/types.js";
import {
  evaluateResponseSpec,
  variable,
  type CategoryRule,
  type LesionSpec,
  type ResponseOptions,
  type ResponseOutcome,
  type ResponseSpec,
} from "../runtime/response.js";
import { evalExpr } from "./expr.js";

/** A lesion category as plain data (its condition is code, added by the interpreter or the emitter). */
export interface CategorySettings {
  name: string;
  label: string;
  rule: string | null;
}

/** The spec as plain, JSON-serialisable data: what the emitter writes into `response.ts`. */
export type ResponseSettings = Omit<ResponseSpec, "lesion"> & {
  lesion: (Omit<LesionSpec, "categories"> & { categories: CategorySettings[] }) | null;
};

/** The response settings of a protocol, or null when it has no response section. */
export function responseSettings(ir: IrProtocol): ResponseSettings | null {
  const r = ir.response;
  if (!r) return null;
  const l = r.lesion;
  const field = l ? ir.elements.find((e) => e.name === l.records)?.fields?.find((f) => f.name === l.field) : undefined;
  return {
    protocol: { id: ir.trial.id, source: ir.source.file, sha256: ir.source.sha256 },
    anchors: ir.anchors.map((a) => a.name),
    lesion: l
      ? {
          records: l.records,
          field: l.field,
          unit: l.unit,
          reference: l.reference,
          range: field?.range ?? null,
          categories: l.categories.map((c) => ({ name: c.name, label: c.label, rule: c.when?.text ?? null })),
        }
      : null,
    recist: r.recist
      ? {
          confirmation: { ...r.recist.confirmation },
          maxNotEvaluableBetween: r.recist.maxNotEvaluableBetween,
          stableDiseaseMinimum: r.recist.stableDiseaseMinimum ? { ...r.recist.stableDiseaseMinimum } : null,
          tooSmallToMeasureMm: r.recist.tooSmallToMeasureMm,
        }
      : null,
  };
}

/** A category condition run by the interpreter, with `change` (any response variable) read from `vars`. */
function conditionOf(e: IrExpr | null, defs: ReadonlyMap<string, IrDefinition>): CategoryRule | null {
  if (!e) return null;
  return (ctx, vars) =>
    evalExpr(ctx, e, {
      defs,
      extra: (_ctx, x) => {
        if (x.kind === "var") return variable(vars, x.name);
        throw new Error(`"${x.text}" cannot be evaluated in a lesion category`);
      },
    });
}

/** The full run-time spec of a protocol's response section, conditions interpreted. */
export function responseSpec(ir: IrProtocol): ResponseSpec | null {
  const settings = responseSettings(ir);
  if (!settings) return null;
  const defs = new Map(ir.definitions.map((d) => [d.name, d]));
  const whens = ir.response?.lesion?.categories ?? [];
  const lesion = settings.lesion;
  return {
    ...settings,
    lesion: lesion
      ? {
          ...lesion,
          categories: lesion.categories.map((c, i) => ({ ...c, when: conditionOf(whens[i]?.when ?? null, defs) })),
        }
      : null,
  };
}

/** Evaluate an assessment series against the protocol's response section (which it must have). */
export function evaluateResponse(ir: IrProtocol, raw: unknown, options: ResponseOptions = {}): ResponseOutcome {
  const spec = responseSpec(ir);
  if (!spec) throw new Error(`${ir.source.file} has no response section`);
  return evaluateResponseSpec(spec, raw, options);
}
