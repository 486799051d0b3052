/**
 * Golden documents for the seed protocol: the Markdown and HTML `trialc doc` writes,
 * checked byte for byte against reviewed files in `golden/`. A change to a template,
 * to the wording or to the protocol shows up here as a diff to review.
 *
 * To refresh after a reviewed change: UPDATE_GOLDEN=1 npx vitest run tests/document/golden.test.ts
 * (then read the diff of tests/document/golden/ before committing it).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { render, seedIr } from "./support.js";

const GOLDEN = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

describe.each([
  ["md", "lu177-octreotate.md"],
  ["html", "lu177-octreotate.html"],
] as const)("the seed protocol as %s", (format, file) => {
  it("matches the reviewed golden file", () => {
    const text = render(seedIr(), format);
    if (UPDATE) writeFileSync(GOLDEN(file), text);
    expect(existsSync(GOLDEN(file)), `missing golden file ${file}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    const golden = readFileSync(GOLDEN(file), "utf8");
    // Compare line by line first, for a readable failure; then the exact bytes.
    expect(text.split("\n")).toEqual(golden.split("\n"));
    expect(text).toBe(golden);
  });

  it("is deterministic: two renderings of two compilations give the same bytes", () => {
    expect(render(seedIr(), format)).toBe(render(seedIr(), format));
  });
});
