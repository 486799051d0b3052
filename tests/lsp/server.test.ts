/**
 * `trialc lsp --stdio` answers a real LSP client over stdio (JSON-RPC with
 * Content-Length framing), feature by feature, on the seed protocol.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  SemanticTokens,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { compileText } from "../../src/compile.js";
import { formatTrial, tokenImages } from "../../src/format/format.js";
import { positionOf, startLsp, uriOf, type LspSession } from "./client.js";

const PATH = "protocols/lu177-octreotate.trial";
const TEXT = readFileSync(PATH, "utf8");
const URI = uriOf(PATH);

let lsp: LspSession;
beforeAll(async () => {
  lsp = await startLsp();
  await lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: URI, languageId: "trial", version: 1, text: TEXT },
  });
}, 60_000);
afterAll(async () => lsp?.close());

const at = (needle: string, delta = 1, nth = 0) => ({
  textDocument: { uri: URI },
  position: positionOf(TEXT, needle, delta, nth),
});
const hover = async (needle: string, delta = 1, nth = 0) =>
  ((await lsp.connection.sendRequest("textDocument/hover", at(needle, delta, nth))) as Hover | null)?.contents as
    { value: string } | undefined;
const lineOf = (l: Location) => TEXT.split("\n")[l.range.start.line] ?? "";

describe("the language server on the seed protocol", () => {
  it("publishes the diagnostics of the opened version: none for the seed", async () => {
    const p = await lsp.diagnostics(URI, 1);
    expect(p.version).toBe(1);
    expect(p.diagnostics).toEqual([]);
  });

  it("hovers a data element with its type, unit, form and plausible range", async () => {
    const h = await hover("rule hemoglobin >= 9", 6);
    expect(h?.value).toContain("**hemoglobin**: `decimal g/dL` — Hemoglobin");
    expect(h?.value).toContain("form: `labs`");
    expect(h?.value).toContain("plausible range: 1 to 25");
    expect(h?.value).toMatch(/unit: `g\/dL` \(gram per deci[l]iter\)/i);
    // Issue 10's standard codes and result selection, as the author wrote them.
    expect(h?.value).toContain("standard codes: LOINC `718-7`");
    expect(h?.value).toContain("reads the result `select latest between D0 - 4 wk and D0 - 1 d`");
  });

  it("hovers a records element with the noun its rows are called by", async () => {
    const h = await hover("rule any ssr_scans where", 10);
    expect(h?.value).toContain("**ssr_scans**: `records`");
    expect(h?.value).toContain('one row is called "somatostatin receptor scan"');
  });

  it("hovers a code element with its codes", async () => {
    const h = await hover("and primary_site in", 4);
    expect(h?.value).toContain("- `pancreas`: Pancreas");
    const sex = await hover("if sex = female", 4);
    expect(sex?.value).toContain("- `male`: Male (SNOMED 248153007)");
    expect(sex?.value).toContain("standard codes: LOINC `46098-0`");
  });

  it("hovers a criterion with its protocol text, rule, citation and interpretation", async () => {
    const h = await hover("inclusion I6 ", 11);
    expect(h?.value).toContain("**inclusion I6**: Adequate renal function");
    expect(h?.value).toContain("rule gfr >= 50 mL/min/{1.73_m2}");
    expect(h?.value).toContain("> 6. Adequate renal function with GFR ≥ 50");
    expect(h?.value).toContain("*Interpretation:* Only a 51Cr-EDTA result counts");
  });

  it("hovers a graded term with its CTCAE v4.03 grade texts", async () => {
    const h = await hover("grade platelet_count_decreased >= 4", 8);
    expect(h?.value).toContain("**Platelet count decreased** (CTCAE v4.03), graded from `platelets`");
    expect(h?.value).toMatch(/- grade 4: <25,000\/mm3/);
  });

  it("hovers a unit with its UCUM meaning", async () => {
    const h = await hover("total_bilirubin: decimal mg/dL", 26);
    expect(h?.value).toMatch(/\*\*mg\/dL\*\* \(UCUM\): milligram per deci[l]iter/i);
  });

  it("goes to the definition of a definition, a record field and a parameter", async () => {
    const def = (await lsp.connection.sendRequest(
      "textDocument/definition",
      at("rule recist_progression", 6),
    )) as Location[];
    expect(lineOf(def[0]!)).toMatch(/^define recist_progression /);
    const field = (await lsp.connection.sendRequest(
      "textDocument/definition",
      at("where krenning_score", 7),
    )) as Location[];
    expect(lineOf(field[0]!)).toMatch(/^ {4}krenning_score: integer/);
    const param = (await lsp.connection.sendRequest(
      "textDocument/definition",
      at("limit kidney_dose_limit", 7),
    )) as Location[];
    expect(lineOf(param[0]!)).toMatch(/^parameter kidney_dose_limit /);
  });

  it("finds every reference of a data element", async () => {
    const refs = (await lsp.connection.sendRequest("textDocument/references", {
      ...at("rule hemoglobin >= 9", 6),
      context: { includeDeclaration: true },
    })) as Location[];
    expect(refs.map(lineOf).map((l) => l.trim().split(" ").slice(0, 2).join(" "))).toEqual([
      "hemoglobin: decimal",
      "criterion I7a",
      "grade anemia",
    ]);
  });

  it("renames a data element, a definition and a criterion id everywhere, and the result still checks", async () => {
    for (const [needle, delta, newName, count] of [
      ["rule hemoglobin >= 9", 6, "haemoglobin", 3],
      ["define baseline_done", 8, "baseline_procedure_done", 11],
      ["criterion I3c_a", 11, "I3c_clinical", 1],
      ["anchor D0", 7, "first_dose", 36],
      ["form labs", 5, "laboratory", 18],
      ["where krenning_score", 7, "uptake_score", 2],
    ] as const) {
      const edit = (await lsp.connection.sendRequest("textDocument/rename", {
        ...at(needle, delta),
        newName,
      })) as WorkspaceEdit;
      const edits = edit.changes?.[URI] ?? [];
      expect(edits.length, needle).toBe(count);
      const renamed = TextDocument.applyEdits(TextDocument.create(URI, "trial", 1, TEXT), edits);
      // No name token is left with the old name (strings and comments may still say it).
      expect(tokenImages(renamed, false)).not.toContain(needle.split(" ")[1]);
      expect(tokenImages(renamed, false)).toContain(newName);
      expect(compileText(renamed, PATH).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    }
  });

  it("refuses a rename to a reserved word, and of a CTCAE term", async () => {
    await expect(
      lsp.connection.sendRequest("textDocument/rename", { ...at("rule hemoglobin >= 9", 6), newName: "and" }),
    ).rejects.toThrow(/not a name/);
    await expect(
      lsp.connection.sendRequest("textDocument/rename", { ...at("grade anemia", 6), newName: "anaemia" }),
    ).rejects.toThrow(/fixed by the standard/);
  });

  it("completes record fields after where, compatible units, code values, names and keywords", async () => {
    const complete = async (text: string, suffix: string) => {
      const uri = uriOf("scratch.trial");
      await lsp.connection.sendNotification("textDocument/didOpen", {
        textDocument: { uri, languageId: "trial", version: 1, text: TEXT },
      });
      await lsp.connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: TEXT.replace(text, text + suffix) }],
      });
      const position = positionOf(TEXT.replace(text, text + suffix), text + suffix, (text + suffix).length);
      const items = (await lsp.connection.sendRequest("textDocument/completion", {
        textDocument: { uri },
        position,
      })) as CompletionItem[];
      await lsp.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
      return items;
    };
    const fields = await complete("rule any lesions where ", "");
    const sorted = [...fields].sort((a, b) => (a.sortText ?? "").localeCompare(b.sortText ?? ""));
    expect(
      sorted
        .slice(0, 6)
        .map((i) => i.label)
        .sort(),
    ).toEqual([
      "krenning_score",
      "lesion_id",
      "longest_diameter",
      "previously_irradiated",
      "progressive_on_mri",
      "recist_measurable",
    ]);
    const units = (await complete("rule hemoglobin >= 9 ", "")).map((i) => i.label);
    expect(units).toEqual(expect.arrayContaining(["g/dL", "g/L", "mmol/L"]));
    expect(units).not.toContain("mm");
    const codes = (
      await complete(
        'criterion I10b "Negative serum pregnancy test within 4 weeks before inclusion" {\n      rule if sex = ',
        "",
      )
    ).map((i) => i.label);
    expect(codes).toEqual(["female", "male"]);
    const names = (await complete("rule ecog <= 1", " and ")).map((i) => i.label);
    expect(names).toEqual(
      expect.arrayContaining(["hemoglobin", "recist_progression", "kidney_dose_limit", "D0", "rule", "within"]),
    );
    // The clauses of a data element, `noun` and its `plural` among them.
    const clauses = (await complete('surgeries: records "Surgery before inclusion"', " ")).map((i) => i.label);
    expect(clauses).toEqual(expect.arrayContaining(["form", "noun", "plural", "capture", "select"]));
  });

  it("lists the outline: criteria (nested), definitions, visits, rules", async () => {
    const symbols = (await lsp.connection.sendRequest("textDocument/documentSymbol", {
      textDocument: { uri: URI },
    })) as DocumentSymbol[];
    const names = symbols.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "I1",
        "I13",
        "E9",
        "recist_progression",
        "kidney_dose_limit",
        "data",
        "schedule",
        "toxicity",
      ]),
    );
    const i3 = symbols.find((s) => s.name === "I3");
    expect(i3?.children?.map((c) => c.name)).toEqual(["I3a", "I3b", "I3c"]);
    expect(symbols.find((s) => s.name === "schedule")?.children?.map((c) => c.name)).toEqual(
      expect.arrayContaining(["lu177", "screening", "dosimetry", "ssa_long"]),
    );
    expect(symbols.find((s) => s.name === "toxicity")?.children?.map((c) => c.name)).toContain("kidney_limit");
  });

  it("folds blocks and comment runs", async () => {
    const folds = (await lsp.connection.sendRequest("textDocument/foldingRange", {
      textDocument: { uri: URI },
    })) as FoldingRange[];
    const dataLine = positionOf(TEXT, "data {").line;
    // The data block ends before the normalisation of an absolute GFR, which follows it.
    const dataEnd = positionOf(TEXT, "\n}\n\n// An absolute clearance", 1).line - 1;
    expect(folds.find((f) => f.startLine === dataLine)?.endLine).toBe(dataEnd);
    expect(folds.some((f) => f.kind === "comment" && f.startLine === 0 && f.endLine === 3)).toBe(true);
  });

  it("colours names by what they are (semantic tokens)", async () => {
    const tokens = (await lsp.connection.sendRequest("textDocument/semanticTokens/full", {
      textDocument: { uri: URI },
    })) as SemanticTokens;
    expect(tokens.data.length % 5).toBe(0);
    // Decode, then find the declaration of hemoglobin: a variable with the declaration modifier.
    let line = 0;
    let char = 0;
    const decoded: { line: number; char: number; length: number; type: number; mods: number }[] = [];
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, length, type, mods] = tokens.data.slice(i, i + 5) as [number, number, number, number, number];
      line += dl;
      char = dl === 0 ? char + dc : dc;
      decoded.push({ line, char, length, type, mods });
    }
    const decl = positionOf(TEXT, "  hemoglobin: decimal", 2);
    expect(decoded.find((t) => t.line === decl.line && t.char === decl.character)).toEqual({
      line: decl.line,
      char: decl.character,
      length: 10,
      type: 4, // variable
      mods: 1, // declaration
    });
  });

  it("formats through fmt", async () => {
    const uri = uriOf("messy.trial");
    const messy = TEXT.replace('use ctcae "4.03"', 'use    ctcae   "4.03"');
    await lsp.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "trial", version: 1, text: messy },
    });
    const edits = (await lsp.connection.sendRequest("textDocument/formatting", {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    const expected = formatTrial(messy, "messy.trial");
    expect(expected.ok && TextDocument.applyEdits(TextDocument.create(uri, "trial", 1, messy), edits)).toBe(
      expected.ok && expected.text,
    );
    await lsp.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  });

  it("follows an edit that introduces an error, offers the fix, and clears it once fixed; stale versions are never published", async () => {
    const uri = uriOf("edited.trial");
    const doc = TextDocument.create(uri, "trial", 1, TEXT);
    await lsp.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "trial", version: 1, text: TEXT },
    });
    expect((await lsp.diagnostics(uri, 1)).diagnostics).toEqual([]);
    // Typing "hemoglobn" for "hemoglobin" in I7a, one keystroke (version) after another.
    const pos = positionOf(TEXT, "rule hemoglobin >= 9", 13);
    const range = { start: pos, end: { line: pos.line, character: pos.character + 1 } };
    await lsp.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range, text: "" }],
    });
    await lsp.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: pos, end: pos }, text: "" }],
    });
    const broken = await lsp.diagnostics(uri, 3);
    expect(broken.version).toBe(3);
    expect(lsp.published.some((p) => p.uri === uri && p.version === 2)).toBe(false);
    const unknown = broken.diagnostics.find((d) => String(d.message).includes('"hemoglobn"'));
    expect(unknown).toMatchObject({ severity: 1, source: "trialc" });
    expect(unknown?.message).toMatch(/did you mean "hemoglobin"/);
    const actions = (await lsp.connection.sendRequest("textDocument/codeAction", {
      textDocument: { uri },
      range: unknown!.range,
      context: { diagnostics: [unknown] },
    })) as CodeAction[];
    expect(actions[0]?.title).toBe('Replace with "hemoglobin"');
    const fix = actions[0]!.edit!.changes![uri]!;
    const edited = TextDocument.applyEdits(TextDocument.update(doc, [{ range, text: "" }], 2), fix);
    await lsp.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 4 },
      contentChanges: [{ text: edited }],
    });
    const fixed = await lsp.diagnostics(uri, 4);
    expect(fixed.diagnostics).toEqual([]);
    expect(edited).toBe(TEXT);
  });
});
