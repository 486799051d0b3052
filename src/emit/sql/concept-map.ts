/**
 * The concept map: which OMOP concept ids stand for the protocol's data.
 *
 * A CSV with a header line and the columns `element,system,code,concept_id,domain_id`
 * (and optionally `concept_name`, kept for the reader). A row binds a concept either by
 * the standard code the `.trial` file gives (`system` + `code`, e.g. `LOINC,718-7`) or
 * directly by a data element path in `element`:
 *
 * - `hemoglobin`: the element itself (a measurement, an observation …);
 * - `sex=female`: one value of a coded element;
 * - `baseline_procedures`: every event of the concept is a row of the records;
 * - `baseline_procedures.procedure=mri`: a row whose `procedure` field is `mri`.
 *
 * `domain_id` is the concept's OMOP domain (`Measurement`, `Observation`, `Condition`,
 * `Procedure`, `Drug`, `Visit`, `Gender`, `Person`, `Meas Value`, `Unit`); it says which
 * CDM table holds the data. An optional `method` column names the method a measurement
 * concept implies (`51Cr-EDTA`), which a protocol's `select latest by "…"` filters on.
 * `Field` rows (`marker_measurements.marker_name,OMOP,source_value,0,Field`) fill a
 * records text field from the event's `*_source_value` or its unit's UCUM code (`unit`).
 * Unit rows (`UCUM,g/dL,8713,Unit`) give the unit concepts
 * the compiler builds its conversion table from. An optional `verified` column says where
 * each id was checked (`local` for ids from 2 000 000 000 up). docs/sql.md shows the query a site
 * runs over its vocabulary tables (concept, concept_relationship) to produce this file.
 */

/** One row of the concept map. */
export interface ConceptRow {
  element: string | null;
  system: string | null;
  code: string | null;
  conceptId: number;
  domain: string;
  name: string | null;
  /**
   * The method a measurement concept implies (LOINC's method axis: a GFR "by 51Cr-EDTA
   * clearance" is its own concept), from the optional `method` column; null when the
   * concept says nothing of the method.
   */
  method: string | null;
  /**
   * Where the id was checked, from the optional `verified` column: source keys (the
   * file's header comment names them), `local` for a site-local id, `n/a` for a Field
   * row, `unverified` when no source confirmed it; null without the column.
   */
  verified: string | null;
  /** 1-based line in the CSV, for messages. */
  line: number;
}

/** Ids from here up are site-local concepts (the OHDSI convention), never standard ones. */
export const LOCAL_CONCEPT_MIN = 2_000_000_000;

export interface ConceptMap {
  file: string;
  rows: ConceptRow[];
}

/** A problem in the concept map file, with its place. */
export class ConceptMapError extends Error {}

export const DOMAINS = [
  "Measurement",
  "Observation",
  "Condition",
  "Procedure",
  "Drug",
  "Visit",
  "Gender",
  "Person",
  "Meas Value",
  "Unit",
  "Field",
] as const;

/** What a `Field` row reads into a records text field: the event's source value, or its unit's UCUM code. */
export const FIELD_SOURCES = ["source_value", "unit"] as const;

/** Split one CSV line (RFC 4180 quoting; fields never span lines here). */
function splitCsv(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            s += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += line[i++];
      }
      out.push(s);
    } else {
      const j = line.indexOf(",", i);
      out.push((j < 0 ? line.slice(i) : line.slice(i, j)).trim());
      i = j < 0 ? line.length : j;
    }
    if (i >= line.length) return out;
    if (line[i] !== ",") return null;
    i++;
  }
}

/** Parse a concept map; every error names `file:line`. Lines starting with `#` are comments. */
export function parseConceptMap(file: string, text: string): ConceptMap {
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  const rows: ConceptRow[] = [];
  const fail = (n: number, msg: string): never => {
    throw new ConceptMapError(`${file}:${n}: ${msg}`);
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (raw.trim() === "" || raw.startsWith("#")) return;
    const cells = splitCsv(raw);
    if (!cells) fail(n, "malformed CSV (an unterminated or misplaced quote)");
    if (!header) {
      header = cells!.map((c) => c.toLowerCase());
      for (const need of ["concept_id", "domain_id"])
        if (!header.includes(need)) fail(n, `the header has no "${need}" column`);
      if (!header.includes("element") && !(header.includes("system") && header.includes("code")))
        fail(n, `the header needs an "element" column or "system" and "code" columns`);
      return;
    }
    const get = (col: string) => {
      const k = header!.indexOf(col);
      const v = k < 0 ? "" : (cells![k] ?? "");
      return v === "" ? null : v;
    };
    const id = get("concept_id");
    if (!id || !/^\d+$/.test(id) || Number(id) > 2147483647)
      fail(n, `concept_id must be a positive integer, not "${id ?? ""}"`);
    const domain = get("domain_id");
    if (!domain || !(DOMAINS as readonly string[]).includes(domain))
      fail(n, `domain_id must be one of ${DOMAINS.join(", ")}, not "${domain ?? ""}"`);
    const element = get("element");
    if (element && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?(=[A-Za-z0-9_]+)?$/.test(element))
      fail(n, `"${element}" is not an element path (name, name=value, records.field=value)`);
    const system = get("system");
    const code = get("code");
    if (!element && !(system && code)) fail(n, `a row needs an element or a system and a code`);
    if (
      domain === "Field" &&
      (!element ||
        !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(element) ||
        system !== "OMOP" ||
        !(FIELD_SOURCES as readonly string[]).includes(code ?? ""))
    )
      fail(n, `a Field row binds a records field (records.field) to OMOP,${FIELD_SOURCES.join(" or OMOP,")}`);
    const verified = get("verified");
    if (header!.includes("verified")) {
      const id = Number(get("concept_id"));
      if (!verified)
        fail(n, `the verified column is empty: name the source that confirms concept ${id}, or "unverified"`);
      if (id >= LOCAL_CONCEPT_MIN && verified !== "local")
        fail(n, `concept ${id} is a site-local id (>= ${LOCAL_CONCEPT_MIN}): its verified cell is "local"`);
      if (id > 0 && id < LOCAL_CONCEPT_MIN && verified === "local")
        fail(n, `concept ${id} is a standard id, not a site-local one: name its source, or "unverified"`);
    }
    rows.push({
      element,
      system,
      code,
      conceptId: Number(id),
      domain: domain!,
      name: get("concept_name"),
      method: get("method"),
      verified,
      line: n,
    });
  });
  if (!header) throw new ConceptMapError(`${file}: empty concept map (no header line)`);
  return { file, rows };
}
