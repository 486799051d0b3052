/**
 * The lowering stage: IR → the run-time specs the targets that evaluate share.
 *
 * The IR says what the protocol means; the run time (`src/runtime`) needs it in the
 * shapes its engines read: the data dictionary patient data is checked against, the
 * schedule the planner plans, the toxicity section with grade comparisons lowered to
 * grade tests, the response settings, the FHIR mapping. Both evaluating targets (the reference
 * interpreter and the generated TypeScript) take these from here, so they cannot
 * drift apart, and neither imports the other.
 *
 * Lowering is a pure function of the IR (which is immutable), so its result is kept
 * per IR object: `lower(ir)` computed by `src/compile.ts` is the one the targets get.
 */
import type { IrProtocol } from "../ir/types.js";
import type { FhirSpec } from "../runtime/fhir-spec.js";
import type { DictElement } from "../runtime/patient.js";
import type { ScheduleSpec } from "../runtime/schedule.js";
import { dictionaryOf } from "./dictionary.js";
import { fhirSpecOf } from "./fhir.js";
import { responseSettings, type ResponseSettings } from "./response.js";
import { scheduleSpec } from "./schedule.js";
import { lowerToxicity, type LoweredToxicity } from "./toxicity.js";

export type { CategorySettings, ResponseSettings } from "./response.js";
export type { LoweredToxicity, LoweredToxRule } from "./toxicity.js";

/** A protocol lowered for the run time; a section's entry is null when the protocol has no such section. */
export interface LoweredProtocol {
  /** The data dictionary as the run time validates patient data (`src/runtime/patient.ts`). */
  readonly dictionary: DictElement[];
  /** The schedule as the planner reads it (`src/runtime/schedule.ts`). */
  readonly schedule: ScheduleSpec | null;
  /** The toxicity spec and the rules' lowered conditions (`src/runtime/toxicity.ts`). */
  readonly toxicity: LoweredToxicity | null;
  /** The response settings, lesion conditions as text (`src/runtime/response.ts`). */
  readonly response: ResponseSettings | null;
  /** Which FHIR R4 resource and code supply each data element (`src/runtime/fhir.ts`). */
  readonly fhir: FhirSpec;
}

const lowered = new WeakMap<IrProtocol, LoweredProtocol>();

/** Lower a protocol (once per IR object). */
export function lower(ir: IrProtocol): LoweredProtocol {
  let out = lowered.get(ir);
  if (!out) {
    const dictionary = dictionaryOf(ir);
    out = {
      dictionary,
      schedule: scheduleSpec(ir),
      toxicity: lowerToxicity(ir, dictionary),
      response: responseSettings(ir),
      fhir: fhirSpecOf(ir),
    };
    lowered.set(ir, out);
  }
  return out;
}
