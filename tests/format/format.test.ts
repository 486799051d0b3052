/**
 * The formatter: the document printer, the canonical layout, comments, the verbatim
 * fallback, and `trialc fmt` (stdout, --check, --write).
 */
import { mkdtempSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { group, hardline, indent, line, printDoc, softline } from "../../src/format/doc.js";
import { formatTrial, tokenImages } from "../../src/format/format.js";
import { protocol } from "../helpers.js";
import { trialc } from "../cli/run.js";

const SEED = "protocols/lu177-octreotate.trial";

/** Format text that must parse. */
function fmt(text: string): string {
  const r = formatTrial(text, "t.trial");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.text;
}

describe("the document printer", () => {
  const doc = group(["f(", indent([softline, "a,", line, "b"]), softline, ")"]);
  it("prints a group flat when it fits", () => {
    expect(printDoc(doc, 20)).toBe("f(a, b)");
  });
  it("breaks every line of a group that does not fit, indenting", () => {
    expect(printDoc(doc, 5)).toBe("f(\n  a,\n  b\n)");
  });
  it("breaks a group holding a hard line, but not the groups inside it that fit", () => {
    expect(printDoc(group(["x", indent([line, group(["a", line, "b"]), hardline, "c"])]), 80)).toBe("x\n  a b\n  c");
  });
});

describe("the canonical layout", () => {
  it("puts each item of a block on its own line, indented by two spaces", () => {
    expect(fmt('trial "T"{title "A"    acronym "B"}')).toBe('trial "T" {\n  title "A"\n  acronym "B"\n}\n');
  });
  it("keeps a block with one item on one line when it fits, and breaks it when it does not", () => {
    const short = fmt(protocol('x: boolean "X" form f', 'inclusion I1 "One" {\n  rule x\n}'));
    expect(short).toContain('inclusion I1 "One" { rule x }\n');
    const long = fmt(protocol('x: boolean "X" form f', `inclusion I1 "${"w".repeat(110)}" { rule x }`));
    expect(long).toContain(`inclusion I1 "${"w".repeat(110)}" {\n  rule x\n}\n`);
  });
  it("spaces tokens canonically: none inside parentheses, before commas and colons, after a unary minus", () => {
    const out = fmt(
      protocol(
        'a :  code( p "P" ,q "Q" )  "A" form f\n  n: decimal % range  - 100 to 10 "N" form f',
        'inclusion I1 "x" { rule a in ( p,q ) and n > -30 % }',
      ),
    );
    expect(out).toContain('  a: code(p "P", q "Q") "A" form f\n  n: decimal % range -100 to 10 "N" form f');
    expect(out).toContain("rule a in (p, q) and n > -30 % }");
  });
  it("breaks a long and/or chain before each operator, indented under the rule", () => {
    const names = ["alpha_flag", "beta_flag", "gamma_flag", "delta_flag", "epsilon_flag", "zeta_flag", "eta_flag"];
    const data = names.map((n) => `${n}: boolean "${n}" form f`).join("\n  ");
    const out = fmt(
      protocol(
        data,
        `inclusion I1 "Every flag of the list" {\n  cite seed "x"\n  rule ${names.join(" and ")} and theta_flag_that_is_long }`,
      ),
    );
    expect(out).toContain("  rule alpha_flag\n    and beta_flag\n    and gamma_flag\n");
    expect(out).toContain("\n    and theta_flag_that_is_long\n}\n");
  });
  it("keeps comments where they were: own line, end of line, after a brace, at the end", () => {
    const text = `// header comment

trial "T" { // after the brace
  title "A" // end of line
  /* a block
     comment */
  acronym "B"

  // before the closing brace
}
// last words
`;
    expect(fmt(text)).toBe(text);
  });
  it("keeps an item holding a comment exactly as written, and still formats the rest", () => {
    const text = 'trial "T" {\n  title   "A"\n  registry "X" // inside\n    "Y"\n}\nuse    ctcae "4.03"\n';
    const out = fmt(text);
    expect(out).toContain('  registry "X" // inside\n    "Y"\n');
    expect(out).toContain('  title "A"\n');
    expect(out).toContain('use ctcae "4.03"\n');
  });
  it("keeps at most one blank line between items", () => {
    expect(fmt('use ctcae "4.03"\n\n\n\nuse recist "1.1"\nuse x "1"')).toBe(
      'use ctcae "4.03"\n\nuse recist "1.1"\nuse x "1"\n',
    );
  });
  it("is idempotent on the seed protocol and changes no token, comment or string of it", () => {
    const text = readFileSync(SEED, "utf8");
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    expect(tokenImages(once, true)).toEqual(tokenImages(text, true));
  });
  it("refuses a file that does not parse, returning its diagnostics", () => {
    const r = formatTrial('trial "T" {\n  title "A"\n', "bad.trial");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]?.code).toBe("TRC1020");
  });
});

describe("trialc fmt", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "trialc-fmt-"));

  it("passes --check on protocols/ (the repository stays formatted)", async () => {
    const r = await trialc("fmt", "--check", "protocols");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("--check lists the files that would change and exits 1; --write rewrites them", async () => {
    const d = dir();
    const messy = join(d, "messy.trial");
    const clean = join(d, "sub", "clean.trial");
    writeFileSync(messy, 'use   ctcae "4.03"\n');
    await import("node:fs").then((fs) => fs.mkdirSync(join(d, "sub")));
    writeFileSync(clean, 'use ctcae "4.03"\n');
    const check = await trialc("fmt", "--check", d);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`${messy}\n`);
    const write = await trialc("fmt", "--write", d);
    expect(write.code).toBe(0);
    expect(readFileSync(messy, "utf8")).toBe('use ctcae "4.03"\n');
    expect((await trialc("fmt", "--check", d)).code).toBe(0);
  });

  it("prints the formatted text to stdout without an option", async () => {
    const d = dir();
    writeFileSync(join(d, "a.trial"), 'use   ctcae "4.03"');
    const r = await trialc("fmt", join(d, "a.trial"));
    expect(r).toMatchObject({ code: 0, stdout: 'use ctcae "4.03"\n' });
  });

  it("--write never touches a file that does not parse, and exits 1 with its diagnostics", async () => {
    const d = dir();
    const bad = join(d, "bad.trial");
    writeFileSync(bad, 'trial   "T" {\n  title "A"\n');
    const before = statSync(bad).mtimeMs;
    const r = await trialc("fmt", "--write", bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.trial:2:12: error TRC1020/);
    expect(readFileSync(bad, "utf8")).toBe('trial   "T" {\n  title "A"\n');
    expect(statSync(bad).mtimeMs).toBe(before);
  });

  it("is a usage error with both --check and --write", async () => {
    expect((await trialc("fmt", "--check", "--write", SEED)).code).toBe(2);
  });
});
