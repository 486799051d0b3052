/**
 * Test support for the case report forms: an ajv (strict, draft 2020-12, ajv-formats)
 * loaded with a protocol's schemas, and two small independent readers used to check
 * the exports: an XML well-formedness checker and an RFC 4180 CSV parser.
 *
 * Why our own readers rather than an npm parser: none is a direct dependency (sax and
 * csv-parse are only in node_modules through ucum-lhc), and both formats are small
 * enough to read strictly here. They are written from the specifications, not from the
 * emitters, and have tests of their own that feed them malformed input.
 */
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidateFunction } from "ajv";
import type { IrProtocol } from "../../src/ir/types.js";
import {
  CODES_KEYWORD,
  COMMON_FILE,
  formFile,
  jsonSchemaFiles,
  PATIENT_FILE,
  schemaBase,
} from "../../src/emit/forms/jsonschema.js";

// Both packages are CommonJS with a default export: TypeScript (NodeNext) sees the module
// object, and the runtime may hand over either it or the export itself.
type AjvClass = typeof Ajv2020Module.default;
type AddFormats = typeof addFormatsModule.default;
const Ajv2020: AjvClass =
  (Ajv2020Module as unknown as { default?: AjvClass }).default ?? (Ajv2020Module as unknown as AjvClass);
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/** A fresh ajv in strict mode with formats: unknown keywords, union types, ignored keywords all throw. */
export function strictAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword(CODES_KEYWORD); // the standard-code annotation: asserts nothing
  return ajv;
}

/** Every schema of `ir` compiled in one strict ajv; `validator(file)` by file name. */
export function formValidators(ir: IrProtocol) {
  const ajv = strictAjv();
  const files = jsonSchemaFiles(ir);
  const schemas = new Map([...files].map(([name, text]) => [name, JSON.parse(text) as { $id: string }]));
  for (const s of schemas.values()) ajv.addSchema(s);
  const base = schemaBase(ir);
  const validator = (file: string): ValidateFunction => {
    const v = ajv.getSchema(base + file);
    if (!v) throw new Error(`no schema ${file}`);
    return v;
  };
  return {
    ajv,
    files,
    schemas,
    validator,
    patient: () => validator(PATIENT_FILE),
    common: () => validator(COMMON_FILE),
    form: (name: string) => validator(formFile(name)),
  };
}

/**
 * `schema` with every reference into the shared definitions followed, so that an
 * element's measured value reads as a whole: each such `$ref` stays (made absolute to
 * `common-defs.schema.json`) and its target is spliced in beside it as `$target`.
 */
export function followShared(schema: unknown, common: { $defs: Record<string, unknown> }): unknown {
  if (Array.isArray(schema)) return schema.map((x) => followShared(x, common));
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    const name =
      k === "$ref" && typeof v === "string"
        ? /^(?:common-defs\.schema\.json)?#\/\$defs\/(.+)$/.exec(v)?.[1]
        : undefined;
    if (name === undefined) out[k] = followShared(v, common);
    else {
      out[k] = `${COMMON_FILE}#/$defs/${name}`;
      out.$target = followShared(common.$defs[name], common);
    }
  }
  return out;
}

/** A patient record split by form: the fields each form captures. */
export function splitByForm(ir: IrProtocol, patient: Record<string, unknown>): Map<string, Record<string, unknown>> {
  return new Map(
    ir.forms.map((f) => [f.name, Object.fromEntries(Object.entries(patient).filter(([k]) => f.elements.includes(k)))]),
  );
}

// ---------------------------------------------------------------------------
// XML

/** A parsed element: attributes decoded and normalised as an XML parser would. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = /^[A-Za-z_:][A-Za-z0-9._:-]*/;
const isXmlChar = (c: number) =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & at ${at}`);
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (named[ref]) return named[ref]!;
    const num = /^#([0-9]+)$/.exec(ref)?.[1] ?? /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1];
    if (num === undefined) throw new Error(`unknown entity &${ref}; at ${at}`);
    const code = ref.startsWith("#x") ? parseInt(num, 16) : parseInt(num, 10);
    if (!isXmlChar(code)) throw new Error(`reference to a character XML forbids (${code}) at ${at}`);
    return String.fromCodePoint(code);
  });
}

/**
 * Parse `text` as well-formed XML 1.0 (no DTD), or throw saying where it is not:
 * one root, balanced tags, unique attributes, every `&` a valid reference, no `<` in
 * text or attributes, no `]]>` in text, only legal characters.
 */
export function parseXml(text: string): XmlElement {
  for (const ch of text)
    if (!isXmlChar(ch.codePointAt(0)!)) throw new Error(`illegal character U+${ch.codePointAt(0)!.toString(16)}`);
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0];
      i += ws.length;
      if (text.startsWith("<?", i)) {
        const end = text.indexOf("?>", i);
        if (end < 0) throw new Error(`unclosed processing instruction at ${i}`);
        i = end + 2;
      } else if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i);
        if (end < 0) throw new Error(`unclosed comment at ${i}`);
        i = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (text[i] !== "<") throw new Error(`expected an element at ${i}`);
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) throw new Error(`bad element name at ${i}`);
    i += 1 + name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const m = /^(\s+)([A-Za-z_:][A-Za-z0-9._:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(i));
      if (!m) break;
      const attr = m[2]!;
      if (Object.hasOwn(attrs, attr)) throw new Error(`attribute ${attr} repeated at ${i}`);
      // Attribute-value normalisation: literal white space becomes a space; references survive.
      attrs[attr] = decode((m[4] ?? m[5]!).replace(/[\t\n\r]/g, " "), i);
      i += m[0].length;
    }
    const close = /^\s*(\/?)>/.exec(text.slice(i));
    if (!close) throw new Error(`malformed start tag <${name}> at ${i}`);
    i += close[0].length;
    const node: XmlElement = { name, attrs, children: [] };
    if (close[1] === "/") return node;
    for (;;) {
      const lt = text.indexOf("<", i);
      if (lt < 0) throw new Error(`<${name}> is never closed`);
      const raw = text.slice(i, lt);
      if (raw.includes("]]>")) throw new Error(`"]]>" in text at ${i}`);
      if (raw.length) node.children.push(decode(raw, i));
      i = lt;
      if (text.startsWith("</", i)) {
        const m = /^<\/([A-Za-z_:][A-Za-z0-9._:-]*)\s*>/.exec(text.slice(i));
        if (!m || m[1] !== name) throw new Error(`expected </${name}> at ${i}`);
        i += m[0].length;
        return node;
      }
      if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i);
        if (end < 0) throw new Error(`unclosed comment at ${i}`);
        i = end + 3;
      } else if (text.startsWith("<![CDATA[", i) || text.startsWith("<!", i) || text.startsWith("<?", i))
        throw new Error(`unexpected markup at ${i}`);
      else node.children.push(element());
    }
  };
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error("missing XML declaration");
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(e: XmlElement): XmlElement[] {
  return [e, ...e.children.flatMap((c) => (typeof c === "string" ? [] : allElements(c)))];
}

/** The text of an element (its text children joined). */
export const textOf = (e: XmlElement): string => e.children.filter((c): c is string => typeof c === "string").join("");

/** The element children named `name`. */
export const childrenNamed = (e: XmlElement, name: string): XmlElement[] =>
  e.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name);

// ---------------------------------------------------------------------------
// CSV

/**
 * Parse RFC 4180 CSV strictly: records end with CRLF, quoted fields double their
 * quotes and may hold commas and line breaks, unquoted fields hold no quote, CR or LF.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  if (!text.endsWith("\r\n")) throw new Error("the last record does not end with CRLF");
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const m = /^[^,"\r\n]*/.exec(text.slice(i))![0];
      field = m;
      i += m.length;
    }
    row.push(field);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} after a field at ${i}`);
  }
  return rows;
}

/** Undo the HTML character references REDCap labels use. */
export function decodeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#(\d+));/g, (_m, name: string, num: string | undefined) =>
    num
      ? String.fromCodePoint(Number(num))
      : ({ amp: "&", lt: "<", gt: ">", quot: '"' } as Record<string, string>)[name]!,
  );
}
