/**
 * The `trialc` command line, as a program tests can run in-process. Each command lives in its own file; this one wires
 * them to commander and turns every user error into a message and an exit code,
 * never a stack trace: 0 success, 1 a problem in a protocol or in patient data,
 * 2 a usage error.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT, UserError } from "./io.js";
import { runCheck } from "./check.js";
import { runBuild } from "./build.js";
import { runEval } from "./eval.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

export function buildProgram(): Command {
  const program = new Command("trialc")
    .description("Protocol-as-code for clinical trials: check .trial files and compile them to evaluators, forms and documents.")
    .version(pkg.version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("check")
    .description("check protocols for errors (names, types, UCUM units, time windows)")
    .argument("<files...>", ".trial files")
    .option("--format <format>", "text or json", "text")
    .option("--emit-ir", "print the checked protocol's intermediate representation (JSON)")
    .action((files: string[], opts) => {
      process.exitCode = runCheck(files, opts);
    });

  program
    .command("build")
    .description("compile a protocol to TypeScript modules (eligibility …) with the run time they import")
    .argument("<file>", ".trial file")
    .requiredOption("--out <dir>", "output directory")
    .option("--js", "also emit JavaScript and .d.ts files")
    .option("--tests", "also emit a vitest + fast-check test file for the protocol")
    .action((file: string, opts) => {
      process.exitCode = runBuild(file, opts);
    });

  program
    .command("eval")
    .description("screen a patient (JSON) against a protocol's eligibility criteria")
    .argument("<file>", ".trial file")
    .argument("<patient>", "patient data, JSON")
    .option("--format <format>", "text or json", "text")
    .option("--as-of <date>", "the inclusion date, when the data do not give it (YYYY-MM-DD)")
    .option("--anchor <name=date...>", "another reference date, e.g. D0=2027-01-04")
    .action((file: string, patient: string, opts) => {
      process.exitCode = runEval(file, patient, opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UserError) {
      process.stderr.write(`trialc: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`trialc: internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug in trialc; please report it with the input that caused it)\n`);
    return 70;
  }
}
