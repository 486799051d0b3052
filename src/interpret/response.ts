/**
 * `evaluateResponse` by interpretation of the IR: the lowered response settings
 * (`src/lower/response.ts`), with the lesion categories' conditions evaluated by the
 * reference interpreter. The generated `response.ts` passes the same spec with the conditions
 * compiled, and is tested against this.
 */
import type { IrDefinition, IrExpr, IrProtocol } from "../ir/types.js";
import {
  evaluateResponseSpec,
  variable,
  type CategoryRule,
  type ResponseOptions,
  type ResponseOutcome,
  type ResponseSpec,
} from "../runtime/response.js";
import { lower } from "../lower/index.js";
import { evalExpr } from "./expr.js";

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
  const settings = lower(ir).response;
  if (!settings) return null;
  const defs = new Map(ir.definitions.map((d) => [d.name, d]));
  const whens = ir.response?.lesion?.categories ?? [];
  const lesion = settings.lesion;
  return Object.assign({}, settings, {
    lesion: lesion
      ? Object.assign({}, lesion, {
          categories: lesion.categories.map((c, i) =>
            Object.assign({}, c, { when: conditionOf(whens[i]?.when ?? null, defs) }),
          ),
        })
      : null,
  });
}

/** Evaluate an assessment series against the protocol's response section (which it must have). */
export function evaluateResponse(ir: IrProtocol, raw: unknown, options: ResponseOptions = {}): ResponseOutcome {
  const spec = responseSpec(ir);
  if (!spec) throw new Error(`${ir.source.file} has no response section`);
  return evaluateResponseSpec(spec, raw, options);
}
