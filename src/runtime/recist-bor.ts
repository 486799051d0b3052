/**
 * RECIST 1.1 best overall response (§4.4, §4.6, Table 3) under the convention adopted for
 * this trial (domain README §2.6), in the operational form of admiralonco's
 * `derive_param_confirmed_bor` (pharmaverse/admiralonco, R/derive_param_confirmed_bor.R).
 *
 * Works on time-point responses alone (plus an optional reappearance flag), so it can
 * re-derive BOR from responses recorded elsewhere as well as from `assessTimePoints`.
 */
import { daysBetween, type OverallResponse } from "./recist-types.js";

/** BOR options (README §2.6); `defaultBorOptions` gives the trial's convention. */
export interface BorOptions {
  /** Whether CR/PR need a confirming assessment, and how many days later it must be at least. */
  confirmation: { required: boolean; minIntervalDays: number };
  /** Most NE time points allowed between a response and its confirmation. */
  maxNeBetween: number;
  /** SD counts only from a time point at least this many days after `referenceDate`. */
  sdMinimumDays: number;
  /** D0, the start of treatment ("YYYY-MM-DD"). */
  referenceDate: string;
}

/**
 * The convention of README §2.6: confirmation required, >= 28 days later, at most 1 NE in
 * between, no SD in between (not configurable), SD from a time point >= 42 days after D0.
 */
export function defaultBorOptions(referenceDate: string): BorOptions {
  return { confirmation: { required: true, minIntervalDays: 28 }, maxNeBetween: 1, sdMinimumDays: 42, referenceDate };
}

/**
 * One time-point response as BOR reads it. `reappearance` says whether a malignant lesion is
 * visible again (see `TimePointResult.reappearance`); when absent it is inferred from the
 * label (PR or SD after a CR means disease is back).
 */
export interface BorTimePoint {
  date: string;
  response: OverallResponse;
  reappearance?: boolean;
}

/** How BOR read one time point. */
export interface BorTimePointNote {
  date: string;
  response: OverallResponse;
  /** The response BOR used: PD when a lesion reappeared after a confirmed CR. */
  effective: OverallResponse;
  /** False for time points after the first PD or before the reference date. */
  counted: boolean;
  note?: string;
}

/** Confirmed and unconfirmed BOR, with what decided each. */
export interface BorResult {
  /** The BOR the options ask for: `confirmedBor` when confirmation is required, else `unconfirmedBor`. */
  bor: OverallResponse;
  confirmedBor: OverallResponse;
  unconfirmedBor: OverallResponse;
  /** Date of the first PD (after the reappearance rule), or null. */
  firstPdDate: string | null;
  timePoints: BorTimePointNote[];
  /** Data issues worth a look, e.g. CR followed by PR (Table 3 footnote). */
  warnings: string[];
  explanation: string;
  confirmedExplanation: string;
  unconfirmedExplanation: string;
}

type Confirmation = { ok: true; j: number; ne: number } | { ok: false; why: string };

/**
 * Is the CR or PR at `i` confirmed (README §2.6; admiralonco's rules)? The confirming time
 * point is the first later CR (for CR) or CR/PR (for PR) at least `minIntervalDays` later;
 * between them only CR/NE (CR) or CR/PR/NE (PR) may occur, at most `maxNeBetween` NE, no SD,
 * and for PR no PR after a CR.
 */
function confirm(tps: readonly BorTimePointNote[], i: number, opts: BorOptions): Confirmation {
  const start = tps[i];
  if (start === undefined || (start.effective !== "CR" && start.effective !== "PR"))
    return { ok: false, why: "not a response" };
  const kind = start.effective;
  const confirms: OverallResponse[] = kind === "CR" ? ["CR"] : ["CR", "PR"];
  const j = tps.findIndex(
    (t, k) =>
      k > i && confirms.includes(t.effective) && daysBetween(start.date, t.date) >= opts.confirmation.minIntervalDays,
  );
  if (j < 0)
    return {
      ok: false,
      why: `no ${confirms.join(" or ")} at least ${opts.confirmation.minIntervalDays} days after ${start.date}`,
    };
  const between = tps.slice(i + 1, j).map((t) => t.effective);
  const allowed: OverallResponse[] = kind === "CR" ? ["CR", "NE"] : ["CR", "PR", "NE"];
  const bad = between.find((r) => !allowed.includes(r));
  if (bad !== undefined) return { ok: false, why: `${bad} between ${start.date} and ${tps[j]?.date}` };
  const ne = between.filter((r) => r === "NE").length;
  if (ne > opts.maxNeBetween)
    return { ok: false, why: `${ne} NE between ${start.date} and ${tps[j]?.date} (at most ${opts.maxNeBetween})` };
  const window = [...between, tps[j]?.effective];
  const firstCr = window.indexOf("CR");
  if (kind === "PR" && firstCr >= 0 && window.slice(firstCr).includes("PR"))
    return { ok: false, why: "PR after CR within the confirmation window" };
  return { ok: true, j, ne };
}

/**
 * Best overall response (RECIST 1.1 §4.4, §4.6, Table 3; README §2.6):
 * - time points are read in date order; those before `referenceDate` and after the first PD
 *   are not counted; PD itself never needs confirmation;
 * - after a confirmed CR, a time point where a lesion reappears is PD (EORTC FAQ, whose note
 *   recommends that the CR be confirmed);
 * - confirmed BOR: CR if a CR is confirmed; else PR if a PR is confirmed; else SD if a CR, PR or
 *   SD time point lies >= `sdMinimumDays` after the reference date; else PD if there was PD; else NE;
 * - unconfirmed BOR: the same ladder with any CR or PR time point sufficing.
 * Table 3 "CR then PR" (a data issue: footnote a, admiralonco) is reported in `warnings`.
 * Only a *confirmed* CR turns a later reappearance into PD, so Table 3's "otherwise PD" for an
 * unconfirmed CR followed by SD, with the SD minimum not met, comes out NE here (admiralonco agrees).
 */
export function bestOverallResponse(timePoints: readonly BorTimePoint[], opts: BorOptions): BorResult {
  const sorted = [...timePoints].sort((a, b) => daysBetween(b.date, a.date));
  const notes: BorTimePointNote[] = [];
  const counted: BorTimePointNote[] = [];
  let crConfirmedOn: string | undefined;
  let firstPd: string | null = null;
  for (const tp of sorted) {
    const n: BorTimePointNote = { date: tp.date, response: tp.response, effective: tp.response, counted: false };
    notes.push(n);
    if (firstPd !== null) {
      n.note = `after the first PD (${firstPd}): ignored`;
      continue;
    }
    if (daysBetween(opts.referenceDate, tp.date) < 0) {
      n.note = `before the reference date ${opts.referenceDate}: ignored`;
      continue;
    }
    const back = tp.reappearance ?? (tp.response === "PR" || tp.response === "SD");
    if (crConfirmedOn !== undefined && back && tp.response !== "PD") {
      n.effective = "PD";
      n.note = `lesion reappeared after the CR confirmed on ${crConfirmedOn} → PD`;
    }
    n.counted = true;
    counted.push(n);
    if (n.effective === "PD") firstPd = n.date;
    if (crConfirmedOn === undefined && n.effective === "CR" && confirmsEarlierCr(counted, opts)) crConfirmedOn = n.date;
  }
  const fb = fallback(counted, opts);
  const ladder = confirmedLadder(counted, opts);
  const [confirmedBor, confirmedExplanation] = ladder.found ?? [fb[0], [...ladder.tried, fb[1]].join("; ")];
  const best = counted.find((t) => t.effective === "CR") ?? counted.find((t) => t.effective === "PR");
  const [unconfirmedBor, unconfirmedExplanation] = best
    ? [best.effective, `${best.effective} on ${best.date} (unconfirmed)`]
    : fb;
  const required = opts.confirmation.required;
  return {
    bor: required ? confirmedBor : unconfirmedBor,
    confirmedBor,
    unconfirmedBor,
    firstPdDate: firstPd,
    timePoints: notes,
    warnings: crThenPr(counted),
    explanation: required
      ? `confirmed BOR ${confirmedBor}: ${confirmedExplanation}`
      : `unconfirmed BOR ${unconfirmedBor}: ${unconfirmedExplanation}`,
    confirmedExplanation,
    unconfirmedExplanation,
  };
}

/** Whether the last counted time point (a CR) confirms an earlier CR. */
function confirmsEarlierCr(counted: readonly BorTimePointNote[], opts: BorOptions): boolean {
  const last = counted.length - 1;
  return counted.some((t, k) => {
    if (k >= last || t.effective !== "CR") return false;
    const c = confirm(counted, k, opts);
    return c.ok && c.j === last;
  });
}

/** The first confirmed CR, else the first confirmed PR; otherwise why each candidate failed. */
function confirmedLadder(
  counted: readonly BorTimePointNote[],
  opts: BorOptions,
): { found?: [OverallResponse, string]; tried: string[] } {
  const tried: string[] = [];
  for (const kind of ["CR", "PR"] as const) {
    for (let i = 0; i < counted.length; i++) {
      const t = counted[i];
      if (t?.effective !== kind) continue;
      const c = confirm(counted, i, opts);
      const to = c.ok ? counted[c.j] : undefined;
      if (c.ok && to !== undefined) {
        const days = daysBetween(t.date, to.date);
        return {
          found: [
            kind,
            `${kind} on ${t.date} confirmed by ${to.effective} on ${to.date} (${days} days >= ${opts.confirmation.minIntervalDays}, ${c.ne} NE between)`,
          ],
          tried,
        };
      }
      if (!c.ok) tried.push(`${kind} on ${t.date} not confirmed: ${c.why}`);
    }
  }
  return { tried };
}

/** Below a (confirmed) response: SD once its minimum is met, else PD if there was PD, else NE. */
function fallback(counted: readonly BorTimePointNote[], opts: BorOptions): [OverallResponse, string] {
  const sd = counted.find(
    (t) =>
      t.effective !== "PD" && t.effective !== "NE" && daysBetween(opts.referenceDate, t.date) >= opts.sdMinimumDays,
  );
  if (sd)
    return [
      "SD",
      `SD: ${sd.effective} on ${sd.date}, ${daysBetween(opts.referenceDate, sd.date)} days >= ${opts.sdMinimumDays} after ${opts.referenceDate}`,
    ];
  const pd = counted.find((t) => t.effective === "PD");
  if (pd) return ["PD", `PD on ${pd.date}; no earlier time point qualifies as SD (>= ${opts.sdMinimumDays} days)`];
  return [
    "NE",
    counted.length === 0
      ? "no evaluable time point"
      : `no SD at least ${opts.sdMinimumDays} days after ${opts.referenceDate}, no PD`,
  ];
}

/** Table 3 footnote a: CR followed (past any NE) by PR is a data issue to review. */
function crThenPr(counted: readonly BorTimePointNote[]): string[] {
  const out: string[] = [];
  let lastNonNe: BorTimePointNote | undefined;
  for (const t of counted) {
    if (t.effective === "PR" && lastNonNe?.effective === "CR") {
      out.push(
        `CR on ${lastNonNe.date} followed by PR on ${t.date}: if the CR was real the PR is progression, if it was really a PR relabel it (RECIST 1.1 Table 3, footnote a); review the images`,
      );
    }
    if (t.effective !== "NE") lastNonNe = t;
  }
  return out;
}
