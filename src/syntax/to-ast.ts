/**
 * CST → AST: builds the `TrialFile` of `src/ast/nodes.ts` from the parser's CST.
 *
 * Plain functions over the typed CST of `grammar/generated/cst.d.ts` (so a grammar
 * change that breaks this file fails type-checking). Every node gets a full span.
 * The CST may come from error recovery: each declaration and each list item is
 * converted on its own and dropped if incomplete (see `BuildContext.each`), so the
 * AST holds whatever could be read. This file does the trial metadata, data
 * dictionary, criteria, definitions and parameters; `sections-to-ast.ts` the
 * schedule, toxicity and response sections.
 */
import type { CstNode } from "chevrotain";
import type * as A from "../ast/nodes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type {
  CodeBindingCstNode,
  CriterionBodyCstNode,
  CriterionRestCstNode,
  DeclarationCstNode,
  ElementAttributeCstNode,
  ElementCstNode,
  ScalarTypeCstNode,
  TrialFileCstNode,
} from "../../grammar/generated/cst.js";
import { BuildContext } from "./build-context.js";
import { signedNumberText } from "./expr-to-ast.js";
import { objectivesDecl, responseDecl, scheduleDecl, toxicityDecl } from "./sections-to-ast.js";
import { child, has, Incomplete, tok } from "./spans.js";

/** Options for `toAst`. */
export interface ToAstOptions {
  /** File name copied into every span. */
  file: string;
  /** The full source text (for the span of the whole file). */
  text: string;
  /** Whether the parser reported errors (the CST may then be partial). */
  hasSyntaxErrors: boolean;
  /** Where to report problems found while building (duplicate attributes...). */
  diagnostics: Diagnostic[];
}

/** Build the AST of a parsed file. Never throws: broken declarations are left out. */
export function toAst(cst: TrialFileCstNode, options: ToAstOptions): A.TrialFile {
  const cx = new BuildContext(options.file, options.text, options.diagnostics, options.hasSyntaxErrors);
  return {
    kind: "TrialFile",
    file: options.file,
    decls: declarations(cst, cx),
    span: wholeFile(options.file, options.text),
  };
}

/** The declarations of one `trialFile` CST (also used for the pieces of a re-synchronised parse). */
export function declarations(cst: TrialFileCstNode, cx: BuildContext): A.Decl[] {
  return cx.each(cst.children.declaration, (d) => declaration(d, cx));
}

/** The AST of one top-level declaration, taken as soon as it is parsed: empty if it cannot be built. */
export function declarationAst(node: DeclarationCstNode, cx: BuildContext): A.Decl[] {
  return cx.each([node], (d) => declaration(d, cx));
}

/**
 * An element of a data block, built as soon as it is parsed (parse.ts): kept by the
 * block's CST node, from which it was left out, until the block is built.
 */
export function takeElement(block: CstNode, node: ElementCstNode, cx: BuildContext): void {
  const built = cx.each([node], (e) => element(e, cx));
  const list = cx.takenElements.get(block);
  if (list) list.push(...built);
  else cx.takenElements.set(block, built);
}

/** The span covering a whole text. */
export function wholeFile(file: string, text: string): A.Span {
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1] ?? "";
  return { file, start: 0, end: text.length, line: 1, column: 1, endLine: lines.length, endColumn: last.length + 1 };
}

function declaration(node: DeclarationCstNode, cx: BuildContext): A.Decl {
  const c = node.children;
  const { s } = cx;
  if (c.trialDecl !== undefined) {
    const n = child(c.trialDecl, "trial");
    const props = cx.each(n.children.metaProperty, (p): A.MetaProp => {
      // With `from SOURCE`, the last name is the source, not part of the key.
      const names = p.children.Name ?? [];
      const keyCount = has(p.children.KwFrom) ? names.length - 1 : names.length;
      const key = names
        .slice(0, keyCount)
        .map((_t, i) => tok(names, "key", i).image)
        .join(" ");
      const values = (p.children.StringLiteral ?? []).map((_t, i) => cx.str(p.children.StringLiteral, "value", i));
      const source = has(p.children.KwFrom) ? s.name(names, "source", keyCount) : null;
      return { key, values, source, span: s.ofNode(p) };
    });
    return {
      kind: "TrialDecl",
      id: cx.str(n.children.StringLiteral, "trial id"),
      props,
      trace: cx.trace(n.children.traceItem),
      span: s.ofNode(n),
    };
  }
  if (c.useDecl !== undefined) {
    const n = child(c.useDecl, "use");
    return {
      kind: "UseDecl",
      library: s.name(n.children.Name, "library"),
      version: cx.str(n.children.StringLiteral, "version"),
      span: s.ofNode(n),
    };
  }
  if (c.sourceDecl !== undefined) {
    const n = child(c.sourceDecl, "source");
    const k = n.children;
    const sourceKind: A.SourceKind | null = has(k.KwProtocol)
      ? "protocol"
      : has(k.KwLiterature)
        ? "literature"
        : has(k.KwStandard)
          ? "standard"
          : has(k.KwReference)
            ? "reference"
            : null;
    if (sourceKind === null) throw new Incomplete("kind of source");
    return {
      kind: "SourceDecl",
      name: s.name(k.Name, "source name"),
      citation: cx.str(k.StringLiteral, "citation"),
      sourceKind,
      span: s.ofNode(n),
    };
  }
  if (c.anchorDecl !== undefined) {
    const n = child(c.anchorDecl, "anchor");
    const k = n.children;
    return {
      kind: "AnchorDecl",
      name: s.name(k.Name, "anchor name"),
      label: cx.str(k.StringLiteral, "label"),
      repeating: has(k.KwRepeating),
      span: s.ofNode(n),
    };
  }
  if (c.formDecl !== undefined) {
    const n = child(c.formDecl, "form");
    return {
      kind: "FormDecl",
      name: s.name(n.children.Name, "form name"),
      label: cx.str(n.children.StringLiteral, "label"),
      span: s.ofNode(n),
    };
  }
  if (c.dataDecl !== undefined) {
    const n = child(c.dataDecl, "data");
    // Elements taken as they were parsed come first: they precede any left in the CST.
    const taken = cx.takenElements.get(n);
    cx.takenElements.delete(n);
    const rest = cx.each(n.children.element, (e) => element(e, cx));
    return { kind: "DataDecl", elements: taken ? taken.concat(rest) : rest, span: s.ofNode(n) };
  }
  if (c.criterionDecl !== undefined) {
    const n = child(c.criterionDecl, "criterion");
    const role = has(n.children.KwInclusion) ? "inclusion" : "exclusion";
    return criterion(role, child(n.children.criterionRest, "criterion"), s.ofNode(n), cx);
  }
  if (c.defineDecl !== undefined) {
    const n = child(c.defineDecl, "define");
    const k = n.children;
    const names = k.Name ?? [];
    return {
      kind: "DefineDecl",
      name: s.name(names, "definition name", 0),
      params: names.slice(1).map((_t, i) => s.name(names, "parameter", i + 1)),
      label: cx.str(k.StringLiteral, "label"),
      trace: cx.trace(k.traceItem),
      expr: cx.x.expression(child(k.expression, "rule")),
      span: s.ofNode(n),
    };
  }
  if (c.parameterDecl !== undefined) {
    const n = child(c.parameterDecl, "parameter");
    const k = n.children;
    const block = k.traceBlock?.[0];
    return {
      kind: "ParameterDecl",
      name: s.name(k.Name, "parameter name"),
      label: cx.str(k.StringLiteral, "label"),
      value: cx.x.expression(child(k.expression, "value")),
      trace: cx.trace(block?.children.traceItem),
      span: s.ofNode(n),
    };
  }
  if (c.scheduleDecl !== undefined) return scheduleDecl(child(c.scheduleDecl, "schedule"), cx);
  if (c.toxicityDecl !== undefined) return toxicityDecl(child(c.toxicityDecl, "toxicity"), cx);
  if (c.responseDecl !== undefined) return responseDecl(child(c.responseDecl, "response"), cx);
  if (c.objectivesDecl !== undefined) return objectivesDecl(child(c.objectivesDecl, "objectives"), cx);
  if (c.normaliseDecl !== undefined) {
    const n = child(c.normaliseDecl, "normalise");
    const k = n.children;
    const names = k.Name ?? [];
    const area = tok(k.NumberLiteral, "reference area");
    const areaUnit = s.name(k.Unit, "unit of the reference area", 1);
    const by = s.name(names, "body-surface area", 1);
    const close = k.RParen?.[0];
    return {
      kind: "NormaliseDecl",
      element: s.name(names, "element", 0),
      from: s.name(k.Unit, "absolute unit", 0),
      area: { value: area.image, unit: areaUnit, span: s.join(s.ofToken(area), areaUnit.span) },
      by,
      args: has(k.LParen) ? names.slice(2).map((_t, i) => s.name(names, "argument", i + 2)) : null,
      trace: cx.trace(k.traceBlock?.[0]?.children.traceItem),
      header: s.join(s.ofToken(tok(k.KwNormalise, "normalise")), close ? s.ofToken(close) : by.span),
      span: s.ofNode(n),
    };
  }
  throw new Incomplete("declaration");
}

// ---------------------------------------------------------------------------
// Data dictionary
// ---------------------------------------------------------------------------

function element(node: ElementCstNode, cx: BuildContext): A.ElementDecl {
  const { s } = cx;
  const c = node.children;
  const name = s.name(c.Name, "element name");
  let type: A.TypeSpec;
  let typeSpan: A.Span;
  if (c.KwRecords !== undefined) {
    type = { kind: "records" };
    typeSpan = s.ofToken(tok(c.KwRecords, "records"));
  } else {
    const t = child(c.scalarType, "type");
    type = scalarType(t, cx);
    typeSpan = s.ofNode(t);
  }
  const decl: A.ElementDecl = {
    kind: "ElementDecl",
    name,
    type,
    typeSpan,
    label: "",
    form: null,
    range: null,
    withUln: false,
    withLln: false,
    molarMass: null,
    requiredWhen: null,
    captureOnly: false,
    codes: [],
    select: null,
    noun: null,
    fields: cx.each(c.element, (f) => element(f, cx)),
    span: s.ofNode(node),
  };
  let labelSeen = false;
  cx.each(c.elementAttribute, (a) => {
    attribute(a, decl, cx, labelSeen);
    labelSeen ||= isLabel(a);
  });
  return decl;
}

function scalarType(node: ScalarTypeCstNode, cx: BuildContext): A.TypeSpec {
  const c = node.children;
  if (c.KwDecimal !== undefined)
    return { kind: "decimal", unit: c.Unit !== undefined ? cx.s.name(c.Unit, "unit") : null };
  if (c.KwInteger !== undefined) return { kind: "integer" };
  if (c.KwBoolean !== undefined) return { kind: "boolean" };
  if (c.KwDatetime !== undefined) return { kind: "datetime" };
  if (c.KwDate !== undefined) return { kind: "date" };
  if (c.KwText !== undefined) return { kind: "text" };
  if (c.KwCode !== undefined) {
    const options = cx.each(c.codeOption, (o): A.CodeOption => ({
      code: cx.s.name(o.children.Name, "code"),
      label: cx.str(o.children.StringLiteral, "code label"),
      codes: cx.each(o.children.codeBinding, (b) => codeBinding(b, cx)),
    }));
    return { kind: "code", options };
  }
  if (c.KwAttestation !== undefined) {
    if (has(c.KwInvestigator)) return { kind: "attestation", by: "investigator" };
    if (has(c.KwPatient)) return { kind: "attestation", by: "patient" };
  }
  throw new Incomplete("type");
}

/** An attribute that is the element's label: a string on its own (the other clauses with strings start with a keyword). */
function isLabel(node: ElementAttributeCstNode): boolean {
  const c = node.children;
  return c.StringLiteral !== undefined && c.KwSelect === undefined && c.KwNoun === undefined;
}

/** Apply one attribute to the element, reporting a repeated one. */
function attribute(node: ElementAttributeCstNode, decl: A.ElementDecl, cx: BuildContext, labelSeen: boolean): void {
  const c = node.children;
  const span = cx.s.ofNode(node);
  const what = (attr: string): string => `the ${attr} of element "${decl.name.text}"`;
  if (isLabel(node)) {
    const label = cx.str(c.StringLiteral, "label");
    if (labelSeen) cx.report("givenTwice", { what: what("label") }, span);
    else decl.label = label;
  } else if (c.KwForm !== undefined) {
    decl.form = cx.once(decl.form, cx.s.name(c.Name, "form name"), what("form"), span);
  } else if (c.KwRange !== undefined) {
    const bounds = c.signedNumber ?? [];
    const range = {
      low: signedNumberText(child(bounds, "low", 0)),
      high: signedNumberText(child(bounds, "high", 1)),
      span,
    };
    decl.range = cx.once(decl.range, range, what("range"), span);
  } else if (c.KwWith !== undefined) {
    if (has(c.KwULN)) decl.withUln = true;
    else if (has(c.KwLLN)) decl.withLln = true;
  } else if (c.KwMolar !== undefined) {
    const mass = { value: tok(c.NumberLiteral, "molar mass").image, unit: cx.s.name(c.Unit, "unit of the molar mass") };
    decl.molarMass = cx.once(decl.molarMass, mass, what("molar mass"), span);
  } else if (c.KwRequired !== undefined) {
    decl.requiredWhen = cx.once(
      decl.requiredWhen,
      cx.x.expression(child(c.expression, "condition")),
      what("'required when' condition"),
      span,
    );
  } else if (c.KwCapture !== undefined) {
    decl.captureOnly = true;
  } else if (c.codeBinding !== undefined) {
    decl.codes.push(codeBinding(child(c.codeBinding, "code"), cx));
  } else if (c.KwNoun !== undefined) {
    const strings = c.StringLiteral ?? [];
    const noun = {
      singular: cx.str(strings, "noun"),
      plural: c.KwPlural !== undefined && strings.length > 1 ? cx.str(strings, "plural", 1) : null,
      span,
    };
    decl.noun = cx.once(decl.noun, noun, what("noun"), span);
  } else if (c.KwSelect !== undefined) {
    const bounds = c.additive ?? [];
    const select = {
      method: c.KwBy !== undefined ? cx.str(c.StringLiteral, "method") : null,
      low: bounds.length ? cx.x.additive(child(bounds, "start of the window", 0)) : null,
      high: bounds.length ? cx.x.additive(child(bounds, "end of the window", 1)) : null,
      span,
    };
    decl.select = cx.once(decl.select, select, what("selection"), span);
  }
}

/** `code LOINC "718-7"`. */
function codeBinding(node: CodeBindingCstNode, cx: BuildContext): A.CodeBinding {
  const c = node.children;
  return {
    system: cx.s.name(c.Name, "code system"),
    code: cx.str(c.StringLiteral, "code"),
    span: cx.s.ofNode(node),
  };
}

// ---------------------------------------------------------------------------
// Criteria
// ---------------------------------------------------------------------------

function criterion(
  role: A.CriterionDecl["role"],
  rest: CriterionRestCstNode,
  span: A.Span,
  cx: BuildContext,
): A.CriterionDecl {
  const c = rest.children;
  return {
    kind: "CriterionDecl",
    role,
    id: cx.s.name(c.Name, "criterion id"),
    text: cx.str(c.StringLiteral, "criterion text"),
    trace: cx.trace(c.traceItem),
    body: criterionBody(child(c.criterionBody, "criterion body"), cx),
    span,
  };
}

function criterionBody(node: CriterionBodyCstNode, cx: BuildContext): A.RuleBody {
  const c = node.children;
  const span = cx.s.ofNode(node);
  if (c.KwRule !== undefined) return { kind: "Rule", expr: cx.x.expression(child(c.expression, "rule")), span };
  const group = child(c.criterionGroup, "criteria");
  const children = cx.each(group.children.subCriterion, (sub) =>
    criterion("criterion", child(sub.children.criterionRest, "criterion"), cx.s.ofNode(sub), cx),
  );
  if (c.KwAll !== undefined) return { kind: "Group", mode: "all", count: children.length, children, span };
  return { kind: "Group", mode: "atLeast", count: cx.count(c.NumberLiteral, "count").count, children, span };
}
