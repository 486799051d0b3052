/**
 * What the document tests share: the seed protocol's documents, rendered exactly as
 * `trialc doc` renders them, and a real HTML parser (parse5) to read them back.
 */
import { parse, type DefaultTreeAdapterTypes as T, type ParserError } from "parse5";
import { compileFile } from "../../src/cli/source.js";
import { GENERATOR } from "../../src/cli/doc.js";
import { renderDocument, type DocumentFormat } from "../../src/emit/document/render.js";
import type { IrCriterion, IrProtocol } from "../../src/ir/types.js";

/** The seed protocol, by the path the golden files record. */
export const SEED_PATH = "protocols/lu177-octreotate.trial";

/** The seed's IR (vitest runs from the repository root, so the relative path is stable). */
export function seedIr(): IrProtocol {
  const r = compileFile(SEED_PATH);
  if (!r.ir) throw new Error(`the seed protocol does not compile: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.ir;
}

/** A document as the command line renders it. */
export function render(ir: IrProtocol, format: DocumentFormat): string {
  return renderDocument(ir, format, GENERATOR);
}

/** Parse HTML with parse5 and collect every parse error it reports. */
export function parseHtml(html: string): { doc: T.Document; errors: ParserError[] } {
  const errors: ParserError[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(e), sourceCodeLocationInfo: true });
  return { doc, errors };
}

/** Every element below a node, depth first. */
export function elements(node: T.ParentNode): T.Element[] {
  const out: T.Element[] = [];
  const visit = (n: T.Node) => {
    if ("tagName" in n) out.push(n);
    const kids =
      "content" in n && n.nodeName === "template"
        ? (n as T.Template).content.childNodes
        : "childNodes" in n
          ? n.childNodes
          : [];
    for (const c of kids) visit(c);
  };
  for (const c of node.childNodes) visit(c);
  return out;
}

/** The text of a node, as a browser would give it (entities decoded), whitespace collapsed. */
export function textOf(node: T.ParentNode): string {
  let s = "";
  const visit = (n: T.Node) => {
    if (n.nodeName === "#text") s += (n as T.TextNode).value;
    else if ("childNodes" in n) for (const c of n.childNodes) visit(c);
  };
  visit(node);
  return s.replace(/\s+/g, " ");
}

/** An element's attribute value, or undefined. */
export function attr(el: T.Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** Every criterion id of a protocol, nested parts included. */
export function criterionIds(ir: IrProtocol): string[] {
  const walk = (cs: readonly IrCriterion[]): string[] =>
    cs.flatMap((c) => [c.id, ...(c.body.kind === "group" ? walk(c.body.children) : [])]);
  return walk([...ir.eligibility.inclusion, ...ir.eligibility.exclusion]);
}

/** How many schedule-of-activities columns a protocol should have: one-off visits, plus each-cycle visits per cycle. */
/** The schedule of activities has one column per visit: a cycle's visits once, however many cycles. */
export function expectedVisitColumns(ir: IrProtocol): number {
  return ir.schedule!.visits.length;
}
