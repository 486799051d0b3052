/**
 * The preset unit analyses (src/runtime/unit-presets.ts) are exactly what ucum-lhc
 * gives (drift test: on failure, run `npx tsx scripts/unit-presets.ts` and review the
 * diff), and the run time reads a preset unit exactly as it reads any other.
 */
import { describe, expect, it } from "vitest";
import { UnitTables } from "@lhncbc/ucum-lhc";
import { PRESET_UNITS, PRESETS_FILE, unitPresetsText } from "../../scripts/unit-presets.js";
import { UNIT_PRESETS } from "../../src/runtime/unit-presets.js";
import { analyze, MASS_INDEX, ucumAnalysis } from "../../src/runtime/units.js";
import { expectGolden } from "../support/golden.js";

describe("unit presets", () => {
  it("the file on disk is what ucum-lhc gives today", () => {
    expectGolden(unitPresetsText(), PRESETS_FILE, "`npx tsx scripts/unit-presets.ts`");
  });

  it("hold exactly the preset units, and each reads as ucum-lhc reads it", () => {
    expect(Object.keys(UNIT_PRESETS).sort()).toEqual([...PRESET_UNITS].sort());
    for (const code of PRESET_UNITS) expect(analyze(code), code).toEqual(ucumAnalysis(code));
    // An alias reaches the preset of its code.
    expect(analyze("weeks")).toEqual(ucumAnalysis("wk"));
  });

  it("place mass where ucum-lhc's dimension vector does", () => {
    expect(MASS_INDEX).toBe(UnitTables.getInstance().getMassDimensionIndex());
  });
});
