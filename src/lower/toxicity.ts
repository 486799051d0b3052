/**
 * Lowering of the toxicity section: the run-time spec (`ToxicitySpec`: organs and their
 * limits with sources, the CTCAE entries, the rules' texts, the labs and dosimetry read)
 * and each rule's condition with its grade comparisons lowered to grade tests. The
 * interpreter evaluates the conditions; the generated `toxicity.ts` compiles them and
 * embeds the spec. Both call `src/runtime/toxicity.ts` with the same spec.
 */
import type { IrExpr, IrLoweredExpr, IrProtocol, IrSource, IrToxRule, IrTrace } from "../ir/types.js";
import type { DictElement } from "../runtime/patient.js";
import type { SourceRef, ToxicitySpec } from "../runtime/toxicity.js";
import { children } from "../ir/walk.js";
import { lowerGradeTests } from "./grade-tests.js";

/** A toxicity rule with its condition lowered (grade comparisons as grade tests). */
export interface LoweredToxRule {
  /** The rule as the IR has it (name, action, label, trace). */
  readonly rule: IrToxRule;
  /** `rule.when` after `lowerGradeTests`: what the targets evaluate or compile. */
  readonly when: IrLoweredExpr;
}

/** The lowered toxicity section: the run-time spec and the rules' lowered conditions. */
export interface LoweredToxicity {
  readonly spec: ToxicitySpec;
  /** In the order of the section. */
  readonly rules: readonly LoweredToxRule[];
}

/** The toxicity section lowered, or null when the protocol has none. */
export function lowerToxicity(ir: IrProtocol, dict: DictElement[]): LoweredToxicity | null {
  const spec = toxicitySpec(ir, dict);
  if (!spec || !ir.toxicity) return null;
  return { spec, rules: ir.toxicity.rules.map((rule) => ({ rule, when: lowerGradeTests(rule.when) })) };
}

/** The sources a trace names, directly and through its interpretations, in order of first mention. */
function traceSources(trace: IrTrace): string[] {
  return [...new Set([...trace.sources, ...trace.interpretations.flatMap((i) => i.sources)])];
}

/** The protocol's toxicity section as the run time needs it; null when the protocol has none. */
function toxicitySpec(ir: IrProtocol, dict: DictElement[]): ToxicitySpec | null {
  const tox = ir.toxicity;
  if (!tox) return null;
  const byName = new Map<string, IrSource>(ir.sources.map((s) => [s.name, s]));
  const refs = (names: string[]): SourceRef[] =>
    names.flatMap((n) => {
      const s = byName.get(n);
      return s ? [{ name: s.name, citation: s.citation, kind: s.kind }] : [];
    });
  const params = new Map(ir.parameters.map((p) => [p.name, p]));
  const organs = tox.organs.map((o) => {
    const p = params.get(o.limit.param);
    const limit = {
      param: o.limit.param,
      label: p?.label ?? o.limit.param,
      value: o.limit.value,
      unit: o.limit.unit,
      sources: refs(p ? traceSources(p.trace) : []),
    };
    return { name: o.name, label: o.label, records: o.records, field: o.field, unit: o.unit, limit };
  });
  const dosimetryNames = new Set(tox.organs.map((o) => o.records));
  const labNames = new Set(
    [...tox.grades.map((g) => g.element), ...tox.rules.flatMap((r) => r.reads)].filter((n) => !dosimetryNames.has(n)),
  );
  // A lab given as an absolute value is normalised with the BSA (or height and weight) of the same labs.
  const normalisers = new Set(
    dict
      .filter((e) => labNames.has(e.name) && e.normalise)
      .flatMap((e) => {
        const b = e.normalise!.bsa;
        return b.kind === "element" ? [b.element] : [b.height, b.weight];
      }),
  );
  return {
    protocol: { id: ir.trial.id, source: ir.source.file, sha256: ir.source.sha256 },
    organs,
    grades: tox.grades.map((g) => ({ term: g.term, label: g.label, element: g.element, entry: g.entry })),
    rules: tox.rules.map((r) => {
      // A rule comparing with a limit parameter also names that parameter's sources.
      const used = parametersIn(r.when).filter((n) => params.has(n));
      const names = [
        ...new Set([...traceSources(r.trace), ...used.flatMap((n) => traceSources(params.get(n)!.trace))]),
      ];
      return {
        action: r.action,
        name: r.name,
        label: r.label,
        when: r.when.text,
        interpretations: r.trace.interpretations.map((i) => (i.ref ? `${i.text} (${i.ref})` : i.text)),
        sources: refs(names),
        ...(r.action === "delay" ? { maxDelay: maxDelayText(r) } : {}),
      };
    }),
    maxCycles: tox.maxCycles,
    labs: dict.filter((e) => labNames.has(e.name) || normalisers.has(e.name)),
    dosimetry: dict.filter((e) => dosimetryNames.has(e.name)),
  };
}

/** The parameters an expression uses (constants keep the parameter's name). */
function parametersIn(e: IrExpr): string[] {
  const out: string[] = [];
  const visit = (x: IrExpr): void => {
    if ((x.kind === "quantity" || x.kind === "duration") && x.param) out.push(x.param);
    children(x).forEach(visit);
  };
  visit(e);
  return [...new Set(out)];
}

/** A delay's maximum as the decision states it: "at most 6 wk from the due date, then stop". */
export function maxDelayText(r: IrToxRule): string | null {
  if (!r.maxDelay) return null;
  const d = `${r.maxDelay.duration.amount} ${r.maxDelay.duration.unit}`;
  return `at most ${d} from the due date, then ${r.maxDelay.then.kind === "stop" ? "stop" : r.maxDelay.then.text}`;
}
