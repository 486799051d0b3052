/**
 * Reference dates (inclusion, D0 …): taken from the patient data when it has them,
 * otherwise from the caller's options. A conflict between the two is an error: a
 * decision must not silently depend on which date won.
 */
import { compareTime, parseTimeStamp, formatTimePoint, type TimePoint } from "./time.js";
import type { DataProblem } from "./patient.js";

/** Reference dates given by the caller: `YYYY-MM-DD`, or a date-time (local, or with a UTC offset). */
export type AnchorOptions = Record<string, string | undefined>;

export type ResolvedAnchors =
  | { ok: true; anchors: Record<string, TimePoint>; shown: Record<string, string>; warnings: DataProblem[] }
  | { ok: false; errors: DataProblem[] };

export function resolveAnchors(
  names: string[],
  fromData: Record<string, TimePoint>,
  options: AnchorOptions,
  timeZone?: string,
): ResolvedAnchors {
  const anchors: Record<string, TimePoint> = {};
  const errors: DataProblem[] = [];
  for (const name of names) {
    const opt = options[name];
    const data = fromData[name];
    let tp: TimePoint | undefined = data;
    if (opt !== undefined) {
      const d = parseTimeStamp(opt, timeZone);
      if (!d.ok)
        errors.push({
          path: `options.${name}`,
          message:
            d.reason === "no-zone"
              ? `"${opt}" has a UTC offset, but the protocol declares no time zone to read it in`
              : `"${opt}" is not a real date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)`,
        });
      else if (data && (data.kind !== d.tp.kind || compareTime(data, d.tp) !== 0))
        errors.push({
          path: `$.anchors.${name}`,
          message: `the data say ${name} is ${formatTimePoint(data)} but the options say ${opt}`,
        });
      else tp = d.tp;
    }
    if (tp) anchors[name] = tp;
  }
  if (errors.length) return { ok: false, errors };
  const shown = Object.fromEntries(Object.entries(anchors).map(([k, v]) => [k, formatTimePoint(v)]));
  return { ok: true, anchors, shown, warnings: [] };
}
