/**
 * The seed protocol's generated TypeScript modules, byte for byte, in
 * `tests/emit/typescript/golden/lu177-octreotate/`: what a hospital runs, reviewed like
 * code. A change to an emitter (or to the lowering it reads) shows up as a diff.
 * UPDATE_GOLDEN=1 rewrites them; read the diff before committing. (The copied run time
 * is not kept here: it is `src/runtime` itself.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildFiles } from "../../../src/build.js";
import { compileFile } from "../../../src/cli/source.js";
import { expectGolden } from "../../support/golden.js";

const MODULES = [
  "patient.ts",
  "definitions.ts",
  "eligibility.ts",
  "decide.ts",
  "record.ts",
  "explain.ts",
  "schedule.ts",
  "toxicity.ts",
  "response.ts",
  "fhir.ts",
];

describe("the seed protocol's generated modules", () => {
  const files = buildFiles(compileFile("protocols/lu177-octreotate.trial").ir!, { tests: true });

  it("are the modules of a protocol with every section", () => {
    const own = [...files.keys()].filter((k) => !k.startsWith("runtime/") && !k.startsWith("forms/"));
    expect(own.sort()).toEqual([...MODULES, "eligibility.test.ts", "package.json", "tsconfig.json"].sort());
  });

  it("package.json lists the packages the run time imports, and FHIR R4's types for tsc", () => {
    const pkg = JSON.parse(files.get("package.json")!) as Record<string, Record<string, string>>;
    const own = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies!).sort()).toEqual([
      "@lhncbc/ucum-lhc",
      "decimal.js",
      "temporal-polyfill",
      "zod",
    ]);
    // The run time's FHIR import is typed with @types/fhir (`import type`): needed by tsc, not at run time.
    expect(pkg.devDependencies).toEqual({ "@types/fhir": own.dependencies["@types/fhir"] });
    expect([...files.get("runtime/fhir-bundle.ts")!.matchAll(/^import type .* from "(fhir\/[^"]+)"/gm)].length).toBe(1);
  });

  it.each([...MODULES, "eligibility.test.ts"])("%s matches the reviewed golden file", (name) => {
    expectGolden(files.get(name)!, `tests/emit/typescript/golden/lu177-octreotate/${name}`);
  });
});
