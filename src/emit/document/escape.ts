/**
 * Escaping protocol text for the two output families.
 *
 * HTML is escaped by Handlebars itself: every `{{ }}` in the HTML templates goes
 * through its escaper, and no HTML template uses the triple-stash. `htmlEscape` here
 * is for the few strings built outside templates (the PDF footer).
 *
 * Markdown has no such hook in Handlebars (its escaper is one shared function), so
 * the Markdown renderer escapes the whole view model instead: every string leaf is
 * passed through `markdownEscape` exactly once, then rendered without further
 * escaping. The model holds only plain text (no markup), so escaping every string
 * is both complete and never double.
 */

/**
 * Characters that change the meaning of inline Markdown (CommonMark and GFM) wherever
 * they stand: code spans, emphasis, links, raw HTML, autolinks, table cells,
 * strikethrough, math, entities, heading closers.
 */
const MD_SPECIAL = /[\\`*[\]<|~$&#]/g;

/**
 * Protocol text as inert Markdown: backslashes, backticks, `*`, `[`, `]`, `<`, `|`, `~`,
 * `$`, `&` and `#` are backslash-escaped; `_` too, except inside a word (where
 * CommonMark never reads it as emphasis, so `I3c_a` stays readable); line breaks
 * (CR, LF, and the vertical tab, form feed, NEL, U+2028 and U+2029 that editors and
 * some Markdown tools break at) become spaces, because every string is printed within
 * one line (a heading, a table cell, a list item). `>` and list markers only matter at the start of a line, and no
 * template starts a line with a model string (the hostile-protocol test renders
 * strings that start with "# ", "> ", "- " and "1. " through a Markdown parser).
 */
export function markdownEscape(s: string): string {
  return s
    .replace(/\s*(?:\r\n|[\n\v\f\r\u0085\u2028\u2029])\s*/g, " ")
    .replace(MD_SPECIAL, "\\$&")
    .replace(/_/g, (u, at: number, all: string) =>
      /[\p{L}\p{N}]/u.test(all[at - 1] ?? "") && /[\p{L}\p{N}]/u.test(all[at + 1] ?? "") ? u : "\\_",
    );
}

/** Apply `escape` to every string in a plain-data value (objects, arrays, strings). */
export function escapeStrings<T>(value: T, escape: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return escape(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as inert HTML, for strings built outside the templates. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
