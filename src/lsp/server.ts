/**
 * `trialc lsp --stdio`: the language server. One analysis (`index.ts`) per document
 * version serves every feature. Diagnostics are computed after the author pauses typing
 * (debounced) and published with the version they belong to; a result for a version
 * that is no longer the document's current one is dropped, so a stale analysis never
 * overwrites a newer one.
 */
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Location,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { tokenMatcher } from "chevrotain";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatTrial } from "../format/format.js";
import * as T from "../../grammar/tokens.js";
import { complete } from "./completion.js";
import { symbolHover, unitHover } from "./hover.js";
import { analyse, occurrenceAt, occurrencesOf, type Analysis } from "./index.js";
import { documentSymbols, foldingRanges, legend, semanticTokens } from "./outline.js";

/** How long to wait after the last edit before analysing, in milliseconds. */
export const DEFAULT_DEBOUNCE_MS = 25;

/** A name that can replace another (`rename`): what the lexer reads as one identifier. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The file name shown in diagnostics for a document URI. */
function fileOf(uri: string): string {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

/** Start the server on stdin/stdout (or on the given connection, for tests in-process). */
export function startServer(
  connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout),
): Connection {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  const timers = new Map<string, NodeJS.Timeout>();
  let debounceMs = DEFAULT_DEBOUNCE_MS;

  /** The analysis of the document's current version (computed now if needed). */
  const current = (uri: string): { doc: TextDocument; a: Analysis } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.version === doc.version) return { doc, a: cached.analysis };
    const a = analyse(doc.getText(), fileOf(uri));
    analyses.set(uri, { version: doc.version, analysis: a });
    return { doc, a };
  };

  const toLsp = (doc: TextDocument, d: Diagnostic): LspDiagnostic => ({
    range: { start: doc.positionAt(d.span.start), end: doc.positionAt(Math.max(d.span.end, d.span.start)) },
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "trialc",
    message: d.hint ? `${d.message} (${d.hint})` : d.message,
    ...(d.hint ? { data: { hint: d.hint } } : {}),
    relatedInformation: d.related.map((r) => ({
      location: { uri: doc.uri, range: { start: doc.positionAt(r.span.start), end: doc.positionAt(r.span.end) } },
      message: r.message,
    })),
  });

  const validate = (uri: string, version: number) => {
    const doc = documents.get(uri);
    if (!doc || doc.version !== version) return; // a newer edit has its own timer
    const got = current(uri);
    if (!got || got.doc.version !== version) return;
    const diagnostics = got.a.diagnostics
      .filter((d) => d.span.file === fileOf(uri) || d.span.file === "")
      .map((d) => toLsp(doc, d));
    if (documents.get(uri)?.version !== version) return; // never publish for a superseded version
    void connection.sendDiagnostics({ uri, version, diagnostics });
  };

  const schedule = (doc: TextDocument) => {
    clearTimeout(timers.get(doc.uri));
    const version = doc.version;
    timers.set(
      doc.uri,
      setTimeout(() => validate(doc.uri, version), debounceMs),
    );
  };

  connection.onInitialize((params) => {
    const opts = params.initializationOptions as { debounceMs?: number } | undefined;
    if (typeof opts?.debounceMs === "number" && opts.debounceMs >= 0) debounceMs = opts.debounceMs;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: [" ", "(", ","] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "trialc" },
    };
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    analyses.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const got = current(textDocument.uri);
    if (!got) return null;
    const offset = got.doc.offsetAt(position);
    const o = occurrenceAt(got.a, offset);
    if (o)
      return {
        contents: { kind: "markdown", value: symbolHover(o.symbol, got.a.text) },
        range: { start: got.doc.positionAt(o.start), end: got.doc.positionAt(o.end) },
      };
    const unit = got.a.tokens.find(
      (t) => tokenMatcher(t, T.Unit) && t.startOffset <= offset && offset <= (t.endOffset ?? 0) + 1,
    );
    if (unit) return { contents: { kind: "markdown", value: unitHover(unit.image) } };
    return null;
  });

  const locationsOf = (
    uri: string,
    position: { line: number; character: number },
    withDeclaration: boolean,
  ): Location[] => {
    const got = current(uri);
    if (!got) return [];
    const o = occurrenceAt(got.a, got.doc.offsetAt(position));
    if (!o) return [];
    return occurrencesOf(got.a, o.symbol)
      .filter((x) => withDeclaration || !x.declaration)
      .map((x) => ({ uri, range: { start: got.doc.positionAt(x.start), end: got.doc.positionAt(x.end) } }));
  };

  connection.onDefinition(({ textDocument, position }) => locationsOf(textDocument.uri, position, true).slice(0, 1));
  connection.onReferences(({ textDocument, position, context }) =>
    locationsOf(textDocument.uri, position, context.includeDeclaration),
  );

  connection.onPrepareRename(({ textDocument, position }) => {
    const got = current(textDocument.uri);
    const o = got && occurrenceAt(got.a, got.doc.offsetAt(position));
    if (!got || !o) return null;
    return {
      range: { start: got.doc.positionAt(o.start), end: got.doc.positionAt(o.end) },
      placeholder: o.symbol.name,
    };
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const got = current(textDocument.uri);
    const o = got && occurrenceAt(got.a, got.doc.offsetAt(position));
    if (!got || !o) return null;
    if (o.symbol.kind === "grade")
      throw new Error(`"${o.symbol.name}" is a CTCAE v4.03 term: its name is fixed by the standard`);
    const keyword = T.keywords.find((k) => k.word === newName && k.reserved);
    if (!IDENTIFIER.test(newName) || keyword)
      throw new Error(`"${newName}" is not a name (letters, digits and _, not a reserved word)`);
    const clash = got.a.symbols.find(
      (s) => s.name === newName && s.kind === o.symbol.kind && s.parent === o.symbol.parent,
    );
    if (clash) throw new Error(`a ${clash.kind} named "${newName}" already exists`);
    const edits: TextEdit[] = occurrencesOf(got.a, o.symbol).map((x) => ({
      range: { start: got.doc.positionAt(x.start), end: got.doc.positionAt(x.end) },
      newText: newName,
    }));
    return { changes: { [textDocument.uri]: edits } };
  });

  connection.onCompletion(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    // Names come from the last analysis, even of an earlier version: the text being typed rarely parses.
    const a = analyses.get(textDocument.uri)?.analysis ?? current(textDocument.uri)?.a;
    return a ? complete(a, doc.getText(), doc.offsetAt(position)) : [];
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const got = current(textDocument.uri);
    return got ? documentSymbols(got.doc, got.a) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const got = current(textDocument.uri);
    return got ? foldingRanges(got.a) : [];
  });
  connection.languages.semanticTokens.on(({ textDocument }) => {
    const got = current(textDocument.uri);
    return { data: got ? semanticTokens(got.a) : [] };
  });

  connection.onDocumentFormatting(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    const r = formatTrial(doc.getText(), fileOf(textDocument.uri));
    if (!r.ok || !r.changed) return [];
    return [{ range: { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) }, newText: r.text }];
  });

  connection.onCodeAction(({ textDocument, context }) => {
    const actions: CodeAction[] = [];
    for (const d of context.diagnostics) {
      const hint = (d.data as { hint?: string } | undefined)?.hint;
      if (!hint?.startsWith("did you mean")) continue;
      for (const [, name] of hint.matchAll(/"([^"]+)"/g)) {
        actions.push({
          title: `Replace with "${name}"`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: actions.length === 0,
          edit: { changes: { [textDocument.uri]: [{ range: d.range, newText: name as string }] } },
        });
      }
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
