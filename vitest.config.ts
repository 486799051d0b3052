import { configDefaults, defineConfig } from "vitest/config";

// Tests live in tests/ (mirroring src/), plus the tests `trialc build --tests` generates
// for every protocol (written by scripts/build-protocols.ts before the run).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Golden files are reviewed output (a generated test among them), not tests to run.
    exclude: [...configDefaults.exclude, "tests/**/golden/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["tests/setup.ts"],
  },
});
