/**
 * A small XML writer for the ODM export. Every text and attribute value goes through
 * `xmlText` / `xmlAttr`, so a protocol label with `<`, `&`, quotes, line breaks or
 * `]]>` comes out as data, never as markup. No CDATA sections are written at all.
 */

/**
 * Characters XML 1.0 cannot carry, not even as character references: C0 controls
 * other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. They become U+FFFD
 * (the replacement character) rather than making the file unreadable.
 */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: `&`, `<` and `>` escaped (`>` too, so `]]>` can never appear). */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * An attribute value for double quotes. Tab, LF and CR are written as character
 * references because a parser would otherwise normalise them to spaces.
 */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

/** Attributes in the order given; undefined values are left out. */
export type Attrs = ReadonlyArray<readonly [string, string | undefined]>;

/** A node: an element with attributes and children, or text. */
export type XmlNode = { name: string; attrs: Attrs; children: XmlNode[] } | { text: string };

/** Build an element. */
export function el(name: string, attrs: Attrs = [], children: XmlNode[] = []): XmlNode {
  return { name, attrs, children };
}

/** An element holding only text. */
export function textEl(name: string, attrs: Attrs, text: string): XmlNode {
  return el(name, attrs, [{ text }]);
}

/** Serialise with two-space indentation; elements holding text stay on one line. */
export function render(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const walk = (n: XmlNode, depth: number): void => {
    const pad = "  ".repeat(depth);
    if ("text" in n) {
      out.push(pad + xmlText(n.text));
      return;
    }
    const attrs = n.attrs
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${xmlAttr(v as string)}"`)
      .join("");
    if (n.children.length === 0) out.push(`${pad}<${n.name}${attrs}/>`);
    else if (n.children.every((c) => "text" in c))
      out.push(
        `${pad}<${n.name}${attrs}>${n.children.map((c) => xmlText((c as { text: string }).text)).join("")}</${n.name}>`,
      );
    else {
      out.push(`${pad}<${n.name}${attrs}>`);
      for (const c of n.children) walk(c, depth + 1);
      out.push(`${pad}</${n.name}>`);
    }
  };
  walk(root, 0);
  return out.join("\n") + "\n";
}
