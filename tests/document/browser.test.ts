/**
 * The HTML document in a real browser: Debian's Chromium, driven by playwright-core
 * (which never downloads a browser). The page must load with no network request,
 * show the schedule of activities with one column per visit and every criterion id,
 * apply its print stylesheet, and print; in the printed pages (read back with pdftotext)
 * no sub-criterion is separated from the criterion it belongs to, even where a group is
 * longer than a page. Screenshots and the PDFs are saved in test-artifacts/document/ for
 * a person to look at.
 *
 * Without Chromium every test here is skipped, saying so and how to install it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, openDocument, printPdf, type LoadedDocument } from "../../src/emit/document/pdf.js";
import type { IrCriterion } from "../../src/ir/types.js";
import { criterionIds, expectedVisitColumns, render, seedIr } from "./support.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/document/", import.meta.url));
const chromium = findChromium();
const SKIP_NOTE = "Chromium is not installed: browser tests skipped (install it with: apt-get install chromium)";
if (!chromium) process.stderr.write(`tests/document/browser.test.ts: ${SKIP_NOTE}\n`);

const ir = seedIr();
let doc: LoadedDocument | null = null;

beforeAll(async () => {
  if (!chromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const html = render(ir, "html");
  writeFileSync(`${ARTIFACTS}protocol.html`, html);
  doc = await openDocument(chromium, html);
}, 60_000);

afterAll(async () => {
  await doc?.close();
});

describe("the seed's HTML document in Chromium", () => {
  it("loads without asking for anything over the network", ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    expect(doc!.requests).toEqual([]);
  });

  it("shows the schedule of activities with one column per visit", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const page = doc!.page;
    const visits = page.locator("table.soa thead tr.visits th");
    expect(await visits.count()).toBe(expectedVisitColumns(ir));
    expect(await visits.count()).toBe(5);
    // Every procedure row has one cell per visit column, as laid out by the browser.
    const cellsPerRow = await page
      .locator("table.soa tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.querySelectorAll("td").length));
    expect(new Set(cellsPerRow)).toEqual(new Set([5]));
    // The group header spans exactly the visit columns.
    const spans = await page
      .locator("table.soa thead tr.groups th[scope=colgroup]")
      .evaluateAll((ths) => ths.map((t) => Number(t.getAttribute("colspan"))));
    expect(spans.reduce((a, b) => a + b, 0)).toBe(5);
    // On screen the whole table fits the page width: no column is hidden behind a scroll bar.
    const fit = await page.locator(".soa-wrap").evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    await page.locator("table.soa").screenshot({ path: `${ARTIFACTS}schedule-of-activities.png` });
  });

  it("shows every criterion id, each beside Yes / No / N/A boxes that its title never runs under", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const page = doc!.page;
    const text = await page.locator("#eligibility").innerText();
    for (const id of criterionIds(ir)) expect(text, id).toMatch(new RegExp(`(^|\\s)${id}(\\s|$)`));
    const shown = await page.locator("li.criterion .crit-head .crit-id").allInnerTexts();
    expect(shown).toEqual(criterionIds(ir));
    const heads = await page.locator("li.criterion .crit-head").evaluateAll((hs) =>
      hs.map((h) => {
        const boxes = [...h.querySelectorAll(".answers .box")].map((b) => b.getBoundingClientRect().width);
        const labels = [...h.querySelectorAll(".answers .answer")].map((a) => (a.textContent ?? "").trim());
        const title = h.querySelector(".crit-text")!.getBoundingClientRect();
        const answers = h.querySelector(".answers")!.getBoundingClientRect();
        return { boxes, labels, overlap: title.right > answers.left + 0.5 };
      }),
    );
    expect(heads).toHaveLength(criterionIds(ir).length);
    for (const h of heads) {
      expect(h.labels).toEqual(["Yes", "No", "N/A"]);
      for (const w of h.boxes) expect(w).toBeGreaterThan(8);
      expect(h.overlap).toBe(false);
    }
    // A value field (with its unit) and a measurement date for each number a rule reads.
    const i6 = await page.locator("#criterion-I6 .value-field").allInnerTexts();
    expect(i6.join(" ")).toMatch(/Glomerular filtration rate.*mL\/min\/1\.73 m².*measured on/);
    // The reference dates and the investigator's signature block.
    const ref = await page.locator("table.reference-dates th").allInnerTexts();
    expect(ref).toEqual(["Date of inclusion", "Planned first injection (D0)"]);
    const sig = await page.locator(".signature table.signature-block th").allInnerTexts();
    expect(sig).toEqual(["Investigator (name)", "Signature", "Date"]);
    await page.mouse.wheel(0, -1_000_000);
    await page.locator("body").evaluate((b) => b.scrollIntoView());
    await page.screenshot({ path: `${ARTIFACTS}first-page.png` });
  });

  it("draws the timeline with a visible bar for every window", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const sizes = await doc!.page
      .locator("figure.timeline svg rect.bar")
      .evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
    expect(sizes).toHaveLength(13);
    for (const w of sizes) expect(w).toBeGreaterThan(2);
    await doc!.page.locator("figure.timeline").screenshot({ path: `${ARTIFACTS}timeline.png` });
  });

  it("prints on A4 with repeated table headers, and saves the PDF", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const page = doc!.page;
    const pdf = await printPdf(doc!, "NCT01842165 (LuMEn) · protocol summary · browser test");
    // printPdf switched the page to print media: the print rules now apply.
    // (The test files compile without the DOM library: the page code is passed as text.)
    const styles = await page.evaluate(`({
      thead: getComputedStyle(document.querySelector("table.soa thead")).display,
      section: getComputedStyle(document.querySelector("section.major")).breakBefore,
      leaf: getComputedStyle(document.querySelector("li.criterion.leaf")).breakInside,
    })`);
    expect(styles).toEqual({ thead: "table-header-group", section: "page", leaf: "avoid" });
    writeFileSync(`${ARTIFACTS}protocol.pdf`, pdf);
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(50_000);
  }, 60_000);

  it("fits every table on its A4 page: no column runs off the paper", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const page = doc!.page;
    await page.emulateMedia({ media: "print" });
    // The printable width at 96 px/in: A4 portrait 210 mm − 2 × 14 mm; the schedule of
    // activities has a landscape page of its own, 297 mm − 2 × 12 mm.
    const mm = 96 / 25.4;
    const wide = async (width: number, selector: string) => {
      await page.setViewportSize({ width: Math.floor(width * mm), height: 1000 });
      return page.evaluate(
        `[...document.querySelectorAll(${JSON.stringify(selector)})]
          .filter((t) => t.scrollWidth > t.parentElement.clientWidth + 1)
          .map((t) => t.className + " " + t.scrollWidth + " > " + t.parentElement.clientWidth)`,
      );
    };
    try {
      expect(await wide(210 - 28, "table:not(.soa)")).toEqual([]);
      expect(await wide(297 - 24, "table.soa")).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.emulateMedia({ media: "screen" });
    }
  });

  it("never prints a group's first sub-criterion on another page than the group's title", async ({ skip }) => {
    skip(!doc, SKIP_NOTE);
    const pdftotext = spawnSync("pdftotext", ["-v"]);
    skip(pdftotext.error !== undefined, "pdftotext (Debian's poppler-utils) is not installed: page breaks not checked");
    const pdf = await printPdf(doc!, "page-break check");
    const file = `${ARTIFACTS}page-breaks.pdf`;
    writeFileSync(file, pdf);
    const pages = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).stdout.split("\f");
    // The page where a criterion's checklist entry starts: its id at the start of a line, beside "Yes No N/A".
    const pageOf = (id: string) => pages.findIndex((p) => new RegExp(`^\\s*${id}\\s.*Yes\\s+No\\s+N/A`, "m").test(p));
    const groups: [string, string][] = [];
    const walk = (cs: readonly IrCriterion[]) =>
      cs.forEach((c) => {
        if (c.body.kind !== "group") return;
        groups.push([c.id, c.body.children[0]!.id]);
        walk(c.body.children);
      });
    walk([...ir.eligibility.inclusion, ...ir.eligibility.exclusion]);
    expect(groups.length).toBeGreaterThan(3);
    for (const [parent, first] of groups) {
      expect(pageOf(parent), parent).toBeGreaterThanOrEqual(0);
      expect(pageOf(first), `${first}, the first part of ${parent}`).toBe(pageOf(parent));
    }
    // A group that fits on a page is printed whole: the seed's I3 and its five parts.
    for (const id of ["I3a", "I3b", "I3c", "I3c_a", "I3c_b"]) expect(pageOf(id), id).toBe(pageOf("I3"));
  }, 60_000);

  it("names a sub-criterion's parent on every page that holds it, on A4 and where a group is longer than a page", async ({
    skip,
  }) => {
    skip(!doc, SKIP_NOTE);
    skip(spawnSync("pdftotext", ["-v"]).error !== undefined, "pdftotext (poppler-utils) is not installed");
    const page = doc!.page;
    const parents = ancestors(ir);
    expect([...parents.keys()].length).toBeGreaterThan(10);
    // As printed, on A4: wherever the document prints a sub-criterion's id (its checklist entry,
    // the definitions it uses, the data it reads), the page also says which criterion it is part of.
    const a4 = await pdfPages(await printPdf(doc!, "parents on A4"), "parents-a4.pdf");
    expect(unnamedParents(a4, parents)).toEqual([]);
    // Half a page (a bottom margin of 14 cm): I3 and its five parts no longer fit on one page, so
    // a later part starts a page without the group's title above it. Its own entry must name its parents.
    const style = await page.addStyleTag({ content: "@page { margin: 15mm 14mm 140mm; }" });
    try {
      const half = await pdfPages(await printPdf(doc!, "parents on half pages"), "parents-half-page.pdf");
      const i3 = half.findIndex((p) => /^\s*I3\s.*Yes\s+No\s+N\/A/m.test(p));
      const i3cb = half.findIndex((p) => /^\s*I3c_b\s.*Yes/m.test(p));
      expect(i3cb, "I3c_b is on a later page than I3's title").toBeGreaterThan(i3);
      expect(unnamedParents(half, parents)).toEqual([]);
    } finally {
      await style.evaluate((s) => s.remove());
    }
  }, 120_000);
});

/** Every nested criterion id with its ancestors, outermost first (I3c_b → I3, I3c). */
function ancestors(protocol: typeof ir): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (cs: readonly IrCriterion[], above: string[]) =>
    cs.forEach((c) => {
      if (above.length) out.set(c.id, above);
      if (c.body.kind === "group") walk(c.body.children, [...above, c.id]);
    });
  walk([...protocol.eligibility.inclusion, ...protocol.eligibility.exclusion], []);
  return out;
}

/** A PDF's pages as pdftotext lays them out; the PDF is kept in the artifacts for a person to look at. */
async function pdfPages(pdf: Uint8Array, name: string): Promise<string[]> {
  writeFileSync(`${ARTIFACTS}${name}`, pdf);
  return spawnSync("pdftotext", ["-layout", `${ARTIFACTS}${name}`, "-"], { encoding: "utf8" }).stdout.split("\f");
}

/**
 * Pages on which a sub-criterion's id is printed but its criterion is not named: a page must
 * name the outermost criterion of every sub-criterion id on it, and every ancestor of a
 * sub-criterion whose checklist entry (its id beside the Yes / No / N/A boxes) is on it.
 */
function unnamedParents(pages: string[], parents: Map<string, string[]>): string[] {
  const word = (id: string) => new RegExp(`(?<![\\w])${id}(?![\\w])`);
  const missing: string[] = [];
  pages.forEach((text, i) => {
    for (const [id, above] of parents) {
      if (!word(id).test(text)) continue;
      const entry = new RegExp(`^\\s*${id}\\s.*Yes\\s+No\\s+N/A`, "m").test(text);
      for (const parent of entry ? above : above.slice(0, 1))
        if (!word(parent).test(text)) missing.push(`page ${i + 1}: ${id} without ${parent}`);
    }
  });
  return missing;
}
