/**
 * The decision-only eligibility module, `decide.ts`: `isEligible(patient)` and
 * `screen(patients)`. Same verdicts as `evaluateEligibility` (a property test checks it
 * on random protocols and patients), without the explanation, and compiled rather than
 * transcribed: every threshold is a number literal in its element's unit, every shift of
 * a reference date (`D0 - 4 wk`) is computed once per patient, the patient record is
 * checked and normalised once by a plan compiled at load time, and evaluation stops as
 * soon as the verdict is known (Kleene logic as small integers: see `runtime/fast.ts`).
 *
 * Anything the fast path cannot decide plainly (invalid data, decimal strings, an
 * inexact unit conversion) goes to `evaluateEligibility`; a protocol construct this
 * emitter does not compile makes the whole module use that exact path, and says why.
 */
import type { IrCriterion, IrDefinition, IrExpr, IrProtocol } from "../../ir/types.js";
import { children } from "../../ir/walk.js";
import { dec } from "../../runtime/decimal.js";
import { exactAsDouble } from "../../runtime/fast.js";
import { commentText, ident, Lines, lit } from "./code.js";
import { header } from "./modules.js";

/** A construct the fast paths do not compile: the module then always takes the exact path. */
export class Unsupported extends Error {}

/** Expression kinds that are never missing. */
const CONSTANT = new Set<IrExpr["kind"]>(["number", "quantity", "string", "code", "bool", "duration"]);

/** `holds(op, c)` of the exact path, for c = 0 (equal) or 1 (not equal). */
function holds(op: string, c: 0 | 1): boolean {
  switch (op) {
    case "=":
    case "<=":
      return c === 0;
    case "!=":
    case ">":
      return c === 1;
    case ">=":
      return true;
    default:
      return false; // "<": never below
  }
}

const SECONDS: Record<string, number> = { min: 60, h: 3600, d: 86400, wk: 604800 };
const OPS: Record<string, string> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "===", "!=": "!==" };

/** A property read that is safe and readable: `p.hemoglobin`, or `p["odd name"]`. */
export function prop(obj: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${obj}.${name}` : `${obj}[${lit(name)}]`;
}

export function numberLiteral(text: string): string {
  if (!exactAsDouble(text)) throw new Unsupported(`the number ${text} is not exactly a double`);
  const s = String(Number(text));
  return s.startsWith("-") ? `(${s})` : s;
}

/** A compiled time shift: calendar months, or an exact number of seconds. */
export function shiftOf(d: IrExpr, sign: 1 | -1): { months: number } | { seconds: number } {
  if (d.kind !== "duration") throw new Unsupported(`a shift by "${d.text}", which is not a constant duration`);
  const a = dec(d.duration.amount).times(sign);
  if (d.duration.unit === "mo" || d.duration.unit === "a") {
    if (!a.isInteger()) throw new Unsupported(`a fractional calendar shift "${d.text}"`);
    return { months: a.toNumber() * (d.duration.unit === "a" ? 12 : 1) };
  }
  const s = a.times(SECONDS[d.duration.unit]!);
  if (!s.isInteger() || !Number.isSafeInteger(s.toNumber()))
    throw new Unsupported(`a shift "${d.text}" that is not a whole number of seconds`);
  return { seconds: s.toNumber() };
}

/**
 * A shift by hours or minutes (or a fractional day): elapsed time, which the exact path
 * counts across daylight-saving changes for a date-time in the trial's time zone.
 */
export function elapsed(d: IrExpr): boolean {
  if (d.kind !== "duration") return true;
  const u = d.duration.unit;
  return !(u === "mo" || u === "a" || u === "wk" || (u === "d" && dec(d.duration.amount).isInteger()));
}

/** Whether a time expression is a date-time when it runs (a date shifted by hours becomes one), anchors being dates here. */
export function isDateTime(e: IrExpr): boolean {
  if (e.kind === "shift") return isDateTime(e.base) || elapsed(e.duration);
  return e.type === "datetime";
}

/** One generated function's expression builder: temporaries, rows and arguments in scope. */
class Fn {
  private temps = 0;
  constructor(
    private readonly m: ModuleBuilder,
    /** Variables in scope, passed on to the helper functions of quantifiers. */
    readonly scope: string[],
    readonly records: Set<string>,
  ) {}

  temp(): string {
    return `t${this.temps++}`;
  }

  declarations(): string | null {
    if (!this.temps) return null;
    return `let ${Array.from({ length: this.temps }, (_, i) => `t${i}: any`).join(", ")};`;
  }

  /** A value expression: number (in the element's unit), seconds, string, or undefined when missing. */
  val(e: IrExpr): string {
    switch (e.kind) {
      case "number":
      case "quantity":
        return numberLiteral(e.value);
      case "string":
      case "code":
        return lit(e.value);
      case "element":
        return prop("p", e.name);
      case "field":
        if (!this.records.has(e.record)) throw new Unsupported(`a field of ${e.record} outside its quantifier`);
        return prop(ident("r_", e.record), e.name);
      case "arg":
        return ident("a_", e.name);
      case "anchor":
        return prop("anchor", e.name);
      case "shift": {
        const s = shiftOf(e.duration, e.sign);
        if (e.base.kind === "anchor") return this.m.hoist(e.base.name, e.duration, e.sign, s);
        if (this.m.timeZone && e.base.type === "datetime" && elapsed(e.duration))
          throw new Unsupported(`"${e.text}": hours added to a date-time in the trial's time zone (elapsed time)`);
        const base = this.val(e.base);
        return "months" in s ? `K.addMonths(${base}, ${s.months})` : `K.addSeconds(${base}, ${s.seconds})`;
      }
      case "define":
        return this.call(e);
      case "builtin":
        if (e.fn === "age") return `K.age(${this.val(e.args[0]!)}, ${this.val(e.args[1]!)})`;
        return `K.successiveRises(${prop("p", (e.args[0] as { name: string }).name)}, ${e.args
          .slice(1)
          .map((a) => lit((a as { name: string }).name))
          .join(", ")})`;
      case "quantifier":
        if (e.quantifier === "count") return this.m.quantifier(this, e);
        return this.cond(e);
      default:
        if (e.type === "boolean") return this.cond(e);
        throw new Unsupported(`"${e.text}" (${e.kind})`);
    }
  }

  private call(e: IrExpr & { kind: "define" }): string {
    const def = this.m.definition(e.name);
    const args = e.args.map((a) => (a.type === "boolean" ? this.cond(a) : this.val(a)));
    return `${ident("def_", def.name)}(${args.join(", ")})`;
  }

  /** Read a value once: a plain property read as is, anything else through a temporary. */
  private once(x: string): [string, string] {
    if (/^[A-Za-z_][\w.]*$/.test(x) || /^(\(-[\d.e+-]+\)|[\d.e+-]+|"(?:[^"\\]|\\.)*")$/.test(x)) return [x, x];
    const t = this.temp();
    return [`(${t} = ${x})`, t];
  }

  /** A condition: F, U or T. */
  cond(e: IrExpr): string {
    switch (e.kind) {
      case "bool":
        return e.value ? "T" : "F";
      case "element":
      case "field":
        return `(${this.val(e)} ?? U)`;
      case "arg":
        return ident("a_", e.name);
      case "fact":
        return this.cond(e.arg);
      case "define":
        return this.call(e);
      case "not":
        return `(T - ${this.cond(e.arg)})`;
      case "and":
      case "or": {
        const t = this.temp();
        const [stop, combine] = e.kind === "and" ? ["F", "Math.min"] : ["T", "Math.max"];
        const args = e.args.map((a) => this.cond(a));
        if (args.length === 1) return args[0]!;
        const lines = [`(${t} = ${args[0]}) === ${stop}`];
        for (const a of args.slice(1, -1)) lines.push(`(${t} = ${combine}(${t}, ${a})) === ${stop}`);
        return `(${lines.join(" ||\n  ")}\n  ? ${stop}\n  : ${combine}(${t}, ${args[args.length - 1]}))`;
      }
      case "if": {
        const t = this.temp();
        const then = this.cond(e.then);
        const otherwise = e.otherwise ? this.cond(e.otherwise) : "T";
        return `((${t} = ${this.cond(e.cond)}) === T\n  ? ${then}\n  : ${t} === F\n    ? ${otherwise}\n    : K.ifUnknown(${then}, ${otherwise}))`;
      }
      case "compare":
        return this.compare(e);
      case "in": {
        const [first, v] = this.once(this.val(e.arg));
        const tests = e.values.map((x) => `${v} === ${lit(x)}`).join(" || ");
        return `(${first} === undefined ? U : ${tests || "false"} ? T : F)`;
      }
      case "within":
      case "atLeast": {
        const sign = e.direction === "before" ? -1 : 1;
        const shifted = { kind: "shift", base: e.anchor, sign, duration: e.amount } as IrExpr;
        // A window's bound at a time of day counts as its whole day for a date (`inClosedWindow`).
        const byDay = e.kind === "within" && !isDateTime(e.subject);
        const edge = byDay && isDateTime(shifted) ? `K.day(${this.val(shifted)})` : this.val(shifted);
        const [s0, s] = this.once(this.val(e.subject));
        const [a0, a] = this.once(byDay && isDateTime(e.anchor) ? `K.day(${this.val(e.anchor)})` : this.val(e.anchor));
        const [g0, g] = this.once(edge);
        const known = `${s0} === undefined || ${a0} === undefined || ${g0} === undefined`;
        const test =
          e.kind === "within"
            ? sign < 0
              ? `${g} <= ${s} && ${s} <= ${a}`
              : `${a} <= ${s} && ${s} <= ${g}`
            : sign < 0
              ? `${s} <= ${g}`
              : `${s} >= ${g}`;
        return `(${known} ? U : ${test} ? T : F)`;
      }
      case "between": {
        const byDay = (b: IrExpr) => (!isDateTime(e.subject) && isDateTime(b) ? `K.day(${this.val(b)})` : this.val(b));
        const [s0, s] = this.once(this.val(e.subject));
        const [l0, l] = this.once(byDay(e.low));
        const [h0, h] = this.once(byDay(e.high));
        return `(${s0} === undefined || ${l0} === undefined || ${h0} === undefined ? U : ${l} <= ${s} && ${s} <= ${h} ? T : F)`;
      }
      case "order": {
        const [s0, s] = this.once(this.val(e.subject));
        const [a0, a] = this.once(this.val(e.anchor));
        return `(${s0} === undefined || ${a0} === undefined ? U : ${s} ${e.direction === "before" ? "<" : ">"} ${a} ? T : F)`;
      }
      case "quantifier":
        return this.m.quantifier(this, e);
      default:
        throw new Unsupported(`"${e.text}" (${e.kind}) as a condition`);
    }
  }

  private compare(e: IrExpr & { kind: "compare" }): string {
    const op = OPS[e.op]!;
    const { left, right } = e;
    if (right.kind === "refMultiple") {
      const lim = `${right.limit.toLowerCase()}`;
      const ref = left.kind === "element" ? prop("p", `${left.name}.${lim}`) : null;
      const refField =
        left.kind === "field" && this.records.has(left.record)
          ? prop(ident("r_", left.record), `${left.name}.${lim}`)
          : null;
      const r = ref ?? refField;
      if (!r || (left.kind !== "element" && left.kind !== "field") || right.of !== left.name)
        throw new Unsupported(`"${e.text}": a ULN/LLN multiple of another value`);
      const [v0, v] = this.once(this.val(left));
      const factor = numberLiteral(right.factor);
      return `(${v0} === undefined || ${r} === undefined ? U : K.cmpRef(${v}, ${factor}, ${lit(right.factor)}, ${r}) ${op} 0 ? T : F)`;
    }
    const kind = (x: IrExpr) =>
      x.type === "integer" || x.type === "decimal" || x.type === "quantity"
        ? "number"
        : x.type === "date" || x.type === "datetime"
          ? "time"
          : x.type === "boolean"
            ? "bool"
            : "text";
    const k = kind(left);
    if (k !== kind(right)) throw new Unsupported(`"${e.text}" compares ${left.type} with ${right.type}`);
    if (left.type === "quantity" && right.type === "quantity" && left.unit !== right.unit)
      throw new Unsupported(`"${e.text}" compares ${left.unit} with ${right.unit}`);
    // Codes, texts and yes/no values are only equal or not: the exact path orders them 0 (equal) or 1.
    const ifEqual = holds(e.op, 0) ? "T" : "F";
    const ifNot = holds(e.op, 1) ? "T" : "F";
    if (k === "bool") {
      const [a0, a] = this.once(this.cond(left));
      const [b0, b] = this.once(this.cond(right));
      return `(${a0} === U || ${b0} === U ? U : ${a} === ${b} ? ${ifEqual} : ${ifNot})`;
    }
    const [l0, l] = this.once(this.val(left));
    const [r0, r] = this.once(this.val(right));
    const unknown = [
      [left, l0],
      [right, r0],
    ]
      .filter(([x]) => !CONSTANT.has((x as IrExpr).kind))
      .map(([, v]) => `${v as string} === undefined`);
    const test = k === "text" ? `${l} === ${r} ? ${ifEqual} : ${ifNot}` : `${l} ${op} ${r} ? T : F`;
    return `(${unknown.length ? `${unknown.join(" || ")} ? U : ` : ""}${test})`;
  }
}

/** Collects the module's helper functions, hoisted shifts and definitions. */
class ModuleBuilder {
  readonly helpers: string[] = [];
  readonly hoisted = new Map<string, { name: string; init: string }>();
  private readonly defs = new Map<string, IrDefinition>();
  private readonly emittedDefs = new Set<string>();
  private counter = 0;

  constructor(private readonly ir: IrProtocol) {
    for (const d of ir.definitions) this.defs.set(d.name, d);
  }

  get timeZone(): string | undefined {
    return this.ir.timeZone;
  }

  /** A shift of a reference date, computed once per patient into a module variable. */
  hoist(anchor: string, d: IrExpr, sign: 1 | -1, s: { months: number } | { seconds: number }): string {
    return hoistShift(this.hoisted, anchor, d, sign, s);
  }

  definition(name: string): IrDefinition {
    const d = this.defs.get(name);
    if (!d) throw new Unsupported(`definition ${name} not found`);
    if (!this.emittedDefs.has(name)) {
      this.emittedDefs.add(name);
      const fn = new Fn(
        this,
        d.params.map((p) => ident("a_", p)),
        new Set(),
      );
      const body = d.expr.type === "boolean" ? fn.cond(d.expr) : fn.val(d.expr);
      const L = new Lines();
      L.line(`/** ${commentText(d.label || d.name)}: ${commentText(d.expr.text)} */`);
      L.line(
        `function ${ident("def_", d.name)}(${d.params.map((p) => `${ident("a_", p)}: any`).join(", ")}): ${d.expr.type === "boolean" ? "Tri" : "any"} {`,
      ).indent(() => {
        const decl = fn.declarations();
        if (decl) L.line(decl);
        multiline(L, `return ${body};`);
      });
      L.line("}");
      this.helpers.push(L.toString());
    }
    return d;
  }

  /** `any|all|none|count records where …` as a helper function with a loop that stops early. */
  quantifier(outer: Fn, e: IrExpr & { kind: "quantifier" }): string {
    const name = `${e.quantifier}_${ident("", e.records)}_${this.counter++}`;
    const row = ident("r_", e.records);
    const fn = new Fn(this, [...outer.scope, row], new Set([...outer.records, e.records]));
    const where = e.where ? fn.cond(e.where) : "T";
    const params = outer.scope.map((v) => `${v}: any`);
    const L = new Lines();
    L.line(`/** ${commentText(e.text)} */`);
    const result = e.quantifier === "count" ? "number | undefined" : "Tri";
    L.line(`function ${name}(rows: any[] | undefined${params.map((p) => `, ${p}`).join("")}): ${result} {`).indent(
      () => {
        L.line(`if (rows === undefined) return ${e.quantifier === "count" ? "undefined" : "U"};`);
        const decl = fn.declarations();
        if (decl) L.line(decl);
        L.line(e.quantifier === "count" ? "let n = 0;" : "let open = false;");
        L.line(`for (const ${row} of rows) {`).indent(() => {
          multiline(L, `const v: Tri = ${where};`);
          switch (e.quantifier) {
            case "any":
              L.line("if (v === T) return T;");
              break;
            case "all":
              L.line("if (v === F) return F;");
              break;
            case "none":
              L.line("if (v === T) return F;");
              break;
            case "count":
              L.line("if (v === U) return undefined;");
              L.line("if (v === T) n++;");
              return;
          }
          L.line("if (v === U) open = true;");
        });
        L.line("}");
        const done = { any: "open ? U : F", all: "open ? U : T", none: "open ? U : T", count: "n" }[e.quantifier];
        L.line(`return ${done};`);
      },
    );
    L.line("}");
    this.helpers.push(L.toString());
    return `${name}(${[prop("p", e.records), ...outer.scope].join(", ")})`;
  }

  /** The `age(...)` uses, checked up front (a birth after the date is a data error the exact path reports). */
  ageGuards(): string[] {
    const out = new Set<string>();
    const visit = (e: IrExpr): void => {
      if (e.kind === "builtin" && e.fn === "age") {
        const [b, a] = e.args;
        const top = (x: IrExpr | undefined) => x && (x.kind === "element" || x.kind === "anchor");
        if (!top(b) || !top(a)) throw new Unsupported(`"${e.text}": age of a value other than a data element`);
        const fn = new Fn(this, [], new Set());
        out.add(`K.ageGuard(${fn.val(b!)}, ${fn.val(a!)});`);
      }
      for (const c of children(e)) visit(c);
    };
    const crit = (c: IrCriterion): void => {
      if (c.body.kind === "rule") visit(c.body.expr);
      else c.body.children.forEach(crit);
    };
    [...this.ir.eligibility.inclusion, ...this.ir.eligibility.exclusion].forEach(crit);
    this.ir.definitions.forEach((d) => visit(d.expr));
    return [...out];
  }
}

/** A shift of a reference date as a module variable (`D0_minus_4_wk`) in `hoisted`, with its initialiser. */
export function hoistShift(
  hoisted: Map<string, { name: string; init: string }>,
  anchor: string,
  d: IrExpr,
  sign: 1 | -1,
  s: { months: number } | { seconds: number },
): string {
  const amount = d.kind === "duration" ? `${d.duration.amount}_${d.duration.unit}` : "x";
  const name = ident("", `${anchor}_${sign < 0 ? "minus" : "plus"}_${amount.replace(/\./g, "_")}`);
  if (!hoisted.has(name)) {
    const base = prop("anchor", anchor);
    const init = "months" in s ? `K.addMonths(${base}, ${s.months})` : `K.addSeconds(${base}, ${s.seconds})`;
    hoisted.set(name, { name, init });
  }
  return name;
}

/** The `K.ageGuard(...)` lines of a protocol's `age(...)` uses (see `ModuleBuilder.ageGuards`). */
export function ageGuards(ir: IrProtocol): string[] {
  return new ModuleBuilder(ir).ageGuards();
}

/** Add a (possibly multi-line) statement at the current indentation. */
export function multiline(L: Lines, text: string): void {
  for (const line of text.split("\n")) L.line(line);
}

function criterionFns(m: ModuleBuilder, c: IrCriterion, out: Lines): void {
  if (c.body.kind === "group") for (const k of c.body.children) criterionFns(m, k, out);
  const fn = ident("c_", c.id);
  out.line(`/** ${commentText(`${c.id}: ${c.text}`)} */`);
  if (c.body.kind === "group") {
    const parts = c.body.children.map((k) => ident("c_", k.id));
    out.line(`const ${fn}_parts = [${parts.join(", ")}];`);
    out
      .line(`function ${fn}(): Tri {`)
      .indent(() => out.line(`return K.group(${c.body.kind === "group" ? c.body.count : 0}, ${fn}_parts);`));
    out.line("}");
    out.line();
    return;
  }
  const f = new Fn(m, [], new Set());
  out.line(`// ${commentText(c.body.expr.text)}`);
  const body = f.cond(c.body.expr);
  out.line(`function ${fn}(): Tri {`).indent(() => {
    const decl = f.declarations();
    if (decl) out.line(decl);
    multiline(out, `return ${body};`);
  });
  out.line("}");
  out.line();
}

export function emitDecideModule(ir: IrProtocol): string {
  const m = new ModuleBuilder(ir);
  const crit = new Lines();
  let guards: string[] = [];
  let reason: string | null = null;
  try {
    guards = m.ageGuards();
    for (const c of [...ir.eligibility.inclusion, ...ir.eligibility.exclusion]) criterionFns(m, c, crit);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    reason = e.message;
  }
  const L = new Lines();
  L.line(
    header(
      ir,
      "Eligibility, decision only: isEligible(patient) and screen(patients), the verdicts of evaluateEligibility.",
    ),
  );
  L.line("/* eslint-disable */");
  L.line('import * as K from "./runtime/fast.js";');
  L.line('import { F, U, T, type Tri } from "./runtime/fast.js";');
  L.line('import type { DataProblem } from "./runtime/patient.js";');
  L.line('import type { EligibilityVerdict } from "./runtime/eligibility.js";');
  L.line('import { evaluateExactly, type EligibilityOptions } from "./eligibility.js";');
  if (reason === null) L.line('import { anchor, load, p } from "./record.js";');
  L.line();
  L.line("/** Invalid patient data: no decision is made on it (`errors` has the JSON path of each problem). */");
  L.line("export class PatientDataError extends Error {").indent(() => {
    L.line("constructor(readonly errors: DataProblem[]) {").indent(() => {
      L.line('super(errors.map((e) => `${e.path}: ${e.message}`).join("; "));');
    });
    L.line("}");
  });
  L.line("}");
  L.line();
  L.line("/** How many verdicts each path gave since the module was loaded (for tests and benchmarks). */");
  L.line("export const paths = { fast: 0, exact: 0 };");
  L.line();
  L.line("/** The exact path: the explained evaluation, reduced to its verdict. */");
  L.line("function exact(patient: unknown, options: EligibilityOptions): EligibilityVerdict {").indent(() => {
    L.line("const out = evaluateExactly(patient, options);");
    L.line("if (!out.ok) throw new PatientDataError(out.errors);");
    L.line("return out.result.verdict;");
  });
  L.line("}");
  L.line();
  if (reason !== null) {
    L.line(
      `// No fast path for this protocol: ${commentText(reason)} is not compiled; every patient takes the exact path.`,
    );
    L.line(
      "export function isEligible(patient: unknown, options: EligibilityOptions = {}): EligibilityVerdict {",
    ).indent(() => L.line("paths.exact++;").line("return exact(patient, options);"));
    L.line("}");
  } else {
    if (m.hoisted.size) {
      L.line("// Shifts of the reference dates, computed once per patient.");
      for (const h of m.hoisted.values()) L.line(`let ${h.name}: number | undefined;`);
    }
    L.line();
    for (const h of m.helpers) multiline(L, h.trimEnd());
    L.line();
    multiline(L, crit.toString().trimEnd());
    L.line();
    L.line("/** The verdict of the patient loaded in `p`: stops at the first criterion that excludes. */");
    L.line("function decide(): EligibilityVerdict {").indent(() => {
      for (const h of m.hoisted.values()) L.line(`${h.name} = ${h.init};`);
      for (const g of guards) L.line(g);
      L.line("let t: Tri;");
      L.line("let open = false;");
      for (const c of ir.eligibility.inclusion)
        L.line(`if ((t = ${ident("c_", c.id)}()) === F) return "ineligible";`).line("if (t === U) open = true;");
      for (const c of ir.eligibility.exclusion)
        L.line(`if ((t = ${ident("c_", c.id)}()) === T) return "ineligible";`).line("if (t === U) open = true;");
      L.line('return open ? "indeterminate" : "eligible";');
    });
    L.line("}");
    L.line();
    L.line("/** The verdict `evaluateEligibility` gives this patient; throws PatientDataError for invalid data. */");
    L.line(
      "export function isEligible(patient: unknown, options: EligibilityOptions = {}): EligibilityVerdict {",
    ).indent(() => {
      L.line("try {").indent(() => {
        L.line("load(patient, options, false);");
        L.line("const verdict = decide();");
        L.line("paths.fast++;");
        L.line("return verdict;");
      });
      L.line("} catch (e) {").indent(() => L.line("if (e !== K.FALLBACK) throw e;"));
      L.line("}");
      L.line("paths.exact++;");
      L.line("return exact(patient, options);");
    });
    L.line("}");
  }
  L.line();
  L.line("/** The verdict of every patient of a cohort, in order; invalid data give their problems instead. */");
  L.line(
    "export function screen(patients: readonly unknown[], options: EligibilityOptions = {}): (EligibilityVerdict | { errors: DataProblem[] })[] {",
  ).indent(() => {
    L.line("const out: (EligibilityVerdict | { errors: DataProblem[] })[] = new Array(patients.length);");
    L.line("for (let i = 0; i < patients.length; i++) {").indent(() => {
      L.line("try {").indent(() => L.line("out[i] = isEligible(patients[i], options);"));
      L.line("} catch (e) {").indent(() => {
        L.line("if (!(e instanceof PatientDataError)) throw e;");
        L.line("out[i] = { errors: e.errors };");
      });
      L.line("}");
    });
    L.line("}");
    L.line("return out;");
  });
  L.line("}");
  return L.toString();
}

/** The call that reads element `el` of a record (fast.ts has one reader per kind). */
function reader(el: IrProtocol["elements"][number], plan: string, raw: string): string {
  switch (el.type) {
    case "boolean":
    case "attestation":
      return `K.bool(${raw})`;
    case "code":
      return `K.code(${plan}, ${raw})`;
    case "integer":
      return `K.int(${plan}, ${raw})`;
    case "decimal":
      return el.unit ? `K.measured(${plan}, ${raw}, anchor)` : `K.decimal(${plan}, ${raw})`;
    case "text":
      return `K.text(${raw})`;
    case "date":
      return `K.date(${raw})`;
    case "datetime":
      return `K.dateTime(${raw})`;
    default:
      return `K.value(${plan}, ${raw})`;
  }
}

/**
 * `record.ts`: the loader both fast paths share. `load(patient, options, keys)` checks and
 * normalises a record into `p` (every element in its element's unit, dates as seconds,
 * yes/no as F/T; a measured element's chosen result with its limits and time) and its
 * reference dates into `anchor`, element by element, or throws `K.FALLBACK`.
 */
export function emitRecordModule(ir: IrProtocol): string {
  const L = new Lines();
  L.line(
    header(ir, "The patient record, read plainly for the fast paths: load(patient, options, keys) into p and anchor."),
  );
  L.line("/* eslint-disable */");
  L.line('import * as K from "./runtime/fast.js";');
  L.line('import { ANCHORS, DICTIONARY } from "./patient.js";');
  L.line();
  L.line(
    "/** The patient loaded last: every element in its element's unit, dates as seconds (see runtime/fast.ts). */",
  );
  L.line("export const p: Record<string, any> = {};");
  L.line("/** Its reference dates, in seconds. */");
  L.line("export const anchor: Record<string, number | undefined> = {};");
  L.line("/** The data dictionary compiled once: what `load` checks and normalises each patient with. */");
  L.line("const PLAN = K.compilePlan(DICTIONARY, ANCHORS);");
  L.line("const E = K.planElements(PLAN);");
  L.line();
  L.line("/**");
  L.line(
    " * Check and normalise a patient into `p` and `anchor`, element by element; anything unusual takes the exact path.",
  );
  L.line(
    " * `keys`: whether fields a result or a limit should not have take the exact path too (for the warnings it gives).",
  );
  L.line(" */");
  L.line("export function load(raw: unknown, options: object, keys: boolean): void {").indent(() => {
    L.line("const r: any = K.record(raw, keys);");
    L.line("K.loadAnchors(PLAN, r, options, anchor);");
    for (const el of ir.elements) {
      L.line(`${prop("p", el.name)} = ${reader(el, `${prop("E", el.name)}!`, prop("r", el.name))};`);
      for (const lim of ["uln", "lln"] as const)
        if (el.unit && el.reference[lim]) L.line(`${prop("p", `${el.name}.${lim}`)} = K.refs.${lim};`);
      if (el.type === "decimal" && el.unit) {
        // A measured element: the time of the result read, and its value as written in another unit.
        L.line(`${prop("p", `${el.name}.at`)} = K.refs.at;`);
        L.line(`${prop("p", `${el.name}.w`)} = K.refs.written;`);
      }
    }
  });
  L.line("}");
  return L.toString();
}
