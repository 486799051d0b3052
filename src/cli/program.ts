/**
 * The `trialc` command line, as a program tests can run in-process. Each command lives in its own file; this one wires
 * them to commander and turns every user error into a message and an exit code,
 * never a stack trace: 0 success, 1 a problem in a protocol, in patient data or in the
 * environment (disk full, read-only), 2 a usage error, 70 an internal error (a bug).
 */
import { Command, CommanderError } from "commander";
import { EXIT, UserError } from "./io.js";
import { systemReason } from "./output.js";
import { trialcVersion } from "../package-root.js";
// Each command's module is loaded when that command runs: `trialc check` need not load
// the TypeScript compiler, Handlebars or Playwright (`trialc --version` went from 1.1 s
// to 0.15 s, `trialc check` on the seed from 1.2 s to 0.6 s).

export function buildProgram(): Command {
  const program = new Command("trialc")
    .description(
      "Protocol-as-code for clinical trials: check .trial files and compile them to evaluators, forms and documents.",
    )
    .version(trialcVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Commander's usage errors ("error: unknown option") get the prefix of every other message.
      outputError: (s, write) => write(`trialc: ${s.replace(/^error: /, "")}`),
    });

  program
    .command("check")
    .description("check protocols for errors (names, types, UCUM units, time windows)")
    .argument("<files...>", ".trial files")
    .option("--format <format>", "text or json", "text")
    .option("--emit-ir", "print the checked protocol's intermediate representation (JSON)")
    .action(async (files: string[], opts) => {
      process.exitCode = (await import("./check.js")).runCheck(files, opts);
    });

  program
    .command("build")
    .description("compile a protocol to TypeScript modules (eligibility …) with the run time they import")
    .argument("<file>", ".trial file")
    .requiredOption("--out <dir>", "output directory")
    .option("--js", "also emit JavaScript and .d.ts files")
    .option("--tests", "also emit a vitest + fast-check test file for the protocol")
    .option("--force", "write into a folder trialc did not generate (only trialc's files are written)")
    .action(async (file: string, opts) => {
      process.exitCode = (await import("./build.js")).runBuild(file, opts);
    });

  program
    .command("eval")
    .description("screen patients (JSON, or FHIR R4 bundles with --fhir) against a protocol's eligibility criteria")
    .argument("<file>", ".trial file")
    .argument("[patients...]", "patient data, JSON, one file per patient")
    .option("--fhir <bundles...>", "FHIR R4 bundles (JSON), one patient each, read by the protocol's standard codes")
    .option("--format <format>", "text or json", "text")
    .option("--summary", "one line per patient and a tally")
    .option("--as-of <date>", "the inclusion date, when the data do not give it (YYYY-MM-DD)")
    .option("--anchor <name=date...>", "another reference date, e.g. D0=2027-01-04")
    .action(async (file: string, patients: string[], opts) => {
      process.exitCode = (await import("./eval.js")).runEval(file, patients, opts);
    });

  program
    .command("schedule")
    .description(
      "plan a patient's treatment calendar from the first injection date: every visit with its window and status",
    )
    .argument("<file>", ".trial file")
    .requiredOption("--start <date>", "the first injection date, D0 (YYYY-MM-DD)")
    .option(
      "--events <file>",
      'visits recorded so far, JSON array: [{"visit": "treatment", "cycle": 1, "date": "2027-01-04"}, ...]',
    )
    .option("--as-of <date>", "today, for what is missed (default: the last recorded event's date)")
    .option("--patient <file>", "patient data, JSON, for the requirements before treatment")
    .option("--anchor <name=date...>", "another reference date, e.g. inclusion=2026-12-14")
    .option("--subject <id>", "a patient identifier for the iCalendar events' UIDs and titles")
    .option("--format <format>", "text, json or ics (iCalendar)", "text")
    .action(async (file: string, opts) => {
      process.exitCode = (await import("./schedule.js")).runSchedule(file, opts);
    });

  program
    .command("toxicity")
    .description("decide the next cycle (proceed, delay, stop or unknown) from a treatment history (JSON)")
    .argument("<file>", ".trial file")
    .argument("<history>", "treatment history, JSON: cycles given with their dosimetry, labs before the next cycle")
    .option("--format <format>", "text or json", "text")
    .action(async (file: string, history: string, opts) => {
      process.exitCode = (await import("./toxicity.js")).runToxicity(file, history, opts);
    });

  program
    .command("response")
    .description(
      "evaluate a patient's tumour assessments (JSON): RECIST 1.1 per time point and best overall response, lesion-level change",
    )
    .argument("<file>", ".trial file")
    .argument("<assessments>", "assessment series, JSON")
    .option("--format <format>", "text or json", "text")
    .option("--anchor <name=date...>", "a reference date the data do not give, e.g. D0=2027-01-18")
    .action(async (file: string, assessments: string, opts) => {
      process.exitCode = (await import("./response.js")).runResponse(file, assessments, opts);
    });

  program
    .command("crf")
    .description(
      "write the case report forms: JSON Schema 2020-12 per form, CDISC ODM 1.3.2 XML, or a REDCap data dictionary",
    )
    .argument("<file>", ".trial file")
    .requiredOption("--out <dir>", "output directory")
    .option("--format <format>", "jsonschema, odm or redcap", "jsonschema")
    .option("--force", "write into a folder trialc did not generate (only trialc's files are written)")
    .action(async (file: string, opts) => {
      process.exitCode = (await import("./crf.js")).runCrf(file, opts);
    });

  program
    .command("doc")
    .description(
      "write the printable protocol summary: eligibility checklist, schedule of activities, toxicity, response, traceability",
    )
    .argument("<file>", ".trial file")
    .option("--format <format>", "md, html (one standalone file) or pdf (printed by the system's Chromium)", "md")
    .option("--out <path>", "output file (md and html go to stdout without it; pdf needs it)")
    .option("--force", "overwrite a file trialc did not generate, or replace a symbolic link")
    .action(async (file: string, opts) => {
      process.exitCode = await (await import("./doc.js")).runDoc(file, opts);
    });

  program
    .command("fmt")
    .description("format protocols in the canonical layout (comments kept); prints to stdout without an option")
    .argument("<paths...>", ".trial files or directories (searched for .trial files)")
    .option("--check", "list the files that would change; exit 1 if any would")
    .option("--write", "rewrite the files that change, atomically (never a file that does not parse)")
    .action(async (paths: string[], opts) => {
      process.exitCode = (await import("./fmt.js")).runFmt(paths, opts);
    });

  program
    .command("lsp")
    .description("run the language server (Language Server Protocol) for editors")
    .option("--stdio", "talk JSON-RPC over stdin and stdout (the only transport)")
    .action(async () => {
      // The server keeps the process alive while its input is open; it exits on the client's "exit".
      (await import("../lsp/server.js")).startServer();
    });

  program
    .command("sql")
    .description(
      "compile the eligibility rules to SQL over the OMOP CDM v5.4 (one row per person, one CTE per criterion)",
    )
    .argument("<file>", ".trial file")
    .option("--dialect <dialect>", "duckdb, postgres or spark", "duckdb")
    .option("--concepts <file>", "concept map CSV (default: omop/<name>-concept-map.csv beside the protocol)")
    .option("--as-of <date>", "read data up to this date (default: the database's current date)")
    .option("--anchor <name=date...>", "a reference date for every person, e.g. inclusion=2027-01-04")
    .option("--anchors-table <table>", "a table (person_id, <anchor>...) of reference dates per person")
    .option("--schema <name>", "the schema of the CDM tables")
    .option("--out <file>", "write the SQL to this file (default: stdout)")
    .option("--attrition", "the attrition and what-if aggregate instead of the per-person query (one row)")
    .action(async (file: string, opts) => {
      process.exitCode = (await import("./sql.js")).runSql(file, opts);
    });

  program
    .command("screen")
    .description(
      "pre-screen an OMOP CDM database: attrition per criterion in protocol order, what is missing, what-if counts",
    )
    .argument("<file>", ".trial file")
    .option("--db <db>", "a DuckDB database file or a postgres:// URL")
    .option("--parquet <dir>", "an OMOP extract as Parquet files (<table>.parquet), read with DuckDB")
    .option("--concepts <file>", "concept map CSV (default: omop/<name>-concept-map.csv beside the protocol)")
    .option("--as-of <date>", "read data up to this date (default: today)")
    .option("--anchor <name=date...>", "a reference date for every person, e.g. inclusion=2027-01-04")
    .option("--anchors-table <table>", "a table (person_id, <anchor>...) of reference dates per person")
    .option("--schema <name>", "the schema of the CDM tables")
    .option("--format <format>", "text, json or csv (the attrition table)", "text")
    .option("--out <file>", "also write the per-person results (CSV, or Parquet for a .parquet name with DuckDB)")
    .option("--what-if", "show how the counts move when each criterion is dropped or relaxed")
    .action(async (file: string, opts) => {
      process.exitCode = await (await import("./screen.js")).runScreen(file, opts);
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
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof UserError) {
      process.stderr.write(`trialc: ${e.message}\n`);
      return e.exitCode;
    }
    const env = environmentError(e);
    if (env) {
      process.stderr.write(`trialc: ${env}\n`);
      return EXIT.input;
    }
    process.stderr.write(
      `trialc: internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug in trialc; please report it with the input that caused it)\n`,
    );
    return EXIT.internal;
  }
}

/**
 * A failure of the user's environment (a full disk, standard output on a full device,
 * a read-only file system), as one line; null for anything else, which is a bug.
 */
export function environmentError(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException | null;
  if (!(err instanceof Error) || typeof err.code !== "string" || !err.syscall) return null;
  const reason = systemReason(err.code, err);
  if (err.path)
    return `cannot ${err.syscall === "open" || err.syscall === "read" ? "open" : "write"} ${err.path}: ${reason}`;
  if (err.syscall === "write") return `cannot write to standard output: ${reason}`;
  return `${err.syscall} failed: ${reason}`;
}
