/**
 * Checking a protocol written in the preset units never loads ucum-lhc's tables (a
 * fifth of a command's start-up); a unit outside them does. In a file of its own: a
 * test file runs in a fresh module graph, so nothing else has loaded the tables.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { ucumTablesLoaded, validateUnit } from "../../src/runtime/units.js";

it("the seed protocol checks without ucum-lhc's tables; an unusual unit loads them", () => {
  const r = compileText(readFileSync("protocols/lu177-octreotate.trial", "utf8"), "seed.trial");
  expect(r.ir).not.toBeNull();
  expect(ucumTablesLoaded()).toBe(false);
  expect(validateUnit("[in_i]")).toEqual({ ok: true });
  expect(ucumTablesLoaded()).toBe(true);
});
