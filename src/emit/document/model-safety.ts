/**
 * Toxicity and response as view models: organ dose limits, CTCAE grading (with the
 * standard's own words, carried in the IR), the stop and delay rules, the lesion
 * response categories and the RECIST settings the protocol chose.
 */
import type { IrResponse, IrToxicity, IrToxRule } from "../../ir/types.js";
import { durationText, quantityText, unitText } from "./format.js";
import { plainRule } from "./plain-language.js";
import { comparators } from "./model-eligibility.js";
import { libraryFlag, parameterFlags, traceModel, type DocContext } from "./model-common.js";
import type { MetaModel, ResponseModel, RuleModel, ToxicityModel } from "./model-types.js";

export function toxicityModel(ctx: DocContext, t: IrToxicity): ToxicityModel {
  const field = (records: string, name: string) => ctx.elements.get(records)?.fields?.find((f) => f.name === name);
  const rule = (r: IrToxRule): RuleModel => ({
    name: r.name,
    label: r.label,
    rule: comparators(plainRule(r.when, ctx.plain)) + maxDelayText(r),
    ruleSource: r.when.text,
    when: "Before each cycle",
    trace: traceModel(ctx, r.trace),
  });
  const lib = libraryFlag(ctx, "ctcae");
  return {
    organs: t.organs.map((o) => ({
      label: o.label,
      dose: `${field(o.records, o.field)?.label ?? o.field} (${ctx.elements.get(o.records)?.label ?? o.records})`,
      limit: quantityText(o.limit.value, o.limit.unit),
      limitLabel: ctx.params.get(o.limit.param)?.label ?? o.limit.param,
      flags: parameterFlags(ctx, o.limit.param),
    })),
    grades: t.grades.map((g) => ({
      label: g.label,
      term: g.term,
      element: `${ctx.elements.get(g.element)?.label ?? g.element}${g.unit ? `, ${unitText(g.unit).times ? "× " : ""}${unitText(g.unit).text}` : ""}`,
      texts: (g.gradeTexts ?? []).map((x) => ({ grade: x.grade, text: x.text })),
    })),
    gradeSource: `${lib.citation}.`,
    stops: t.rules.filter((r) => r.action === "stop").map(rule),
    delays: t.rules.filter((r) => r.action === "delay").map(rule),
    maxCycles: t.maxCycles === null ? null : String(t.maxCycles),
    trace: traceModel(ctx, t.trace),
  };
}

export function responseModel(ctx: DocContext, r: IrResponse): ResponseModel {
  const lesion = r.lesion;
  const recist = r.recist;
  const measured = lesion ? ctx.elements.get(lesion.records)?.fields?.find((f) => f.name === lesion.field) : undefined;
  return {
    lesion: lesion
      ? {
          measured: `${measured?.label ?? lesion.field} (${ctx.elements.get(lesion.records)?.label ?? lesion.records})`,
          reference:
            lesion.reference === "baseline"
              ? "baseline (the first measurement)"
              : "nadir (the smallest measurement so far)",
          categories: lesion.categories.map((c) => ({
            label: c.label,
            rule: c.when ? plainRule(c.when, ctx.plain) : "Otherwise",
          })),
          trace: traceModel(ctx, lesion.trace),
        }
      : null,
    recist: recist ? { settings: recistSettings(ctx, recist), trace: traceModel(ctx, recist.trace) } : null,
    trace: traceModel(ctx, r.trace),
  };
}

/** The choices RECIST 1.1 leaves to the protocol, in words. */
function recistSettings(ctx: DocContext, r: NonNullable<IrResponse["recist"]>): MetaModel[] {
  const days = (n: number) => durationText({ amount: String(n), unit: "d" });
  const rows: MetaModel[] = [
    {
      key: "Confirmation of CR and PR",
      value: r.confirmation.required
        ? `required, at least ${days(r.confirmation.minIntervalDays)} after the first response`
        : "not required",
    },
    {
      key: "Not-evaluable assessments allowed between a response and its confirmation",
      value: String(r.maxNotEvaluableBetween),
    },
    {
      key: "Minimum time for stable disease",
      value: r.stableDiseaseMinimum
        ? `${days(r.stableDiseaseMinimum.days)} after ${r.stableDiseaseMinimum.anchor}`
        : "none set",
    },
    { key: "Size recorded for a lesion too small to measure", value: quantityText(r.tooSmallToMeasureMm, "mm") },
  ];
  // The standard itself, for the reader who wants the rest of the rules.
  rows.push({ key: "Standard", value: libraryFlag(ctx, "recist").citation });
  return rows;
}

/** A delay's limit, as a sentence after the rule: "The delay lasts at most 6 weeks …". */
function maxDelayText(r: IrToxRule): string {
  if (r.action !== "delay") return "";
  if (!r.maxDelay) return ". The protocol gives no maximum delay.";
  const then = r.maxDelay.then.kind === "stop" ? "treatment stops" : r.maxDelay.then.text;
  return `. The delay lasts at most ${durationText(r.maxDelay.duration)} from the date the cycle was due; after that, ${then}.`;
}
