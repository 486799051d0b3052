/**
 * Generated protocols of any size, for measuring how compile time grows: `n` data
 * elements (a decimal lab value in mg/dL on one of ten forms) and `n` inclusion
 * criteria, each a simple threshold on its own element.
 */
export function syntheticProtocol(n: number): string {
  const out = [
    `trial "SYN-${n}" { title "Synthetic protocol of ${n} criteria" }`,
    `source seed "generated" protocol`,
    `anchor inclusion "Inclusion"`,
  ];
  for (let f = 0; f < 10; f++) out.push(`form f${f} "Form ${f}"`);
  out.push("data {");
  for (let i = 0; i < n; i++) out.push(`  x${i}: decimal mg/dL range 0 to 100 "Value ${i}" form f${i % 10}`);
  out.push("}");
  for (let i = 0; i < n; i++)
    out.push(`inclusion C${i} "Value ${i} at least ${i % 50} mg/dL" { rule x${i} >= ${i % 50} mg/dL }`);
  return out.join("\n") + "\n";
}
