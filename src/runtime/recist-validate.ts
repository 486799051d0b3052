/**
 * Data checks for RECIST input, run before any response is computed. Each issue carries a
 * JSON-path-like location (`$.assessments[1].targets[0].id`) so a form or a report can
 * point at the offending field. The rules guard assumptions the response functions make:
 * one id per lesion, a lesion stays in its organ, diameters are millimetres.
 */
import { dayNumber, parseMm, type Assessment, type RecistBaseline, type RecistIssue } from "./recist-types.js";

/**
 * Validate a baseline and its assessments. Reports, as errors: no target at all, duplicated lesion ids (at
 * baseline, within an assessment, or a new lesion reusing a baseline id), a lesion whose
 * organ changes, measurements in a unit other than mm or in mixed units (where units are
 * given), diameters that are not non-negative decimals, malformed or duplicated dates, and
 * ids unknown to the baseline; as warnings: a target both measured and "too small to
 * measure" (the flag wins, see `sumOfDiameters`) and an assessment before the baseline date.
 */
export function validateRecistData(baseline: RecistBaseline, assessments: readonly Assessment[]): RecistIssue[] {
  const issues: RecistIssue[] = [];
  const err = (path: string, code: string, message: string) => issues.push({ path, code, severity: "error", message });
  const warn = (path: string, code: string, message: string) =>
    issues.push({ path, code, severity: "warning", message });

  // Baseline: ids unique across targets and non-targets; each lesion's organ is the reference.
  const organOf = new Map<string, { organ: string; path: string }>();
  const kindOf = new Map<string, "target" | "nonTarget">();
  const units: { unit: string; path: string }[] = [];
  for (const [list, kind] of [
    ["targets", "target"],
    ["nonTargets", "nonTarget"],
  ] as const) {
    baseline[list].forEach((l, i) => {
      const path = `$.baseline.${list}[${i}]`;
      const first = organOf.get(l.id);
      if (first !== undefined) err(`${path}.id`, "duplicate-id", `lesion id "${l.id}" already used at ${first.path}`);
      else organOf.set(l.id, { organ: l.organ, path });
      kindOf.set(l.id, kind);
      if (l.diameterMm !== null && parseMm(l.diameterMm) === undefined)
        err(`${path}.diameterMm`, "invalid-diameter", `"${l.diameterMm}" is not a non-negative decimal`);
      if (kind === "target" && l.diameterMm === null)
        err(`${path}.diameterMm`, "missing-diameter", `target "${l.id}" has no baseline diameter`);
      if (l.unit !== undefined) units.push({ unit: l.unit, path: `${path}.unit` });
    });
  }
  if (baseline.targets.length === 0)
    err(
      "$.baseline.targets",
      "no-targets",
      "no target lesion: Table 1 needs target disease (Table 2 is not implemented)",
    );
  const baseDay = baseline.date === undefined ? undefined : dayNumber(baseline.date);
  if (baseline.date !== undefined && baseDay === undefined)
    err("$.baseline.date", "invalid-date", `"${baseline.date}" is not a calendar date YYYY-MM-DD`);

  const checkOrgan = (id: string, organ: string | undefined, path: string) => {
    const ref = organOf.get(id);
    if (organ === undefined || ref === undefined) return;
    // Nodes compare by their own organ text here: a node moving between chains is still a change.
    if (organ.trim().toLowerCase() !== ref.organ.trim().toLowerCase()) {
      err(`${path}.organ`, "organ-changed", `lesion "${id}" is in ${ref.organ} at ${ref.path} but in ${organ} here`);
    }
  };

  const dates = new Map<number, string>();
  const newLesionOrgan = new Map<string, { organ: string; path: string }>();
  assessments.forEach((a, ai) => {
    const at = `$.assessments[${ai}]`;
    const day = dayNumber(a.date);
    if (day === undefined) err(`${at}.date`, "invalid-date", `"${a.date}" is not a calendar date YYYY-MM-DD`);
    else {
      const other = dates.get(day);
      if (other !== undefined) err(`${at}.date`, "duplicate-date", `two assessments on ${a.date} (also ${other})`);
      dates.set(day, `${at}.date`);
      if (baseDay !== undefined && day < baseDay)
        warn(`${at}.date`, "before-baseline", `assessment ${a.date} precedes the baseline ${baseline.date}`);
    }
    const seen = new Map<string, string>();
    const once = (id: string, path: string) => {
      const prev = seen.get(id);
      if (prev !== undefined) err(`${path}.id`, "duplicate-id", `lesion id "${id}" already used at ${prev}`);
      seen.set(id, path);
    };
    a.targets.forEach((t, i) => {
      const path = `${at}.targets[${i}]`;
      once(t.id, path);
      if (kindOf.get(t.id) !== "target") err(`${path}.id`, "unknown-target", `"${t.id}" is not a baseline target`);
      checkOrgan(t.id, t.organ, path);
      if (t.diameterMm !== null && parseMm(t.diameterMm) === undefined)
        err(`${path}.diameterMm`, "invalid-diameter", `"${t.diameterMm}" is not a non-negative decimal`);
      if (t.tooSmallToMeasure && t.diameterMm !== null)
        warn(
          path,
          "too-small-with-measurement",
          `"${t.id}" is both measured (${t.diameterMm}) and too small to measure; the 5 mm default is used`,
        );
      if (t.unit !== undefined) units.push({ unit: t.unit, path: `${path}.unit` });
    });
    a.nonTargets.forEach((n, i) => {
      const path = `${at}.nonTargets[${i}]`;
      once(n.id, path);
      if (kindOf.get(n.id) !== "nonTarget")
        err(`${path}.id`, "unknown-non-target", `"${n.id}" is not a baseline non-target`);
      checkOrgan(n.id, n.organ, path);
    });
    a.newLesions.forEach((n, i) => {
      const path = `${at}.newLesions[${i}]`;
      once(n.id, path);
      if (organOf.has(n.id))
        err(`${path}.id`, "duplicate-id", `new lesion "${n.id}" reuses a baseline id (${organOf.get(n.id)?.path})`);
      const prev = newLesionOrgan.get(n.id);
      if (
        n.organ !== undefined &&
        prev !== undefined &&
        prev.organ.trim().toLowerCase() !== n.organ.trim().toLowerCase()
      ) {
        err(
          `${path}.organ`,
          "organ-changed",
          `new lesion "${n.id}" is in ${prev.organ} at ${prev.path} but in ${n.organ} here`,
        );
      }
      if (n.organ !== undefined && prev === undefined) newLesionOrgan.set(n.id, { organ: n.organ, path });
    });
  });

  // Units: the API takes millimetres; report anything else, and any mixture, where units are given.
  const first = units[0];
  for (const u of units) {
    if (u.unit !== "mm")
      err(u.path, "unit-not-mm", `measurement in "${u.unit}"; RECIST functions take millimetres (convert first)`);
    if (first !== undefined && u.unit !== first.unit)
      err(u.path, "mixed-units", `unit "${u.unit}" differs from "${first.unit}" at ${first.path}`);
  }
  return issues;
}
