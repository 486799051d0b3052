/**
 * The seed's Markdown document, read back by a GFM parser (marked): the checklist is
 * a task list with one box per criterion and part, and the schedule of activities a
 * table with one column per visit. Structure, not just bytes: the golden file could
 * be wrong in a way a diff review misses (a missing blank line merging two tables).
 */
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { attr, criterionIds, elements, expectedVisitColumns, parseHtml, render, seedIr, textOf } from "./support.js";

const ir = seedIr();
const html = marked.parse(render(ir, "md"), { async: false, gfm: true }) as string;
const all = elements(parseHtml(html).doc);

describe("the seed's Markdown document, rendered", () => {
  it("is a task list with one unticked box per criterion, in protocol order", () => {
    const boxes = all.filter((e) => e.tagName === "input" && attr(e, "type") === "checkbox");
    expect(boxes).toHaveLength(criterionIds(ir).length);
    expect(boxes.every((b) => attr(b, "checked") === undefined)).toBe(true);
    const ids = all
      .filter((e) => e.tagName === "li" && elements(e).some((c) => c.tagName === "input"))
      .map((li) => textOf(elements(li).find((c) => c.tagName === "strong")!));
    expect(ids).toEqual(criterionIds(ir));
  });

  it("has a schedule-of-activities table with one column per visit", () => {
    const tables = all.filter((e) => e.tagName === "table");
    const soa = tables.find((t) => textOf(elements(t).find((c) => c.tagName === "th")!).trim() === "Procedure")!;
    const header = elements(soa).filter((c) => c.tagName === "th");
    expect(header).toHaveLength(1 + expectedVisitColumns(ir));
    expect(textOf(header[3]!).trim()).toBe("Each cycle: 177Lu-octreotate injection");
  });

  it("keeps every section: one level-2 heading each, in order", () => {
    const h2 = all.filter((e) => e.tagName === "h2").map((e) => textOf(e).trim());
    expect(h2).toEqual([
      "Contents",
      "1. Objectives and endpoints",
      "2. Eligibility checklist",
      "3. Definitions used by the criteria",
      "4. Schedule of activities",
      "5. Toxicity grading and stopping rules",
      "6. Response",
      "7. Parameters",
      "8. Data dictionary",
      "9. Where the protocol is ambiguous",
      "Appendix A. Traceability: every rule beside the protocol text",
      "Appendix B. Sources",
    ]);
  });
});
