/**
 * CDISC ODM 1.3.2 metadata (Granularity "Metadata"): the study's forms as a data
 * manager imports them into an EDC system.
 *
 * Layout: one Study with GlobalVariables and BasicDefinitions (every unit a value may
 * be entered in), one MetaDataVersion whose OID carries the protocol's hash, a Protocol
 * with one StudyEventDef holding every form (the protocol does not tie forms to visits,
 * so none is invented), one FormDef per form, one non-repeating ItemGroupDef per form
 * for its single fields and one repeating ItemGroupDef per records element. ItemDefs
 * carry DataType, the label as Question, MeasurementUnitRefs (own unit first), Hard
 * RangeChecks per unit where the bound is an exact short decimal, and CodeListRefs.
 * A `required when` becomes Mandatory="Yes" with a CollectionExceptionCondition (the
 * item is not collected unless the condition holds), described in words.
 *
 * OIDs: ST.<trial>, MDV.<sha256 prefix>, SE.STUDY, F.<form>, IG.<form>, IG.<form>.<records>,
 * IT.<element>, IT.<records>.<field>, IT.<element>.ULN/LLN, CL.<element>, MU.<unit>,
 * COND.<element>. CreationDateTime is an input (ODM requires one; a clock would make
 * the output differ on every run).
 */
import { basename } from "node:path";
import type { IrCode, IrElement, IrProtocol } from "../../ir/types.js";
import { acceptedUnits, conditionText, elementNotes, exactRanges, formCondition } from "./model.js";
import { el, render, textEl, type XmlNode } from "./xml.js";

/** The XML namespace of ODM 1.3.x. */
export const ODM_NAMESPACE = "http://www.cdisc.org/ns/odm/v1.3";

/** Options of {@link emitOdm}. */
export interface OdmOptions {
  /** ODM's CreationDateTime (ISO 8601). Default: the Unix epoch, so output is reproducible. */
  createdAt?: string;
}

/** An OID-safe piece of text (letters, digits, `.`, `_`, `-`). */
const oidPart = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_") || "_";
const translated = (name: string, text: string): XmlNode => el(name, [], [textEl("TranslatedText", [], text)]);

/** ODM DataType of an element. */
function dataType(e: IrElement): string {
  switch (e.type) {
    case "decimal":
      return "float";
    case "integer":
      return "integer";
    case "boolean":
    case "attestation":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    default:
      return "text";
  }
}

/** Unit OIDs, one per distinct unit text, in order of first use. */
function unitOids(elements: IrElement[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const add = (u: string) => {
    if (out.has(u)) return;
    const readable = oidPart(
      u
        .replace(/%/g, "pct")
        .replace(/\//g, "_per_")
        .replace(/\*/g, "e")
        .replace(/[{}[\]]/g, ""),
    );
    let oid = `MU.${readable}`;
    for (let i = 2; taken.has(oid); i++) oid = `MU.${readable}.${i}`;
    taken.add(oid);
    out.set(u, oid);
  };
  for (const e of elements) for (const f of [e, ...(e.fields ?? [])]) acceptedUnits(f).forEach(add);
  return out;
}

interface Defs {
  items: XmlNode[];
  codeLists: XmlNode[];
  conditions: XmlNode[];
  units: Map<string, string>;
}

/** ItemDef(s) for one element or field (the value, then ULN/LLN); returns their ItemRefs. */
function itemDefs(ir: IrProtocol, e: IrElement, oid: string, defs: Defs, order: { n: number }): XmlNode[] {
  const units = acceptedUnits(e);
  const unitRefs = units.map((u) => el("MeasurementUnitRef", [["MeasurementUnitOID", defs.units.get(u)]]));
  const checks: XmlNode[] = exactRanges(e).flatMap((r) =>
    (["GE", "LE"] as const).map((cmp) => {
      const bound = cmp === "GE" ? r.low : r.high;
      const unit = r.unit ? ` ${r.unit}` : "";
      return el(
        "RangeCheck",
        [
          ["Comparator", cmp],
          ["SoftHard", "Hard"],
        ],
        [
          textEl("CheckValue", [], bound),
          ...(r.unit ? [el("MeasurementUnitRef", [["MeasurementUnitOID", defs.units.get(r.unit)]])] : []),
          translated("ErrorMessage", `${e.label}: must be ${cmp === "GE" ? "at least" : "at most"} ${bound}${unit}.`),
        ],
      );
    }),
  );
  const notes = [
    ...(units.length
      ? [`Unit: ${e.unit} (UCUM)${units.length > 1 ? `; also accepted: ${units.slice(1).join(", ")}` : ""}.`]
      : []),
    ...(e.range ? [`Plausible range: ${e.range.low} to ${e.range.high}${e.unit ? ` ${e.unit}` : ""}.`] : []),
    ...(e.type === "datetime" ? ["Local date and time, to the minute."] : []),
    ...elementNotes(ir, e),
  ];
  let codeRef: XmlNode[] = [];
  if (e.values) {
    const cl = `CL.${oid.slice(3)}`;
    codeRef = [el("CodeListRef", [["CodeListOID", cl]])];
    defs.codeLists.push(
      el(
        "CodeList",
        [
          ["OID", cl],
          ["Name", e.label],
          ["DataType", "text"],
        ],
        e.values.map((c) =>
          el("CodeListItem", [["CodedValue", c.code]], [translated("Decode", c.label), ...aliases(c.codes)]),
        ),
      ),
    );
  }
  // Name: the element, or records.field (field names repeat across records elements).
  defs.items.push(
    el(
      "ItemDef",
      [
        ["OID", oid],
        ["Name", oid.slice(3)],
        ["DataType", dataType(e)],
      ],
      [
        ...(notes.length ? [translated("Description", notes.join(" "))] : []),
        translated("Question", e.label),
        ...unitRefs,
        ...checks,
        ...codeRef,
        ...aliases(e.codes),
      ],
    ),
  );
  let exception: string | undefined;
  if (e.requiredWhen) {
    exception = `COND.${oid.slice(3)}`;
    const c = formCondition(ir, e.requiredWhen);
    defs.conditions.push(
      el(
        "ConditionDef",
        [
          ["OID", exception],
          ["Name", `${e.name} not collected`],
        ],
        [translated("Description", `Not collected unless ${c ? conditionText(ir, c) : e.requiredWhen.text}.`)],
      ),
    );
  }
  const refs = [
    el("ItemRef", [
      ["ItemOID", oid],
      ["OrderNumber", String(++order.n)],
      ["Mandatory", e.requiredWhen ? "Yes" : "No"],
      ["CollectionExceptionConditionOID", exception],
    ]),
  ];
  for (const [flag, suffix, what] of [
    [e.reference.uln, "ULN", "upper"],
    [e.reference.lln, "LLN", "lower"],
  ] as const) {
    if (!flag) continue;
    defs.items.push(
      el(
        "ItemDef",
        [
          ["OID", `${oid}.${suffix}`],
          ["Name", `${oid.slice(3)}.${suffix.toLowerCase()}`],
          ["DataType", "float"],
        ],
        [
          translated(
            "Description",
            `The ${what} limit of normal of ${e.name}, in the value's unit; greater than zero.`,
          ),
          translated("Question", `${e.label}: ${what} limit of normal`),
          ...unitRefs,
          el(
            "RangeCheck",
            [
              ["Comparator", "GT"],
              ["SoftHard", "Hard"],
            ],
            [
              textEl("CheckValue", [], "0"),
              translated("ErrorMessage", `${e.label}: the ${what} limit of normal must be greater than 0.`),
            ],
          ),
        ],
      ),
    );
    refs.push(
      el("ItemRef", [
        ["ItemOID", `${oid}.${suffix}`],
        ["OrderNumber", String(++order.n)],
        ["Mandatory", "No"],
      ]),
    );
  }
  return refs;
}

/** The ODM 1.3.2 XML of a protocol's case report forms. */
export function emitOdm(ir: IrProtocol, options: OdmOptions = {}): string {
  const onForms = ir.elements.filter((e) => e.form !== null);
  const defs: Defs = { items: [], codeLists: [], conditions: [], units: unitOids(onForms) };
  const forms: XmlNode[] = [];
  const groups: XmlNode[] = [];
  for (const form of ir.forms) {
    const elements = onForms.filter((e) => e.form === form.name);
    const single = elements.filter((e) => e.type !== "records");
    const refs: XmlNode[] = [];
    const mandatory = "No"; // the evaluator treats missing data as unknown: no form is mandatory as a whole
    if (single.length) {
      const order = { n: 0 };
      const items = single.flatMap((e) => itemDefs(ir, e, `IT.${e.name}`, defs, order));
      groups.push(
        el(
          "ItemGroupDef",
          [
            ["OID", `IG.${form.name}`],
            ["Name", form.label],
            ["Repeating", "No"],
          ],
          items,
        ),
      );
      refs.push(
        el("ItemGroupRef", [
          ["ItemGroupOID", `IG.${form.name}`],
          ["OrderNumber", String(refs.length + 1)],
          ["Mandatory", mandatory],
        ]),
      );
    }
    for (const r of elements.filter((e) => e.type === "records")) {
      const order = { n: 0 };
      const items = (r.fields ?? []).flatMap((f) => itemDefs(ir, f, `IT.${r.name}.${f.name}`, defs, order));
      groups.push(
        el(
          "ItemGroupDef",
          [
            ["OID", `IG.${form.name}.${r.name}`],
            ["Name", r.label],
            ["Repeating", "Yes"],
          ],
          [translated("Description", elementNotes(ir, r).join(" ")), ...items],
        ),
      );
      refs.push(
        el("ItemGroupRef", [
          ["ItemGroupOID", `IG.${form.name}.${r.name}`],
          ["OrderNumber", String(refs.length + 1)],
          ["Mandatory", mandatory],
        ]),
      );
    }
    const note = elements.length
      ? `Case report form "${form.name}".`
      : `Case report form "${form.name}": the protocol declares no data elements on it yet.`;
    forms.push(
      el(
        "FormDef",
        [
          ["OID", `F.${form.name}`],
          ["Name", form.label],
          ["Repeating", "No"],
        ],
        [translated("Description", note), ...refs],
      ),
    );
  }
  const sha = ir.source.sha256.slice(0, 12);
  const official = ir.trial.meta.find((m) => m.key === "official title")?.values[0];
  const study = el(
    "Study",
    [["OID", `ST.${oidPart(ir.trial.id)}`]],
    [
      el(
        "GlobalVariables",
        [],
        [
          textEl("StudyName", [], ir.trial.title || ir.trial.id),
          textEl("StudyDescription", [], official ?? ir.trial.title),
          textEl("ProtocolName", [], ir.trial.id),
        ],
      ),
      el(
        "BasicDefinitions",
        [],
        [...defs.units].map(([u, oid]) =>
          el(
            "MeasurementUnit",
            [
              ["OID", oid],
              ["Name", u],
            ],
            [el("Symbol", [], [textEl("TranslatedText", [], u)])],
          ),
        ),
      ),
      el(
        "MetaDataVersion",
        [
          ["OID", `MDV.${sha}`],
          ["Name", `${ir.trial.id} (${sha})`],
          ["Description", `Generated by trialc from ${basename(ir.source.file)} (sha256 ${ir.source.sha256}).`],
        ],
        [
          el(
            "Protocol",
            [],
            [
              el("StudyEventRef", [
                ["StudyEventOID", "SE.STUDY"],
                ["OrderNumber", "1"],
                ["Mandatory", "Yes"],
              ]),
            ],
          ),
          el(
            "StudyEventDef",
            [
              ["OID", "SE.STUDY"],
              ["Name", "Study"],
              ["Repeating", "No"],
              ["Type", "Common"],
            ],
            ir.forms.map((f, i) =>
              el("FormRef", [
                ["FormOID", `F.${f.name}`],
                ["OrderNumber", String(i + 1)],
                ["Mandatory", "No"],
              ]),
            ),
          ),
          ...forms,
          ...groups,
          ...defs.items,
          ...defs.codeLists,
          ...defs.conditions,
        ],
      ),
    ],
  );
  return render(
    el(
      "ODM",
      [
        ["xmlns", ODM_NAMESPACE],
        ["ODMVersion", "1.3.2"],
        ["FileType", "Snapshot"],
        ["Granularity", "Metadata"],
        ["FileOID", `trialc.${oidPart(ir.trial.id)}.${sha}`],
        ["CreationDateTime", options.createdAt ?? "1970-01-01T00:00:00Z"],
        ["Originator", "trialc"],
        ["SourceSystem", "trialc"],
      ],
      [study],
    ),
  );
}

/** `<Alias Context="LOINC" Name="718-7"/>`: ODM's place for a standard code of an item or a code list item. */
function aliases(codes: readonly IrCode[]): XmlNode[] {
  return codes.map((c) =>
    el("Alias", [
      ["Context", c.system],
      ["Name", c.code],
    ]),
  );
}
