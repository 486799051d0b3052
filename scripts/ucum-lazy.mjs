// What the command line's bundle (scripts/bundle.mjs) imports in place of @lhncbc/ucum-lhc:
// the package itself is loaded on first use. Most commands never need it (the common
// units are analysed ahead of time, src/runtime/unit-presets.ts), and loading it cost
// about 17 ms of every start. trialc uses the two classes' getInstance() only; any other
// use fails the bundle's own check (tests/cli/bundle.test.ts).
import { createRequire } from "node:module";

let ucum;
const lib = () => (ucum ??= createRequire(import.meta.url)("@lhncbc/ucum-lhc"));

export const UcumLhcUtils = { getInstance: () => lib().UcumLhcUtils.getInstance() };
export const UnitTables = { getInstance: () => lib().UnitTables.getInstance() };
