/**
 * A plan as an iCalendar file (RFC 5545) that calendar programs import: one all-day
 * VEVENT per visit spanning its window (DTEND is exclusive, so the day after the
 * window's last day), CRLF line endings, lines folded at 75 octets without splitting a
 * UTF-8 character, TEXT values escaped (`\`, `;`, `,`, newlines).
 *
 * The output depends on the input only: UIDs are hashes of the protocol, the subject,
 * the start date, the visit and the cycle (so re-importing an updated plan updates the
 * same events), and DTSTAMP is the as-of date (or the start), never the clock.
 */
import { createHash } from "node:crypto";
import type { PlannedVisit, ScheduleResult } from "../runtime/schedule.js";
import { formatRange } from "../runtime/schedule-day.js";
import { parseDate } from "../runtime/time.js";
import { statusText } from "./schedule-text.js";

/** Escape a TEXT value (RFC 5545 §3.3.11); other control characters are not allowed, so they become spaces. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, "\\n")
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, " ");
}

/** Fold a content line into lines of at most 75 octets; continuation lines start with one space. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = "";
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, "utf8");
    if (octets + n > 75) {
      out.push(cur);
      cur = " ";
      octets = 1;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join("\r\n");
}

const basic = (iso: string) => iso.replace(/-/g, "");
const dayAfter = (iso: string) => parseDate(iso)!.add({ days: 1 }).toString();

/** A stable, unique id for one visit of one patient's plan. */
function uid(r: ScheduleResult, v: PlannedVisit, subject: string | undefined): string {
  const h = createHash("sha256")
    .update(JSON.stringify([r.protocol.id, r.protocol.sha256, subject ?? "", r.start, v.visit, v.cycle]))
    .digest("hex");
  return `${h.slice(0, 32)}@trialc`;
}

/** VEVENT STATUS: what happened is CONFIRMED, a missed visit CANCELLED, an upcoming one TENTATIVE. */
const EVENT_STATUS = {
  done: "CONFIRMED",
  early: "CONFIRMED",
  late: "CONFIRMED",
  missed: "CANCELLED",
  not_applicable: "CANCELLED",
  upcoming: "TENTATIVE",
} as const;

function description(r: ScheduleResult, v: PlannedVisit): string {
  const lines = [
    `Window: ${v.window.low === v.window.high ? v.window.low : `${v.window.low} to ${v.window.high}`} (target ${v.target})`,
    `Status: ${statusText(v)}`,
    `Planned from: ${v.from.anchor} ${v.from.date}${v.from.recorded ? "" : " (planned)"}`,
  ];
  if (v.procedures.length) lines.push(`Procedures: ${v.procedures.join("; ")}`);
  if (r.day && v.visit === r.treatment?.visit) {
    lines.push(`${r.day.label}:`);
    for (const s of r.day.steps)
      lines.push(
        `- ${s.start ? formatRange(s.start) : (s.order ?? "untimed")}: ${s.label}${s.lasting ? ` (${formatRange(s.lasting)})` : ""}`,
      );
  }
  lines.push(`Protocol: ${r.protocol.id} (${r.protocol.source}, sha256 ${r.protocol.sha256})`);
  return lines.join("\n");
}

/** The whole calendar. `version` goes into PRODID. */
export function formatIcs(r: ScheduleResult, opts: { version: string; subject?: string }): string {
  const stamp = `${basic(r.asOf?.date ?? r.start)}T000000Z`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:-//trialc//trialc ${opts.version}//EN`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  for (const v of r.visits) {
    const who = opts.subject ? `${opts.subject}: ` : "";
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uid(r, v, opts.subject)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basic(v.window.low)}`,
      `DTEND;VALUE=DATE:${basic(dayAfter(v.window.high))}`,
      `SUMMARY:${escapeText(`${who}${v.label}${v.cycle === null ? "" : `, cycle ${v.cycle}`}`)}`,
      `DESCRIPTION:${escapeText(description(r, v))}`,
      `STATUS:${EVENT_STATUS[v.status]}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
