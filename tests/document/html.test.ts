/**
 * The HTML document is one standalone, valid file: parse5 (a spec-compliant HTML
 * parser) reports no parse error, nothing is loaded from elsewhere, nothing runs,
 * and the print stylesheet asks for A4, page breaks and repeated table headers.
 */
import { describe, expect, it } from "vitest";
import { attr, criterionIds, elements, expectedVisitColumns, parseHtml, render, seedIr, textOf } from "./support.js";

const ir = seedIr();
const html = render(ir, "html");
const { doc, errors } = parseHtml(html);
const all = elements(doc);
const byClass = (cls: string) => all.filter((e) => (attr(e, "class") ?? "").split(/\s+/).includes(cls));

describe("the seed's HTML document", () => {
  it("parses without a single parse error", () => {
    expect(errors.map((e) => `${e.code} at ${e.startLine}:${e.startCol}`)).toEqual([]);
    expect(html.startsWith("<!DOCTYPE html>\n")).toBe(true);
  });

  it("needs no repair: every element is opened and closed by the source itself", () => {
    // parse5 reports tokenizer errors but only some tree-construction errors, so also
    // check that the parser implied, closed or dropped nothing: each element has its
    // own start tag (and end tag, unless void), and every end tag in the source
    // belongs to an element (protocol text cannot contain "</": "<" is escaped).
    const VOID = new Set(["meta", "br", "col", "hr", "wbr", "input"]);
    for (const e of all) {
      const loc = e.sourceCodeLocation;
      expect(loc?.startTag, `<${e.tagName}> implied by the parser`).toBeTruthy();
      if (!VOID.has(e.tagName))
        expect(loc?.endTag, `<${e.tagName}> at line ${loc?.startLine} closed by the parser`).toBeTruthy();
    }
    const endTags = html.match(/<\/[a-zA-Z]/g) ?? [];
    expect(endTags).toHaveLength(all.filter((e) => e.sourceCodeLocation?.endTag).length);
  });

  it("is standalone: no script, no external stylesheet, image, frame, font or URL", () => {
    const tags = new Set(all.map((e) => e.tagName));
    for (const t of ["script", "link", "img", "iframe", "object", "embed", "base", "video", "audio"])
      expect(tags.has(t), t).toBe(false);
    // The only href values are links to the document's own sections.
    for (const e of all) {
      for (const a of e.attrs) {
        if (a.name === "href") expect(a.value, `href in <${e.tagName}>`).toMatch(/^#[\w-]+$/);
        expect(a.name, `event handler in <${e.tagName}>`).not.toMatch(/^on/);
        expect(["src", "srcset", "xlink:href", "action", "formaction"]).not.toContain(a.name);
      }
    }
    const css = all
      .filter((e) => e.tagName === "style")
      .map(textOf)
      .join("\n");
    expect(css).not.toMatch(/url\s*\(|@import|@font-face/i);
  });

  it("has a print stylesheet: A4, a landscape page for the schedule, page breaks, repeated headers", () => {
    const css = all
      .filter((e) => e.tagName === "style")
      .map(textOf)
      .join("\n");
    expect(css).toMatch(/@page \{ size: A4;/);
    expect(css).toMatch(/@page soa \{ size: A4 landscape;/);
    expect(css).toMatch(/thead \{ display: table-header-group; \}/);
    expect(css).toMatch(/section\.major \{ break-before: page; \}/);
    expect(css).toMatch(/li\.criterion\.leaf[^{]*\{ break-inside: avoid; \}/);
  });

  it("has one tick box per criterion and part, each with its protocol id", () => {
    const ids = criterionIds(ir);
    const items = all.filter((e) => e.tagName === "li" && attr(e, "data-criterion"));
    expect(items.map((e) => attr(e, "data-criterion"))).toEqual(ids);
    for (const li of items)
      expect(
        elements(li).some((e) => attr(e, "class") === "box"),
        attr(li, "data-criterion"),
      ).toBe(true);
  });

  it("names, in each part's own heading, the criteria it belongs to; a group's closing text names the group", () => {
    const partOf = (id: string) => {
      const li = all.find((e) => e.tagName === "li" && attr(e, "data-criterion") === id)!;
      const head = elements(li).find((e) => attr(e, "class") === "crit-head")!;
      const label = elements(head).find((e) => attr(e, "class") === "part-of");
      return label ? textOf(label) : null;
    };
    expect(partOf("I3")).toBeNull();
    expect(partOf("I3a")).toBe("part of I3");
    expect(partOf("I3c_b")).toBe("part of I3 › I3c");
    expect(partOf("I10b")).toBe("part of I10");
    expect(byClass("trace-of").map(textOf)).toEqual([
      "Protocol text and reading of I3",
      "Protocol text and reading of I7",
      "Protocol text and reading of I8",
      "Protocol text and reading of I10",
    ]);
  });

  it("prints powers and comparators as a form does, and says which result to copy", () => {
    const heads = byClass("crit-text").map(textOf);
    expect(heads).toContain("Neutrophils ≥ 1.5 × 10³/µL part of I7");
    expect(heads.join(" ")).not.toMatch(/\^|>=|<=|uL/);
    const i6 = byClass("value-field")
      .map(textOf)
      .find((t) => t.startsWith("Glomerular"));
    expect(i6).toMatch(/measured on \(latest result by 51Cr-EDTA, from D0 − 4 weeks to D0 − 1 day\)$/);
  });

  it("draws the schedule of activities with one column per visit, a cycle's visits once", () => {
    const [table] = byClass("soa");
    const visits = elements(table!).filter((e) => e.tagName === "th" && attr(e, "class") === "visit");
    expect(visits).toHaveLength(expectedVisitColumns(ir));
    expect(visits.map(textOf)).toEqual([
      "Before inclusion",
      "Screening and baseline",
      "177Lu-octreotate injection",
      "Post-treatment SPECT/CT dosimetry",
      "Imaging and response evaluation",
    ]);
    // Each procedure row has a cell per column.
    const rows = elements(table!).filter(
      (e) => e.tagName === "tr" && elements(e).some((c) => c.tagName === "th" && attr(c, "scope") === "row"),
    );
    for (const r of rows) expect(elements(r).filter((c) => c.tagName === "td")).toHaveLength(expectedVisitColumns(ir));
  });

  it("draws the timeline as inline SVG with a bar per placed visit", () => {
    const svg = all.filter((e) => e.tagName === "svg");
    expect(svg).toHaveLength(1);
    const bars = elements(svg[0]!).filter((e) => e.tagName === "rect");
    expect(bars).toHaveLength(13);
    const view = attr(svg[0]!, "viewbox") ?? attr(svg[0]!, "viewBox");
    const [, , width] = (view ?? "").split(" ").map(Number);
    for (const b of bars) {
      const x = Number(attr(b, "x"));
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + Number(attr(b, "width"))).toBeLessThanOrEqual(width!);
    }
  });

  it("flags every value that is not from the protocol, with its source", () => {
    const text = textOf(doc);
    // The kidney limit comes from the literature: flagged in the organ table and the appendix.
    const flags = byClass("flag").map((e) => attr(e, "title") ?? "");
    expect(flags.filter((t) => t.startsWith("Emami B et al.")).length).toBeGreaterThanOrEqual(3);
    expect(text).toContain("not from the protocol · literature · emami1991");
    expect(text).toContain("not from the protocol · standard · ctcae 4.03");
    // No rule of the seed is left without protocol text.
    expect(byClass("uncited").map(textOf)).toEqual(["No protocol text"]); // the legend only
  });
});
