/**
 * How standard codes read in every target's text (`LOINC 718-7`), so that the
 * document, the forms and the generated code spell them alike.
 */
import type { IrCode } from "./types.js";

/** `LOINC 718-7`. */
export function codeText(c: IrCode): string {
  return `${c.system} ${c.code}`;
}

/** `LOINC 718-7, SNOMED 1234567`, or "" when there is none. */
export function codesText(codes: readonly IrCode[]): string {
  return codes.map(codeText).join(", ");
}
