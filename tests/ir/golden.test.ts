/**
 * The IR of the seed protocol, as `trialc check --emit-ir` prints it, kept in
 * `tests/ir/golden/lu177-octreotate.ir.json` and reviewed like code: the IR is the
 * contract every target reads, so any change to its shape or content shows up here as
 * a diff. UPDATE_GOLDEN=1 rewrites it; read the diff before committing.
 */
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/cli/source.js";
import { expectGolden } from "../support/golden.js";

const SEED = "protocols/lu177-octreotate.trial";

describe("the IR of the seed protocol", () => {
  const r = compileFile(SEED);

  it("compiles without diagnostics", () => expect(r.diagnostics).toEqual([]));

  it("matches the reviewed golden IR", () => {
    expectGolden(JSON.stringify(r.ir, null, 2) + "\n", "tests/ir/golden/lu177-octreotate.ir.json");
  });

  it("is plain data: JSON round-trips it unchanged", () => {
    expect(JSON.parse(JSON.stringify(r.ir))).toEqual(r.ir);
  });
});
