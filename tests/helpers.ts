/**
 * Test helpers that speak the language: compile a protocol snippet inside a minimal
 * valid protocol, and assert on diagnostics by code and position.
 */
import { expect } from "vitest";
import { compileText, type CompileResult } from "../src/compile.js";
import type { DiagnosticCode } from "../src/diagnostics/codes.js";

/** A minimal protocol around `body`: a trial block, a source, anchors, one form, and `data`. */
export function protocol(data: string, body: string): string {
  return `trial "T-1" { title "Test trial" }
source seed "The test protocol" protocol
anchor inclusion "Inclusion"
anchor D0 "First dose"
form f "Form"
data {
${data}
}
${body}
`;
}

export function compile(text: string, file = "test.trial"): CompileResult {
  return compileText(text, file);
}

/** Compile a snippet; `data` lines go in the data block, `body` after it. */
export function compileSnippet(data: string, body: string): CompileResult {
  return compile(protocol(data, body));
}

/** Codes of the diagnostics, in order. */
export function codes(r: CompileResult): string[] {
  return r.diagnostics.map((d) => d.code);
}

/** Assert one diagnostic with `code` exists whose message matches, and return it. */
export function expectDiagnostic(r: CompileResult, code: DiagnosticCode, message?: RegExp | string) {
  const found = r.diagnostics.filter(
    (d) =>
      d.code === code &&
      (message === undefined || (typeof message === "string" ? d.message.includes(message) : message.test(d.message))),
  );
  expect(
    found,
    `expected ${code} ${message ?? ""} in:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n")}`,
  ).not.toHaveLength(0);
  return found[0]!;
}

/** Assert the compile is clean: no errors (warnings allowed unless `strict`). */
export function expectClean(r: CompileResult, strict = false) {
  const bad = r.diagnostics.filter((d) => strict || d.severity === "error");
  expect(bad.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`)).toEqual([]);
  expect(r.ir).not.toBeNull();
}
