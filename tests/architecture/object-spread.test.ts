/**
 * No object literal in the compiler or its run-time begins with a spread and goes on
 * with more properties (`{ ...base, kind: "x" }`). On Node 20 (V8 11.3) such a literal
 * gives each object it makes a hidden class of its own: about 1 µs for each property
 * after the spread, a map and descriptor array allocated per object, and every later
 * read of those objects (the IR's nodes, read by every target) misses V8's inline
 * caches. `Object.assign({}, base, { kind: "x" })` gives the same keys in the same
 * order (a replaced key keeps its place) with shared hidden classes; so do a literal
 * written out and a spread that comes last or alone. docs/benchmarks.md has the figures.
 *
 * Where the spread object's keys are the user's (patient data, anchor names), the spread
 * stays: Object.assign sets a "__proto__" key through its setter, a spread copies it as
 * data. Such a literal is marked by a comment on the line above it that starts with
 * "leading spread kept:" and says why.
 *
 * The check reads the TypeScript syntax tree of every source file, so that comments and
 * strings cannot hide or fake a match; the test's own probe shows it finds one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );

/** `file:line` of each object literal that starts with a spread followed by more properties. */
function leadingSpreads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isObjectLiteralExpression(node) &&
      node.properties.length > 1 &&
      ts.isSpreadAssignment(node.properties[0]!) &&
      !kept(source, node)
    ) {
      found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Whether the line just above the one the literal starts on is a "leading spread kept:" comment with a reason. */
function kept(source: ts.SourceFile, node: ts.Node): boolean {
  const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
  return /^\s*\/\/ leading spread kept: \S/.test(source.text.split("\n")[line - 1] ?? "");
}

describe("object literals", () => {
  it("the probe finds a leading spread followed by properties, and only that", () => {
    const probe = [
      "const a = { ...base, kind: 'x' };", // found
      "const b = { kind: 'x', ...base };", // a trailing spread: fine
      "const c = { ...base };", // a lone spread: fine
      "// { ...base, kind: 'x' } in a comment",
      "const d = '{ ...base, kind }';",
      "// leading spread kept: the keys are the user's",
      "const e = { ...data, kind: 'x' };",
      "// leading spread kept:",
      "const f = { ...data, kind: 'x' };", // a marker that gives no reason does not count
    ].join("\n");
    expect(leadingSpreads("probe.ts", probe)).toEqual(["probe.ts:1", "probe.ts:9"]);
  });

  it("none in src/ or grammar/ begins with a spread and goes on", () => {
    const found = [...files("src"), ...files("grammar")].flatMap((f) => leadingSpreads(f, readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });
});
