/**
 * The REDCap data dictionary (CSV, REDCap's 18 columns in REDCap's order) and the list
 * of repeating instruments to enable.
 *
 * Mapping: each form with single fields is an instrument; each records element is a
 * repeating instrument of its own (REDCap has no repeating group inside a form), listed
 * in `redcap-repeating-instruments.csv` (`form_name,custom_form_label`, the format of
 * REDCap's repeating-instruments import). The first field is `record_id`, as REDCap
 * requires. Booleans and attestations are `yesno` (1/0); codes `radio` (or `dropdown`
 * beyond 8 choices); dates `date_ymd`; date-times `datetime_ymd` (REDCap stores
 * `YYYY-MM-DD HH:MM`; the evaluator reads `YYYY-MM-DDTHH:MM`); integers `integer`;
 * decimals `number`, entered in the element's own unit (REDCap has no units: the field
 * note names it) with the plausible range as min/max; ULN/LLN are fields of their own.
 * A `required when` becomes branching logic (`[childbearing_potential] = '1'`) with
 * "Required Field?" = y, so the field is required exactly when it is shown.
 *
 * Escaping: the CSV follows RFC 4180 (fields with `,` `"` CR or LF quoted, quotes
 * doubled, CRLF line ends). REDCap renders labels and choices as HTML and pipes
 * `[variable]` references, so `& < > [ ] |` in protocol text are written as HTML
 * character references; choice labels are kept on one line (REDCap splits choices on
 * `|` and line breaks). Control characters, which HTML cannot hold, become U+FFFD.
 */
import type { IrElement, IrProtocol } from "../../ir/types.js";
import { codeText } from "../../ir/codes.js";
import { type FormCondition, formCondition } from "./model.js";

/** REDCap's data dictionary columns, in REDCap's order. */
export const REDCAP_COLUMNS = [
  "Variable / Field Name",
  "Form Name",
  "Section Header",
  "Field Type",
  "Field Label",
  "Choices, Calculations, OR Slider Labels",
  "Field Note",
  "Text Validation Type OR Show Slider Number",
  "Text Validation Min",
  "Text Validation Max",
  "Identifier?",
  "Branching Logic (Show field only if...)",
  "Required Field?",
  "Custom Alignment",
  "Question Number (surveys only)",
  "Matrix Group Name",
  "Matrix Ranking?",
  "Field Annotation",
] as const;

/** File of the data dictionary. */
export const DICTIONARY_FILE = "redcap-data-dictionary.csv";
/** File of the repeating instruments to enable (REDCap's import format for them). */
export const REPEATING_FILE = "redcap-repeating-instruments.csv";

/** One CSV field, quoted when RFC 4180 requires it. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text with CRLF line ends. */
export function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** Protocol text as REDCap label HTML: markup characters, piping brackets and the choice separator as references. */
export function redcapText(s: string): string {
  // Control characters are not allowed in HTML either: U+FFFD, as in the ODM export.
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\[/g, "&#91;")
    .replace(/\]/g, "&#93;")
    .replace(/\|/g, "&#124;");
}
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ");

/** REDCap variable and instrument names: lower case letters, digits, `_`, starting with a letter; unique. */
class Names {
  private readonly taken = new Set<string>();
  take(wanted: string): string {
    let base = wanted.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    if (!/^[a-z]/.test(base)) base = `v${base}`;
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }
}

type Row = Record<(typeof REDCAP_COLUMNS)[number], string>;
const row = (r: Partial<Row>): Row => Object.fromEntries(REDCAP_COLUMNS.map((c) => [c, r[c] ?? ""])) as Row;

/** REDCap branching logic for a condition (`[x] = '1'`, `and`, `or`). */
function branching(c: FormCondition, vars: Map<string, string>, top = true): string {
  const group = (parts: string[], op: string) =>
    parts.length === 1 ? parts[0]! : top ? parts.join(op) : `(${parts.join(op)})`;
  if (c.kind === "is")
    return group(
      c.values.map((v) => `[${vars.get(c.element)}] = '${typeof v === "boolean" ? (v ? "1" : "0") : v}'`),
      " or ",
    );
  return group(
    c.args.map((a) => branching(a, vars, false)),
    c.kind === "all" ? " and " : " or ",
  );
}

/** The dictionary rows of one element or field. */
function fieldRows(
  e: IrElement,
  vars: Map<string, string>,
  key: string,
  form: string,
  logic: string,
  annotation: string,
): Row[] {
  const name = vars.get(key)!;
  const label = redcapText(e.label);
  // The value's row also names its standard codes and those of each choice (a reference
  // limit's row does not: it is not a result of that test).
  const coded = [
    ...e.codes.map(codeText),
    ...(e.values ?? []).flatMap((v) => v.codes.map((c) => `${v.code} = ${codeText(c)}`)),
  ];
  const base = {
    "Variable / Field Name": name,
    "Form Name": form,
    "Field Label": label,
    "Field Annotation": [annotation, ...coded].join("; "),
  };
  const cond = logic ? { "Branching Logic (Show field only if...)": logic, "Required Field?": "y" } : {};
  const range = e.range ? { "Text Validation Min": e.range.low, "Text Validation Max": e.range.high } : {};
  const note = (s: string) => ({ "Field Note": redcapText(s) });
  switch (e.type) {
    case "boolean":
      return [row(Object.assign({}, base, cond, { "Field Type": "yesno" }))];
    case "attestation":
      return [
        row(
          Object.assign(
            {},
            base,
            cond,
            { "Field Type": "yesno" },
            note(`Attested by the ${e.attestedBy ?? "investigator"}`),
          ),
        ),
      ];
    case "code":
      return [
        row(
          Object.assign({}, base, cond, {
            "Field Type": (e.values ?? []).length > 8 ? "dropdown" : "radio",
            "Choices, Calculations, OR Slider Labels": (e.values ?? [])
              .map((c) => `${c.code}, ${oneLine(redcapText(c.label))}`)
              .join(" | "),
          }),
        ),
      ];
    case "date":
      return [
        row(
          Object.assign({}, base, cond, {
            "Field Type": "text",
            "Text Validation Type OR Show Slider Number": "date_ymd",
          }),
        ),
      ];
    case "datetime":
      return [
        row(
          Object.assign({}, base, cond, {
            "Field Type": "text",
            "Text Validation Type OR Show Slider Number": "datetime_ymd",
          }),
        ),
      ];
    case "integer":
      return [
        row(
          Object.assign({}, base, cond, range, {
            "Field Type": "text",
            "Text Validation Type OR Show Slider Number": "integer",
          }),
        ),
      ];
    case "text":
      return [row(Object.assign({}, base, cond, { "Field Type": "text" }))];
    case "records":
      return []; // a repeating instrument of its own
    case "decimal": {
      const unit = e.unit ? note(`Unit: ${e.unit} (UCUM); enter the value in this unit`) : {};
      const rows = [
        row(
          Object.assign({}, base, cond, range, unit, {
            "Field Type": "text",
            "Text Validation Type OR Show Slider Number": "number",
          }),
        ),
      ];
      for (const [flag, suffix, what] of [
        [e.reference.uln, "uln", "upper"],
        [e.reference.lln, "lln", "lower"],
      ] as const)
        if (flag)
          rows.push(
            row(
              Object.assign({}, base, cond, unit, {
                "Variable / Field Name": vars.get(`${key}:${suffix}`)!,
                "Field Label": `${label}: ${what} limit of normal`,
                "Field Type": "text",
                "Text Validation Type OR Show Slider Number": "number",
                "Field Annotation": annotation.replace(/^trialc (\S+?)(;|$)/, `trialc $1.${suffix}$2`),
              }),
            ),
          );
      return rows;
    }
  }
}

/** The two REDCap files, by file name. */
export function redcapFiles(ir: IrProtocol): Map<string, string> {
  const vars = new Map<string, string>();
  const names = new Names();
  names.take("record_id");
  const scalarsOf = (form: string) => ir.elements.filter((e) => e.form === form && e.type !== "records");
  const recordsOf = (form: string) => ir.elements.filter((e) => e.form === form && e.type === "records");
  // Variable names first, so branching logic can refer forward. ULN/LLN names are reserved too.
  for (const e of ir.elements.filter((x) => x.form !== null)) {
    if (e.type !== "records") {
      vars.set(e.name, names.take(e.name));
      if (e.reference.uln) vars.set(`${e.name}:uln`, names.take(`${e.name}_uln`));
      if (e.reference.lln) vars.set(`${e.name}:lln`, names.take(`${e.name}_lln`));
    } else for (const f of e.fields ?? []) vars.set(`${e.name}.${f.name}`, names.take(`${e.name}_${f.name}`));
  }
  const instruments = new Names();
  const rows: Row[] = [];
  const repeating: string[][] = [["form_name", "custom_form_label"]];
  // Which trialc element a field holds, so exported data can be mapped back (no `@`: REDCap reads that as an action tag).
  const annotate = (e: IrElement, key: string) => `trialc ${key}${e.unit ? `; UCUM ${e.unit}` : ""}`;
  for (const form of ir.forms) {
    const scalars = scalarsOf(form.name);
    if (scalars.length) {
      const inst = instruments.take(form.name);
      const first = rows.length;
      if (first === 0)
        rows.push(
          row({
            "Variable / Field Name": "record_id",
            "Form Name": inst,
            "Field Type": "text",
            "Field Label": "Record ID",
          }),
        );
      for (const e of scalars) {
        const c = e.requiredWhen ? formCondition(ir, e.requiredWhen) : null;
        const logic = c ? branching(c, vars) : "";
        rows.push(...fieldRows(e, vars, e.name, inst, logic, annotate(e, e.name)));
      }
      rows[first]!["Section Header"] = redcapText(form.label);
    }
    for (const r of recordsOf(form.name)) {
      const inst = instruments.take(r.name);
      const first = rows.length;
      if (first === 0)
        rows.push(
          row({
            "Variable / Field Name": "record_id",
            "Form Name": inst,
            "Field Type": "text",
            "Field Label": "Record ID",
          }),
        );
      for (const f of r.fields ?? [])
        rows.push(...fieldRows(f, vars, `${r.name}.${f.name}`, inst, "", annotate(f, `${r.name}.${f.name}`)));
      rows[first]!["Section Header"] = redcapText(`${form.label}: ${r.label}`);
      repeating.push([inst, ""]);
    }
  }
  return new Map([
    [DICTIONARY_FILE, csv([[...REDCAP_COLUMNS], ...rows.map((r) => REDCAP_COLUMNS.map((c) => r[c]))])],
    [REPEATING_FILE, csv(repeating)],
  ]);
}
