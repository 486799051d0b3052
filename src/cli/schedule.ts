/**
 * `trialc schedule <file.trial> --start DATE [--events events.json] [--as-of DATE]
 * [--patient patient.json] [--anchor NAME=DATE...] [--subject ID] [--format text|json|ics]`:
 * a patient's treatment calendar from the first injection date, with the recorded
 * events' statuses. Bad input (events, patient data, dates) is reported with the file
 * and the JSON path of every problem, exit 1, and no calendar is printed.
 */
import { trialcVersion } from "../package-root.js";
import { planSchedule } from "../interpret/schedule.js";
import type { ScheduleProblem } from "../runtime/schedule.js";
import { anchorOptions, compileProtocol, MAX_PRINTED_PROBLEMS, optionDate, readJson } from "./common.js";
import { EXIT, UserError } from "./io.js";
import { formatIcs } from "./schedule-ics.js";
import { formatSchedule } from "./schedule-text.js";

/** The command's options, as commander parses them. */
export interface ScheduleCliOptions {
  start: string;
  events?: string;
  asOf?: string;
  patient?: string;
  anchor?: string[];
  subject?: string;
  format: string;
}

const FORMATS = ["text", "json", "ics"];

/** Where a problem is, in the user's terms: the events file, the patient file, an option. */
function where(p: ScheduleProblem, file: string, opts: ScheduleCliOptions): string {
  switch (p.input) {
    case "events":
      return `${opts.events ?? "events"}: ${p.path}`;
    case "patient":
      return `${opts.patient ?? "patient"}: ${p.path}`;
    case "start":
      return `--start ${opts.start}`;
    case "options":
      return p.path === "asOf"
        ? `--as-of ${opts.asOf ?? ""}`
        : p.path.startsWith("anchors.")
          ? `--anchor ${p.path.slice(8)}`
          : p.path;
    case "protocol":
      return `${file}: ${p.path}`;
  }
}

/** Run the command; returns the exit code (0, 1 bad input or protocol; usage errors throw). */
export function runSchedule(file: string, opts: ScheduleCliOptions): number {
  if (!FORMATS.includes(opts.format))
    throw new UserError(`--format must be "text", "json" or "ics", not "${opts.format}"`, EXIT.usage);
  // Dates checked before the protocol is compiled, and blamed on their option.
  optionDate("--start", opts.start);
  if (opts.asOf !== undefined) optionDate("--as-of", opts.asOf);
  anchorOptions({ anchor: opts.anchor });
  const ir = compileProtocol(file);
  if (!ir) return EXIT.input;
  const anchors = anchorOptions({ anchor: opts.anchor }, ir);
  if (!ir.schedule) throw new UserError(`${file} has no schedule section`);
  const events = opts.events === undefined ? undefined : readJson(opts.events);
  if (events === null)
    throw new UserError(`${opts.events}: $: the events file holds null: give an array of events ([] for none)`);
  const patient = opts.patient === undefined ? undefined : readJson(opts.patient);
  const outcome = planSchedule(
    ir,
    opts.start,
    events,
    Object.assign(
      {},
      opts.asOf !== undefined ? { asOf: opts.asOf } : {},
      patient !== undefined ? { patient } : {},
      Object.keys(anchors).length ? { anchors } : {},
    ),
  );
  if (!outcome.ok) {
    if (opts.format === "json")
      process.stdout.write(JSON.stringify({ ok: false, errors: outcome.errors }, null, 2) + "\n");
    for (const e of outcome.errors.slice(0, MAX_PRINTED_PROBLEMS))
      process.stderr.write(`${where(e, file, opts)}: ${e.message}\n`);
    if (outcome.errors.length > MAX_PRINTED_PROBLEMS)
      process.stderr.write(`… and ${outcome.errors.length - MAX_PRINTED_PROBLEMS} more problems\n`);
    return EXIT.input;
  }
  const result = outcome.result;
  if (opts.format === "json") process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else if (opts.format === "ics") {
    process.stdout.write(
      formatIcs(result, { version: trialcVersion(), ...(opts.subject !== undefined ? { subject: opts.subject } : {}) }),
    );
  } else process.stdout.write(formatSchedule(result));
  return EXIT.ok;
}
