/**
 * Rendering the document model with Handlebars templates kept as files:
 * `templates/<format>/document.hbs` is the page, every other `.hbs` beside it is a
 * partial named after its file (one per section).
 *
 * Each format gets its own Handlebars environment, with only the helpers registered
 * here, compiled with `strict` (a misspelt field is an error, not an empty string)
 * and `knownHelpersOnly` (no implicit helper calls). HTML output is escaped by
 * Handlebars at every `{{ }}`; Markdown output is escaped up front, string by string,
 * in the model (see escape.ts), and rendered with `noEscape`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import type { IrProtocol } from "../../ir/types.js";
import { buildDocumentModel } from "./model.js";
import type { DocumentModel } from "./model-types.js";
import { escapeStrings, markdownEscape } from "./escape.js";

/** The text formats a document is rendered to (PDF is HTML printed by a browser). */
export type DocumentFormat = "md" | "html";

/** The templates, kept as files beside this source (`npm run build` copies them beside the bundle). */
const TEMPLATES = fileURLToPath(new URL("./templates/", import.meta.url));

/** The helpers the templates may call, and nothing else. */
const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  /** `{{join list ", "}}`: a list of strings on one line. */
  join: (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === "string" ? sep : ", ") : ""),
  /** `{{#if (eq a b)}}`: equality of two plain values. */
  eq: (a: unknown, b: unknown) => a === b,
  /** `{{inc @index}}`: 1-based numbering. */
  inc: (n: unknown) => (typeof n === "number" ? n + 1 : n),
  /** `{{indent depth}}`: Markdown list indentation for nested criteria (two spaces a level). */
  indent: (n: unknown) => (typeof n === "number" ? "  ".repeat(n) : ""),
  /** `{{#if (any a b)}}`: true when any argument is a non-empty list or a truthy value. */
  any: (...args: unknown[]) => args.slice(0, -1).some((a) => (Array.isArray(a) ? a.length > 0 : Boolean(a))),
};

const compiled = new Map<DocumentFormat, Handlebars.TemplateDelegate>();

/** Compile a format's templates once: the page and its partials. */
function template(format: DocumentFormat): Handlebars.TemplateDelegate {
  const cached = compiled.get(format);
  if (cached) return cached;
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  const options: CompileOptions = {
    strict: true,
    knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((n) => [n, true])),
    knownHelpersOnly: true,
    noEscape: format === "md",
    preventIndent: format === "md",
  };
  const dir = join(TEMPLATES, format);
  let page: string | null = null;
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".hbs")) continue;
    const text = readFileSync(join(dir, file), "utf8");
    const name = basename(file, ".hbs");
    if (name === "document") page = text;
    else hb.registerPartial(name, hb.compile(text, options));
  }
  if (page === null) throw new Error(`no document.hbs in ${dir}`);
  const fn = hb.compile(page, options);
  compiled.set(format, fn);
  return fn;
}

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/** Render a view model. */
export function renderModel(model: DocumentModel, format: DocumentFormat): string {
  const data = format === "md" ? escapeStrings(model, markdownEscape) : model;
  const out = template(format)(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  // One trailing newline and no trailing spaces: stable bytes for golden files.
  return out
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\s*$/, "\n");
}

/** Render a protocol's document. `generator` names the tool in the colophon (no date: output is deterministic). */
export function renderDocument(ir: IrProtocol, format: DocumentFormat, generator: string): string {
  return renderModel(buildDocumentModel(ir, generator), format);
}
