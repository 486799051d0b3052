/**
 * The import rules each folder's README states, enforced over the import statements,
 * so the architecture cannot drift silently. The pipeline (README "How it is built",
 * `src/compile.ts`): grammar + src/syntax → src/check → src/ir → src/lower → targets
 * (src/interpret, src/emit/*), with src/runtime what evaluating code (and generated
 * modules) run on. No target imports another; nothing but the CLI and the top-level
 * pipeline files (`src/compile.ts`, `src/build.ts`) imports a target.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Per folder: what it may import besides itself (`types`: type-only imports), which packages
 * (`typePackages`: packages of types, type-only imports), Node built-ins.
 */
const RULES: Record<
  string,
  { may: string[]; types?: string[]; packages?: string[] | "any"; typePackages?: string[]; node?: boolean }
> = {
  grammar: { may: [], packages: ["chevrotain"], node: true },
  "src/ast": { may: [] },
  "src/diagnostics": { may: [], types: ["src/ast"] },
  "src/syntax": { may: ["grammar", "src/ast", "src/diagnostics"], packages: ["chevrotain"] },
  "src/check": { may: ["src/ast", "src/ir", "src/diagnostics", "src/runtime", "src/stdlib"], node: true },
  "src/ir": { may: [], types: ["src/runtime"] },
  "src/lower": { may: ["src/ir"], types: ["src/runtime"] },
  // FHIR R4's types (@types/fhir, imported as "fhir/r4.js") type the FHIR import; nothing of them runs.
  "src/runtime": {
    may: [],
    packages: ["decimal.js", "temporal-polyfill", "@lhncbc/ucum-lhc", "zod"],
    typePackages: ["fhir"],
  },
  "src/stdlib": { may: ["src/runtime"] },
  "src/interpret": { may: ["src/ir", "src/lower", "src/runtime"] },
  "src/emit/typescript": { may: ["src/ir", "src/lower", "src/runtime"] },
  "src/emit/forms": { may: ["src/ir", "src/runtime"], node: true },
  "src/emit/sql": { may: ["src/ir", "src/runtime"] },
  "src/emit/document": { may: ["src/ir"], packages: ["handlebars", "playwright-core"], node: true },
  // The pipeline's own files: compile.ts (no target), build.ts (the build writer).
  src: {
    may: ["src/syntax", "src/check", "src/ir", "src/lower", "src/diagnostics", "src/emit"],
    packages: "any",
    node: true,
  },
  "src/cli": { may: ["src"], packages: "any", node: true },
  // The authoring tools read the syntax tree and the checker's results, never a target.
  "src/format": { may: ["grammar", "src/syntax", "src/diagnostics"], packages: ["chevrotain"] },
  "src/lsp": {
    may: ["grammar", "src/syntax", "src/check", "src/diagnostics", "src/format", "src/stdlib", "src/runtime"],
    types: ["src/ast", "src/ir"],
    packages: ["chevrotain", "vscode-languageserver", "vscode-languageserver-textdocument", "@lhncbc/ucum-lhc"],
    node: true,
  },
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? d.name === "generated"
        ? []
        : files(join(dir, d.name))
      : d.name.endsWith(".ts")
        ? [join(dir, d.name)]
        : [],
  );
/** The rule folder of a path: its longest matching key. */
const folderOf = (path: string): string =>
  Object.keys(RULES)
    .filter((k) => path === k || path.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0]!;
const within = (path: string, folders: string[]): boolean =>
  folders.some((f) => path === f || path.startsWith(`${f}/`));

/** Every import of a file: static (multi-line too), re-exports, side-effect and dynamic imports. */
function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const re =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(re)].map((m) => ({ spec: (m[3] ?? m[4])!, typeOnly: m[2] !== undefined }));
}

const violations: string[] = [];
for (const file of [...files("src"), ...files("grammar")]) {
  const rule = RULES[folderOf(dirname(file))]!;
  const own = folderOf(dirname(file));
  for (const { spec, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
    const bad = (why: string) => violations.push(`${file} imports "${spec}": ${why}`);
    if (spec.startsWith("node:")) {
      if (!rule.node) bad("no Node built-ins here");
    } else if (!spec.startsWith(".")) {
      const among = (list: string[] | undefined) => (list ?? []).some((p) => spec === p || spec.startsWith(`${p}/`));
      if (rule.packages !== "any" && !among(rule.packages) && !(typeOnly && among(rule.typePackages)))
        bad("package not allowed here");
    } else {
      const target = relative(".", join(dirname(file), spec)).replace(/\.js$/, "");
      const folder = folderOf(dirname(target)) ?? target;
      if (folder === own || within(target, rule.may)) continue;
      if (!(typeOnly && within(target, rule.types ?? []))) bad(`${own} may not import ${folder}`);
    }
  }
}

describe("import rules (see each folder's README)", () => {
  it("holds for every file of src/ and grammar/", () => expect(violations).toEqual([]));

  it("reads multi-line, type-only and dynamic imports", () => {
    const found = importsOf(
      'import {\n  a,\n  b,\n} from "./x.js";\nimport type { T } from "../y.js";\nawait import("./z.js");',
    );
    expect(found).toEqual([
      { spec: "./x.js", typeOnly: false },
      { spec: "../y.js", typeOnly: true },
      { spec: "./z.js", typeOnly: false },
    ]);
  });
});

/** The packages a module loads, following its non-type relative imports (dynamic ones too). */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { spec, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
      if (typeOnly || spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) visit(join(dirname(file), spec).replace(/\.js$/, ".ts"));
      else packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe("what a command loads at start", () => {
  // Each package loaded is start-up time: the date library's (an Intl.DateTimeFormat at
  // load) was about 25 ms of every check, for the one comparison helper it was reached by.
  it("trialc check loads the parser, decimals and units only", () => {
    expect([...packagesLoadedBy("src/cli/check.ts")].sort()).toEqual(["@lhncbc/ucum-lhc", "chevrotain", "decimal.js"]);
  });
});
