/** `trialc eval <file.trial> <patient.json> [--format text|json] [--as-of DATE] [--D0 DATE]`. */
import { evaluateEligibility } from "../interpret/eligibility.js";
import { EXIT } from "./io.js";
import { anchorOptions, checkFormat, compileProtocol, printOutcome, readJson } from "./common.js";
import { formatEligibility } from "./report.js";

export interface EvalOptions {
  format: string;
  asOf?: string;
  anchor?: string[];
}

export function runEval(file: string, patientPath: string, opts: EvalOptions): number {
  checkFormat(opts.format, ["text", "json"]);
  const anchors = anchorOptions(opts);
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  return printOutcome(evaluateEligibility(ir, readJson(patientPath), anchors), patientPath, opts.format, formatEligibility);
}
