/**
 * Golden files: every export of a small protocol, byte for byte, in tests/forms/golden/.
 * They show reviewers exactly what a data manager receives; a change to an emitter
 * shows up as a diff to read, not as a silent change. (Update with UPDATE_GOLDEN=1 only
 * after reading the diff.)
 */
import { describe, expect, it } from "vitest";
import { compileText } from "../../src/compile.js";
import { jsonSchemaFiles } from "../../src/emit/forms/jsonschema.js";
import { emitOdm } from "../../src/emit/forms/odm.js";
import { redcapFiles } from "../../src/emit/forms/redcap.js";
import { expectGolden } from "../support/golden.js";

const TINY = `trial "TINY-1" { title "A tiny trial" }
source seed "The tiny protocol" protocol
anchor inclusion "Date of inclusion"
form screening "Screening"
form labs "Laboratory"
data {
  sex: code(female "Female", male "Male") "Sex" form screening
  childbearing_potential: boolean "Woman of childbearing potential" form screening
  consent: attestation by investigator "Informed consent obtained" form screening
  platelets: decimal 10*3/uL range 0 to 2000 with LLN "Platelet count" form labs
  pregnancy_test_date: date "Date of the pregnancy test" form labs required when sex = female and childbearing_potential
  biopsies: records "Biopsies" form labs {
    taken_at: datetime "Date and time taken" capture only
    cores: integer range 1 to 12 "Number of cores"
  }
}
inclusion I1 "Consented, platelets >= 100 x 10^3/uL, a biopsy with 3 cores or more" {
  rule consent and platelets >= 100 10*3/uL and any biopsies where cores >= 3
}
inclusion I2 "A pregnancy test when needed" {
  rule if childbearing_potential then pregnancy_test_date within 4 wk before inclusion
}
`;

describe("golden exports of a tiny protocol", () => {
  const r = compileText(TINY, "tiny.trial");
  it("compiles cleanly", () => expect(r.diagnostics).toEqual([]));
  const ir = r.ir!;
  for (const [name, text] of jsonSchemaFiles(ir)) it(name, () => expectGolden(text, `tests/forms/golden/tiny/${name}`));
  it("odm.xml", () => expectGolden(emitOdm(ir), "tests/forms/golden/tiny/odm.xml"));
  for (const [name, text] of redcapFiles(ir)) it(name, () => expectGolden(text, `tests/forms/golden/tiny/${name}`));
});
