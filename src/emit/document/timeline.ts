/**
 * The treatment timeline: drawing instructions for an inline SVG, computed from the
 * schedule plan. One lane per visit; each occurrence is a bar from its earliest to
 * its latest day (a cycle's window widens with the spacing between cycles); a visit
 * at a single day is drawn as a short mark. The axis is in weeks from day 0.
 *
 * Only geometry is computed here; the SVG itself is the `timeline` template, which
 * escapes every label like any other protocol text. Coordinates are rounded to one
 * decimal so the output is the same on every machine.
 */
import type { TimelineModel } from "./model-types.js";
import { dayText, type SchedulePlan } from "./schedule-plan.js";
import { durationRangeText } from "./format.js";

const WIDTH = 720;
const PLOT_LEFT = 215;
const PLOT_RIGHT = 700;
const TOP = 24;
const LANE = 34;
const BAR = 14;
/** Candidate tick steps, in weeks: the smallest giving at most 14 ticks is used. */
const STEPS = [1, 2, 4, 8, 13, 26, 52, 104];

/** Characters of a lane label that fit left of the plot at the figure's font size. */
const LABEL_CHARS = 34;

const px = (n: number) => n.toFixed(1);

/** A label cut at a word boundary to fit, with an ellipsis. */
function shorten(s: string, max: number): string {
  if ([...s].length <= max) return s;
  const cut = [...s].slice(0, max - 1).join("");
  const word = cut.replace(/\s+\S*$/, "");
  return `${word.length > max / 2 ? word : cut}…`;
}

/** The timeline of a schedule plan, or null when no visit can be placed in days. */
export function timelineModel(plan: SchedulePlan, treatmentLabel: string): TimelineModel | null {
  const placed = plan.occurrences.filter((o) => o.low !== null && o.high !== null);
  if (placed.length === 0) return null;
  const lows = placed.map((o) => o.low!);
  const highs = placed.map((o) => o.high!);
  const [min, max] = [Math.min(0, ...lows), Math.max(0, ...highs)];
  const step = (STEPS.find((w) => (max - min) / (7 * w) <= 14) ?? STEPS[STEPS.length - 1]!) * 7;
  const d0 = Math.floor(min / step) * step;
  const d1 = Math.max(Math.ceil(max / step) * step, d0 + step);
  const x = (d: number) => PLOT_LEFT + ((d - d0) / (d1 - d0)) * (PLOT_RIGHT - PLOT_LEFT);

  const visits: string[] = [];
  for (const o of placed) if (!visits.includes(o.visit.name)) visits.push(o.visit.name);
  const laneY = (name: string) => TOP + visits.indexOf(name) * LANE;
  const lanes = visits.map((name) => {
    const y = laneY(name);
    const full = placed.find((o) => o.visit.name === name)!.visit.label;
    return { label: shorten(full, LABEL_CHARS), full, y, midY: y + LANE / 2, textY: y + LANE / 2 + 4 };
  });

  const bars = placed.map((o) => {
    const y = laneY(o.visit.name) + (LANE - BAR) / 2;
    const [a, b] = [x(o.low!), x(o.high!)];
    const point = b - a < 4;
    const left = point ? (a + b) / 2 - 2 : a;
    const width = point ? 4 : b - a;
    const days =
      o.low === o.high
        ? `day ${dayText(o.low!, o.approx)}`
        : `days ${dayText(o.low!, o.approx)} to ${dayText(o.high!, o.approx)}`;
    return {
      x: px(left),
      y: px(y),
      width: px(width),
      height: px(BAR),
      label: o.cycle === null ? "" : `C${o.cycle}`,
      labelX: px(left + width / 2),
      labelY: px(y - 2),
      title: `${o.visit.label}${o.cycle === null ? "" : `, cycle ${o.cycle}`}: ${days}`,
      point,
    };
  });

  const axisY = TOP + visits.length * LANE + 4;
  const ticks: { x: string; label: string }[] = [];
  for (let d = d0; d <= d1; d += step) ticks.push({ x: px(x(d)), label: `wk ${d < 0 ? "−" : ""}${Math.abs(d / 7)}` });

  const spacing = plan.treatment?.spacing ? ` every ${durationRangeText(plan.treatment.spacing)}` : "";
  const cycles = plan.cycles === null ? "" : `${plan.cycles} cycles of `;
  return {
    width: WIDTH,
    height: axisY + 30,
    plotLeft: PLOT_LEFT,
    plotRight: PLOT_RIGHT,
    axisY,
    lanes,
    top: TOP,
    bars,
    ticks,
    zeroX: px(x(0)),
    zeroLabel: plan.firstAt ?? "day 0",
    description: `Treatment timeline: ${cycles}${treatmentLabel}${spacing}${plan.firstAt ? ` from ${plan.firstAt}` : ""}. Each bar spans a visit's window, in days from day 0.`,
    rows: placed.map((o) => ({
      visit: o.visit.label,
      cycle: o.cycle === null ? "" : String(o.cycle),
      earliest: dayText(o.low!, o.approx),
      latest: dayText(o.high!, o.approx),
    })),
  };
}
