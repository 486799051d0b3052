/** Entry point of the `trialc` command (see `program.ts`). */
import { main } from "./program.js";

process.exitCode = await main(process.argv.slice(2));
