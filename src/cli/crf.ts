/**
 * `trialc crf <file.trial> --out <dir> [--format jsonschema|odm|redcap]`: the case
 * report forms of a protocol, in the format a data manager imports. Files are written
 * as a whole (a fresh folder swapped in); nothing is written when the protocol has errors.
 */
import type { IrProtocol } from "../ir/types.js";
import { jsonSchemaFiles } from "../emit/forms/jsonschema.js";
import { emitOdm } from "../emit/forms/odm.js";
import { redcapFiles, REPEATING_FILE } from "../emit/forms/redcap.js";
import { compileProtocol } from "./common.js";
import { EXIT, UserError } from "./io.js";
import { writeOutputDir } from "./output.js";

/** The formats `trialc crf` writes. */
export const CRF_FORMATS = ["jsonschema", "odm", "redcap"] as const;
/** One of {@link CRF_FORMATS}. */
export type CrfFormat = (typeof CRF_FORMATS)[number];

/** Options of `trialc crf`, as commander passes them. */
export interface CrfOptions {
  out: string;
  format?: string;
  force?: boolean;
}

/** The file ODM output is written to. */
export const ODM_FILE = "odm.xml";

/**
 * ODM's CreationDateTime and the PDF's dates: from SOURCE_DATE_EPOCH (the
 * reproducible-builds convention) when set, else the epoch, so that the same protocol
 * always gives the same bytes.
 */
export function creationDateTime(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === "") return "1970-01-01T00:00:00Z";
  if (!/^\d{1,12}$/.test(raw))
    throw new UserError(`SOURCE_DATE_EPOCH must be a whole number of seconds, not "${raw}"`, EXIT.usage);
  return new Date(Number(raw) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** The files of one format, by relative path. */
export function crfFiles(ir: IrProtocol, format: CrfFormat): Map<string, string> {
  switch (format) {
    case "jsonschema":
      return jsonSchemaFiles(ir);
    case "odm":
      return new Map([[ODM_FILE, emitOdm(ir, { createdAt: creationDateTime() })]]);
    case "redcap":
      return redcapFiles(ir);
  }
}

/** Run `trialc crf`; returns the exit code (usage errors are thrown as UserError). */
export function runCrf(file: string, opts: CrfOptions): number {
  const format = opts.format ?? "jsonschema";
  if (!(CRF_FORMATS as readonly string[]).includes(format))
    throw new UserError(`unknown format "${format}": use ${CRF_FORMATS.join(", ")}`, EXIT.usage);
  const ir = compileProtocol(file, true);
  if (!ir) return EXIT.input;
  const files = crfFiles(ir, format as CrfFormat);
  writeOutputDir(opts.out, files, { inputs: [file], force: opts.force });
  process.stderr.write(`wrote ${files.size} ${format} file${files.size === 1 ? "" : "s"} to ${opts.out}\n`);
  if (format === "redcap") {
    const empty = ir.forms.filter((f) => f.elements.length === 0).map((f) => f.name);
    if (empty.length)
      process.stderr.write(
        `note: form${empty.length === 1 ? "" : "s"} ${empty.join(", ")} declare${empty.length === 1 ? "s" : ""} no data elements: no REDCap instrument\n`,
      );
    process.stderr.write(
      `note: enable the repeating instruments listed in ${REPEATING_FILE} (Project Setup → Repeating instruments)\n`,
    );
  }
  return EXIT.ok;
}
