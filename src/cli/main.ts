/** Entry point of the `trialc` command (see `program.ts`). */
import { environmentError, main } from "./program.js";

// `trialc … | head` closes the pipe early: that is the reader's choice, not an error.
// Any other failure to write the output (a full device) is the environment's: one line, exit 1.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) process.stderr.write(`trialc: ${environmentError(e) ?? e.message}\n`);
    process.exit(1);
  });
}

process.exitCode = await main(process.argv.slice(2));
