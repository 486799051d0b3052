/**
 * Lowering of the data dictionary: the IR's elements as the run time checks patient data
 * against them (`DictElement`: type, unit, plausible range, reference limits, molar
 * mass, codes, record fields, a measured element's result selection). Labels, forms and traceability stay in the IR.
 */
import type { IrElement, IrNormalisation, IrProtocol } from "../ir/types.js";
import type { Normalisation } from "../runtime/bsa.js";
import type { DictElement } from "../runtime/patient.js";

/** A declared normalisation as the run time reads it: its units and where the BSA comes from. */
function normalisationOf(n: IrNormalisation): Normalisation {
  return { from: n.from, area: { ...n.area }, bsa: { ...n.bsa } };
}

/** The run-time data dictionary of a protocol, in declaration order. */
export function dictionaryOf(ir: IrProtocol): DictElement[] {
  const conv = (e: IrElement): DictElement => ({
    name: e.name,
    type: e.type,
    ...(e.unit ? { unit: e.unit } : {}),
    ...(e.range ? { range: { ...e.range } } : {}),
    reference: { ...e.reference },
    ...(e.molarMass ? { molarMass: e.molarMass } : {}),
    ...(e.values ? { codes: e.values.map((c) => c.code) } : {}),
    ...(e.fields ? { fields: e.fields.map(conv) } : {}),
    ...(e.select ? { select: e.select } : {}),
    ...(e.normalise ? { normalise: normalisationOf(e.normalise) } : {}),
  });
  return ir.elements.map(conv);
}
