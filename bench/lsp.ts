/**
 * `npm run bench:lsp`: how long after an edit the author sees diagnostics, measured
 * with a real LSP client over stdio against `trialc lsp --stdio` on the seed protocol
 * (target: under 100 ms). Each edit changes a threshold (`ecog <= 1` → `2` and back),
 * so every version is a full parse and check; the time is from sending `didChange` to
 * receiving that version's diagnostics. Run with the default debounce (what an author
 * gets) and with none (the analysis alone).
 */
import { readFileSync } from "node:fs";
import { positionOf, startLsp, uriOf } from "../tests/lsp/client.js";

const PATH = "protocols/lu177-octreotate.trial";
const TEXT = readFileSync(PATH, "utf8");
const EDITS = 30;

async function measure(debounceMs?: number): Promise<number[]> {
  const lsp = await startLsp(debounceMs === undefined ? {} : { debounceMs });
  const uri = uriOf(PATH);
  await lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "trial", version: 1, text: TEXT },
  });
  await lsp.diagnostics(uri, 1);
  const at = positionOf(TEXT, "rule ecog <= 1", 13);
  const times: number[] = [];
  for (let v = 2; v < 2 + EDITS + 5; v++) {
    const start = performance.now();
    await lsp.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: v },
      contentChanges: [
        { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: v % 2 ? "1" : "2" },
      ],
    });
    await lsp.diagnostics(uri, v);
    if (v >= 7) times.push(performance.now() - start); // the first five warm the JIT up
  }
  await lsp.close();
  return times.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] as number;
for (const [label, debounce] of [
  ["default debounce (25 ms)", undefined],
  ["no debounce", 0],
] as const) {
  const t = await measure(debounce);
  console.log(
    `diagnostics after an edit, seed protocol, ${label}: median ${pct(t, 50).toFixed(1)} ms, p95 ${pct(t, 95).toFixed(1)} ms, max ${t[t.length - 1]!.toFixed(1)} ms (${t.length} edits; target < 100 ms)`,
  );
}
