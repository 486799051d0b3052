/**
 * The document view model, built from the IR and nothing else.
 *
 * This is where a protocol becomes a printable summary: the title block, the
 * eligibility checklist, the schedule, toxicity, response, parameters, the data
 * dictionary, the interpretations and the traceability appendix. The parts live in
 * the `model-*.ts` files; this one assembles them and numbers the sections.
 */
import type { IrElement, IrProtocol } from "../../ir/types.js";
import { codesText } from "../../ir/codes.js";
import {
  criterionRef,
  docContext,
  flagsOf,
  formLabel,
  parameterValueText,
  traceModel,
  type DocContext,
} from "./model-common.js";
import { criterionModel, definitionModels } from "./model-eligibility.js";
import { scheduleModel, schedulePlan } from "./model-schedule.js";
import { responseModel, toxicityModel } from "./model-safety.js";
import { ambiguities, normalisationText, sourceModels, traceabilityRows } from "./model-trace.js";
import { timelineModel } from "./timeline.js";
import { plainRule } from "./plain-language.js";
import { unitText } from "./format.js";
import type {
  DictionaryModel,
  DocumentModel,
  ElementModel,
  ObjectiveModel,
  SectionRef,
  TitleModel,
} from "./model-types.js";

/** Build the view model of a protocol. `generator` names the tool in the colophon. */
export function buildDocumentModel(ir: IrProtocol, generator: string): DocumentModel {
  const ctx = docContext(ir);
  const plan = ir.schedule ? schedulePlan(ctx, ir.schedule) : null;
  const schedule = ir.schedule && plan ? scheduleModel(ctx, ir.schedule, plan) : null;
  const treatmentLabel = plan?.treatment?.label ?? "treatment";
  const model: Omit<DocumentModel, "sections" | "numbers"> = {
    generator,
    sourceFile: ir.source.file,
    sha256: ir.source.sha256,
    title: titleModel(ctx),
    objectives: objectivesModel(ctx),
    inclusion: ir.eligibility.inclusion.map((c) => criterionModel(ctx, c)),
    exclusion: ir.eligibility.exclusion.map((c) => criterionModel(ctx, c)),
    definitions: definitionModels(ctx),
    schedule,
    timeline: plan ? timelineModel(plan, treatmentLabel) : null,
    toxicity: ir.toxicity ? toxicityModel(ctx, ir.toxicity) : null,
    response: ir.response ? responseModel(ctx, ir.response) : null,
    parameters: ir.parameters.map((p) => ({
      name: p.name,
      label: p.label,
      value: parameterValueText(p),
      trace: traceModel(ctx, p.trace),
    })),
    dictionary: dictionaryModel(ctx),
    ambiguities: ambiguities(ctx),
    traceability: traceabilityRows(ctx),
    sources: sourceModels(ctx),
  };
  const list = sections(model);
  return Object.assign({}, model, { sections: list, numbers: Object.fromEntries(list.map((s) => [s.id, s.number])) });
}

/** The numbered sections present in this protocol, for the contents and page anchors. */
function sections(m: Omit<DocumentModel, "sections" | "numbers">): SectionRef[] {
  const list: [string, string, boolean][] = [
    ["objectives", "Objectives and endpoints", m.objectives !== null],
    ["eligibility", "Eligibility checklist", true],
    ["definitions", "Definitions used by the criteria", m.definitions.length > 0],
    ["schedule", "Schedule of activities", m.schedule !== null],
    ["toxicity", "Toxicity grading and stopping rules", m.toxicity !== null],
    ["response", "Response", m.response !== null],
    ["parameters", "Parameters", m.parameters.length > 0],
    ["dictionary", "Data dictionary", true],
    ["ambiguities", "Where the protocol is ambiguous", m.ambiguities.length > 0],
  ];
  const numbered = list
    .filter(([, , present]) => present)
    .map(([id, title], i) => ({ id, number: String(i + 1), title }));
  return [
    ...numbered,
    { id: "traceability", number: "A", title: "Traceability: every rule beside the protocol text" },
    { id: "sources", number: "B", title: "Sources" },
  ];
}

const TITLE_KEYS = new Set(["title", "official title", "acronym"]);

function titleModel(ctx: DocContext): TitleModel {
  const t = ctx.ir.trial;
  const meta = (key: string) => t.meta.find((m) => m.key === key)?.values.join(" ") ?? null;
  const metaFlags = (key: string) => {
    const source = t.meta.find((m) => m.key === key)?.source;
    return flagsOf(ctx, source ? [source] : []);
  };
  return {
    id: t.id,
    title: t.title,
    officialTitle: meta("official title"),
    officialTitleFlags: metaFlags("official title"),
    acronym: meta("acronym"),
    acronymFlags: metaFlags("acronym"),
    meta: t.meta
      .filter((m) => !TITLE_KEYS.has(m.key))
      .map((m) => ({
        key: m.key.charAt(0).toUpperCase() + m.key.slice(1),
        value: m.values.join(" "),
        flags: flagsOf(ctx, m.source ? [m.source] : []),
      })),
    libraries: ctx.ir.libraries.map((l) => `${l.name === "ctcae" ? "NCI-CTCAE" : l.name.toUpperCase()} ${l.version}`),
    trace: traceModel(ctx, t.trace),
  };
}

const TYPE_TEXT: Record<IrElement["type"], string> = {
  decimal: "decimal",
  integer: "integer",
  boolean: "yes / no",
  date: "date",
  datetime: "date and time",
  text: "text",
  code: "one of a list",
  attestation: "attestation",
  records: "list of records",
};

function elementModel(ctx: DocContext, e: IrElement): ElementModel {
  const unit = e.unit ? unitText(e.unit) : null;
  const unitShown = unit ? `${unit.times ? "× " : ""}${unit.text}` : "";
  const details: string[] = [];
  if (e.range) details.push(`plausible range ${e.range.low} to ${e.range.high}${unitShown ? ` ${unitShown}` : ""}`);
  if (e.reference.uln) details.push("recorded with the upper limit of normal (ULN)");
  if (e.reference.lln) details.push("recorded with the lower limit of normal (LLN)");
  if (e.molarMass) details.push(`molar mass ${e.molarMass} g/mol`);
  if (e.select) {
    const by = e.select.method ? ` measured by ${e.select.method}` : "";
    const when = e.select.window ? ` from ${e.select.window.low.text} to ${e.select.window.high.text}` : "";
    details.push(`rules read the latest result${by}${when}`);
  }
  if (e.normalise) details.push(normalisationText(e.name, e.normalise).replace(/^An/, "an"));
  if (e.codes.length) details.push(`standard codes: ${codesText(e.codes)}`);
  if (e.values)
    details.push(
      `values: ${e.values.map((c) => `${c.label} (${c.code}${c.codes.length ? `; ${codesText(c.codes)}` : ""})`).join(", ")}`,
    );
  if (e.noun) details.push(`one row per ${e.noun.singular}`);
  if (e.attestedBy) details.push(`attested by the ${e.attestedBy}`);
  if (e.requiredWhen) details.push(`required when: ${plainRule(e.requiredWhen, ctx.plain)}`);
  if (e.captureOnly) details.push("collected only: no rule reads it");
  return {
    name: e.name,
    label: e.label,
    type: `${TYPE_TEXT[e.type]}${unitShown ? `, ${unitShown}` : ""}`,
    details: details.join("; "),
    readBy: e.readBy
      .filter((r) => !r.startsWith("endpoint."))
      .map((r) => criterionRef(ctx, r))
      .join(", "),
    endpoints: e.readBy
      .filter((r) => r.startsWith("endpoint."))
      .map((r) => r.slice("endpoint.".length))
      .join(", "),
    fields: (e.fields ?? []).map((f) => elementModel(ctx, f)),
  };
}

function dictionaryModel(ctx: DocContext): DictionaryModel {
  const byName = new Map(ctx.ir.elements.map((e) => [e.name, e]));
  const forms = ctx.ir.forms.map((f) => ({
    name: f.name,
    label: f.label,
    elements: f.elements.flatMap((n) => {
      const e = byName.get(n);
      return e ? [elementModel(ctx, e)] : [];
    }),
  }));
  const loose = ctx.ir.elements.filter((e) => e.form === null);
  if (loose.length)
    forms.push({ name: "", label: "Not on any form", elements: loose.map((e) => elementModel(ctx, e)) });
  return { anchors: ctx.ir.anchors.map((a) => ({ name: a.name, label: a.label, repeating: a.repeating })), forms };
}

const LEVELS = { primary: "Primary", secondary: "Secondary", exploratory: "Exploratory" } as const;

/** The objectives, each endpoint with the data it needs and the form that collects it. */
function objectivesModel(ctx: DocContext): DocumentModel["objectives"] {
  const o = ctx.ir.objectives;
  if (!o) return null;
  const byName = new Map(ctx.ir.elements.map((e) => [e.name, e]));
  const describe = (key: string) => {
    const [base, field] = key.split(".") as [string, string | undefined];
    const el = byName.get(base);
    const f = field ? el?.fields?.find((x) => x.name === field) : undefined;
    const label = field ? (f?.label ?? field) : (el?.label ?? base);
    return { name: key, label, form: formLabel(ctx, el?.form ?? null) };
  };
  const list: ObjectiveModel[] = o.objectives.map((x) => ({
    id: x.id,
    level: LEVELS[x.level],
    text: x.text,
    basis: x.basis === "lesion" ? "on a lesion basis" : x.basis === "patient" ? "on a patient basis" : null,
    endpoints: x.endpoints.map((e) => ({
      name: e.name,
      label: e.label,
      uses: e.uses.map(describe),
      trace: traceModel(ctx, e.trace),
    })),
    trace: traceModel(ctx, x.trace),
  }));
  return { list, trace: traceModel(ctx, o.trace) };
}
