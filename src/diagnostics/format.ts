/**
 * Printing diagnostics: `file:line:col: error TRC2001: message` followed by a code
 * frame with a caret under the span, related spans and the hint; or JSON.
 */
import type { Diagnostic } from "./diagnostic.js";

/**
 * A code frame: the line before, the line itself and carets under the span. Lines end
 * at CR LF, LF or a lone CR, as they do for the lexer's positions.
 */
export function codeFrame(source: string, line: number, column: number, endLine: number, endColumn: number): string {
  const lines = linesOf(source);
  const text = lines[line - 1];
  if (text === undefined) return "";
  const width = String(line).length + 1;
  const gutter = (n: number | "") => `${String(n).padStart(width)} | `;
  const out: string[] = [];
  if (line > 1 && lines[line - 2]!.trim() !== "") out.push(gutter(line - 1) + clip(lines[line - 2]!));
  out.push(gutter(line) + clip(text));
  const end = endLine === line ? Math.max(endColumn, column + 1) : text.length + 1;
  const caretLen = Math.max(1, Math.min(end - column, 200 - column));
  out.push(gutter("") + " ".repeat(Math.max(0, Math.min(column - 1, 200))) + "^".repeat(caretLen));
  return out.join("\n");
}

/**
 * The lines of the last source framed: a file's diagnostics are printed one after the
 * other, and splitting a 20,000-line file again for each of its 200 findings took half
 * a second of `trialc check`.
 */
let framed: { source: string; lines: string[] } | null = null;
function linesOf(source: string): string[] {
  if (framed?.source !== source) framed = { source, lines: source.split(/\r\n|\r|\n/) };
  return framed.lines;
}

/** Very long lines (a 5 MB one-liner) are clipped so a frame stays readable. */
function clip(line: string): string {
  return line.length > 200 ? line.slice(0, 200) + " …" : line;
}

/**
 * The text form of one diagnostic. `sources` maps file names to their text, for frames.
 * A diagnostic about the file as a whole (line 0: it cannot be read, it is too large)
 * names the file alone; none gets a frame of text that was never read.
 */
export function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const s = d.span;
  const place = s.line > 0 ? `${s.file}:${s.line}:${s.column}` : s.file;
  const head = `${place}: ${d.severity} ${d.code}: ${d.message}`;
  const parts = [head];
  const src = sources.get(s.file);
  if (src && s.line > 0) {
    const frame = codeFrame(src, s.line, s.column, s.endLine, s.endColumn);
    if (frame) parts.push(frame);
  }
  for (const r of d.related)
    parts.push(`  ${r.span.line > 0 ? `${r.span.file}:${r.span.line}:${r.span.column}` : r.span.file}: ${r.message}`);
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return parts.join("\n");
}

/** A plain-data form for `--format json`. */
export function diagnosticJson(d: Diagnostic) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span.file,
    line: d.span.line,
    column: d.span.column,
    endLine: d.span.endLine,
    endColumn: d.span.endColumn,
    related: d.related.map((r) => ({
      message: r.message,
      file: r.span.file,
      line: r.span.line,
      column: r.span.column,
    })),
    ...(d.hint ? { hint: d.hint } : {}),
  };
}
