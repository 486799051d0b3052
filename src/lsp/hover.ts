/**
 * Hover texts (Markdown): a data element's type, unit, form and codes; a criterion's
 * protocol text, citations and interpretations; a graded term's CTCAE v4.03 grade
 * texts; a definition, parameter, anchor or source; a unit's UCUM meaning.
 */
import { UcumLhcUtils } from "@lhncbc/ucum-lhc";
import type * as A from "../ast/nodes.js";
import { ctcaeTerm } from "../stdlib/ctcae-v4.03.js";
import type { TrialSymbol } from "./index.js";

/** The hover of a declared name. */
export function symbolHover(s: TrialSymbol, text: string): string {
  const src = (span: A.Span) => text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
  switch (s.kind) {
    case "element":
    case "field":
      return elementHover(s.decl as A.ElementDecl, s, src);
    case "criterion": {
      const c = s.decl as A.CriterionDecl;
      const lines = [`**${c.role} ${c.id.text}**: ${c.text}`];
      if (c.body.kind === "Rule") lines.push("```trial\nrule " + src(c.body.expr.span) + "\n```");
      else
        lines.push(
          `${c.body.mode === "all" ? "All" : `At least ${c.body.count}`} of ${c.body.children.map((k) => k.id.text).join(", ")}`,
        );
      lines.push(...traceLines(c.trace));
      return lines.join("\n\n");
    }
    case "define": {
      const d = s.decl as A.DefineDecl;
      const params = d.params.length > 0 ? `(${d.params.map((p) => p.text).join(", ")})` : "";
      return [
        `**define ${d.name.text}${params}**: ${d.label}`,
        "```trial\nrule " + src(d.expr.span) + "\n```",
        ...traceLines(d.trace),
      ].join("\n\n");
    }
    case "define-parameter":
      return `**${s.name}**: a parameter of \`${s.parent?.name ?? ""}\``;
    case "parameter": {
      const p = s.decl as A.ParameterDecl;
      return [`**parameter ${p.name.text}**: ${p.label}`, "= `" + src(p.value.span) + "`", ...traceLines(p.trace)].join(
        "\n\n",
      );
    }
    case "anchor": {
      const a = s.decl as A.AnchorDecl;
      return `**anchor ${a.name.text}**: ${a.label}${a.repeating ? " (repeating: one date per cycle)" : ""}`;
    }
    case "form":
      return `**form ${s.name}**: ${(s.decl as A.FormDecl).label}`;
    case "source": {
      const d = s.decl as A.SourceDecl;
      return `**source ${d.name.text}** (${d.sourceKind}): ${d.citation}`;
    }
    case "grade":
      return gradeHover(s.decl as A.GradeDecl);
    default:
      return `**${s.kind} ${s.name}**` + labelOf(s.decl);
  }
}

function labelOf(decl: unknown): string {
  const label = (decl as { label?: unknown }).label;
  return typeof label === "string" ? `: ${label}` : "";
}

function typeText(e: A.ElementDecl): string {
  const t = e.type;
  switch (t.kind) {
    case "decimal":
      return t.unit ? `decimal ${t.unit.text}` : "decimal";
    case "attestation":
      return `attestation by ${t.by}`;
    case "code":
      return "code";
    default:
      return t.kind;
  }
}

function elementHover(e: A.ElementDecl, s: TrialSymbol, src: (span: A.Span) => string): string {
  const head = `**${s.parent ? `${s.parent.name}.` : ""}${e.name.text}**: \`${typeText(e)}\` — ${e.label}`;
  const facts: string[] = [];
  if (e.type.kind === "decimal" && e.type.unit)
    facts.push(`unit: \`${e.type.unit.text}\` (${ucumMeaning(e.type.unit.text) ?? "UCUM"})`);
  if (e.range) facts.push(`plausible range: ${e.range.low} to ${e.range.high}`);
  if (e.withUln) facts.push("with ULN (upper limit of normal)");
  if (e.withLln) facts.push("with LLN (lower limit of normal)");
  if (e.molarMass) facts.push(`molar mass: ${e.molarMass.value} ${e.molarMass.unit.text}`);
  if (e.codes.length) facts.push(`standard codes: ${e.codes.map((c) => `${c.system.text} \`${c.code}\``).join(", ")}`);
  if (e.select) facts.push(`reads the result \`${src(e.select.span)}\``);
  if (e.form) facts.push(`form: \`${e.form.text}\``);
  if (e.requiredWhen) facts.push(`required when \`${src(e.requiredWhen.span)}\``);
  if (e.captureOnly) facts.push("capture only (no rule reads it)");
  if (e.noun)
    facts.push(`one row is called "${e.noun.singular}"${e.noun.plural ? ` (plural "${e.noun.plural}")` : ""}`);
  if (e.type.kind === "records") facts.push(`fields: ${e.fields.map((f) => `\`${f.name.text}\``).join(", ")}`);
  const lines = [head, facts.map((f) => `- ${f}`).join("\n")];
  if (e.type.kind === "code")
    lines.push(
      "codes:\n" +
        e.type.options
          .map(
            (o) =>
              `- \`${o.code.text}\`: ${o.label}${o.codes.length ? ` (${o.codes.map((c) => `${c.system.text} ${c.code}`).join(", ")})` : ""}`,
          )
          .join("\n"),
    );
  return lines.filter((l) => l !== "").join("\n\n");
}

function traceLines(t: A.Trace): string[] {
  const out: string[] = [];
  for (const c of t.cites) out.push(`> ${c.text}\n\n— cited from \`${c.source.text}\``);
  for (const i of t.interpretations) out.push(`*Interpretation:* ${i.text}${i.ref ? ` (${i.ref})` : ""}`);
  for (const s of t.sources) out.push(`*Source:* \`${s.source.text}\``);
  return out;
}

function gradeHover(g: A.GradeDecl): string {
  const entry = ctcaeTerm(g.term.text);
  if (!entry) return `**grade ${g.term.text}**: not a CTCAE v4.03 term of the table`;
  const grades = (["1", "2", "3", "4", "5"] as const).map((k) => `- grade ${k}: ${entry.gradeTexts[k]}`).join("\n");
  return `**${entry.label}** (CTCAE v${entry.version}), graded from \`${g.from.text}\`\n\n${grades}`;
}

/** The UCUM name of a unit ("gram per deciliter"), or undefined when UCUM does not know it. */
export function ucumMeaning(unit: string): string | undefined {
  try {
    const v = UcumLhcUtils.getInstance().validateUnitString(unit, false);
    if (v.status !== "valid" || !v.unit) return undefined;
    return v.unit.name;
  } catch {
    return undefined;
  }
}

/** The hover of a unit written in the protocol. */
export function unitHover(unit: string): string {
  const name = ucumMeaning(unit);
  return name ? `**${unit}** (UCUM): ${name}` : `**${unit}**: not a valid UCUM unit`;
}
