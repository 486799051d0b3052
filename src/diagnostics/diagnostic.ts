/**
 * Diagnostics: what every stage reports instead of throwing.
 *
 * Each diagnostic has a stable code from the catalog (`codes.ts`), a severity,
 * a message in the protocol author's terms and the span it points at, plus
 * optional related spans ("first defined here").
 */
import type { Span } from "../ast/nodes.js";
import { CODES, formatMessage, type DiagnosticCode, type MessageKey, type MessageParams } from "./codes.js";

export type Severity = "error" | "warning";

export interface Related {
  message: string;
  span: Span;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  related: Related[];
  /** A suggestion the author can apply, e.g. the name they probably meant. */
  hint?: string;
}

/**
 * Make a diagnostic from the catalog: its severity, and its message from the template
 * `key` of `code` filled with `params`. The general entry point of every stage.
 */
export function report<C extends DiagnosticCode, K extends MessageKey<C>>(
  code: C,
  key: K,
  params: MessageParams<C, K>,
  span: Span,
  extra: { related?: Related[]; hint?: string } = {},
): Diagnostic {
  return diag(code, formatMessage(code, key, params), span, extra);
}

/** A diagnostic with its message already made; the severity comes from the catalog. */
function diag(
  code: DiagnosticCode,
  message: string,
  span: Span,
  extra: { related?: Related[]; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, message, span, related: extra.related ?? [] };
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.code.localeCompare(b.code),
  );
}
