/**
 * The explained fast path, `explain.ts`: `explainFast(patient, options)` gives the same
 * `EligibilityResult` as the exact evaluation in `eligibility.ts` (every verdict, step,
 * detail and missing item), computed on the plain values `record.ts` loads rather than
 * on `normalizePatient`'s decimals. Each rule is compiled to calls of
 * `runtime/explain-fast.ts`, with every constant, unit and way of showing a value fixed
 * here, so that nothing but the patient's values is looked at when it runs.
 *
 * It throws `FALLBACK` (and `evaluateEligibility` takes the exact path) for any record
 * `record.ts` cannot read plainly or marks `exotic`; a construct this emitter does not
 * compile makes the module a stub that always falls back, and says why.
 */
import type { IrCriterion, IrDefinition, IrExpr, IrProtocol } from "../../ir/types.js";
import { dec } from "../../runtime/decimal.js";
import { fieldNames, moreGroupNames } from "../../lower/builtins.js";
import { commentText, ident, Lines, lit } from "./code.js";
import { header } from "./modules.js";
import { ageGuards, elapsed, hoistShift, multiline, numberLiteral, prop, shiftOf, Unsupported } from "./decide.js";

const OPS: Record<string, string> = { "<": "Lt", "<=": "Le", ">": "Gt", ">=": "Ge", "=": "Eq", "!=": "Ne" };

/** How a value is shown: a `Show` kind, and for a quantity its unit and the time of its result. */
interface Shown {
  kind: "Num" | "Qty" | "Code" | "Bool" | "Date" | "DateTime" | "Rows";
  unit: string;
  /** Code of the time of a measured element's result, and of its value as written in another unit. */
  at: string;
  written: string;
}

const plain = (kind: Shown["kind"], unit = ""): Shown => ({ kind, unit, at: "undefined", written: "undefined" });

/** A time expression's kind: a date (false) or a date-time (true). */
function isDateTime(s: Shown): boolean {
  if (s.kind === "Date") return false;
  if (s.kind === "DateTime") return true;
  throw new Unsupported(`a time shown as ${s.kind}`);
}

/** A constant as the exact path shows it (`show` of a `rt.num`, `rt.qty`, `rt.code`, `rt.str`), or null. */
function fixedText(e: IrExpr): string | null {
  switch (e.kind) {
    case "number":
      return dec(e.value).toString();
    case "quantity":
      return `${dec(e.value).toString()} ${e.unit}`;
    case "code":
    case "string":
      return JSON.stringify(e.value);
    default:
      return null;
  }
}

/** One generated function's expression builder. */
class XFn {
  private temps = 0;
  constructor(
    private readonly m: XModule,
    /** The steps variable: `s`, or `null` inside a quantifier's rows (the exact path is quiet there). */
    readonly s: string,
    /** Records in scope: their row variable and index variable. */
    readonly records: Map<string, { row: string; index: string }>,
    /** Variables passed on to the helper functions of quantifiers. */
    readonly scope: string[],
  ) {}

  temp(): string {
    return `t${this.temps++}`;
  }

  declarations(): string | null {
    if (!this.temps) return null;
    return `let ${Array.from({ length: this.temps }, (_, i) => `t${i}: any`).join(", ")};`;
  }

  /** How the value of `e` is shown, from its type. */
  shown(e: IrExpr): Shown {
    switch (e.kind) {
      case "quantity":
        return plain("Qty", e.unit);
      case "number":
        return plain("Num");
      case "element": {
        const el = this.m.element(e.name);
        if (el.type === "decimal" && el.unit)
          return { kind: "Qty", unit: el.unit, at: prop("p", `${el.name}.at`), written: prop("p", `${el.name}.w`) };
        return this.byType(el.type, el.unit);
      }
      case "field": {
        const f = this.m.element(e.record).fields?.find((x) => x.name === e.name);
        if (!f) throw new Unsupported(`field ${e.record}.${e.name}`);
        return this.byType(f.type, f.unit);
      }
      case "anchor":
        return plain("Date");
      case "shift": {
        const base = isDateTime(this.shown(e.base));
        return plain(base || elapsed(e.duration) ? "DateTime" : "Date");
      }
      case "builtin":
        return e.fn === "age" ? plain("Qty", "a") : plain("Num");
      case "quantifier":
        if (e.quantifier === "count") return plain("Num");
        return plain("Bool");
      case "arg":
      case "define":
        if (e.type === "integer" || (e.type === "decimal" && !e.unit)) return plain("Num");
        if (e.type === "code" || e.type === "text") return plain("Code");
        if (e.type === "boolean") return plain("Bool");
        throw new Unsupported(`"${e.text}": a ${e.type} passed through a definition`);
      default:
        if (e.type === "boolean") return plain("Bool");
        if (e.type === "code" || e.type === "text") return plain("Code");
        throw new Unsupported(`"${e.text}" (${e.kind}) shown as a value`);
    }
  }

  private byType(type: string, unit: string | undefined): Shown {
    switch (type) {
      case "decimal":
        return unit ? plain("Qty", unit) : plain("Num");
      case "integer":
        return plain("Num");
      case "boolean":
      case "attestation":
        return plain("Bool");
      case "text":
      case "code":
        return plain("Code");
      case "date":
        return plain("Date");
      case "datetime":
        return plain("DateTime");
      default:
        return plain("Rows");
    }
  }

  /** A value: number, string, rows or `X.M`. */
  val(e: IrExpr): string {
    switch (e.kind) {
      case "number":
      case "quantity":
        return numberLiteral(e.value);
      case "string":
      case "code":
        return lit(e.value);
      case "element":
        return `X.el(${prop("p", e.name)}, ${lit(e.name)})`;
      case "field": {
        const r = this.records.get(e.record);
        if (!r) throw new Unsupported(`a field of ${e.record} outside its quantifier`);
        return `X.fld(${prop(r.row, e.name)}, ${lit(e.record)}, ${r.index}, ${lit(e.name)})`;
      }
      case "arg":
        return ident("a_", e.name);
      case "anchor":
        return `X.el(${prop("anchor", e.name)}, ${lit(`anchor ${e.name}`)})`;
      case "shift": {
        const s = shiftOf(e.duration, e.sign);
        if (e.base.kind === "anchor")
          return `X.el(${this.m.hoist(e.base.name, e.duration, e.sign, s)}, ${lit(`anchor ${e.base.name}`)})`;
        if (this.m.ir.timeZone && isDateTime(this.shown(e.base)) && elapsed(e.duration))
          throw new Unsupported(`"${e.text}": hours added to a date-time in the trial's time zone`);
        const t = this.temp();
        const step = "months" in s ? `K.addMonths(${t}, ${s.months})` : `K.addSeconds(${t}, ${s.seconds})`;
        return `((${t} = ${this.val(e.base)}) instanceof X.M ? ${t} : ${step}!)`;
      }
      case "define":
        return this.call(e);
      case "builtin": {
        if (e.fn === "age") return `X.age(${this.s}, ${this.val(e.args[0]!)}, ${this.val(e.args[1]!)}, ${lit(e.text)})`;
        const records = (e.args[0] as { name: string }).name;
        const [v, g, d] = fieldNames(e.args);
        const el = this.m.element(records);
        const field = (n: string) => el.fields?.find((f) => f.name === n);
        const dateTime = field(d)?.type === "datetime";
        const quantity = field(v)?.type === "decimal" && !!field(v)?.unit;
        return `X.successiveRises(${this.s}, X.el(${prop("p", records)}, ${lit(records)}), ${lit(v)}, ${lit(g)}, ${lit(d)}, ${dateTime}, ${quantity}, ${lit(e.text)}, ${lit(records)}, [${moreGroupNames(e.args).map(lit).join(", ")}])`;
      }
      case "quantifier":
        return this.m.quantifier(this, e);
      default:
        if (e.type === "boolean") return this.cond(e);
        throw new Unsupported(`"${e.text}" (${e.kind})`);
    }
  }

  private call(e: IrExpr & { kind: "define" }): string {
    const def = this.m.definition(e.name);
    const args = e.args.map((a) => {
      if (a.type !== "boolean") this.shown(a); // refused here when its kind of value is not supported
      return a.type === "boolean" ? this.cond(a) : this.val(a);
    });
    const fn = def.expr.type === "boolean" ? "X.definition" : "X.definitionValue";
    return `${fn}(${this.s}, ${lit(def.name)}, ${lit(e.text)}, ${ident("def_", def.name)}(${[this.s, ...args].join(", ")}))`;
  }

  /** A condition: F, T or `X.M`. */
  cond(e: IrExpr): string {
    switch (e.kind) {
      case "bool":
        return e.value ? "T" : "F";
      case "element":
      case "field":
      case "arg":
        return this.val(e);
      case "fact": {
        const how = e.attestedBy ? `attested by the ${e.attestedBy}` : "recorded";
        return `X.fact(${this.s}, ${this.cond(e.arg)}, ${lit(e.text)}, ${lit(`${how} as yes`)}, ${lit(`${how} as no`)}, ${lit(`not ${how}`)})`;
      }
      case "define":
        return this.call(e);
      case "not":
        return `X.not(${this.cond(e.arg)})`;
      case "and":
      case "or":
        return `X.${e.kind}([\n  ${e.args.map((a) => this.cond(a).replace(/\n/g, "\n  ")).join(",\n  ")},\n])`;
      case "if": {
        const t = this.temp();
        const then = this.cond(e.then);
        const otherwise = e.otherwise ? this.cond(e.otherwise) : "T";
        return `((${t} = ${this.cond(e.cond)}) === T\n  ? ${then}\n  : ${t} === F\n    ? ${otherwise}\n    : X.ifUnknown(${t}, ${then}, ${otherwise}))`;
      }
      case "compare":
        return this.compare(e);
      case "in":
        return `X.inSet(${this.s}, ${this.val(e.arg)}, [${e.values.map(lit).join(", ")}], ${lit(`(${e.values.join(", ")})`)}, ${lit(e.text)})`;
      case "within":
      case "atLeast": {
        const sign = e.direction === "before" ? -1 : 1;
        const edgeExpr = {
          kind: "shift",
          base: e.anchor,
          sign,
          duration: e.amount,
          type: e.anchor.type,
          text: e.text,
        } as IrExpr;
        const amount =
          e.amount.kind === "duration" ? `${dec(e.amount.duration.amount).toString()} ${e.amount.duration.unit}` : null;
        if (amount === null) throw new Unsupported(`"${e.text}": a window that is not a constant duration`);
        return `X.${e.kind}(${this.s}, ${sign < 0}, ${this.val(e.subject)}, ${this.dt(e.subject)}, ${lit(amount)}, ${this.val(e.anchor)}, ${this.dt(e.anchor)}, ${this.val(edgeExpr)}, ${isDateTime(this.shown(edgeExpr))}, ${lit(e.text)})`;
      }
      case "between":
        return `X.between(${this.s}, ${this.val(e.subject)}, ${this.dt(e.subject)}, ${this.val(e.low)}, ${this.dt(e.low)}, ${this.val(e.high)}, ${this.dt(e.high)}, ${lit(e.text)})`;
      case "order":
        return `X.order(${this.s}, ${e.direction === "before"}, ${this.val(e.subject)}, ${this.dt(e.subject)}, ${this.val(e.anchor)}, ${this.dt(e.anchor)}, ${lit(e.text)})`;
      case "quantifier":
        return this.m.quantifier(this, e);
      default:
        throw new Unsupported(`"${e.text}" (${e.kind}) as a condition`);
    }
  }

  private dt(e: IrExpr): boolean {
    return isDateTime(this.shown(e));
  }

  private compare(e: IrExpr & { kind: "compare" }): string {
    const op = `X.Op.${OPS[e.op]!}`;
    const { left, right } = e;
    if (right.kind === "refMultiple") {
      if (left.kind !== "element" || right.of !== left.name)
        throw new Unsupported(`"${e.text}": a ULN/LLN multiple of a value other than a data element`);
      const el = this.m.element(left.name);
      const lim = right.limit.toLowerCase();
      return `X.compareRef(${this.s}, ${lit(e.text)}, ${op}, ${this.val(left)}, ${lit(el.unit ?? "")}, ${prop("p", `${left.name}.at`)}, ${prop("p", `${left.name}.w`)}, ${numberLiteral(right.factor)}, ${lit(dec(right.factor).toString())}, ${lit(right.limit)}, ${lit(right.of)}, ${prop("p", `${left.name}.${lim}`)})`;
    }
    if (left.type === "quantity" && right.type === "quantity" && left.unit !== right.unit)
      throw new Unsupported(`"${e.text}" compares ${left.unit} with ${right.unit}`);
    const l = this.shown(left);
    const r = this.shown(right);
    const family = (s: Shown) =>
      s.kind === "Qty" || s.kind === "Num" ? "number" : s.kind === "DateTime" ? "Date" : s.kind;
    if (family(l) !== family(r)) throw new Unsupported(`"${e.text}" compares ${l.kind} with ${r.kind}`);
    const side = (x: IrExpr, s: Shown) => {
      const fixed = fixedText(x);
      if (fixed !== null) return `${this.val(x)}, X.Show.Fixed, ${lit(fixed)}, undefined, undefined`;
      return `${x.type === "boolean" ? this.cond(x) : this.val(x)}, X.Show.${s.kind}, ${lit(s.unit)}, ${s.at}, ${s.written}`;
    };
    return `X.compare(${this.s}, ${lit(e.text)}, ${op}, ${side(left, l)}, ${side(right, r)})`;
  }
}

/** The module: helper functions, hoisted shifts, definitions. */
class XModule {
  readonly helpers: string[] = [];
  readonly hoisted = new Map<string, { name: string; init: string }>();
  private readonly defs = new Map<string, IrDefinition>();
  private readonly emittedDefs = new Set<string>();
  private readonly elements: Map<string, IrProtocol["elements"][number]>;
  private counter = 0;

  constructor(readonly ir: IrProtocol) {
    for (const d of ir.definitions) this.defs.set(d.name, d);
    this.elements = new Map(ir.elements.map((e) => [e.name, e]));
  }

  element(name: string): IrProtocol["elements"][number] {
    const el = this.elements.get(name);
    if (!el) throw new Unsupported(`element ${name} not found`);
    return el;
  }

  hoist(anchor: string, d: IrExpr, sign: 1 | -1, s: { months: number } | { seconds: number }): string {
    return hoistShift(this.hoisted, anchor, d, sign, s);
  }

  definition(name: string): IrDefinition {
    const d = this.defs.get(name);
    if (!d) throw new Unsupported(`definition ${name} not found`);
    if (!this.emittedDefs.has(name)) {
      this.emittedDefs.add(name);
      const params = d.params.map((p) => ident("a_", p));
      const fn = new XFn(this, "s", new Map(), params);
      const body = d.expr.type === "boolean" ? fn.cond(d.expr) : fn.val(d.expr);
      const L = new Lines();
      L.line(`/** ${commentText(d.label || d.name)}: ${commentText(d.expr.text)} */`);
      L.line(
        `function ${ident("def_", d.name)}(s: Step[] | null${params.map((p) => `, ${p}: any`).join("")}): any {`,
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

  /** `any|all|none|count records where …`: the rows' condition as a helper, evaluated quietly. */
  quantifier(outer: XFn, e: IrExpr & { kind: "quantifier" }): string {
    const n = this.counter++;
    const name = `${e.quantifier}_${ident("", e.records)}_${n}`;
    const row = ident("r_", e.records);
    const index = `i_${n}`;
    // A quantifier over the records of an outer one shadows its row (the exact path reads the innermost).
    const shadowed = outer.records.get(e.records);
    const scope = outer.scope.filter((v) => v !== shadowed?.row && v !== shadowed?.index);
    const records = new Map(outer.records).set(e.records, { row, index });
    const fn = new XFn(this, "null", records, [...scope, row, index]);
    let where = "null";
    if (e.where) {
      const body = fn.cond(e.where);
      const L = new Lines();
      L.line(`/** ${commentText(e.text)}: one row */`);
      L.line(`function ${name}(${[...scope, row, index].map((v) => `${v}: any`).join(", ")}): X.C {`).indent(() => {
        const decl = fn.declarations();
        if (decl) L.line(decl);
        multiline(L, `return ${body};`);
      });
      L.line("}");
      this.helpers.push(L.toString());
      where = `(${row}: any, ${index}: number) => ${name}(${[...scope, row, index].join(", ")})`;
    }
    return `X.quantify(${outer.s}, ${lit(e.quantifier)}, X.el(${prop("p", e.records)}, ${lit(e.records)}), ${lit(e.records)}, ${where}, ${lit(e.text)})`;
  }
}

function criterionFns(m: XModule, c: IrCriterion, out: Lines): void {
  if (c.body.kind === "group") for (const k of c.body.children) criterionFns(m, k, out);
  const fn = ident("x_", c.id);
  out.line(`/** ${commentText(`${c.id}: ${c.text}`)} */`);
  out.line(`function ${fn}(): CriterionResult {`).indent(() => {
    if (c.body.kind === "group") {
      const kids = c.body.children.map((k) => `${ident("x_", k.id)}()`).join(", ");
      out.line(`return groupCriterion(${lit(c.id)}, ${lit(c.role)}, ${lit(c.text)}, ${c.body.count}, [${kids}]);`);
      return;
    }
    const f = new XFn(m, "s", new Map(), []);
    const body = f.cond(c.body.expr);
    const decl = f.declarations();
    if (decl) out.line(decl);
    out.line("const s: Step[] = [];");
    multiline(out, `return X.criterion(${lit(c.id)}, ${lit(c.role)}, ${lit(c.text)}, s, ${body});`);
  });
  out.line("}");
  out.line();
}

export function emitExplainModule(ir: IrProtocol): string {
  const m = new XModule(ir);
  const crit = new Lines();
  let guards: string[] = [];
  let reason: string | null = null;
  try {
    guards = ageGuards(ir);
    for (const c of [...ir.eligibility.inclusion, ...ir.eligibility.exclusion]) criterionFns(m, c, crit);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    reason = e.message;
  }
  const L = new Lines();
  L.line(
    header(
      ir,
      "Eligibility, explained, fast: explainFast(patient, options), the result of the exact evaluation on plainly read records.",
    ),
  );
  L.line("/* eslint-disable */");
  L.line('import * as K from "./runtime/fast.js";');
  if (reason !== null) {
    L.line('import type { EligibilityResult } from "./runtime/eligibility.js";');
    L.line();
    L.line(
      `// No fast path for this protocol: ${commentText(reason)} is not compiled; every patient takes the exact path.`,
    );
    L.line(
      "export function explainFast(_patient: unknown, _options: object): { ok: true; result: EligibilityResult } {",
    ).indent(() => L.line("return K.fallback();"));
    L.line("}");
    return L.toString();
  }
  L.line('import * as X from "./runtime/explain-fast.js";');
  L.line('import { F, T } from "./runtime/fast.js";');
  L.line('import type { Step } from "./runtime/ops.js";');
  L.line(
    'import { groupCriterion, overall, type CriterionResult, type EligibilityResult } from "./runtime/eligibility.js";',
  );
  L.line('import { ANCHORS, DICTIONARY } from "./patient.js";');
  L.line('import { anchor, load, p } from "./record.js";');
  L.line();
  L.line("/** The elements of the data dictionary (any other field of a record is warned of). */");
  L.line("const ELEMENTS = new Set(DICTIONARY.map((e) => e.name));");
  L.line(
    `const PROTOCOL = { id: ${lit(ir.trial.id)}, source: ${lit(ir.source.file)}, sha256: ${lit(ir.source.sha256)} };`,
  );
  if (m.hoisted.size) {
    L.line("// Shifts of the reference dates, computed once per patient.");
    for (const h of m.hoisted.values()) L.line(`let ${h.name}: number | undefined;`);
  }
  L.line();
  for (const h of m.helpers) multiline(L, h.trimEnd());
  L.line();
  multiline(L, crit.toString().trimEnd());
  L.line();
  L.line(
    "/** The explained result of a patient read plainly; throws `K.FALLBACK` for any other (the exact path decides). */",
  );
  L.line(
    "export function explainFast(patient: unknown, options: object): { ok: true; result: EligibilityResult } {",
  ).indent(() => {
    L.line("load(patient, options, true);");
    L.line("if (K.state.exotic) K.fallback();");
    L.line("const r = patient as Record<string, unknown>;");
    L.line("const warnings = X.recordWarnings(r, ELEMENTS, ANCHORS);");
    for (const g of guards) L.line(g);
    for (const h of m.hoisted.values()) L.line(`${h.name} = ${h.init};`);
    L.line("const result = overall(").indent(() => {
      L.line("PROTOCOL,");
      L.line("X.shownAnchors(ANCHORS, anchor),");
      L.line(`[${ir.eligibility.inclusion.map((c) => `${ident("x_", c.id)}()`).join(", ")}],`);
      L.line(`[${ir.eligibility.exclusion.map((c) => `${ident("x_", c.id)}()`).join(", ")}],`);
      L.line("warnings,");
    });
    L.line(");");
    L.line("return { ok: true, result };");
  });
  L.line("}");
  return L.toString();
}
