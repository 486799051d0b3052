/**
 * The iCalendar writer's pieces (TEXT escaping, folding at 75 octets without splitting a
 * UTF-8 character) and the test-side reader: it must refuse broken calendars, or a
 * passing ICS test would prove nothing. Protocol strings full of quotes, comment
 * terminators, separators and line breaks compile into a `schedule.ts` that
 * type-checks, and into a calendar that still reads back unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { compileGenerated, buildFiles } from "../../src/build.js";
import { planSchedule } from "../../src/interpret/schedule.js";
import { escapeText, fold, formatIcs } from "../../src/cli/schedule-ics.js";
import { writeGenerated } from "../generated.js";
import { parseIcs, unescapeText } from "./ics.js";

const VALID = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//t//t//EN",
  "BEGIN:VEVENT",
  "UID:1@t",
  "DTSTAMP:20270104T000000Z",
  "DTSTART;VALUE=DATE:20270104",
  "DTEND;VALUE=DATE:20270105",
  "SUMMARY:A\\, b",
  "END:VEVENT",
  "END:VCALENDAR",
];
const ics = (lines: string[]) => lines.join("\r\n") + "\r\n";
const replace = (from: string, to: string) => ics(VALID.map((l) => (l === from ? to : l)));

describe("iCalendar text", () => {
  it("escapes backslash, semicolon, comma and line breaks, and reads back the same text", () => {
    expect(escapeText('a\\b;c,d\ne\r\nf "g"')).toBe('a\\\\b\\;c\\,d\\ne\\nf "g"');
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const back = unescapeText(escapeText(s), "test");
        expect(back).toBe(
          s.replace(/\r\n|\r|\n|\u2028|\u2029/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " "),
        );
      }),
    );
  });

  it("folds at 75 octets without splitting a character, and unfolding restores the line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (s) => {
        const line = `DESCRIPTION:${escapeText(s)}`;
        const folded = fold(line).split("\r\n");
        for (const l of folded) expect(Buffer.byteLength(l, "utf8")).toBeLessThanOrEqual(75);
        expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(line);
        // No line may end or start inside a character (a lone surrogate half); the input
        // itself may contain U+FFFD, so that is not the sign of a split.
        for (const l of folded) expect((l as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("the reader accepts a minimal valid calendar and refuses each kind of breakage", () => {
    expect(parseIcs(ics(VALID)).events[0]!.get("SUMMARY")).toBe("A, b");
    const broken: [string, string][] = [
      [VALID.join("\n") + "\n", "CRLF"],
      [replace("SUMMARY:A\\, b", `SUMMARY:${"x".repeat(70)}`), "more than 75"],
      [replace("SUMMARY:A\\, b", "SUMMARY:A, b"), 'unescaped ","'],
      [replace("SUMMARY:A\\, b", "SUMMARY:A\\x"), "bad escape"],
      [replace("DTSTAMP:20270104T000000Z", "X-NOTHING:1"), "DTSTAMP must appear exactly once"],
      [replace("DTEND;VALUE=DATE:20270105", "DTEND;VALUE=DATE:20270104"), "DTEND must be after DTSTART"],
      [replace("DTSTART;VALUE=DATE:20270104", "DTSTART;VALUE=DATE:20270230"), "not a real date"],
      [replace("END:VEVENT", "END:VTODO"), "does not close"],
      [replace("VERSION:2.0", "VERSION:1.0"), "VERSION must be 2.0"],
      [ics([...VALID.slice(0, -1), ...VALID.slice(3, -1), "END:VCALENDAR"]), "UIDs are not unique"],
    ];
    for (const [text, why] of broken) expect(() => parseIcs(text), why).toThrow(why);
  });
});

const NASTY =
  String.raw`Quote " back\slash \" tick ${"`"} */ /* ${"${process.exit(1)}"}, semi; colon: ` + " \u2028 end";
const q = (s: string) => JSON.stringify(s);
const PROTOCOL = `trial "T-hostile" { title ${q(NASTY)} }
source seed ${q(NASTY)} protocol
anchor D0 ${q(NASTY)}
anchor cycle ${q(NASTY)} repeating
form f ${q(NASTY)}
data {
  note: text ${q(NASTY)} form f
}
schedule {
  treatment tx ${q(NASTY)} {
    dose 1 GBq
    route ${q(NASTY + "\nline two")}
    cycles 2
    first at D0
    spacing 2 wk to 3 wk
  }
  day ${q(NASTY)} {
    step s1 ${q(NASTY)} at 0 min lasting 1 h to 2 h
  }
  visit v1 ${q(NASTY)} each cycle between cycle + 1 d and cycle + 2 d { procedures ${q(NASTY)}, ${q("a;b,c\\d")} }
  require r1 ${q(NASTY)} each cycle { rule note = ${q(NASTY)} }
}
`;

describe("hostile protocol strings in the schedule", () => {
  it("compile into a schedule.ts that type-checks and agrees with the interpreter, and into a valid calendar", async () => {
    const r = compileText(PROTOCOL, "hostile.trial");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ir = r.ir!;
    const dir = writeGenerated(ir, "schedule-hostile");
    expect(compileGenerated(dir, [...buildFiles(ir).keys()], false)).toEqual([]);
    const mod = (await import(`${dir}/schedule.ts`)) as {
      planSchedule: (s: string, e?: unknown, o?: object) => unknown;
    };
    const events = [{ visit: "tx", cycle: 1, date: "2027-01-04", data: { note: NASTY } }];
    const interpreted = planSchedule(ir, "2027-01-04", events);
    expect(mod.planSchedule("2027-01-04", events)).toEqual(JSON.parse(JSON.stringify(interpreted)));
    if (!interpreted.ok) throw new Error("plan refused");
    expect(interpreted.result.requirements[0]!.verdict).toBe("met");
    const cal = parseIcs(formatIcs(interpreted.result, { version: "0.0.0", subject: NASTY }));
    expect(cal.events.map((e) => e.get("SUMMARY"))).toContain(
      `${NASTY.replace("\u2028", "\n")}: ${NASTY.replace("\u2028", "\n")}, cycle 1`,
    );
    expect(cal.events.filter((e) => e.get("DESCRIPTION")!.includes("; a;b,c\\d\n"))).toHaveLength(2);
  });
});
