/**
 * Completion: what may be written at the cursor, from the text before it.
 *   - after `any|all|none|count <records> where …`: that record's fields first;
 *   - after `<element> <op> <number> `: UCUM units the element's unit converts to;
 *   - after `<code element> =`, `!=` or `in (…`: the element's code values;
 *   - otherwise: the names in scope (data elements, definitions, parameters, anchors)
 *     and the keywords.
 */
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import type * as A from "../ast/nodes.js";
import { keywords } from "../../grammar/tokens.js";
import { commensurability } from "../runtime/units.js";
import type { Analysis, TrialSymbol } from "./index.js";
import { ucumMeaning } from "./hover.js";

/** Units authors write, offered when compatible with the element's unit. */
const COMMON_UNITS = [
  "g/dL",
  "g/L",
  "mg/dL",
  "mg/L",
  "ug/L",
  "ng/mL",
  "mmol/L",
  "umol/L",
  "mol/L",
  "10*3/uL",
  "10*9/L",
  "10*6/uL",
  "10*12/L",
  "/uL",
  "/L",
  "U/L",
  "%",
  "mL/min",
  "mL/min/{1.73_m2}",
  "mm",
  "cm",
  "m",
  "kg",
  "g",
  "mg",
  "GBq",
  "MBq",
  "mCi",
  "Gy",
  "mGy",
  "a",
  "mo",
  "wk",
  "d",
  "h",
  "min",
  "s",
  "[IU]/L",
  "kU/L",
  "mmHg",
];

const KIND: Partial<Record<TrialSymbol["kind"], CompletionItemKind>> = {
  element: CompletionItemKind.Variable,
  field: CompletionItemKind.Field,
  define: CompletionItemKind.Function,
  "define-parameter": CompletionItemKind.Variable,
  parameter: CompletionItemKind.Constant,
  anchor: CompletionItemKind.EnumMember,
};

const item = (s: TrialSymbol, sortText: string): CompletionItem => {
  const label = (s.decl as { label?: unknown }).label;
  return {
    label: s.name,
    kind: KIND[s.kind] ?? CompletionItemKind.Reference,
    detail: `${s.kind}${typeof label === "string" ? `: ${label}` : ""}`,
    sortText: sortText + s.name,
  };
};

/** Completions at `offset` of the analysed text (the last good analysis is fine: only names are read). */
export function complete(a: Analysis, text: string, offset: number): CompletionItem[] {
  const before = text.slice(Math.max(0, offset - 400), offset);
  const element = (name: string) =>
    a.symbols.find((s) => (s.kind === "element" || s.kind === "field") && s.name === name);

  // A unit after a number compared with an element.
  const unitPlace = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:<=|>=|!=|<|>|=)\s*-?[0-9]+(?:\.[0-9]+)?\s+[^\s]*$/.exec(before);
  if (unitPlace) {
    const e = element(unitPlace[1] as string)?.decl as A.ElementDecl | undefined;
    if (e && e.type.kind === "decimal" && e.type.unit) {
      const from = e.type.unit.text;
      const molar = e.molarMass?.value;
      return COMMON_UNITS.filter((u) => {
        try {
          const c = commensurability(from, u, molar);
          return c === "same" || (c === "needs-molar-mass" && molar !== undefined);
        } catch {
          return false;
        }
      }).map((u, i) => ({
        label: u,
        kind: CompletionItemKind.Unit,
        detail: ucumMeaning(u) ?? "UCUM unit",
        sortText: String(i).padStart(3, "0"),
      }));
    }
  }

  // Code values after `=`, `!=` or inside `in (`.
  const codePlace = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|!=|in\s*\(\s*(?:[A-Za-z0-9_]+\s*,\s*)*)\s*[A-Za-z0-9_]*$/.exec(
    before,
  );
  if (codePlace) {
    const e = element(codePlace[1] as string)?.decl as A.ElementDecl | undefined;
    if (e && e.type.kind === "code")
      return e.type.options.map((o) => ({ label: o.code.text, kind: CompletionItemKind.EnumMember, detail: o.label }));
  }

  const out: CompletionItem[] = [];
  // Record fields after `where`.
  const quantified = /\b(?:any|all|none|count)\s+([A-Za-z_][A-Za-z0-9_]*)\s+where\b[^{}]*$/.exec(before);
  if (quantified) {
    const record = a.symbols.find((s) => s.kind === "element" && s.name === quantified[1]);
    for (const f of a.symbols.filter((s) => s.kind === "field" && s.parent === record)) out.push(item(f, "0"));
  }
  for (const s of a.symbols) {
    if (s.kind === "element" || s.kind === "define" || s.kind === "parameter" || s.kind === "anchor")
      out.push(item(s, "1"));
    if (s.kind === "define-parameter") {
      const d = s.decl as A.DefineDecl;
      if (d.span.start <= offset && offset <= d.span.end) out.push(item(s, "0"));
    }
  }
  for (const k of keywords) out.push({ label: k.word, kind: CompletionItemKind.Keyword, sortText: "2" + k.word });
  return out;
}
