/**
 * `trialc schedule`: the text calendar (golden files, reviewed by hand), JSON, an
 * iCalendar file that a strict RFC 5545 reader accepts with the right all-day windows,
 * deterministic output, and bad input reported with the file and JSON path, exit 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { expectGolden } from "../support/golden.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trialc, trialcProcess } from "../cli/run.js";
import { parseIcs } from "./ics.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-schedule-"));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

describe("trialc schedule: text and JSON", () => {
  it("prints the full 4-cycle calendar with windows (the issue's command, as a real process)", () => {
    const r = trialcProcess("schedule", SEED, "--start", "2027-01-04");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectGolden(r.stdout, "tests/schedule/golden/seed-2027-01-04.txt");
    for (const cycle of ["1  ", "2  ", "3  ", "4  "])
      expect(r.stdout).toContain(`\n${cycle}    177Lu-octreotate injection`);
  });

  it("shows statuses, the late visit and the requirements for a recorded course", async () => {
    const r = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-18",
      "--events",
      "protocols/schedules/normal-course.json",
      "--patient",
      "protocols/patients/eligible.json",
    );
    expect(r.code).toBe(0);
    expectGolden(r.stdout, "tests/schedule/golden/normal-course.txt");
  });

  it("marks what is due now and what was missed as of a date", async () => {
    const r = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      "protocols/schedules/in-progress.json",
      "--as-of",
      "2027-03-25",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 +Post-treatment SPECT\/CT dosimetry +2027-01-08 +2027-01-05 to 2027-01-11 +missed/);
    expect(r.stdout).toMatch(
      /1 +Imaging and response evaluation +2027-03-18 +2027-03-15 to 2027-03-22 +early by 3 days \(2027-03-12\)/,
    );
    expect(r.stdout).toContain(
      "Next due: 177Lu-octreotate injection, cycle 2: 2027-03-22 to 2027-04-05 (target 2027-03-29), due now",
    );
  });

  it("prints JSON, the same bytes every time", async () => {
    const args = [
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      "protocols/schedules/stopped.json",
      "--format",
      "json",
    ];
    const a = await trialc(...args);
    const b = await trialc(...args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const r = JSON.parse(a.stdout);
    expect(r.stop.beforeCycle).toBe(3);
    expect(r.cycles).toHaveLength(2);
  });
});

describe("trialc schedule --format ics", () => {
  it("writes a valid iCalendar file: one all-day event per visit spanning its window", async () => {
    const r = await trialc("schedule", SEED, "--start", "2027-01-04", "--format", "ics");
    expect(r.code).toBe(0);
    const cal = parseIcs(r.stdout);
    expect(cal.props.find((p) => p.name === "PRODID")!.value).toBe("-//trialc//trialc 0.1.0//EN");
    expect(cal.events).toHaveLength(13);
    const c2 = cal.events.find((e) => e.get("SUMMARY") === "177Lu-octreotate injection, cycle 2")!;
    // Window 2027-03-22 to 2027-04-05 inclusive: DTEND is the day after (exclusive).
    expect([c2.get("DTSTART"), c2.param("DTSTART", "VALUE"), c2.get("DTEND")]).toEqual([
      "20270322",
      "DATE",
      "20270406",
    ]);
    expect(c2.get("DESCRIPTION")).toContain("Window: 2027-03-22 to 2027-04-05 (target 2027-03-29)");
    expect(c2.get("DESCRIPTION")).toContain("- 30 min: 177Lu-octreotate co-infused (15 min to 30 min)");
    expect(c2.get("DTSTAMP")).toBe("20270104T000000Z");
    expect(c2.get("STATUS")).toBe("TENTATIVE");
  });

  it("is deterministic, keeps UIDs across updates, and escapes the subject", async () => {
    const base = ["schedule", SEED, "--start", "2027-01-04", "--format", "ics", "--subject", "P-001, Smith; J\\r"];
    const a = await trialc(...base);
    const b = await trialc(...base);
    expect(a.stdout).toBe(b.stdout);
    const later = await trialc(...base, "--events", "protocols/schedules/in-progress.json", "--as-of", "2027-03-25");
    const [x, y] = [parseIcs(a.stdout), parseIcs(later.stdout)];
    expect(y.events.map((e) => e.get("UID"))).toEqual(x.events.map((e) => e.get("UID")));
    expect(y.events[0]!.get("DTSTAMP")).toBe("20270325T000000Z");
    expect(x.events[0]!.get("SUMMARY")).toBe("P-001, Smith; J\\r: Screening and baseline");
    expect(a.stdout).toContain("SUMMARY:P-001\\, Smith\\; J\\\\r: Screening and baseline\r\n");
    const missed = y.events.find((e) => e.get("SUMMARY")!.endsWith("Post-treatment SPECT/CT dosimetry, cycle 1"))!;
    expect(missed.get("STATUS")).toBe("CANCELLED");
    // Another subject, other UIDs: two patients' calendars do not overwrite each other.
    const other = parseIcs(
      (await trialc("schedule", SEED, "--start", "2027-01-04", "--format", "ics", "--subject", "P-002")).stdout,
    );
    expect(other.events.map((e) => e.get("UID"))).not.toContain(x.events[0]!.get("UID"));
  });
});

describe("trialc schedule: bad input", () => {
  it("reports every problem in the events with its JSON path, exit 1, and no calendar", async () => {
    const r = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      "protocols/schedules/invalid-events.json",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n").filter(Boolean)).toEqual([
      "protocols/schedules/invalid-events.json: $[1].cycle: cycle 3 is recorded but cycle 2's injection is not",
      `protocols/schedules/invalid-events.json: $[2].visit: unknown visit "dosimetyr"; the protocol's visits are pregnancy, screening, treatment, dosimetry, evaluation`,
      "protocols/schedules/invalid-events.json: $[3].cycle: cycle 5 is beyond the plan: the protocol plans 4 cycles",
      `protocols/schedules/invalid-events.json: $[4].date: "2026-02-30" is not a real date in the form YYYY-MM-DD (years 1900 to 2200)`,
      "protocols/schedules/invalid-events.json: $[5].date: the date the visit took place is required (YYYY-MM-DD)",
    ]);
    const json = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      "protocols/schedules/invalid-order.json",
      "--format",
      "json",
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      errors: [
        {
          input: "events",
          path: "$[2].date",
          message: "out of order: cycle 3 is dated 2027-03-20, not after cycle 2 (2027-03-29)",
        },
      ],
    });
  });

  it("rejects bad dates, files and options with a message, never a stack trace", async () => {
    const start = await trialc("schedule", SEED, "--start", "2027-13-01");
    // A bad date option is a usage error, blamed on the option (as in eval and response).
    expect([start.code, start.stderr]).toEqual([
      2,
      `trialc: --start "2027-13-01" is not a real date in the form YYYY-MM-DD (years 1900 to 2200)\n`,
    ]);
    const asOf = await trialc("schedule", SEED, "--start", "2027-01-04", "--as-of", "soon");
    expect(asOf.code).toBe(2);
    expect(asOf.stderr).toContain('trialc: --as-of "soon" is not a real date');
    const notJson = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--events",
      file("bad.json", '[\n  { "visit": "screening", }\n]'),
    );
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/bad\.json:2:\d+: not valid JSON/);
    const conflict = await trialc(
      "schedule",
      SEED,
      "--start",
      "2027-01-04",
      "--patient",
      "protocols/patients/eligible.json",
    );
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      "protocols/patients/eligible.json: $.anchors.D0: the data say D0 is 2027-01-18 but the options say 2027-01-04",
    );
    expect((await trialc("schedule", SEED, "--start", "2027-01-04", "--format", "xml")).code).toBe(2);
    expect((await trialc("schedule", SEED)).code).toBe(2);
    const none = await trialc(
      "schedule",
      file("none.trial", 'trial "T" { title "No schedule" }\n'),
      "--start",
      "2027-01-04",
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("has no schedule section");
    expect([start, asOf, notJson, conflict, none].map((r) => r.stderr).join("")).not.toMatch(/\n\s+at /);
  });
});
