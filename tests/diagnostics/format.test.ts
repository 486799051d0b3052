/**
 * Code frames: the line before, the line itself and carets under the span, whatever the
 * line ends, for one source after another (the lines of the last one are kept).
 */
import { describe, expect, it } from "vitest";
import { codeFrame } from "../../src/diagnostics/format.js";

describe("code frames", () => {
  it("frame the span's line under the line before it, for each source in turn", () => {
    const a = "first\nsecond line\r\nthird";
    const b = "one\rtwo words";
    expect(codeFrame(a, 2, 8, 2, 12)).toBe(" 1 | first\n 2 | second line\n   |        ^^^^");
    expect(codeFrame(b, 2, 5, 2, 10)).toBe(" 1 | one\n 2 | two words\n   |     ^^^^^");
    expect(codeFrame(a, 3, 1, 3, 2)).toBe(" 2 | second line\n 3 | third\n   | ^");
    expect(codeFrame(b, 3, 1, 3, 2)).toBe(""); // no such line
  });

  it("frame lines across a large file", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i + 1}`).join("\n");
    for (const n of [2, 7, 19_999, 20_000]) {
      const gutter = (k: number | "") => `${String(k).padStart(String(n).length + 1)} | `;
      expect(codeFrame(big, n, 6, n, 7)).toBe(
        `${gutter(n - 1)}line ${n - 1}\n${gutter(n)}line ${n}\n${gutter("")}     ^`,
      );
    }
  });
});
