/**
 * Random protocols over a fixed data dictionary: random criteria (comparisons in random
 * units and operators, ULN multiples, windows, quantifiers, groups, definitions,
 * if/then, not), for the differential tests of the generated modules.
 */
import fc from "fast-check";

const DATA = `trial "RND" { title "Random protocol" }
source seed "generated" protocol
anchor inclusion "Inclusion"
anchor D0 "First dose"
form f "Form"
data {
  hb: decimal g/dL range 1 to 25 molar mass 16114.5 g/mol "Hb" form f
  plt: decimal 10*3/uL range 0 to 2000 "Platelets" form f
  bili: decimal mg/dL range 0 to 60 with ULN "Bilirubin" form f
  pct: decimal % range 0 to 100 "Percent" form f
  score: integer range 0 to 5 "Score" form f
  flag: boolean "Flag" form f
  site: code(a "A", b "B", c "C") "Site" form f
  seen: date "Seen" form f
  at: datetime "At" form f
  born: date "Born" form f
  items: records "Items" form f {
    size: decimal mm range 0 to 500 "Size"
    grade: integer range 0 to 4 "Grade"
    done: boolean "Done"
    kind: code(x "X", y "Y") "Kind"
    when: date "When"
  }
}
`;

const OPS = ["<", "<=", ">", ">=", "=", "!="];

/** A random condition over the fixed dictionary, `depth` levels deep. */
function condition(g: fc.GeneratorValue, depth: number): string {
  const atoms = [
    () => `hb ${g(fc.constantFrom, ...OPS)} ${g(fc.constantFrom, "9 g/dL", "90 g/L", "5.6 mmol/L", "10.05 g/dL")}`,
    () => `plt ${g(fc.constantFrom, ...OPS)} ${g(fc.constantFrom, "100 10*3/uL", "100 10*9/L", "75000 /uL")}`,
    () => `bili ${g(fc.constantFrom, "<=", "<", ">")} ${g(fc.constantFrom, "1", "1.5", "2", "3")} x ULN`,
    () => `pct ${g(fc.constantFrom, ">", ">=", "<")} ${g(fc.constantFrom, "25 %", "30 %")}`,
    () => `score ${g(fc.constantFrom, ...OPS)} ${g(fc.integer, { min: 0, max: 5 })}`,
    () => "flag",
    () => `site ${g(fc.constantFrom, "=", "!=")} ${g(fc.constantFrom, "a", "b", "c")}`,
    () => `site in (${g(fc.constantFrom, "a", "a, b", "b, c")})`,
    () =>
      `seen within ${g(fc.constantFrom, "4 wk", "12 mo", "28 d", "1 a")} before ${g(fc.constantFrom, "inclusion", "D0")}`,
    () => `seen at least ${g(fc.constantFrom, "4 wk", "14 d")} before D0`,
    () => `seen between D0 - ${g(fc.constantFrom, "4 wk", "6 wk")} and D0 - 1 d`,
    () => `at at least ${g(fc.constantFrom, "48 h", "2 d")} before D0`,
    () => `at before D0`,
    () => `age(born, inclusion) >= ${g(fc.constantFrom, "18 a", "2 a")}`,
    () => `${g(fc.constantFrom, "any", "all", "none")} items where ${item(g)}`,
    () => `(count items where ${item(g)}) >= ${g(fc.integer, { min: 0, max: 2 })}`,
    () => "helper",
  ];
  if (depth <= 0) return g(fc.constantFrom, ...atoms)();
  const shape = g(fc.nat, { max: 5 });
  const a = () => condition(g, depth - 1);
  switch (shape) {
    case 0:
      return `(${a()} and ${a()})`;
    case 1:
      return `(${a()} or ${a()})`;
    case 2:
      return `not (${a()})`;
    case 3:
      return `(if ${a()} then ${a()})`;
    case 4:
      return `(if ${a()} then ${a()} else ${a()})`;
    default:
      return a();
  }
}

function item(g: fc.GeneratorValue): string {
  return g(
    fc.constantFrom,
    "size >= 20 mm",
    "size > 2 cm and grade >= 3",
    "done or kind = x",
    "not done",
    "when within 12 mo before inclusion",
    "(grade < 2 or size < 10 mm)",
  );
}

export function protocolText(g: fc.GeneratorValue): string {
  const n = g(fc.integer, { min: 1, max: 4 });
  const crit: string[] = [`define helper "Helper" { rule ${condition(g, 1).replace(/helper/g, "flag")} }`];
  crit.push(`inclusion I0 "Uses the helper" { rule helper and (${condition(g, 1)}) }`);
  for (let i = 1; i <= n; i++) {
    if (g(fc.boolean)) crit.push(`inclusion I${i} "Random ${i}" { rule ${condition(g, 2)} }`);
    else
      crit.push(
        `inclusion I${i} "Group ${i}" { at least ${g(fc.integer, { min: 1, max: 2 })} of { criterion I${i}a "a" { rule ${condition(g, 1)} } criterion I${i}b "b" { rule ${condition(g, 1)} } } }`,
      );
    crit.push(`exclusion E${i} "Random exclusion ${i}" { rule ${condition(g, 1)} }`);
  }
  return DATA + crit.join("\n") + "\n";
}
