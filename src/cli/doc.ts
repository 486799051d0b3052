/**
 * `trialc doc <file.trial> [--format md|html|pdf] [--out path]`: the printable protocol
 * summary, generated from the same source as the screening software.
 *
 * Markdown and HTML go to stdout unless `--out` is given; PDF needs `--out` (binary
 * output on a terminal helps no one) and the system's Chromium, which trialc never
 * downloads: without it the command says how to install it and exits 1. The PDF's
 * dates come from SOURCE_DATE_EPOCH, else the epoch (as ODM's), so the same protocol
 * prints the same bytes. Files are written atomically; nothing is written when the
 * protocol has errors.
 */
import { trialcVersion } from "../package-root.js";
import { renderDocument } from "../emit/document/render.js";
import { CHROMIUM_MISSING, findChromium, htmlToPdf } from "../emit/document/pdf.js";
import { compileProtocol } from "./common.js";
import { creationDateTime } from "./crf.js";
import { EXIT, UserError } from "./io.js";
import { checkFileTarget, writeOutputFile } from "./output.js";

/** The formats `trialc doc` writes. */
export const DOC_FORMATS = ["md", "html", "pdf"] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];

export interface DocOptions {
  format?: string;
  out?: string;
  force?: boolean;
}

/** The tool named in every document's colophon (a version, never a date: output is deterministic). */
export const GENERATOR = `trialc ${trialcVersion()}`;

export async function runDoc(file: string, opts: DocOptions): Promise<number> {
  const format = opts.format ?? "md";
  if (!(DOC_FORMATS as readonly string[]).includes(format))
    throw new UserError(`unknown format "${format}": use ${DOC_FORMATS.join(", ")}`, EXIT.usage);
  if (format === "pdf" && !opts.out)
    throw new UserError("--format pdf writes a file: give it with --out, e.g. --out out/protocol.pdf", EXIT.usage);

  const guard = { inputs: [file], force: opts.force };
  if (opts.out) checkFileTarget(opts.out, guard); // before the slow part: refuse early
  const ir = compileProtocol(file, true);
  if (!ir) return EXIT.input;

  if (format === "md" || format === "html") {
    const text = renderDocument(ir, format, GENERATOR);
    if (!opts.out) {
      process.stdout.write(text);
      return EXIT.ok;
    }
    writeOutputFile(opts.out, text, guard);
    process.stderr.write(`wrote ${opts.out}\n`);
    return EXIT.ok;
  }

  // Look for the browser before rendering: a missing Chromium is the likely failure.
  const chromium = findChromium();
  if (!chromium) throw new UserError(CHROMIUM_MISSING, EXIT.input);
  const html = renderDocument(ir, "html", GENERATOR);
  const acronym = ir.trial.meta.find((m) => m.key === "acronym")?.values.join(" ");
  const footer = `${ir.trial.id}${acronym ? ` (${acronym})` : ""} · protocol summary · ${GENERATOR}`;
  let pdf: Uint8Array;
  try {
    pdf = await htmlToPdf(html, footer, chromium, new Date(creationDateTime()));
  } catch (e) {
    throw new UserError(
      `Chromium (${chromium}) could not print the document: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
      EXIT.input,
    );
  }
  writeOutputFile(opts.out!, pdf, guard);
  process.stderr.write(`wrote ${opts.out} (${pdf.length} bytes, printed by ${chromium})\n`);
  return EXIT.ok;
}
