/**
 * Reference dates (inclusion, D0 …): taken from the patient data when it has them,
 * otherwise from the caller's options. A conflict between the two is an error: a
 * decision must not silently depend on which date won.
 */
import { parseDate, REAL_DATE, formatTimePoint, type TimePoint } from "./time.js";
import type { DataProblem } from "./patient.js";

/** Reference dates given by the caller, ISO `YYYY-MM-DD`. */
export type AnchorOptions = Record<string, string | undefined>;

export type ResolvedAnchors =
  | { ok: true; anchors: Record<string, TimePoint>; shown: Record<string, string>; warnings: DataProblem[] }
  | { ok: false; errors: DataProblem[] };

export function resolveAnchors(
  names: string[],
  fromData: Record<string, TimePoint>,
  options: AnchorOptions,
): ResolvedAnchors {
  const anchors: Record<string, TimePoint> = {};
  const errors: DataProblem[] = [];
  for (const name of names) {
    const opt = options[name];
    const data = fromData[name];
    let tp: TimePoint | undefined = data;
    if (opt !== undefined) {
      const d = parseDate(opt);
      if (!d) errors.push({ path: `options.${name}`, message: `"${opt}" is not ${REAL_DATE}` });
      else if (data && formatTimePoint(data) !== opt)
        errors.push({
          path: `$.anchors.${name}`,
          message: `the data say ${name} is ${formatTimePoint(data)} but the options say ${opt}`,
        });
      else tp = { kind: "date", date: d };
    }
    if (tp) anchors[name] = tp;
  }
  if (errors.length) return { ok: false, errors };
  const shown = Object.fromEntries(Object.entries(anchors).map(([k, v]) => [k, formatTimePoint(v)]));
  return { ok: true, anchors, shown, warnings: [] };
}
