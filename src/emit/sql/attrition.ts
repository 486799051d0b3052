/**
 * The attrition query: over the per-person criteria, how many persons each criterion
 * keeps in protocol order, how many are removed there, how many stay undecided and for
 * want of what; each criterion's own counts; and what-if counts with one criterion
 * dropped or relaxed (its unknowns counted as passing). One aggregate pass.
 */
import type { CompiledQuery, CompiledCriterion } from "./query.js";
import { bigint } from "./sql-text.js";

/** One line of the attrition table, as the CLI reads it back. */
export interface AttritionRow {
  id: string;
  role: CompiledCriterion["role"];
  text: string;
  /** Persons not ruled out by this criterion or an earlier one. */
  remaining: number;
  /** Of those, persons every criterion so far is decided for (passed). */
  decided: number;
  /** Ruled out first here. */
  removed: number;
  /** Not ruled out before, unknown here; and the items most often missing for them. */
  unknown: number;
  wants: { item: string; persons: number }[];
  /** This criterion alone: met, not met, unknown. */
  met: number;
  notMet: number;
  undecided: number;
  /** Overall counts without the criterion, and with its unknowns taken as passing. */
  dropped: { eligible: number; ineligible: number; indeterminate: number };
  relaxed: { eligible: number; ineligible: number; indeterminate: number };
}

/** The aggregate SELECT (to follow `q.withClause`) and a reader for its single row. */
export function attritionQuery(q: CompiledQuery): {
  sql: string;
  read: (row: Record<string, unknown>) => { total: number; overall: Record<string, number>; rows: AttritionRow[] };
} {
  const d = q.dialect;
  const tops = q.criteria.filter((c) => c.topLevel);
  const pass = (c: CompiledCriterion) => `b.t_${c.col} = ${c.role === "exclusion" ? 0 : 2}`;
  const fail = (c: CompiledCriterion) => `b.t_${c.col} = ${c.role === "exclusion" ? 2 : 0}`;
  const unk = (c: CompiledCriterion) => `b.t_${c.col} = 1`;
  const all = (conds: string[]) => (conds.length ? conds.map((x) => `(${x})`).join(" AND ") : "1 = 1");
  const none = (conds: string[]) => (conds.length ? `NOT (${conds.map((x) => `(${x})`).join(" OR ")})` : "1 = 1");
  const sum = (cond: string, name: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${name}`;
  const cols: string[] = ["COUNT(*) AS total"];
  const overall = (cs: CompiledCriterion[], extra: string | null, p: string) => {
    const f = cs.map(fail);
    const u = cs.map(unk);
    cols.push(sum(`${none(f)} AND ${none(u)}${extra ? ` AND ${extra}` : ""}`, `${p}_eligible`));
    cols.push(sum(`${f.length ? `(${f.join(" OR ")})` : "1 = 0"}`, `${p}_ineligible`));
  };
  overall(tops, null, "all");
  tops.forEach((c, k) => {
    const before = tops.slice(0, k);
    const upto = tops.slice(0, k + 1);
    cols.push(sum(none(upto.map(fail)), `remaining_${k}`));
    cols.push(sum(all(upto.map(pass)), `decided_${k}`));
    cols.push(sum(`${none(before.map(fail))} AND ${fail(c)}`, `removed_${k}`));
    cols.push(sum(`${none(before.map(fail))} AND ${unk(c)}`, `unknown_${k}`));
    c.items.forEach((_, i) =>
      cols.push(
        sum(
          `${none(before.map(fail))} AND ${unk(c)} AND (b.m_${c.col} & ${bigint(d, 1n << BigInt(i))}) <> 0`,
          `want_${k}_${i}`,
        ),
      ),
    );
    cols.push(
      sum(`b.t_${c.col} = 2`, `met_${k}`),
      sum(`b.t_${c.col} = 0`, `notmet_${k}`),
      sum(unk(c), `undecided_${k}`),
    );
    const others = tops.filter((x) => x !== c);
    overall(others, null, `drop_${k}`);
    // Relaxed: unknown counts as passing; not met still fails.
    const f = [...others.map(fail), fail(c)];
    cols.push(sum(`${none(f)} AND ${none(others.map(unk))}`, `relax_${k}_eligible`));
  });
  const sql = `SELECT\n  ${cols.join(",\n  ")}\nFROM trialc_criteria b`;
  const read = (row: Record<string, unknown>) => {
    const n = (k: string) => Number(row[k] ?? 0);
    const total = n("total");
    const trio = (e: number, i: number) => ({ eligible: e, ineligible: i, indeterminate: total - e - i });
    const rows: AttritionRow[] = tops.map((c, k) => ({
      id: c.id,
      role: c.role,
      text: c.text,
      remaining: n(`remaining_${k}`),
      decided: n(`decided_${k}`),
      removed: n(`removed_${k}`),
      unknown: n(`unknown_${k}`),
      wants: c.items
        .map((item, i) => ({ item, persons: n(`want_${k}_${i}`) }))
        .filter((w) => w.persons > 0)
        .sort((a, b) => b.persons - a.persons || (a.item < b.item ? -1 : 1)),
      met: n(`met_${k}`),
      notMet: n(`notmet_${k}`),
      undecided: n(`undecided_${k}`),
      dropped: trio(n(`drop_${k}_eligible`), n(`drop_${k}_ineligible`)),
      relaxed: trio(n(`relax_${k}_eligible`), n(`all_ineligible`)),
    }));
    const e = n("all_eligible");
    const i = n("all_ineligible");
    return { total, overall: { eligible: e, ineligible: i, indeterminate: total - e - i }, rows };
  };
  return { sql, read };
}
