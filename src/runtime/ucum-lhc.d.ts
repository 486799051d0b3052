/**
 * Minimal typings for the parts of @lhncbc/ucum-lhc (CommonJS, untyped) that
 * src/runtime/units.ts uses. Field names ending in "_" are the library's
 * internal unit-object fields; they are stable across 5.x–7.x.
 */
declare module "@lhncbc/ucum-lhc" {
  /** A UCUM dimension: exponents of m, s, g, rad, K, C, cd (mol is NOT a dimension). */
  export interface UcumDimension {
    dimVec_: number[] | null;
  }

  /** A unit object, either a table entry (atom) or the result of parsing an expression. */
  export interface UcumUnit {
    csCode_: string;
    magnitude_: number;
    dim_: UcumDimension | null;
    moleExp_: number;
    equivalentExp_: number;
    isBase_: boolean;
    isMetric_: boolean;
    isSpecial_: boolean;
    isArbitrary_: boolean;
    /** Definition of an atom: value = baseFactorStr_ × csUnitString_. */
    csUnitString_: string | null;
    baseFactorStr_: string | null;
  }

  /** One group of suggestions for an unrecognised part of a unit expression. */
  export interface UcumSuggestion {
    msg: string;
    invalidUnit: string;
    /** Each entry is [code, name, guidance]. */
    units: string[][];
  }

  export interface UcumValidation {
    status: "valid" | "invalid" | "error";
    ucumCode: string | null;
    msg: string[];
    suggestions?: UcumSuggestion[];
    /** The unit's UCUM code, printable name and guidance (for a valid unit). */
    unit?: { code: string; name: string; guidance?: string | null } | null;
  }

  export interface UcumSpecifiedUnit {
    status: "valid" | "invalid" | "error";
    unit?: UcumUnit | null;
    origString?: string;
    retMsg: string[];
  }

  export interface UcumLhcUtils {
    validateUnitString(unit: string, suggest?: boolean, valConv?: string): UcumValidation;
    getSpecifiedUnit(unit: string, valConv: "validate" | "convert", suggest?: boolean): UcumSpecifiedUnit;
  }

  export interface UnitTables {
    getUnitByCode(code: string): UcumUnit | null | undefined;
    getMassDimensionIndex(): number;
  }

  /** Named exports: Node's CJS lexer detects them, and they also survive CJS transpilation (tsx, esbuild). */
  export const UcumLhcUtils: { getInstance(): UcumLhcUtils };
  export const UnitTables: { getInstance(): UnitTables };
  const ucum: { UcumLhcUtils: typeof UcumLhcUtils; UnitTables: typeof UnitTables };
  export default ucum;
}
