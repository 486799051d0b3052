/**
 * What is missing, as bit masks. Each criterion numbers the items its rule can miss
 * (`hemoglobin`, `lesions.krenning_score`, `total_bilirubin.uln`, `anchor D0` …); an
 * expression's mask says which of them leave it unknown, and is only read where the
 * expression is unknown. Bitwise OR unions them without duplicates; the names are
 * spelled out once, at the end, in sorted order.
 */
import { bigint, type Dialect } from "./sql-text.js";

/** At most this many items per criterion: bit 63 is the sign of a BIGINT. */
export const MAX_ITEMS = 62;

export class MissingSpace {
  readonly items: string[] = [];
  /**
   * Items whose text depends on the person (`a new gfr by 51Cr-EDTA (from 2026-12-21 to
   * 2027-01-17)`): the item keeps a fixed key (its place in the sorted list, its name in
   * the attrition table) and is spelled by this SQL expression in the per-person result.
   */
  readonly names = new Map<string, string>();
  constructor(
    readonly d: Dialect,
    readonly owner: string,
  ) {}

  /** The bit of an item, as a BIGINT literal. */
  bit(item: string): string {
    let i = this.items.indexOf(item);
    if (i < 0) {
      i = this.items.push(item) - 1;
      if (i >= MAX_ITEMS)
        throw new Error(
          `criterion ${this.owner} reads more than ${MAX_ITEMS} data items: too many for one SQL bit mask`,
        );
    }
    return bigint(this.d, 1n << BigInt(i));
  }

  /** The bit of an item spelled per person by the SQL text expression `name`. */
  spelled(key: string, name: string): string {
    this.names.set(key, name);
    return this.bit(key);
  }

  /** The index of an item already numbered. */
  index(item: string): number {
    return this.items.indexOf(item);
  }
}

/** The union of masks, leaving out the empty ones. */
export function orMasks(masks: string[]): string {
  const real = masks.filter((m) => m !== "0");
  return real.length === 0 ? "0" : real.length === 1 ? real[0]! : `(${real.join(" | ")})`;
}

/** A value's mask where the value is NULL (unknown), else nothing. */
export function maskIfNull(v: string, m: string): string {
  return m === "0" ? "0" : `CASE WHEN ${v} IS NULL THEN ${m} ELSE 0 END`;
}

/** A condition's mask where it is unknown (1), else nothing. */
export function maskIfUnknown(t: string, m: string): string {
  return m === "0" ? "0" : `CASE WHEN ${t} = 1 THEN ${m} ELSE 0 END`;
}
