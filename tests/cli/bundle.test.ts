/**
 * The bundled command line (`npm run build`, what `bin/trialc.js` runs): built here into
 * a folder of its own, it checks the seed protocol, and reaches ucum-lhc, which the
 * bundle loads only on first use (scripts/ucum-lazy.mjs), for a unit outside the
 * presets and for the suggestions on a misspelt one.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

const OUT = "test-artifacts/bundle";
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [`${OUT}/main.js`, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const protocol = (unit: string) => `trial "U-1" { title "Units" }
source seed "generated" protocol
anchor inclusion "Inclusion"
data { x: decimal ${unit} range 0 to 5 "X" }
inclusion I1 "X" { rule x >= 1 ${unit} }
`;

beforeAll(() => {
  const r = spawnSync(process.execPath, ["scripts/bundle.mjs", OUT], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  mkdirSync(`${OUT}-input`, { recursive: true });
  writeFileSync(`${OUT}-input/inch.trial`, protocol("[in_i]"));
  writeFileSync(`${OUT}-input/misspelt.trial`, protocol("mg/dl_"));
});

describe("the bundle", () => {
  it("checks the seed protocol", () => {
    const r = run("check", "protocols/lu177-octreotate.trial");
    expect(r.stdout + r.stderr).toContain("lu177-octreotate.trial: 0 errors, 0 warnings");
    expect(r.code).toBe(0);
  });

  it("loads ucum-lhc for a unit outside the presets, and for a misspelt unit's suggestions", () => {
    const inch = run("check", `${OUT}-input/inch.trial`);
    expect(inch.stdout + inch.stderr).toContain("0 errors");
    expect(inch.code).toBe(0);
    const bad = run("check", `${OUT}-input/misspelt.trial`);
    expect(bad.stdout + bad.stderr).toMatch(/TRC3002/);
    expect(bad.code).toBe(1);
  });
});
