/**
 * Lowering of the response section: the run-time spec of `src/runtime/response.ts` as
 * plain, JSON-serialisable data (`ResponseSettings`). The lesion categories' conditions
 * stay IR: the interpreter evaluates them (`src/interpret/response.ts`) and the emitter
 * compiles them into the generated `response.ts`, beside these settings.
 */
import type { IrProtocol } from "../ir/types.js";
import type { LesionSpec, ResponseSpec } from "../runtime/response.js";

/** A lesion category as plain data (its condition is code, added by the interpreter or the emitter). */
export interface CategorySettings {
  /** The category's name in the protocol (`responding`). */
  name: string;
  /** Its label, for explanations. */
  label: string;
  /** The condition's source text; null for the catch-all category. */
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
