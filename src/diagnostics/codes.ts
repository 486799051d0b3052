/**
 * The catalog of diagnostic codes. Codes are stable: tests, editors and CI
 * scripts may match on them. Add new codes at the end of their group.
 *
 * TRC1xxx: reading the file and syntax; TRC2xxx: names; TRC3xxx: types and units;
 * TRC4xxx: time; TRC5xxx: structure of the protocol; TRC6xxx: data dictionary and forms.
 */
export const CODES = {
  // Reading and syntax
  TRC1001: { severity: "error", title: "file cannot be read" },
  TRC1002: { severity: "error", title: "file is not text" },
  TRC1003: { severity: "error", title: "file is too large" },
  TRC1004: { severity: "error", title: "empty protocol" },
  TRC1010: { severity: "error", title: "unexpected character" },
  TRC1011: { severity: "error", title: "unterminated string" },
  TRC1020: { severity: "error", title: "syntax error" },
  TRC1021: { severity: "error", title: "missing token" },
  // Names
  TRC2001: { severity: "error", title: "unknown name" },
  TRC2002: { severity: "error", title: "duplicate name" },
  TRC2003: { severity: "error", title: "duplicate criterion id" },
  TRC2004: { severity: "warning", title: "unused definition" },
  TRC2005: { severity: "error", title: "unknown source" },
  TRC2006: { severity: "error", title: "unknown form" },
  TRC2007: { severity: "error", title: "unknown code value" },
  TRC2008: { severity: "error", title: "unknown library or library term" },
  TRC2009: { severity: "error", title: "recursive definition" },
  TRC2010: { severity: "error", title: "wrong number of arguments" },
  // Types and units
  TRC3001: { severity: "error", title: "type mismatch" },
  TRC3002: { severity: "error", title: "unknown unit" },
  TRC3003: { severity: "error", title: "incompatible units" },
  TRC3004: { severity: "error", title: "unit conversion needs a molar mass" },
  TRC3005: { severity: "error", title: "multiple of ULN/LLN without a reference limit" },
  TRC3006: { severity: "error", title: "invalid range" },
  TRC3007: { severity: "warning", title: "threshold outside the plausible range" },
  // Time
  TRC4001: { severity: "error", title: "window bounds reversed" },
  TRC4002: { severity: "error", title: "not a duration" },
  TRC4003: { severity: "error", title: "not a date or anchor" },
  TRC4004: { severity: "error", title: "negative duration" },
  TRC4005: { severity: "warning", title: "range can be empty in some months" },
  TRC4006: { severity: "error", title: "unknown time zone" },
  // Structure
  TRC5001: { severity: "error", title: "missing trial block" },
  TRC5002: { severity: "error", title: "duplicate section" },
  TRC5003: { severity: "error", title: "invalid count" },
  TRC5004: { severity: "error", title: "construct not allowed here" },
  TRC5005: { severity: "warning", title: "value from outside the protocol has no source" },
  // Data dictionary and forms
  TRC6001: { severity: "warning", title: "element read by no rule and not capture-only" },
  TRC6002: { severity: "warning", title: "element read by a rule has no form" },
} as const satisfies Record<string, { severity: "error" | "warning"; title: string }>;

export type DiagnosticCode = keyof typeof CODES;
