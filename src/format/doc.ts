/**
 * A small Wadler/Prettier-style document builder: the formatter describes the layout it
 * wants (`group`, `indent`, `line`, `softline`, `hardline`) and `printDoc` decides where
 * lines break. A group is printed flat (every `line` a space, every `softline` nothing)
 * when it fits in the remaining width and holds no hard line break; otherwise each of its
 * own line breaks becomes a newline at the current indentation.
 */

/** A document: text, a sequence, or one of the layout commands below. */
export type Doc = string | Doc[] | Group | Indent | Line | Verbatim;

/** Print the contents flat if they fit, else break every `line` directly inside. */
export interface Group {
  kind: "group";
  contents: Doc;
  /** Set by `propagateBreaks` when the contents hold a hard break: never flat. */
  broken?: boolean;
}
/** Indent the lines that break inside `contents` by one more level. */
export interface Indent {
  kind: "indent";
  contents: Doc;
}
/** A possible line break: a space (or nothing when `soft`) when flat; always a newline when `hard`. */
export interface Line {
  kind: "line";
  soft?: boolean;
  hard?: boolean;
}
/** Source text printed exactly as written, line breaks and indentation included. */
export interface Verbatim {
  kind: "verbatim";
  text: string;
}

export const group = (contents: Doc): Group => ({ kind: "group", contents });
export const indent = (contents: Doc): Indent => ({ kind: "indent", contents });
/** A space when flat, a newline when the group breaks. */
export const line: Line = { kind: "line" };
/** Nothing when flat, a newline when the group breaks. */
export const softline: Line = { kind: "line", soft: true };
/** Always a newline; the groups around it break too. */
export const hardline: Line = { kind: "line", hard: true };
export const verbatim = (text: string): Verbatim => ({ kind: "verbatim", text });

/** `docs` separated by `separator`. */
export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

/** Whether `doc` must break: it holds a hard line or multi-line verbatim text. Marks the groups that do. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  switch (doc.kind) {
    case "line":
      return doc.hard === true;
    case "verbatim":
      return doc.text.includes("\n");
    case "indent":
      return propagateBreaks(doc.contents);
    case "group":
      doc.broken = propagateBreaks(doc.contents) || doc.broken === true;
      return doc.broken;
  }
}

type Mode = "flat" | "break";
interface Frame {
  ind: number;
  mode: Mode;
  doc: Doc;
}

/** Whether the frames in `rest` (in flat mode for `first`) fit in `width` columns before the next newline. */
function fits(first: Frame, rest: readonly Frame[], width: number): boolean {
  const stack: Frame[] = [first];
  let restIndex = rest.length - 1;
  let remaining = width;
  while (remaining >= 0) {
    let frame = stack.pop();
    if (frame === undefined) {
      if (restIndex < 0) return true;
      frame = rest[restIndex--] as Frame;
    }
    const { mode, doc } = frame;
    if (typeof doc === "string") remaining -= doc.length;
    else if (Array.isArray(doc))
      for (let i = doc.length - 1; i >= 0; i--) stack.push({ ind: frame.ind, mode, doc: doc[i] as Doc });
    else if (doc.kind === "verbatim") {
      const newline = doc.text.indexOf("\n");
      if (newline >= 0) return remaining - newline >= 0;
      remaining -= doc.text.length;
    } else if (doc.kind === "indent") stack.push({ ind: frame.ind, mode, doc: doc.contents });
    else if (doc.kind === "group") stack.push({ ind: frame.ind, mode: doc.broken ? "break" : mode, doc: doc.contents });
    else if (mode === "break" || doc.hard) return true;
    else remaining -= doc.soft ? 0 : 1;
  }
  return false;
}

/** Lay `doc` out in `width` columns, indenting by `indentWidth` spaces a level. */
export function printDoc(doc: Doc, width: number, indentWidth = 2): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let column = 0;
  const stack: Frame[] = [{ ind: 0, mode: "break", doc }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { ind, mode, doc: d } = frame;
    if (typeof d === "string") {
      out.push(d);
      column += d.length;
    } else if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push({ ind, mode, doc: d[i] as Doc });
    } else if (d.kind === "verbatim") {
      out.push(d.text);
      const newline = d.text.lastIndexOf("\n");
      column = newline >= 0 ? d.text.length - newline - 1 : column + d.text.length;
    } else if (d.kind === "indent") {
      stack.push({ ind: ind + indentWidth, mode, doc: d.contents });
    } else if (d.kind === "group") {
      const flat: Frame = { ind, mode: "flat", doc: d.contents };
      const next =
        !d.broken && fits(flat, stack, width - column) ? flat : { ind, mode: "break" as Mode, doc: d.contents };
      stack.push(next);
    } else if (mode === "flat" && !d.hard) {
      if (!d.soft) {
        out.push(" ");
        column++;
      }
    } else {
      // Trailing spaces never survive a line break.
      while (out.length > 0 && / +$/.test(out[out.length - 1] as string))
        out[out.length - 1] = (out[out.length - 1] as string).replace(/ +$/, "");
      out.push("\n" + " ".repeat(ind));
      column = ind;
    }
  }
  return out.join("");
}
