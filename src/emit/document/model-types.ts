/**
 * The document's view model: everything the templates print, already worded.
 *
 * Templates hold layout only; every decision about what to say (plain-language rules,
 * schedule columns, what is flagged as not coming from the protocol) is made when
 * this model is built from the IR. Strings here are plain text: the HTML renderer
 * escapes them at output and the Markdown renderer escapes them before rendering, so
 * no string in the model may contain markup.
 */

/** A value or rule that does not come from the protocol text, with where it comes from. */
export interface FlagModel {
  /** The source's kind: literature, standard or reference (never protocol). */
  kind: string;
  /** The source's name in the `.trial` file. */
  source: string;
  /** The full citation. */
  citation: string;
}

/** Protocol words a rule encodes. */
export interface CiteModel {
  text: string;
  source: string;
  kind: string;
}

/** A reading adopted where the protocol is ambiguous or silent. */
export interface InterpretationModel {
  text: string;
  ref: string | null;
  flags: FlagModel[];
}

/** Traceability of one rule or section: cites, interpretations, non-protocol sources. */
export interface TraceModel {
  cites: CiteModel[];
  interpretations: InterpretationModel[];
  flags: FlagModel[];
  /** True when there is something to print (keeps empty blocks out of the layout). */
  any: boolean;
}

/** One line of the title block's metadata table. */
export interface MetaModel {
  key: string;
  value: string;
  /** Title block: set when the value is not in the protocol text, naming where it comes from. */
  flags?: FlagModel[];
}

export interface TitleModel {
  id: string;
  title: string;
  officialTitle: string | null;
  officialTitleFlags: FlagModel[];
  acronym: string | null;
  acronymFlags: FlagModel[];
  meta: MetaModel[];
  libraries: string[];
  trace: TraceModel;
}

/** A data element a criterion reads, and the form it is collected on. */
export interface DataNeedModel {
  label: string;
  form: string;
  /** Numeric elements: the unit of the value field ("" for a pure number); null otherwise. */
  value?: string | null;
  /** The reference limits to write beside the value ("ULN", "LLN"). */
  limits?: string;
  /** Which result to copy, when the element selects one ("latest result by 51Cr-EDTA, from D0 − 4 weeks to D0 − 1 day"). */
  which?: string;
}

export interface CriterionModel {
  id: string;
  /** For a part, the criteria it belongs to, outermost first ("I3 › I3c"); null for I1…E9. */
  partOf: string | null;
  /** "Inclusion", "Exclusion" or "Criterion" (a nested part). */
  role: string;
  /** The protocol's wording. */
  text: string;
  /** The rule in plain language (leaves only). */
  rule: string | null;
  /** The rule as written in the `.trial` file (leaves only). */
  ruleSource: string | null;
  /** The definitions the rule uses (names), spelt out in the definitions section. */
  defines: string[];
  /** "All of the following" / "At least 1 of the following" (groups only). */
  group: string | null;
  children: CriterionModel[];
  /** Nesting level: 0 for I1, 1 for I7a, 2 for I3c_a. */
  depth: number;
  data: DataNeedModel[];
  /** A field to fill in per numeric value the rule reads: its unit and the limits to copy. */
  fields: { label: string; unit: string; limits: string; which: string }[];
  dates: string[];
  trace: TraceModel;
}

export interface DefinitionModel {
  name: string;
  label: string;
  params: string;
  rule: string;
  ruleSource: string;
  usedBy: string;
  trace: TraceModel;
}

/** A named rule of the schedule, toxicity or response sections. */
export interface RuleModel {
  name: string;
  label: string;
  rule: string;
  ruleSource: string;
  /** When the rule is checked ("Before each cycle", "Once, before the first treatment"). */
  when: string | null;
  trace: TraceModel;
}

export interface TreatmentModel {
  label: string;
  facts: MetaModel[];
  /** Flags of the dose tolerance, when it comes from a parameter with a non-protocol source. */
  flags: FlagModel[];
  trace: TraceModel;
}

export interface DayModel {
  label: string;
  steps: { label: string; timing: string; lasting: string }[];
  total: string | null;
  trace: TraceModel;
}

/** One column of the schedule of activities: one visit (in one cycle). */
export interface SoaColumnModel {
  /** The visit's label, e.g. "Post-treatment SPECT/CT dosimetry". */
  heading: string;
  /** A visit of every cycle (shown once). */
  eachCycle: boolean;
  visit: string;
  /** The visit's window as the protocol states it ("cycle + 1 to 7 days"). */
  window: string;
  /**
   * Its days: from D0 for a one-off visit ("Day −28 to −1"), from the cycle's treatment for
   * a cycle visit ("Cycle day 1 to 7"), from its own anchor otherwise; "" when unplaced.
   */
  days: string;
  /** The window or procedures are an adopted reading, not the protocol's words. */
  flags: FlagModel[];
}

export interface SoaModel {
  /** Header groups: "Before treatment", "Each cycle: C1 to C4, 11 to 13 weeks apart", …, each spanning its columns. */
  groups: { label: string; span: number }[];
  columns: SoaColumnModel[];
  /** Procedures as rows; `cells[i]` is true when column i performs the procedure. */
  rows: { procedure: string; cells: { mark: boolean }[] }[];
  /** Per visit: its window and where it comes from. */
  notes: { visit: string; window: string; trace: TraceModel }[];
  /** How many cycles were expanded, and why (for the caption). */
  caption: string;
  /** When the protocol has no visit after treatment: that said plainly, and which visits close the schedule. */
  afterTreatment: string | null;
}

/** The treatment timeline as drawing instructions for an inline SVG. */
export interface TimelineModel {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  axisY: number;
  /** One lane per visit; `label` is shortened to fit beside the plot, `full` is the visit's label. */
  lanes: { label: string; full: string; y: number; midY: number; textY: number }[];
  /** Top of the first lane. */
  top: number;
  bars: {
    x: string;
    y: string;
    width: string;
    height: string;
    label: string;
    labelX: string;
    labelY: string;
    title: string;
    point: boolean;
  }[];
  ticks: { x: string; label: string }[];
  zeroX: string;
  /** What day 0 is: the first treatment's anchor ("D0"), or "day 0". */
  zeroLabel: string;
  description: string;
  /** The same windows as a table, for Markdown and for readers without the figure. */
  rows: { visit: string; cycle: string; earliest: string; latest: string }[];
}

export interface ScheduleModel {
  treatments: TreatmentModel[];
  days: DayModel[];
  soa: SoaModel;
  requirements: RuleModel[];
  trace: TraceModel;
}

export interface ToxicityModel {
  organs: { label: string; dose: string; limit: string; limitLabel: string; flags: FlagModel[] }[];
  grades: { label: string; term: string; element: string; texts: { grade: number; text: string }[] }[];
  gradeSource: string;
  stops: RuleModel[];
  delays: RuleModel[];
  maxCycles: string | null;
  trace: TraceModel;
}

export interface ResponseModel {
  lesion: {
    measured: string;
    reference: string;
    categories: { label: string; rule: string }[];
    trace: TraceModel;
  } | null;
  recist: { settings: MetaModel[]; trace: TraceModel } | null;
  trace: TraceModel;
}

export interface ParameterModel {
  name: string;
  label: string;
  value: string;
  trace: TraceModel;
}

export interface ElementModel {
  name: string;
  label: string;
  type: string;
  details: string;
  readBy: string;
  /** The endpoints that need the element (`fdg_uptake (P1)`), apart from the rules. */
  endpoints: string;
  fields: ElementModel[];
}

/** One endpoint, with the data it needs and where each is collected. */
export interface EndpointModel {
  name: string;
  label: string;
  uses: { name: string; label: string; form: string }[];
  trace: TraceModel;
}

/** One objective of the trial. */
export interface ObjectiveModel {
  id: string;
  level: string;
  text: string;
  basis: string | null;
  endpoints: EndpointModel[];
  trace: TraceModel;
}

export interface DictionaryModel {
  anchors: { name: string; label: string; repeating: boolean }[];
  forms: { name: string; label: string; elements: ElementModel[] }[];
}

/** One line of the interpretations section. */
export interface AmbiguityModel {
  where: string;
  interpretation: InterpretationModel;
}

/** One rule of the traceability appendix. */
export interface TraceRowModel {
  id: string;
  kind: string;
  label: string;
  rule: string;
  ruleSource: string;
  cites: CiteModel[];
  /** When the rule cites nothing itself: where its protocol text is printed ("see I8 above"). */
  citedVia: string | null;
  /** Values and rule parts not from the protocol, each with its source. */
  values: { what: string; flags: FlagModel[] }[];
  interpretations: InterpretationModel[];
  /** No protocol text is cited for this rule, here or above it. */
  uncited: boolean;
}

export interface SourceModel {
  name: string;
  kind: string;
  citation: string;
  fromProtocol: boolean;
}

/** A section of the document, for the table of contents and the page anchors. */
export interface SectionRef {
  id: string;
  number: string;
  title: string;
}

/** The whole document. */
export interface DocumentModel {
  generator: string;
  sourceFile: string;
  sha256: string;
  sections: SectionRef[];
  /** Section numbers by section id, for headings. */
  numbers: Record<string, string>;
  title: TitleModel;
  objectives: { list: ObjectiveModel[]; trace: TraceModel } | null;
  inclusion: CriterionModel[];
  exclusion: CriterionModel[];
  definitions: DefinitionModel[];
  schedule: ScheduleModel | null;
  timeline: TimelineModel | null;
  toxicity: ToxicityModel | null;
  response: ResponseModel | null;
  parameters: ParameterModel[];
  dictionary: DictionaryModel;
  ambiguities: AmbiguityModel[];
  traceability: TraceRowModel[];
  sources: SourceModel[];
}
