/**
 * The generated `response.ts`: `evaluateResponse(assessments, options)` for one protocol.
 * Its spec is the lowered one (`src/lower/response.ts`) written as a constant, with each
 * lesion category's condition compiled to the run-time calls the interpreter makes, so
 * the module and the interpreter agree by construction; the differential tests check it.
 */
import type { IrExpr, IrProtocol, IrTrace } from "../../ir/types.js";
import { lower } from "../../lower/index.js";
import { commentText, definitionsUsed, ident, json, Lines, lit } from "./code.js";
import { emitExpr } from "./expr.js";
import { header } from "./modules.js";

/** A category condition as a function of the evaluation context and the response variables. */
function emitCondition(e: IrExpr): string {
  const body = emitExpr(e, (x) => {
    if (x.kind === "var") return `variable(vars, ${lit(x.name)})`;
    throw new Error(`"${x.text}" cannot be compiled in a lesion category`);
  });
  return `(ctx: rt.EvalCtx, vars: Record<string, v.Val>): v.Val => ${body}`;
}

/** The text of `response.ts`, or null when the protocol has no response section. */
export function emitResponseModule(ir: IrProtocol): string | null {
  const settings = lower(ir).response;
  if (!settings || !ir.response) return null;
  const conditions = ir.response.lesion?.categories ?? [];
  const L = new Lines();
  L.line(
    header(
      ir,
      "Response: evaluateResponse(assessments, options), RECIST 1.1 and the lesion-level response, every decision explained.",
    ),
  );
  L.line('import * as rt from "./runtime/ops.js";');
  L.line('import * as v from "./runtime/values.js";');
  L.line(
    'import { evaluateResponseSpec, variable, type ResponseOptions, type ResponseOutcome, type ResponseSpec } from "./runtime/response.js";',
  );
  const defs = definitionsUsed(conditions.flatMap((c) => (c.when ? [c.when] : [])));
  if (defs.length) L.line(`import { ${defs.map((d) => ident("def_", d)).join(", ")} } from "./definitions.js";`);
  L.line();
  L.line('export type { LengthInput, ResponseOptions, ResponseOutcome, ResponseResult } from "./runtime/response.js";');
  L.line();
  const { lesion, ...rest } = settings;
  // The protocol's words and the readings it adopted, so the module can be reviewed on its own.
  const r = ir.response;
  const traced: [string, IrTrace | undefined][] = [
    ["response", r.trace],
    ["lesion level", r.lesion?.trace],
    ["RECIST", r.recist?.trace],
  ];
  const notes = traced.flatMap(([where, t]) => [
    ...(t?.cites ?? []).map((c) => `${where}: cite ${c.source} "${c.text}"`),
    ...(t?.interpretations ?? []).map((i) => `${where}: interpretation "${i.text}"${i.ref ? ` (${i.ref})` : ""}`),
  ]);
  L.line("/**");
  L.line(" * The protocol's response section: lesion-level categories and the RECIST 1.1 settings.");
  for (const n of notes) L.line(` * - ${commentText(n)}`);
  L.line(" */");
  L.line("const SPEC: ResponseSpec = {").indent(() => {
    for (const [k, val] of Object.entries(rest)) L.line(`${k}: ${json(val).replace(/\n/g, "\n  ")},`);
    if (!lesion) {
      L.line("lesion: null,");
      return;
    }
    const { categories, ...plain } = lesion;
    L.line(
      `/** ${commentText(`Lesion-level response: change of ${lesion.records}.${lesion.field} (${lesion.unit}) from ${lesion.reference}.`)} */`,
    );
    L.line("lesion: {").indent(() => {
      for (const [k, val] of Object.entries(plain)) L.line(`${k}: ${json(val).replace(/\n/g, "\n    ")},`);
      L.line("categories: [").indent(() => {
        categories.forEach((c, i) => {
          const when = conditions[i]?.when ?? null;
          L.line(`/** ${commentText(`${c.label}: ${c.rule ?? "otherwise"}`)} */`);
          L.line(
            `{ name: ${lit(c.name)}, label: ${lit(c.label)}, rule: ${c.rule === null ? "null" : lit(c.rule)}, when: ${when ? emitCondition(when) : "null"} },`,
          );
        });
      });
      L.line("],");
    });
    L.line("},");
  });
  L.line("};");
  L.line();
  L.line("/**");
  L.line(" * Evaluate one patient's assessment series: RECIST 1.1 at every time point (sums, nadir, the rule");
  L.line(" * that decided), the best overall response confirmed and unconfirmed, and each lesion's change");
  L.line(" * and category. Invalid data give the problems with their JSON paths, never a response.");
  L.line(" */");
  L.line(
    "export function evaluateResponse(assessments: unknown, options: ResponseOptions = {}): ResponseOutcome {",
  ).indent(() => {
    L.line("return evaluateResponseSpec(SPEC, assessments, options);");
  });
  L.line("}");
  return L.toString();
}
