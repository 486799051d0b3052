/**
 * "Did you mean …?": the closest known names to a misspelt one.
 * Optimal string alignment distance (Levenshtein plus adjacent swaps), case-insensitive,
 * keeping only candidates within a distance that grows with the name's length.
 */

/** Edit distance with adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** Up to three candidates close to `name`, best first (ties in alphabetical order). */
export function suggest(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const dist = editDistance(name, c);
    const prefix = c.toLowerCase().startsWith(name.toLowerCase()) && name.length >= 3;
    if (dist <= limit || prefix) scored.push({ c, d: prefix ? Math.min(dist, limit) : dist });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return [...new Set(scored.map((s) => s.c))].slice(0, 3);
}

/** The hint text for a diagnostic, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(name, candidates);
  if (s.length === 0) return undefined;
  return `did you mean ${s.map((x) => `"${x}"`).join(" or ")}?`;
}

/** The hint for an unknown unit: at most three of UCUM's suggestions, closest to what was written first. */
export function unitHint(written: string, suggestions: readonly string[]): string | undefined {
  const best = [...new Set(suggestions)]
    .map((u) => ({ u, d: editDistance(written, u) }))
    .sort((a, b) => a.d - b.d || a.u.localeCompare(b.u))
    .slice(0, 3)
    .map((x) => `"${x.u}"`);
  return best.length ? `did you mean ${best.join(" or ")}?` : undefined;
}
