/**
 * The fuzz cases of issue 12, shared by the bounded run in `npm test`
 * (`fuzz.test.ts`) and the long one (`npm run fuzz`, `scripts/fuzz.ts`): mutated
 * protocols and mutated patient, history, assessment and events files. Each case checks
 * that trialc answers without crashing: no exception escapes, every protocol problem
 * has a TRC code and a position, every data problem a JSON path and a message in words
 * (none of zod's raw messages).
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { compileText } from "../../src/compile.js";
import { evaluateEligibility } from "../../src/interpret/eligibility.js";
import { evaluateResponse } from "../../src/interpret/response.js";
import { planSchedule } from "../../src/interpret/schedule.js";
import { decideCycle } from "../../src/interpret/toxicity.js";
import type { IrProtocol } from "../../src/ir/types.js";

export const SEED_TEXT = readFileSync("protocols/lu177-octreotate.trial", "utf8");
let seedIr: IrProtocol | null = null;
/** The seed's IR, compiled once. */
export function seed(): IrProtocol {
  return (seedIr ??= compileText(SEED_TEXT, "seed.trial").ir!);
}

/** Text that has broken trialc before, or could. */
const HOSTILE_TEXT = [
  "\u0005",
  "\r",
  "\uFEFF",
  "\u2028",
  "9".repeat(1001),
  "1e1001",
  "(".repeat(500),
  ")".repeat(50),
  "not ".repeat(200),
  " and x > 1".repeat(50),
  "{",
  "}",
  '"',
  "\\",
  "//",
  "/*",
  "criterion",
  "rule",
  "x ULN",
  "g/dL",
  "0000-01-01",
];

const protocolMutation = fc.tuple(
  fc.nat({ max: SEED_TEXT.length }),
  fc.nat({ max: 60 }),
  fc.constantFrom("delete", "insert", "duplicate"),
  fc.constantFrom(...HOSTILE_TEXT),
);

/** A mutated seed protocol. */
export const protocolCase = fc.array(protocolMutation, { minLength: 1, maxLength: 3 }).map((ms) =>
  ms.reduce((text, [at, len, op, word]) => {
    const end = Math.min(text.length, at + len);
    if (op === "delete") return text.slice(0, at) + text.slice(end);
    if (op === "duplicate") return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    return text.slice(0, at) + word + text.slice(at);
  }, SEED_TEXT),
);

/** Compile a mutant; throws (fails the case) when trialc does not answer properly. */
export function checkProtocol(text: string): void {
  const r = compileText(text, "mutant.trial");
  for (const d of r.diagnostics) {
    if (!/^TRC\d{4}$/.test(d.code)) throw new Error(`diagnostic without a code: ${d.message}`);
    if (!(d.span.line >= 1 && d.span.column >= 1)) throw new Error(`diagnostic without a position: ${d.message}`);
    if (/internal error/.test(d.message)) throw new Error(`internal error: ${d.message}`);
  }
  if (r.ir === null && !r.diagnostics.some((d) => d.severity === "error")) throw new Error("no IR and no error");
}

const readJsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) as unknown);

/** The sample inputs, by kind. */
export const SAMPLES = {
  patient: readJsonFiles("protocols/patients"),
  history: readJsonFiles("protocols/histories"),
  assessments: readJsonFiles("protocols/assessments"),
  events: readJsonFiles("protocols/schedules"),
};
export type InputKind = keyof typeof SAMPLES;

/** Values a field should never hold, or only just. */
const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  5e-324,
  1.5,
  "",
  "x",
  "1e1001",
  "-0",
  " 12 ",
  "0000-01-01",
  "0961-05-12",
  "2027-02-30",
  "2027-01-18T25:00",
  "\u0005",
  true,
  [],
  {},
  { value: "1e1001", unit: "g/L" },
  { value: 1, unit: "furlong" },
  { value: 1, unit: "g/L", uln: 1e300 },
  { value: 1 },
  [[[[[[[[[[[]]]]]]]]]]],
];

/** Every path to a value in `v` (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      if (out.length < 2000) paths(x, p, out);
    }
  return out;
}

/** `sample` with the value at `path` replaced, removed, or given an unknown sibling. */
function edit(sample: unknown, path: (string | number)[], op: number, value: unknown): unknown {
  const copy = structuredClone(sample) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (op === 0) parent[last] = value;
  else if (op === 1) delete parent[last];
  else parent[Array.isArray(parent) ? parent.length : `unknown_${String(last)}`] = value;
  return copy;
}

/** A mutated sample input: kind, sample, and up to three edits. */
export const dataCase = fc
  .tuple(
    fc.constantFrom(...(Object.keys(SAMPLES) as InputKind[])),
    fc.nat(),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...HOSTILE_VALUES)), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([kind, i, edits, wholeHostile]) => {
    const samples = SAMPLES[kind];
    let data: unknown = samples[i % samples.length];
    if (wholeHostile) return { kind, data: edits[0]![2] };
    for (const [j, op, value] of edits) {
      const ps = paths(data);
      if (ps.length) data = edit(data, ps[j % ps.length]!, op, value);
    }
    // As a file would hold it: JSON has no holes in arrays (a deleted item reads as null).
    return { kind, data: JSON.parse(JSON.stringify(data ?? null)) as unknown };
  });

const RAW_ZOD = /^Invalid input|expected \w+, received \w+|^Required$|^Unrecognized key/;

/** Run a mutated input through its command's evaluator; throws when trialc does not answer properly. */
export function checkData({ kind, data }: { kind: InputKind; data: unknown }): void {
  const ir = seed();
  const outcome =
    kind === "patient"
      ? evaluateEligibility(ir, data)
      : kind === "history"
        ? decideCycle(ir, data)
        : kind === "assessments"
          ? evaluateResponse(ir, data)
          : planSchedule(ir, "2027-01-18", data, { asOf: "2027-12-31" });
  if (outcome.ok) return;
  if (outcome.errors.length === 0) throw new Error("rejected without a reason");
  for (const e of outcome.errors) {
    const path = "input" in e && e.input !== "events" && e.input !== "patient" ? "$" : e.path;
    if (!/^(\$|options\.|anchors\.|asOf|start)/.test(path))
      throw new Error(`problem without a JSON path: ${JSON.stringify(e)}`);
    if (!e.message || RAW_ZOD.test(e.message)) throw new Error(`raw message: ${JSON.stringify(e)}`);
  }
}
