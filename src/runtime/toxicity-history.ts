/**
 * The treatment history `decideCycle` reads, validated and normalised:
 *
 * ```json
 * { "cycles": [ { "cycle": 1, "date": "2027-01-18",
 *                 "dosimetry": { "kidney_dose": { "value": 4.1, "unit": "Gy" }, "marrow_dose": { "value": 150, "unit": "mGy" } } } ],
 *   "labs": { "date": "2027-04-01", "platelets": { "value": 180, "unit": "10*9/L", "lln": 150 } },
 *   "baseline": { "creatinine": { "value": 80, "unit": "umol/L" } } }
 * ```
 *
 * `cycles` lists every cycle given so far, in order from 1; each carries one row of the
 * organs' dosimetry records (keyed by the records element's name). `labs` are the values
 * before the next cycle, `baseline` the pre-treatment values (CTCAE "x baseline").
 * Values are the protocol's elements and go through `normalizePatient` (types, UCUM
 * units, plausible ranges, ULN/LLN), with paths rewritten to where they sit here.
 * Bad data is rejected with its JSON path; missing data is kept missing, never guessed.
 */
import type { Decimal } from "decimal.js";
import { dec, readDecimal } from "./decimal.js";
import { convert } from "./units.js";
import { compareTime, parseDate, REAL_DATE } from "./time.js";
import { jsonPath, normalizePatient, unknownField, type DataProblem, type DictElement } from "./patient.js";
import { gradeCtcae, type CtcaeGrade, type CtcaeInput, type CtcaeReference, type CtcaeTermEntry } from "./ctcae.js";
import { unknown, type Val } from "./values.js";
import type { ToxicitySpec } from "./toxicity.js";

/** An organ's doses over the cycles given, converted exactly into the organ's unit. */
export interface OrganDoses {
  unit: string;
  /** One per delivered cycle; null where the cycle's dosimetry is not recorded. */
  perCycle: (Decimal | null)[];
  /** Null when any delivered cycle lacks its dose (`missing` names them). */
  cumulative: Decimal | null;
  projected: Decimal | null;
  missing: string[];
}

/** A graded term: the grades still possible (one when decided), null when the value is missing. */
export interface GradeInfo {
  range: [CtcaeGrade, CtcaeGrade] | null;
  explanation: string;
  /** References or values that would narrow an undecided grade. */
  missing: string[];
}

/** A normalised history. */
export interface HistoryState {
  cyclesGiven: number;
  /** The `labs` values as rules read them (missing ones are unknown, naming their path). */
  data: Record<string, Val>;
  organs: Record<string, OrganDoses>;
  grades: Record<string, GradeInfo>;
  warnings: DataProblem[];
}

export type HistoryOutcome = { ok: true; state: HistoryState } | { ok: false; errors: DataProblem[] };

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const QUANTITY_KEYS = new Set(["value", "unit", "uln", "lln", "at", "method", "specimen", "results"]);

interface Problems {
  errors: DataProblem[];
  warnings: DataProblem[];
}

/** What the object at `at` is, in words: `labs`, `a row of dosimetry`. */
function what(at: string): string {
  const name = at.slice(at.lastIndexOf(".") + 1);
  return at.startsWith("$.cycles[") ? `a row of ${name}` : name;
}

/** The names of `dict`, for a warning: a few, then how many more. */
function names(dict: DictElement[]): string {
  const all = dict.map((el) => el.name);
  return all.length > 6 ? `${all.slice(0, 6).join(", ")} and ${all.length - 6} more` : all.join(", ") || "nothing";
}

/** A decimal from a JSON number or decimal string, or null. */
function decimalOf(x: unknown): Decimal | null {
  const d = readDecimal(x);
  return typeof d === "string" ? null : d;
}

/**
 * Validate `raw` (an object of the protocol's elements) against `dict` with
 * `normalizePatient`, after the checks it does not make: a quantity without its unit,
 * and (for `nonNegative` elements) a negative value. Paths are given under `at`.
 */
function readElements(
  dict: DictElement[],
  raw: Obj,
  at: string,
  p: Problems,
  nonNegative: ReadonlySet<string> = new Set(),
): Record<string, Val> {
  const copy: Obj = { ...raw };
  const known = new Set(dict.map((el) => el.name));
  for (const k of Object.keys(raw).sort()) {
    if (known.has(k)) continue;
    p.warnings.push(unknownField(`${at}${jsonPath([k]).slice(1)}`, k, `${what(at)} (${names(dict)})`));
    delete copy[k];
  }
  for (const el of dict) {
    const v = raw[el.name];
    if (v === null || v === undefined || el.type !== "decimal" || !el.unit) continue;
    const path = `${at}${jsonPath([el.name]).slice(1)}`;
    if (!isObject(v) || (typeof v.unit !== "string" && !Array.isArray(v.results))) {
      p.errors.push({
        path,
        message: `${el.name} is a quantity: give its unit, e.g. {"value": ${isObject(v) ? "…" : JSON.stringify(v)}, "unit": "${el.unit}"}`,
      });
      delete copy[el.name];
      continue;
    }
    const d = decimalOf(v.value);
    if (d && d.isNegative() && !d.isZero() && nonNegative.has(el.name)) {
      p.errors.push({ path: `${path}.value`, message: `${el.name} cannot be negative (${d.toString()} ${v.unit})` });
      delete copy[el.name];
      continue;
    }
    const kept: Obj = {};
    for (const k of Object.keys(v)) if (QUANTITY_KEYS.has(k)) kept[k] = v[k];
    copy[el.name] = kept;
    for (const k of Object.keys(v).sort())
      if (!QUANTITY_KEYS.has(k))
        p.warnings.push(
          Object.assign(
            {},
            unknownField(
              `${path}${jsonPath([k]).slice(1)}`,
              k,
              "a quantity (value, unit, uln, lln, at, method, specimen)",
            ),
            k === "baseline"
              ? {
                  message: `"baseline" is not a field of a quantity and was ignored: give pre-treatment values in "baseline" at the top level`,
                }
              : {},
          ),
        );
  }
  const norm = normalizePatient(dict, [], copy, { missingPrefix: `${at.replace(/^\$\./, "")}.` });
  const move = (x: DataProblem): DataProblem => ({ path: at + x.path.slice(1), message: x.message });
  if (!norm.ok) {
    p.errors.push(...norm.errors.map(move));
    return {};
  }
  p.warnings.push(...norm.warnings.map(move));
  return norm.data;
}

/** A calendar date as `parseDate` gives it. */
type PlainDate = NonNullable<ReturnType<typeof parseDate>>;

interface Cycle {
  date: PlainDate | null;
  /** This cycle's row of each dosimetry records element, normalised. */
  rows: Record<string, Record<string, Val>>;
}

/** `cycles`: every cycle given, numbered 1, 2, … in order, dates strictly increasing. */
function readCycles(spec: ToxicitySpec, raw: unknown, p: Problems): Cycle[] {
  if (raw === undefined || raw === null) {
    p.errors.push({
      path: "$.cycles",
      message: "required: the cycles given so far, in order ([] before the first cycle)",
    });
    return [];
  }
  if (!Array.isArray(raw)) {
    p.errors.push({ path: "$.cycles", message: "must be a list of the cycles given so far" });
    return [];
  }
  const doseFields = new Map(
    spec.dosimetry.map((r) => [r.name, new Set(spec.organs.filter((o) => o.records === r.name).map((o) => o.field))]),
  );
  let last: { date: PlainDate; index: number } | null = null;
  return raw.map((c: unknown, i): Cycle => {
    const at = `$.cycles[${i}]`;
    const cycle: Cycle = { date: null, rows: {} };
    if (!isObject(c)) {
      p.errors.push({ path: at, message: 'a cycle is an object: {"cycle": 1, "date": "YYYY-MM-DD", …}' });
      return cycle;
    }
    if (c.cycle === undefined || c.cycle === null)
      p.errors.push({ path: `${at}.cycle`, message: `required: the cycle number (${i + 1} here)` });
    else if (typeof c.cycle !== "number" || !Number.isInteger(c.cycle) || c.cycle < 1)
      p.errors.push({ path: `${at}.cycle`, message: `${JSON.stringify(c.cycle)} is not a cycle number (1, 2, …)` });
    else if (c.cycle !== i + 1)
      p.errors.push({
        path: `${at}.cycle`,
        message: `cycles out of order: cycle ${c.cycle} is listed at position ${i + 1}; list every cycle given, in order from 1`,
      });
    if (c.date !== undefined && c.date !== null) {
      const d = typeof c.date === "string" ? parseDate(c.date) : null;
      if (!d)
        p.errors.push({
          path: `${at}.date`,
          message: `${JSON.stringify(c.date)} is not ${REAL_DATE}`,
        });
      else if (last && dateOrder(d, last.date) <= 0)
        p.errors.push({
          path: `${at}.date`,
          message: `cycles out of order: ${d.toString()} is not after the date of the cycle listed before it (${last.date.toString()}, $.cycles[${last.index}])`,
        });
      else {
        cycle.date = d;
        last = { date: d, index: i };
      }
    }
    for (const k of Object.keys(c).sort())
      if (k !== "cycle" && k !== "date" && !doseFields.has(k))
        p.warnings.push(
          unknownField(
            `${at}${jsonPath([k]).slice(1)}`,
            k,
            `a cycle (cycle, date, ${[...doseFields.keys()].join(", ")})`,
          ),
        );
    for (const rec of spec.dosimetry) {
      const row = c[rec.name];
      if (row === undefined || row === null) continue;
      const rowAt = `${at}${jsonPath([rec.name]).slice(1)}`;
      if (!isObject(row)) {
        p.errors.push({ path: rowAt, message: `must be an object with this cycle's ${rec.name} fields` });
        continue;
      }
      cycle.rows[rec.name] = readElements(rec.fields ?? [], row, rowAt, p, doseFields.get(rec.name));
      // UCUM gives Sv and Gy the same dimension (J/kg), but an equivalent dose is not an absorbed dose.
      for (const f of doseFields.get(rec.name) ?? []) {
        const v = cycle.rows[rec.name]![f];
        if (v?.t === "qty" && /Sv|\[REM\]/.test(v.unit))
          p.errors.push({
            path: `${rowAt}.${f}.unit`,
            message: `"${v.unit}" measures an equivalent dose; an organ's absorbed dose is in Gy (Gy, mGy, cGy)`,
          });
      }
      // A row that names its own cycle must name this one.
      for (const f of rec.fields ?? []) {
        const v = cycle.rows[rec.name]![f.name];
        if (f.type === "integer" && /^cycle(_number)?$/.test(f.name) && v?.t === "num" && !v.v.eq(i + 1))
          p.errors.push({
            path: `${rowAt}.${f.name}`,
            message: `says cycle ${v.v.toString()}, but it belongs to cycle ${i + 1}`,
          });
      }
    }
    return cycle;
  });
}

const dateOrder = (a: PlainDate, b: PlainDate): number =>
  compareTime({ kind: "date", date: a }, { kind: "date", date: b });

/** `labs` or `baseline`: protocol elements; `labs` may carry its sampling date. */
function readLabs(
  spec: ToxicitySpec,
  raw: unknown,
  key: "labs" | "baseline",
  p: Problems,
): { data: Record<string, Val>; date: PlainDate | null } {
  if (raw === undefined || raw === null) return { data: {}, date: null };
  if (!isObject(raw)) {
    p.errors.push({
      path: `$.${key}`,
      message: `must be an object of laboratory values, e.g. {"platelets": {"value": 180, "unit": "10*9/L", "lln": 150}}`,
    });
    return { data: {}, date: null };
  }
  let date: PlainDate | null = null;
  const rest: Obj = { ...raw };
  if (key === "labs" && raw.date !== undefined && raw.date !== null) {
    date = typeof raw.date === "string" ? parseDate(raw.date) : null;
    if (!date)
      p.errors.push({
        path: "$.labs.date",
        message: `${JSON.stringify(raw.date)} is not ${REAL_DATE}`,
      });
  }
  if (key === "labs") delete rest.date;
  return { data: readElements(spec.labs, rest, `$.${key}`, p), date };
}

/** The references an entry's criteria are multiples of. */
function referencesUsed(entry: CtcaeTermEntry): Set<CtcaeReference> {
  const out = new Set<CtcaeReference>();
  for (const g of entry.grades)
    for (const c of g.criteria) for (const b of [c.low, c.high]) if (b?.multipleOf) out.add(b.multipleOf);
  return out;
}

/** Grade one term from the labs: the value and its references converted exactly into the table's unit. */
function gradeTerm(
  g: ToxicitySpec["grades"][number],
  labs: Record<string, Val>,
  baseline: Record<string, Val>,
  p: Problems,
): GradeInfo {
  const v = labs[g.element];
  if (!v || v.t !== "qty")
    return { range: null, explanation: `${g.element}: not given`, missing: [`labs.${g.element}`] };
  const entry = g.entry;
  // Terms graded only against references ("1") compare the value with them in its own unit.
  const to = entry.unit === "1" ? v.unit : entry.unit;
  const conv = (d: Decimal, from: string) => convert(d, from, to, v.molarMass);
  const uses = referencesUsed(entry);
  const input: CtcaeInput = { value: conv(v.v, v.unit) };
  const absent: string[] = [];
  for (const [ref, given] of [
    ["ULN", v.uln],
    ["LLN", v.lln],
  ] as const) {
    if (!uses.has(ref)) continue;
    if (given) input[ref === "ULN" ? "uln" : "lln"] = conv(given.v, given.unit);
    else {
      // Unknown though given (results disagree on it, or its BSA is missing), or absent.
      const why = v.limitUnknown?.[ref === "ULN" ? "uln" : "lln"];
      absent.push(
        ...(why ?? [`${g.element}.${ref.toLowerCase()}`]).map((m) => (m.startsWith("labs.") ? m : `labs.${m}`)),
      );
    }
  }
  if (uses.has("baseline")) {
    const b = baseline[g.element];
    if (b?.t === "qty" && b.v.gt(0)) input.baseline = convert(b.v, b.unit, to, v.molarMass ?? b.molarMass);
    else if (b?.t === "qty")
      p.errors.push({
        path: `$.baseline.${g.element}.value`,
        message: `a baseline must be positive to grade ${entry.label} against it`,
      });
    else absent.push(`baseline.${g.element}`);
  }
  const r = gradeCtcae(entry, input);
  // Say how the value reached the table: converted into its unit, or compared in its own unit with its references.
  const how =
    entry.unit === "1"
      ? `in ${v.unit}: `
      : v.unit !== entry.unit
        ? `${v.v.toString()} ${v.unit} = ${String(input.value)} ${entry.unit}; `
        : "";
  const explanation = `${how}${r.explanation}`;
  if (r.grade !== null) return { range: [r.grade, r.grade], explanation, missing: [] };
  return { range: [r.atLeast ?? 0, r.atMost ?? 4], explanation, missing: [...absent, ...(r.needs ?? [])] };
}

/** Sum the organ's doses exactly; project the next cycle as the mean of those delivered. */
function organDoses(o: ToxicitySpec["organs"][number], cycles: Cycle[]): OrganDoses {
  const missing: string[] = [];
  const perCycle = cycles.map((c, i) => {
    const v = c.rows[o.records]?.[o.field];
    if (!v || v.t !== "qty") {
      missing.push(`cycles[${i}].${o.records}.${o.field}`);
      return null;
    }
    return convert(v.v, v.unit, o.unit);
  });
  if (missing.length) return { unit: o.unit, perCycle, cumulative: null, projected: null, missing };
  const cumulative = perCycle.reduce<Decimal>((s, d) => s.plus(d!), dec(0));
  const n = perCycle.length;
  const projected = n === 0 ? cumulative : cumulative.plus(cumulative.div(n));
  return { unit: o.unit, perCycle, cumulative, projected, missing };
}

/** Validate and normalise a history; every problem is reported with its JSON path. */
export function normalizeHistory(spec: ToxicitySpec, raw: unknown): HistoryOutcome {
  const p: Problems = { errors: [], warnings: [] };
  if (!isObject(raw))
    return {
      ok: false,
      errors: [
        {
          path: "$",
          message: 'a treatment history is a JSON object: {"cycles": [...], "labs": {...}, "baseline": {...}}',
        },
      ],
    };
  for (const k of Object.keys(raw).sort())
    if (k !== "cycles" && k !== "labs" && k !== "baseline")
      p.warnings.push(unknownField(jsonPath([k]), k, "a treatment history (cycles, labs, baseline)"));
  const cycles = readCycles(spec, raw.cycles, p);
  const labs = readLabs(spec, raw.labs, "labs", p);
  const baseline = readLabs(spec, raw.baseline, "baseline", p);
  const lastDated = [...cycles.keys()].reverse().find((i) => cycles[i]!.date !== null);
  if (labs.date && lastDated !== undefined && dateOrder(labs.date, cycles[lastDated]!.date!) <= 0)
    p.errors.push({
      path: "$.labs.date",
      message: `the labs are dated ${labs.date.toString()}, not after the last cycle given (${cycles[lastDated]!.date!.toString()}, $.cycles[${lastDated}]): they cannot show its toxicity`,
    });
  if (p.errors.length) return { ok: false, errors: p.errors };
  const grades = Object.fromEntries(spec.grades.map((g) => [g.term, gradeTerm(g, labs.data, baseline.data, p)]));
  if (p.errors.length) return { ok: false, errors: p.errors };
  const data: Record<string, Val> = {};
  for (const el of spec.labs) data[el.name] = labs.data[el.name] ?? unknown(`labs.${el.name}`);
  return {
    ok: true,
    state: {
      cyclesGiven: cycles.length,
      data,
      organs: Object.fromEntries(spec.organs.map((o) => [o.name, organDoses(o, cycles)])),
      grades,
      warnings: p.warnings,
    },
  };
}
