/** The golden helper itself: a missing golden fails, a difference is shown readably. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectGolden, lineDiff, UPDATING } from "./golden.js";

const dir = mkdtempSync(join(tmpdir(), "trialc-golden-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(UPDATING)("expectGolden", () => {
  it("fails on a missing golden file instead of writing it", () => {
    expect(() => expectGolden("text\n", join(dir, "missing.txt"))).toThrow(/missing golden file .*UPDATE_GOLDEN=1/);
  });

  it("passes on identical text and fails on any difference, naming the file", () => {
    writeFileSync(join(dir, "g.txt"), "a\nb\nc\n");
    expectGolden("a\nb\nc\n", join(dir, "g.txt"));
    expect(() => expectGolden("a\nB\nc\n", join(dir, "g.txt"))).toThrow(/g\.txt differs/);
    expect(() => expectGolden("a\nb\nc", join(dir, "g.txt"))).toThrow(/differs/);
  });
});

describe("lineDiff", () => {
  it("shows the differing lines with their numbers and context, not the common rest", () => {
    const golden = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n");
    const actual = golden.replace("line 50", "line fifty");
    expect(lineDiff(golden, actual).split("\n")).toEqual([
      "   47   line 47",
      "   48   line 48",
      "   49   line 49",
      "   50 - line 50",
      "   50 + line fifty",
      "   51   line 51",
      "   52   line 52",
      "   53   line 53",
    ]);
  });

  it("cuts a long difference", () => {
    const diff = lineDiff("x\n".repeat(100), "y\n".repeat(100));
    expect(diff).toMatch(/… \d+ more lines$/);
    expect(diff.split("\n")).toHaveLength(41);
  });
});
