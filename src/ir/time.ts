/** Time points of the IR that hang off an anchor by fixed durations (`D0 - 4 wk`). */
import type { IrExpr, IrRelativeTime } from "./types.js";

/** A time point as anchor + offsets, when it is one; null for data-dependent points. */
export function relativeTime(ir: IrExpr): IrRelativeTime | null {
  if (ir.kind === "anchor") return { anchor: ir.name, offsets: [], text: ir.text };
  if (ir.kind === "shift" && ir.duration.kind === "duration") {
    const inner = relativeTime(ir.base);
    if (!inner) return null;
    return {
      anchor: inner.anchor,
      offsets: [...inner.offsets, { sign: ir.sign, duration: ir.duration.duration }],
      text: ir.text,
    };
  }
  return null;
}
