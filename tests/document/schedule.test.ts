/**
 * The schedule of activities and the timeline, from the IR schedule: visits expanded
 * per cycle, placed in days from D0 with the spacing's minimum and maximum, and drawn
 * inside the figure.
 */
import { describe, expect, it } from "vitest";
import { planSchedule, dayRangeText } from "../../src/emit/document/schedule-plan.js";
import { timelineModel } from "../../src/emit/document/timeline.js";
import { buildDocumentModel } from "../../src/emit/document/model.js";
import { compileSnippet, expectClean } from "../helpers.js";
import { seedIr } from "./support.js";

const seed = seedIr();

describe("the seed's schedule of activities", () => {
  const plan = planSchedule(seed.schedule!, seed.toxicity?.maxCycles ?? null);

  it("expands each-cycle visits per cycle, after the one-off visits before inclusion and before D0", () => {
    expect(plan.cycles).toBe(4);
    expect(plan.occurrences.map((o) => `${o.visit.name}${o.cycle ?? ""}`)).toEqual([
      "pregnancy",
      "screening",
      "treatment1",
      "dosimetry1",
      "evaluation1",
      "treatment2",
      "dosimetry2",
      "evaluation2",
      "treatment3",
      "dosimetry3",
      "evaluation3",
      "treatment4",
      "dosimetry4",
      "evaluation4",
    ]);
  });

  it("places cycle k at D0 + (k − 1) × 77 to 91 days (11 to 13 weeks)", () => {
    const days = Object.fromEntries(plan.occurrences.map((o) => [`${o.visit.name}${o.cycle ?? ""}`, dayRangeText(o)]));
    expect(days.screening).toBe("Day −28 to −1");
    expect(days.treatment1).toBe("Day 0");
    expect(days.dosimetry1).toBe("Day 1 to 7");
    expect(days.evaluation1).toBe("Day 70 to 77");
    expect(days.treatment2).toBe("Day 77 to 91");
    expect(days.dosimetry2).toBe("Day 78 to 98");
    expect(days.treatment4).toBe("Day 231 to 273");
    expect(days.evaluation4).toBe("Day 301 to 350");
  });

  it("builds the table: a cycle's visits once, each in days from its own anchor, never summed across cycles", () => {
    const soa = buildDocumentModel(seed, "test").schedule!.soa;
    expect(soa.groups).toEqual([
      { label: "Before treatment", span: 2 },
      { label: "Each cycle: C1 to C4, 11 to 13 weeks apart", span: 3 },
    ]);
    expect(soa.columns.map((c) => [c.heading, c.window, c.days])).toEqual([
      ["Before inclusion", "inclusion − 4 weeks to inclusion", "Day −28 to 0 from inclusion"],
      ["Screening and baseline", "D0 − 4 weeks to D0 − 1 day", "Day −28 to −1"],
      ["177Lu-octreotate injection", "cycle", "Cycle day 0"],
      ["Post-treatment SPECT/CT dosimetry", "cycle + 1 to 7 days", "Cycle day 1 to 7"],
      ["Imaging and response evaluation", "cycle + 10 to 11 weeks", "Cycle day 70 to 77"],
    ]);
    // Windows that are adopted readings are flagged in the table itself, with their reference.
    expect(soa.columns.map((c) => c.flags.map((f) => `${f.kind}: ${f.source}`))).toEqual([
      [],
      ["interpretation: domain §7.14"],
      [],
      ["interpretation: domain §6"],
      ["interpretation: domain §7.22"],
    ]);
    const row = (p: string) => soa.rows.find((r) => r.procedure === p)!.cells.map((c) => (c.mark ? "X" : "."));
    // The serum pregnancy test belongs to the 4 weeks before inclusion (I10), not before D0.
    expect(row("Serum pregnancy test (women of childbearing potential)").join("")).toBe("X....");
    expect(row("51Cr-EDTA GFR").join("")).toBe(".X...");
    expect(row("68Ga-octreotate PET/CT").join("")).toBe(".X..X");
    expect(row("177Lu-octreotate 7.4 GBq IV").join("")).toBe("..X..");
  });

  it("says plainly that the seed gives no end-of-treatment or follow-up visit, and which visits close the schedule", () => {
    const soa = buildDocumentModel(seed, "test").schedule!.soa;
    // No column is made up: the seed's assessments after treatment are those "after each cycle".
    expect(soa.groups.map((g) => g.label)).not.toContain("After treatment");
    expect(soa.afterTreatment).toBe(
      "the protocol defines no end-of-treatment or follow-up visit. The visits after each cycle (Post-treatment SPECT/CT dosimetry and Imaging and response evaluation) are also done after the last cycle given (C4, or the cycle after which treatment stops), and are the last visits of the schedule.",
    );
    expect(soa.caption).not.toMatch(/end-of-treatment/);
  });

  it("draws every window inside the plot, in date order along each lane", () => {
    const t = timelineModel(plan, "177Lu-octreotate")!;
    expect(t.lanes.map((l) => l.full)).toEqual([
      "Screening and baseline",
      "177Lu-octreotate injection",
      "Post-treatment SPECT/CT dosimetry",
      "Imaging and response evaluation",
    ]);
    expect(t.bars).toHaveLength(13);
    for (const b of t.bars) {
      expect(Number(b.x)).toBeGreaterThanOrEqual(t.plotLeft);
      expect(Number(b.x) + Number(b.width)).toBeLessThanOrEqual(t.plotRight + 0.05);
    }
    // Day 0 lies between the screening window and the first injection.
    const zero = Number(t.zeroX);
    expect(Number(t.bars[0]!.x) + Number(t.bars[0]!.width)).toBeLessThan(zero);
    expect(t.bars[1]!.point).toBe(true);
    expect(Math.abs(Number(t.bars[1]!.x) + 2 - zero)).toBeLessThan(0.11);
    expect(t.ticks.map((k) => k.label)).toContain("wk 0");
    expect(t.description).toBe(
      "Treatment timeline: 4 cycles of 177Lu-octreotate every 11 to 13 weeks from D0. Each bar spans a visit's window, in days from day 0.",
    );
  });
});

describe("schedules the seed does not have", () => {
  const data = `x: boolean "X" form f`;
  const sched = (body: string) => {
    const r = compileSnippet(data, `anchor cycle "Each dose" repeating\n${body}\ninclusion I1 "t" { rule x }`);
    expectClean(r);
    return r.ir!;
  };

  it("shows cycle visits once when no number of cycles is given, and cannot place them in days", () => {
    const ir = sched(`schedule {
  treatment t "Drug" { first at D0 }
  visit v "Visit" each cycle at cycle + 2 d { procedures "Blood draw" }
}`);
    const plan = planSchedule(ir.schedule!, null);
    expect(plan.cycles).toBeNull();
    expect(plan.occurrences).toHaveLength(1);
    expect(plan.occurrences[0]!.low).toBeNull();
    expect(timelineModel(plan, "Drug")).toBeNull();
    const soa = buildDocumentModel(ir, "test").schedule!.soa;
    expect(soa.groups).toEqual([{ label: "Each cycle", span: 1 }]);
    expect(soa.caption).toMatch(/^The protocol gives no number of cycles/);
  });

  it("marks days placed from calendar months as approximate", () => {
    const ir = sched(`schedule {
  treatment t "Drug" { cycles 2 first at D0 spacing 1 mo to 1 mo }
  visit v "Visit" each cycle at cycle { procedures "Dose" }
  visit fu "Follow-up" at D0 + 6 mo { procedures "Scan" }
}`);
    const plan = planSchedule(ir.schedule!, null);
    expect(plan.occurrences.map((o) => dayRangeText(o))).toEqual(["Day 0", "Day ≈30", "Day ≈183"]);
    expect(plan.occurrences.map((o) => o.phase)).toEqual(["cycles", "cycles", "after"]);
    // A follow-up visit the protocol gives is a column of its own, and nothing is said to be missing.
    const soa = buildDocumentModel(ir, "test").schedule!.soa;
    expect(soa.groups.map((g) => g.label)).toEqual(["Each cycle: C1 to C2, 1 to 1 month apart", "After treatment"]);
    expect(soa.afterTreatment).toBeNull();
  });

  it("says there is no visit after treatment, without naming closing visits when no visit follows a cycle", () => {
    const ir = sched(`schedule {
  treatment t "Drug" { cycles 2 first at D0 spacing 3 wk to 3 wk }
  visit v "Dose" each cycle at cycle { procedures "Dose" }
}`);
    expect(buildDocumentModel(ir, "test").schedule!.soa.afterTreatment).toBe(
      "the protocol defines no end-of-treatment or follow-up visit.",
    );
  });
});
