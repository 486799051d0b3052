/**
 * The body-surface area formulas a protocol may name (`normalise … by du_bois(height,
 * weight)`), with their sources: data the checker reads too, so kept apart from the
 * run time of `bsa.ts` (which loads the date library for its explanations).
 */
import { Decimal } from "./decimal.js";

/** The formulas a protocol may name (`by du_bois(height, weight)`). */
export type BsaFormula = "du_bois" | "mosteller";

/** What a formula computes from, in the units its publication states. */
export const BSA_FORMULAS: Readonly<
  Record<BsaFormula, { label: string; height: "cm"; weight: "kg"; bsa: (h: Decimal, w: Decimal) => Decimal }>
> = {
  /** Du Bois D, Du Bois EF. Arch Intern Med 1916;17:863-871: BSA (m2) = 0.007184 × W^0.425 × H^0.725 (kg, cm). */
  du_bois: {
    label: "Du Bois 1916",
    height: "cm",
    weight: "kg",
    bsa: (h, w) => new Decimal("0.007184").times(w.pow("0.425")).times(h.pow("0.725")),
  },
  /** Mosteller RD. N Engl J Med 1987;317:1098: BSA (m2) = sqrt(H × W / 3600) (cm, kg). */
  mosteller: {
    label: "Mosteller 1987",
    height: "cm",
    weight: "kg",
    bsa: (h, w) => h.times(w).dividedBy(3600).sqrt(),
  },
};
