#!/usr/bin/env node
// The `trialc` command: runs the TypeScript sources through tsx, so that the command
// is always what the sources say (no stale build).
import { register } from "tsx/esm/api";
register();
await import("../src/cli/main.ts");
