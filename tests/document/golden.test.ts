/**
 * Golden documents for the seed protocol: the Markdown and HTML `trialc doc` writes,
 * checked byte for byte against reviewed files in `golden/`. A change to a template,
 * to the wording or to the protocol shows up here as a diff to review.
 *
 * To refresh after a reviewed change: UPDATE_GOLDEN=1 npx vitest run tests/document/golden.test.ts
 * (then read the diff of tests/document/golden/ before committing it).
 */
import { describe, expect, it } from "vitest";
import { expectGolden } from "../support/golden.js";
import { render, seedIr } from "./support.js";

describe.each([
  ["md", "lu177-octreotate.md"],
  ["html", "lu177-octreotate.html"],
] as const)("the seed protocol as %s", (format, file) => {
  it("matches the reviewed golden file", () => {
    expectGolden(render(seedIr(), format), `tests/document/golden/${file}`);
  });

  it("is deterministic: two renderings of two compilations give the same bytes", () => {
    expect(render(seedIr(), format)).toBe(render(seedIr(), format));
  });
});
