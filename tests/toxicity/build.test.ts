/**
 * The generated `toxicity.ts`: present exactly when the protocol has a toxicity section,
 * deterministic, exact (thresholds as decimal strings), and compiling under
 * `tsc --strict` with the copied run time, even when every protocol string is hostile.
 */
import { describe, expect, it } from "vitest";
import { compileGenerated, buildFiles } from "../../src/build.js";
import { decideCycle } from "../../src/interpret/toxicity.js";
import { compile, expectClean, protocol } from "../helpers.js";
import { writeGenerated } from "../generated.js";
import { decided, importToxicity, seedIr } from "./helpers.js";

const HOSTILE = '*/ /* ${process.exit(1)} `tick` \\" \\\\ \u2028 </script>';

const hostileProtocol = `trial "T-1" { title "Test ${HOSTILE}" }
use ctcae "4.03"
source seed "The test protocol" protocol
source lit "Paper ${HOSTILE}" literature
anchor inclusion "Inclusion"
anchor D0 "First dose"
form f "Form"
data {
  platelets: decimal 10*3/uL range 0 to 2000 with LLN "Platelets ${HOSTILE}" form f
  dosimetry: records "Dosimetry ${HOSTILE}" form f {
    kidney_dose: decimal Gy range 0 to 100 "Kidney dose"
  }
}
parameter limit "Limit ${HOSTILE}" = 23 Gy { source lit }
toxicity {
  organ kidneys "Kidneys ${HOSTILE}" dose dosimetry.kidney_dose limit limit
  grade platelet_count_decreased "Platelets ${HOSTILE}" from platelets
  stop kidney_limit "Stop ${HOSTILE}" when cumulative kidneys >= limit {
    interpretation "Reading ${HOSTILE}" ref "domain ${HOSTILE}"
  }
  delay low "Delay ${HOSTILE}" when grade platelet_count_decreased >= 2
  max cycles 2
}
`;

describe("the generated toxicity.ts", () => {
  it("is written for a protocol with a toxicity section, and only then", () => {
    expect(buildFiles(seedIr()).has("toxicity.ts")).toBe(true);
    const none = compile(
      protocol('ecog: integer range 0 to 5 "ECOG" form f', 'inclusion I1 "ECOG <= 1" { rule ecog <= 1 }'),
    );
    expectClean(none);
    expect(buildFiles(none.ir!).has("toxicity.ts")).toBe(false);
  });

  it("is deterministic and keeps every number a decimal string", () => {
    const ir = seedIr();
    const a = buildFiles(ir).get("toxicity.ts")!;
    expect(buildFiles(seedIr()).get("toxicity.ts")).toBe(a);
    expect(a).toContain(
      'rt.compare(ctx, ">=", tx.organDose(ctx, st, "cumulative", "kidneys", "cumulative kidneys"), rt.qty("23", "Gy"), "cumulative kidneys >= kidney_dose_limit")',
    );
    expect(a).toContain(
      'tx.gradeTest(ctx, st, "platelet_count_decreased", ">=", { value: "2" }, "grade platelet_count_decreased >= 2")',
    );
    expect(a).toContain("export function decideCycle(history: History | unknown): tx.DecisionOutcome {");
  });

  it("compiles under tsc --strict with the run time (seed protocol)", () => {
    const ir = seedIr();
    const dir = writeGenerated(ir, "toxicity-build-seed");
    expect(compileGenerated(dir, [...buildFiles(ir).keys()], false)).toEqual([]);
  });

  it("escapes every protocol string: a hostile protocol compiles and runs, its strings intact", async () => {
    const r = compile(hostileProtocol, "hostile.trial");
    expectClean(r);
    const ir = r.ir!;
    const dir = writeGenerated(ir, "toxicity-build-hostile");
    expect(compileGenerated(dir, [...buildFiles(ir).keys()], false)).toEqual([]);
    const mod = await importToxicity(ir, "toxicity-build-hostile-run");
    const history = {
      cycles: [{ cycle: 1, dosimetry: { kidney_dose: { value: 23, unit: "Gy" } } }],
      labs: { platelets: { value: 60, unit: "10*9/L", lln: { value: 150, unit: "10*9/L" } } },
    };
    const d = decided(mod.decideCycle(history));
    expect(d).toEqual(JSON.parse(JSON.stringify(decided(decideCycle(ir, history)))));
    expect(d.decision).toBe("stop");
    expect(d.reasons[0]).toBe(`stop kidney_limit: Stop ${HOSTILE.replace('\\"', '"').replace("\\\\", "\\")}`);
    expect(d.organs[0]!.limit.sources[0]!.citation).toContain("\u2028");
  });
});
