/**
 * Standard codes (`code LOINC "718-7"`): checks the system is one we know and that the
 * code is well formed for it, check digits included, so that a typo in a protocol never
 * silently matches nothing (or the wrong test) in an EHR import or an OMOP query.
 *
 * Only the syntax is checked: no terminology server is consulted, so a well-formed code
 * that does not exist (or means something else) is not caught here.
 */
import type * as A from "../ast/nodes.js";
import type { IrCode, IrCodeSystem } from "../ir/types.js";
import { validateUnit } from "../runtime/units.js";
import type { CheckContext } from "./context.js";
import { didYouMean } from "./suggest.js";

/** The systems a protocol may cite, with what a code of each looks like (for messages). */
const SYSTEMS: Record<IrCodeSystem, { shape: string; valid: (code: string) => boolean }> = {
  LOINC: { shape: 'digits, a hyphen and a mod-10 check digit, e.g. "718-7"', valid: validLoinc },
  SNOMED: { shape: '6 to 18 digits ending in a Verhoeff check digit, e.g. "248153007"', valid: validSnomed },
  ATC: { shape: 'an ATC level 1-5 code, e.g. "H01CB02"', valid: validAtc },
  RxNorm: { shape: 'an RxCUI (digits), e.g. "7052"', valid: (c) => /^[1-9]\d{0,8}$/.test(c) },
  ICD10: { shape: 'a letter, two digits and an optional subdivision, e.g. "C7A.01"', valid: validIcd10 },
  UCUM: { shape: 'a UCUM unit, e.g. "mg/dL"', valid: (c) => validateUnit(c).ok },
};

/** The systems, for hints and documentation. */
export const CODE_SYSTEMS = Object.keys(SYSTEMS) as IrCodeSystem[];

/** Check the code bindings of one element, field or code value; return the valid ones. */
export function checkCodes(ctx: CheckContext, bindings: A.CodeBinding[]): IrCode[] {
  const out: IrCode[] = [];
  const seen = new Map<string, A.CodeBinding>();
  for (const b of bindings) {
    const system = CODE_SYSTEMS.find((s) => s === b.system.text);
    if (!system) {
      const hint = didYouMean(b.system.text, CODE_SYSTEMS);
      ctx.report(
        "TRC6010",
        "unknownSystem",
        { system: b.system.text, known: CODE_SYSTEMS.join(", ") },
        b.system.span,
        hint ? { hint } : {},
      );
      continue;
    }
    if (!SYSTEMS[system].valid(b.code)) {
      ctx.report("TRC6011", "malformedCode", { code: b.code, system, shape: SYSTEMS[system].shape }, b.span);
      continue;
    }
    const key = `${system}|${b.code}`;
    const prior = seen.get(key);
    if (prior) {
      ctx.report("TRC6012", "boundTwice", { system, code: b.code }, b.span, {
        related: [{ message: "first bound here", span: prior.span }],
      });
      continue;
    }
    seen.set(key, b);
    out.push({ system, code: b.code });
  }
  return out;
}

/**
 * LOINC: `NNNNN-C` where C is the mod-10 (Luhn) check digit of the digits before the
 * hyphen, as the LOINC Users' Guide describes it (718-7, 777-3).
 */
export function validLoinc(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  return luhnCheckDigit(m[1]!) === Number(m[2]);
}

/** The Luhn check digit that completes `digits`. */
function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Counting from the right, the 1st, 3rd, 5th ... digits are doubled.
    const d = Number(digits[digits.length - 1 - i]);
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  }
  return (10 - (sum % 10)) % 10;
}

// Verhoeff tables (dihedral group D5): multiplication and permutation.
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/**
 * SNOMED CT identifier: 6 to 18 digits, no leading zero, whose last digit is a Verhoeff
 * check digit over the whole number, and whose partition identifier (the two digits
 * before it) says "concept" (00 in the international release, 10 in an extension).
 */
export function validSnomed(code: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(code)) return false;
  const partition = code.slice(-3, -1);
  if (partition !== "00" && partition !== "10") return false;
  let c = 0;
  for (let i = 0; i < code.length; i++) {
    const d = Number(code[code.length - 1 - i]);
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return c === 0;
}

/** ATC: anatomical group letter, then 2 digits, letter, letter, 2 digits (levels 1 to 5). */
export function validAtc(code: string): boolean {
  return /^[ABCDGHJLMNPRSV](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$/.test(code);
}

/** ICD-10 (WHO or -CM): a letter, two characters, then an optional dotted subdivision. */
export function validIcd10(code: string): boolean {
  return /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(code);
}
