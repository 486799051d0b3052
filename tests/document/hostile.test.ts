/**
 * A hostile protocol renders as text. Every string a protocol author controls
 * (titles, criterion texts, cites, interpretations and refs, citations, labels of
 * elements, codes, forms, anchors, visits, procedures, parameters, organs) carries
 * HTML, Handlebars and Markdown syntax. The HTML document must parse cleanly with no
 * script, link, image or handler, and show each string verbatim; the Markdown, read
 * by a real Markdown parser (marked, GFM), must do the same.
 */
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { attr, elements, parseHtml, render, textOf } from "./support.js";

/** One line per attack: each must come out as the same text. */
const ATTACKS = [
  `<script>alert("x")</script>`,
  `<img src=x onerror=alert(1)>`,
  `{{constructor.constructor}} {{> partial}} {{{triple}}} {{!comment}}`,
  `"double" 'single' & ampersand &amp; &lt;b&gt;`,
  "| pipe | *star* _under_ `tick` [link](javascript:alert(1)) ![img](x.png)",
  "~~strike~~ $math$ <b>bold</b> \\backslash",
  "# heading",
  "> quote",
  "- item",
  "1. numbered",
];

const HOSTILE = ATTACKS.join(" ¦ ");
/** A .trial string literal (JSON's escaping of quotes, backslashes and newlines is the language's). */
const q = (s: string) => JSON.stringify(s);
/** Each attack at the start of a string too, where Markdown block syntax would bite. */
const lead = (i: number) => q(`${ATTACKS[i % ATTACKS.length]} ${HOSTILE}`);

const PROTOCOL = `trial ${q("T-1")} {
  title ${lead(0)}
  official title ${lead(1)}
  acronym ${lead(2)}
  sponsor ${lead(3)}
  interpretation ${lead(4)} ref ${lead(5)}
}
use ctcae "4.03"
source seed ${lead(6)} protocol
source lit ${lead(7)} literature
anchor inclusion ${lead(8)}
anchor D0 ${lead(9)}
anchor cycle ${lead(0)} repeating
form f ${lead(1)}
data {
  hb: decimal g/dL range 1 to 25 with LLN ${lead(2)} form f
  kind: code(a ${lead(3)}, b "B") ${lead(4)} form f
  doses: records ${lead(5)} form f {
    kidney: decimal Gy range 0 to 100 ${lead(6)}
  }
}
parameter limit ${lead(7)} = 23 Gy {
  source lit
  interpretation ${lead(8)} ref ${lead(9)}
}
define cond ${lead(0)} {
  cite seed ${lead(1)}
  rule kind = a
}
inclusion I1 ${lead(2)} {
  cite seed ${lead(3)}
  interpretation ${lead(4)} ref ${lead(5)}
  all of {
    criterion I1a ${lead(6)} { rule hb >= 9 g/dL }
    criterion I1b ${lead(7)} { rule cond }
  }
}
exclusion E1 ${lead(8)} {
  rule kind = b
}
schedule {
  treatment tx ${lead(9)} {
    dose 7.4 GBq
    route ${lead(0)}
    cycles 2
    first at D0
    spacing 11 wk to 13 wk
  }
  visit screening ${lead(1)} between D0 - 4 wk and D0 - 1 d {
    procedures ${lead(2)}, ${lead(3)}
    cite seed ${lead(4)}
  }
  visit dosimetry ${lead(5)} each cycle between cycle + 1 d and cycle + 7 d {
    procedures ${lead(6)}
  }
}
toxicity {
  organ kidneys ${lead(7)} dose doses.kidney limit limit
  grade anemia ${lead(8)} from hb
  stop kidney_limit ${lead(9)} when cumulative kidneys >= limit
  delay anemia_delay ${lead(0)} when grade anemia >= 3
}
`;

const compiled = compileText(PROTOCOL, "hostile.trial");

/** The text must contain every attack verbatim (whitespace collapsed as a browser shows it). */
function expectEveryAttackAsText(text: string) {
  for (const a of ATTACKS) expect(text, `attack shown as text: ${a}`).toContain(a);
}

/** No element or attribute may come from protocol text. */
function expectNothingActive(html: string, allowed: Set<string>) {
  const { doc, errors } = parseHtml(html);
  const all = elements(doc);
  for (const e of all) {
    expect(allowed.has(e.tagName), `unexpected <${e.tagName}>`).toBe(true);
    for (const a of e.attrs) {
      expect(a.name, `attribute on <${e.tagName}>`).not.toMatch(/^on|^src$/);
      if (a.name === "href") expect(a.value).toMatch(/^#[\w-]+$/);
    }
  }
  return { doc, errors, all };
}

describe("a hostile protocol", () => {
  it("compiles (the attacks are plain strings to the checker)", () => {
    expect(compiled.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(compiled.ir!.eligibility.inclusion[0]!.text.startsWith(ATTACKS[2]!)).toBe(true);
  });

  it("renders as text in HTML: no parse error, no script, no image, no handler, every string verbatim", () => {
    const html = render(compiled.ir!, "html");
    const TEMPLATE_TAGS =
      "html head meta title style body header p h1 h2 h3 h4 table tbody thead tr th td code br nav ol li a main section div span blockquote footer svg desc line text rect g figure figcaption colgroup col caption";
    const { doc, errors, all } = expectNothingActive(html, new Set(TEMPLATE_TAGS.split(" ")));
    expect(errors.map((e) => e.code)).toEqual([]);
    expect(all.some((e) => e.tagName === "script" || e.tagName === "img" || e.tagName === "b")).toBe(false);
    expectEveryAttackAsText(textOf(doc));
    // Handlebars syntax in data is never evaluated: the braces survive in the output.
    expect(html).toContain("{{constructor.constructor}}");
    // Attribute values hold protocol text too (citations in flag titles): quotes are escaped there.
    const titles = all.flatMap((e) => (attr(e, "title") !== undefined ? [attr(e, "title")!] : []));
    expect(titles.some((t) => t.includes(`<img src=x onerror=alert(1)>`))).toBe(true);
  });

  it("renders as text in Markdown: a GFM parser finds no markup in any protocol string", () => {
    const md = render(compiled.ir!, "md");
    const html = marked.parse(md, { async: false, gfm: true }) as string;
    // What the Markdown templates produce, and nothing else: no link, image, code, strike, raw HTML.
    const TEMPLATE_TAGS = "html head body h1 h2 h3 h4 p em strong table thead tbody tr th td ul li input blockquote hr";
    const { doc, all } = expectNothingActive(html, new Set(TEMPLATE_TAGS.split(" ")));
    expect(all.filter((e) => e.tagName === "input").every((e) => attr(e, "type") === "checkbox")).toBe(true);
    // Verbatim text also proves no "|" split a table cell: a split drops the pipe itself.
    expectEveryAttackAsText(textOf(doc));
    // Emphasis only where the templates put it (labels, ids, the official title): "*star*"
    // and "_under_" in protocol text did not become emphasis of their own.
    const emphasised = all.filter((e) => e.tagName === "em" || e.tagName === "strong").map(textOf);
    expect(emphasised).not.toContain("star");
    expect(emphasised).not.toContain("under");
    expect(emphasised.length).toBeGreaterThan(0);
  });
});

describe("line-breaking characters in protocol strings", () => {
  // U+2028 and U+2029 are legal in a .trial string (they are not control characters), but
  // editors, JavaScript and some Markdown tools break lines at them: a heading or a table
  // cell would end in the middle of the protocol's text.
  const BREAKS = ["\u2028", "\u2029"];
  const text = (a: string, b: string) => `${a} first half${BREAKS[0]}second half${BREAKS[1]}${b} end`;
  const protocol = PROTOCOL.replace(/title "[^\n]*"\n/, `title ${q(text("TITLE", "TAIL"))}\n`).replace(
    /inclusion I1 "[^\n]*" \{/,
    `inclusion I1 ${q(text("CRIT", "TAIL"))} {`,
  );
  const ir = compileText(protocol, "breaks.trial").ir!;

  it("are spaces in Markdown: the heading and the table cell keep the whole string on their line", () => {
    const md = render(ir, "md");
    expect(md).not.toMatch(/[\u2028\u2029\u0085\v\f]/);
    const heading = md.split("\n").find((l) => l.startsWith("# "))!;
    expect(heading).toContain("TITLE first half second half TAIL end");
    const cells = md.split("\n").filter((l) => l.includes("CRIT first half"));
    expect(cells.length).toBeGreaterThan(0);
    for (const l of cells) expect(l).toContain("CRIT first half second half TAIL end");
    const html = marked.parse(md, { async: false, gfm: true }) as string;
    expect(textOf(parseHtml(html).doc)).toContain("TITLE first half second half TAIL end");
  });
});
