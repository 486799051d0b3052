/**
 * Lowering of the data dictionary: the IR's elements as the run time checks patient data
 * against them (`DictElement`: type, unit, plausible range, reference limits, molar
 * mass, codes, record fields, a measured element's result selection). Labels, forms and traceability stay in the IR.
 */
import type { IrElement, IrProtocol } from "../ir/types.js";
import type { DictElement } from "../runtime/patient.js";

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
  });
  return ir.elements.map(conv);
}
