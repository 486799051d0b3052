/**
 * Printing the HTML document to PDF through the system's headless Chromium.
 *
 * trialc never downloads a browser: it uses the Chromium the system has (Debian's
 * `chromium` package), driven by playwright-core, which ships no browser of its own.
 * The browser runs with a fresh, temporary profile, no network (every request is
 * refused: the document is standalone, so nothing should be asked for), no sandbox
 * (it runs as root in CI containers) and no background services.
 */
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { htmlEscape } from "./escape.js";

/** The flags every launch uses: headless, no sandbox, no GPU, nothing phoning home. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What to say when no Chromium is found. */
export const CHROMIUM_MISSING =
  "PDF output prints the HTML document with headless Chromium, and none was found (looked for /usr/bin/chromium, then chromium and chromium-browser on PATH).\n" +
  "Install it with:  apt-get install chromium   (Debian; as root, after apt-get update)\n" +
  "or write the HTML with --format html and print it from any browser.";

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Where to look: `/usr/bin/chromium` first, then `chromium` and `chromium-browser` on PATH. */
export function findChromium(
  path: string = process.env.PATH ?? "",
  exists: (p: string) => boolean = isExecutable,
): string | null {
  if (exists("/usr/bin/chromium")) return "/usr/bin/chromium";
  for (const name of ["chromium", "chromium-browser"])
    for (const dir of path.split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      if (exists(candidate)) return candidate;
    }
  return null;
}

/** An open page with the document loaded, for printing and for browser tests. */
export interface LoadedDocument {
  page: import("playwright-core").Page;
  /** URLs the page tried to fetch (all refused): a standalone document asks for none. */
  requests: string[];
  close(): Promise<void>;
}

/** Open `html` in headless Chromium at `executable`, with a fresh temporary profile and no network. */
export async function openDocument(executable: string, html: string): Promise<LoadedDocument> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "trialc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1100, height: 1400 },
    offline: true,
  });
  const requests: string[] = [];
  try {
    await context.route("**/*", (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(html, { waitUntil: "load" });
    return {
      page,
      requests,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Print a loaded document to an A4 PDF with page numbers in the footer. */
export async function printPdf(doc: LoadedDocument, footerText: string): Promise<Uint8Array> {
  await doc.page.emulateMedia({ media: "print" });
  return doc.page.pdf({
    format: "A4",
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    // The footer is HTML built outside the templates: its protocol text is escaped here.
    footerTemplate: `<div style="font-size:7pt;width:100%;padding:0 14mm;color:#555;display:flex;justify-content:space-between"><span>${htmlEscape(footerText)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  });
}

/**
 * HTML to PDF bytes with the system's Chromium; throws a plain Error with install advice
 * when there is none. The PDF's dates are set to `date` (see {@link fixPdfDates}).
 */
export async function htmlToPdf(
  html: string,
  footerText: string,
  executable: string | null = findChromium(),
  date: Date = new Date(0),
): Promise<Uint8Array> {
  if (!executable) throw new Error(CHROMIUM_MISSING);
  const doc = await openDocument(executable, html);
  try {
    return markGenerated(fixPdfDates(await printPdf(doc, footerText), date));
  } finally {
    await doc.close();
  }
}

/**
 * A PDF comment after the final `%%EOF` (where incremental updates go; readers look for
 * `%%EOF` in the last 1,024 bytes, and it stays there) that marks the file as trialc's, so
 * that `trialc doc --out x.pdf` may replace its own earlier PDF (see cli/output.ts).
 */
export function markGenerated(pdf: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from("%trialc-generated\n", "latin1")]));
}

/**
 * Chromium stamps the PDF's /CreationDate and /ModDate with the time of printing, the only
 * bytes in which two prints of one document differ. Both are rewritten to `date` (UTC),
 * in place and at the same length, so the cross-reference offsets stay right and the same
 * input gives the same bytes.
 */
export function fixPdfDates(pdf: Uint8Array, date: Date): Uint8Array {
  const stamp = date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/\D/g, ""); // YYYYMMDDHHmmSS
  const text = Buffer.from(pdf).toString("latin1");
  const fixed = text.replace(
    /(\/(?:CreationDate|ModDate) ?\(D:)(\d{14})([^)]*)\)/g,
    (_m, head: string, _old: string, zone: string) =>
      // The zone keeps its form and length (Z, +HH, +HH'mm'), made UTC.
      `${head}${stamp}${zone.replace(/^[+-]/, "+").replace(/\d/g, "0")})`,
  );
  return new Uint8Array(Buffer.from(fixed, "latin1"));
}
