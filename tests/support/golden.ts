/**
 * The one golden-file helper every golden test uses (documents, forms, diagnostic
 * baselines, grammar artefacts, IR, generated modules).
 *
 * `expectGolden(actual, path)` compares text with a reviewed file, byte for byte. A
 * missing golden fails (it is never written silently); `UPDATE_GOLDEN=1` writes every
 * golden of the run instead of comparing, after which the diff (`git diff tests/`) is
 * read like code before it is committed. A mismatch prints the first differing lines
 * with their line numbers and some context, not two walls of text.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONTEXT = 3;
const MAX_LINES = 40;

/** Whether this run rewrites goldens (`UPDATE_GOLDEN=1`). */
export const UPDATING = process.env.UPDATE_GOLDEN === "1";

/** Compare `actual` with the golden file at `path` (relative to the repository root, or absolute). */
export function expectGolden(actual: string, path: string, howToUpdate = "UPDATE_GOLDEN=1"): void {
  const file = isAbsolute(path) ? path : join(ROOT, path);
  if (UPDATING) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    expect.fail(`missing golden file ${path}: run the test with ${howToUpdate}, then review what it wrote`);
  const golden = readFileSync(file, "utf8");
  if (actual === golden) return;
  expect.fail(
    `${path} differs from the output (- golden, + actual); after review: ${howToUpdate}\n${lineDiff(golden, actual)}`,
  );
}

/**
 * A readable diff of two texts: the common head and tail are skipped, and the region
 * between is shown with line numbers and context (cut after MAX_LINES lines).
 */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - CONTEXT);
  const out: string[] = [];
  const num = (n: number) => String(n + 1).padStart(5);
  for (let i = from; i < head; i++) out.push(`${num(i)}   ${a[i]}`);
  for (let i = head; i < a.length - tail; i++) out.push(`${num(i)} - ${a[i]}`);
  for (let i = head; i < b.length - tail; i++) out.push(`${num(i)} + ${b[i]}`);
  for (let i = a.length - tail; i < Math.min(a.length, a.length - tail + CONTEXT); i++) out.push(`${num(i)}   ${a[i]}`);
  if (out.length > MAX_LINES) return [...out.slice(0, MAX_LINES), `… ${out.length - MAX_LINES} more lines`].join("\n");
  return out.join("\n");
}
