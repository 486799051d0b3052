/**
 * The oracle side of the differential test: OMOP rows of one person turned into the
 * native patient record (the JSON that `trialc eval` and the compiled modules read),
 * following the same reading rules as the SQL target (src/emit/sql/binding.ts), written
 * independently here in plain TypeScript: the latest event on or before the as-of date,
 * yes/no answers, the person's birth fields, records for an observed person, and every
 * result of a measured element with its date, method, unit and reference limits (the
 * interpreter applies the element's selection).
 *
 * What OMOP cannot say (attestations, unbound elements, a record field with no OMOP
 * column) is left out of the record, so the evaluators see it as missing, exactly as
 * the SQL does.
 */
import type { IrElement, IrProtocol, IrRelativeTime } from "../../src/ir/types.js";
import type { Bindings, EventTable } from "../../src/emit/sql/binding.js";
import { NO_CONCEPT, YES_CONCEPT } from "../../src/emit/sql/binding.js";
import type { ConceptMap } from "../../src/emit/sql/concept-map.js";
import type { OmopRows } from "./synth.js";

interface Event {
  table: EventTable;
  concept: number;
  /** Null only for an undated laboratory result. */
  date: string | null;
  source: string | null;
  datetime: string | null;
  num: string | null;
  valueConcept: number | null;
  unit: number | null;
  low: string | null;
  high: string | null;
  id: number;
}

/** A cohort's rows split per person (each person's own OmopRows), in one pass. */
export function splitByPerson(rows: OmopRows): Map<number, OmopRows> {
  const out = new Map<number, OmopRows>();
  const of = (pid: number) => {
    let r = out.get(pid);
    if (!r)
      out.set(
        pid,
        (r = {
          person: [],
          observation_period: [],
          measurement: [],
          observation: [],
          condition_occurrence: [],
          procedure_occurrence: [],
          drug_exposure: [],
        }),
      );
    return r;
  };
  for (const p of rows.person) of(p[0]).person.push(p);
  for (const o of rows.observation_period) of(o[1]).observation_period.push(o);
  for (const m of rows.measurement) of(m[1]).measurement.push(m);
  for (const o of rows.observation) of(o[1]).observation.push(o);
  for (const c of rows.condition_occurrence) of(c[1]).condition_occurrence.push(c);
  for (const p of rows.procedure_occurrence) of(p[1]).procedure_occurrence.push(p);
  for (const d of rows.drug_exposure) of(d[1]).drug_exposure.push(d);
  return out;
}

/** The events of one person, from the generator's tuples. */
function eventsOf(rows: OmopRows, pid: number): Event[] {
  const out: Event[] = [];
  for (const m of rows.measurement)
    if (m[1] === pid)
      out.push({
        table: "measurement",
        concept: m[2],
        date: m[3],
        datetime: m[4],
        num: m[5],
        valueConcept: m[6],
        unit: m[7],
        low: m[8],
        high: m[9],
        source: m[10] ?? null,
        id: m[0],
      });
  for (const o of rows.observation)
    if (o[1] === pid)
      out.push({
        table: "observation",
        concept: o[2],
        date: o[3],
        datetime: o[4],
        num: o[5],
        valueConcept: o[6],
        unit: o[7],
        low: null,
        high: null,
        source: null,
        id: o[0],
      });
  for (const c of rows.condition_occurrence)
    if (c[1] === pid)
      out.push({
        table: "condition_occurrence",
        concept: c[2],
        date: c[3],
        datetime: null,
        num: null,
        valueConcept: null,
        unit: null,
        low: null,
        high: null,
        source: null,
        id: c[0],
      });
  for (const p of rows.procedure_occurrence)
    if (p[1] === pid)
      out.push({
        table: "procedure_occurrence",
        concept: p[2],
        date: p[3],
        datetime: p[4],
        num: null,
        valueConcept: null,
        unit: null,
        low: null,
        high: null,
        source: null,
        id: p[0],
      });
  for (const d of rows.drug_exposure)
    if (d[1] === pid)
      out.push({
        table: "drug_exposure",
        concept: d[2],
        date: d[3],
        datetime: d[4],
        num: null,
        valueConcept: null,
        unit: null,
        low: null,
        high: null,
        source: null,
        id: d[0],
      });
  return out;
}

/** Latest first: date, then date-time (missing last), then event id. */
function latest(events: Event[]): Event | undefined {
  return [...events].sort(
    (a, b) =>
      b.date!.localeCompare(a.date!) ||
      (a.datetime === null
        ? b.datetime === null
          ? 0
          : 1
        : b.datetime === null
          ? -1
          : b.datetime.localeCompare(a.datetime)) ||
      b.id - a.id,
  )[0];
}

/**
 * A selection window's bound as `YYYY-MM-DD 00:00:00` (the reference dates are dates), or
 * null when its anchor is not given. Days and weeks move by days; months and years by
 * calendar months, clamped to the month's end.
 */
function boundOf(rt: IrRelativeTime, anchors: Record<string, string>): string | null {
  const a = anchors[rt.anchor];
  if (!a) return null;
  let [y, m, d] = a.split("-").map(Number) as [number, number, number];
  for (const o of rt.offsets) {
    const n = Number(o.duration.amount) * o.sign;
    if (o.duration.unit === "d" || o.duration.unit === "wk") {
      const t = new Date(Date.UTC(y, m - 1, d + n * (o.duration.unit === "wk" ? 7 : 1)));
      [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    } else if (o.duration.unit === "mo" || o.duration.unit === "a") {
      const months = y * 12 + (m - 1) + n * (o.duration.unit === "a" ? 12 : 1);
      [y, m] = [Math.floor(months / 12), (months % 12) + 1];
      d = Math.min(d, new Date(Date.UTC(y, m, 0)).getUTCDate());
    } else throw new Error(`the oracle does not shift a window by ${o.duration.unit}`);
  }
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")} 00:00:00`;
}

/** `2027-01-16 20:00:00` → `2027-01-16T20:00`. */
const localDateTime = (s: string) => s.replace(" ", "T").slice(0, 16);

/** Plain number text (the DDL stores NUMERIC; `9.0` and `9` are the same value). */
const numText = (s: string) => s;

export function omopToPatient(
  ir: IrProtocol,
  bindings: Bindings,
  map: ConceptMap,
  rows: OmopRows,
  pid: number,
  asOf: string,
  /** The reference dates (`YYYY-MM-DD`) selection windows are measured from. */
  anchors: Record<string, string>,
  /** Filled with the elements left out because their unit is not in the conversion table. */
  unusableUnits: string[] = [],
): Record<string, unknown> {
  const ucum = new Map(map.rows.filter((r) => r.domain === "Unit").map((r) => [r.conceptId, r.code!]));
  // Undated results are kept for measured elements (one might be in the window), and only there.
  const all = eventsOf(rows, pid).filter((e) => e.date === null || e.date <= asOf);
  const events = all.filter((e) => e.date !== null);
  const person = rows.person.find((p) => p[0] === pid)!;
  const observed = rows.observation_period.some((o) => o[1] === pid && o[2] <= asOf && asOf <= o[3]);
  const of = (element: string) =>
    events.filter((e) =>
      bindings.events.some((b) => b.element === element && b.conceptId === e.concept && b.table === e.table),
    );
  const resultsOf = (element: string) =>
    all
      .filter((e) =>
        bindings.events.some((b) => b.element === element && b.conceptId === e.concept && b.table === e.table),
      )
      .sort((a, b) => a.id - b.id);
  const methodOf = (element: string, e: Event) =>
    bindings.events.find((b) => b.element === element && b.conceptId === e.concept && b.table === e.table)?.method ??
    null;
  const valueOf = (element: string, e: Event) =>
    bindings.events.find((b) => b.element === element && b.conceptId === e.concept && b.table === e.table)?.value ??
    null;
  const out: Record<string, unknown> = {};
  const unitOk = (path: string, unit: number | null) =>
    unit !== null && bindings.units.some((u) => u.element === path && u.conceptId === unit);

  const number = (el: IrElement, path: string, e: Event): unknown => {
    if (e.num === null) return undefined;
    if (!el.unit) return el.type === "integer" ? Number(e.num) : numText(e.num);
    // A unit the conversion table does not know: the SQL says unknown; so does a missing value.
    if (!unitOk(path, e.unit)) {
      unusableUnits.push(path);
      return undefined;
    }
    const q: Record<string, unknown> = { value: numText(e.num), unit: ucum.get(e.unit!) };
    // Reference limits carry their own unit (issue 10's patient format).
    if (el.reference.uln && e.high !== null) q.uln = { value: numText(e.high), unit: q.unit };
    if (el.reference.lln && e.low !== null) q.lln = { value: numText(e.low), unit: q.unit };
    return q;
  };

  /**
   * A measured element's results, every one of them in the record (dated or not, of any
   * method): the interpreter chooses. The record cannot hold a result whose value cannot
   * be read (no value, or a unit the conversion table does not know), so such a result is
   * written with a placeholder value where the choice never reads it; where it would (it
   * is, or ties with, the latest result in play: this reading of the selection is the
   * oracle's own), the element is left out, named as `<element>.unit` for a unit.
   */
  const measuredResults = (el: IrElement): unknown => {
    const list = resultsOf(el.name);
    if (!list.length) return undefined;
    const readable = (e: Event) => e.num !== null && unitOk(el.name, e.unit);
    const at = (e: Event) => e.datetime ?? (e.date === null ? null : `${e.date} 00:00:00`);
    const sel = el.select;
    const lo = sel?.window?.low ? boundOf(sel.window.low, anchors) : undefined;
    const hi = sel?.window?.high ? boundOf(sel.window.high, anchors) : undefined;
    const windowed = !!sel?.window;
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    const cands = sel?.method
      ? list.filter((e) => {
          const m = methodOf(el.name, e);
          return m !== null && same(m, sel.method!);
        })
      : list;
    const reached = (): Event[] => {
      if (lo === null || hi === null) return [];
      if ((cands.length > 1 || windowed) && cands.some((e) => at(e) === null)) return [];
      const inWin = windowed
        ? cands.filter((e) => at(e) !== null && (!lo || lo <= at(e)!) && (!hi || at(e)! <= hi))
        : cands;
      const latest = inWin.map(at).reduce<string | null>((m, t) => (m === null || (t !== null && t > m) ? t : m), null);
      return inWin.filter((e) => at(e) === latest);
    };
    const tied = reached();
    if (tied.some((e) => !readable(e))) {
      if (!tied.some((e) => e.num === null)) unusableUnits.push(el.name);
      return undefined;
    }
    return {
      results: list.map((e) => {
        const r = readable(e)
          ? (number(el, el.name, e) as Record<string, unknown>)
          : { value: el.range?.low ?? "0", unit: el.unit };
        const when = e.datetime ? localDateTime(e.datetime) : e.date;
        const method = methodOf(el.name, e);
        return { ...r, ...(when ? { at: when } : {}), ...(method ? { method } : {}) };
      }),
    };
  };

  for (const el of ir.elements) {
    const src = bindings.sources.get(el.name);
    if (!src) continue;
    let v: unknown;
    switch (src.how) {
      case "none":
        break;
      case "gender":
        v = src.values.find((x) => x.conceptId === person[1])?.value;
        break;
      case "birth":
        if (person[3] !== null && person[4] !== null)
          v = `${String(person[2]).padStart(4, "0")}-${String(person[3]).padStart(2, "0")}-${String(person[4]).padStart(2, "0")}`;
        break;
      case "number": {
        if (src.measured) {
          v = measuredResults(el);
          break;
        }
        const e = latest(of(el.name));
        if (e) v = number(el, el.name, e);
        break;
      }
      case "yesno": {
        const e = latest(of(el.name));
        if (e)
          v = src.presence
            ? true
            : e.valueConcept === YES_CONCEPT
              ? true
              : e.valueConcept === NO_CONCEPT
                ? false
                : undefined;
        break;
      }
      case "answer": {
        const e = latest(of(el.name));
        if (e) v = src.answers.find((a) => a.conceptId === e.valueConcept)?.value;
        break;
      }
      case "value": {
        const e = latest(of(el.name));
        if (e) v = valueOf(el.name, e) ?? undefined;
        break;
      }
      case "time": {
        const e = latest(of(el.name));
        if (e) v = src.datetime ? (e.datetime ? localDateTime(e.datetime) : undefined) : e.date;
        break;
      }
      case "records":
        if (!observed) break;
        v = of(el.name).map((e) => {
          const row: Record<string, unknown> = {};
          for (const f of el.fields ?? []) {
            let x: unknown;
            if (f.name === src.codeField) x = valueOf(el.name, e) ?? undefined;
            else if (f.name === src.dateField)
              x = f.type === "datetime" ? (e.datetime ? localDateTime(e.datetime) : undefined) : e.date;
            else if (f.name === src.numField) x = number(f, `${el.name}.${f.name}`, e);
            else {
              const t = src.texts.find((t) => t.field === f.name);
              if (t) x = (t.from === "unit" ? (e.unit === null ? undefined : ucum.get(e.unit)) : e.source) ?? undefined;
            }
            if (x !== undefined) row[f.name] = x;
          }
          return row;
        });
        break;
    }
    if (v !== undefined) out[el.name] = v;
  }
  return out;
}
