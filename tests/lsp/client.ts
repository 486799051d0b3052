/**
 * A real LSP client for the tests and the benchmark: it starts `trialc lsp --stdio` as
 * a child process (through the `bin/trialc.js` shim, as an editor would) and speaks
 * JSON-RPC to it over the process's stdin and stdout, with LSP's Content-Length framing.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

/** A running server and a connection to it. */
export interface LspSession {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  /** Every diagnostics notification received, in order. */
  published: PublishDiagnosticsParams[];
  /** Resolves with the first diagnostics for `uri` at `version` (or later) matching `accept`. */
  diagnostics(
    uri: string,
    version: number,
    accept?: (p: PublishDiagnosticsParams) => boolean,
  ): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

/** Start `trialc lsp --stdio` and initialize it. */
export async function startLsp(initializationOptions: Record<string, unknown> = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [resolve("bin/trialc.js"), "lsp", "--stdio"], { stdio: "pipe" });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const published: PublishDiagnosticsParams[] = [];
  const waiters: {
    uri: string;
    version: number;
    accept: (p: PublishDiagnosticsParams) => boolean;
    done: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters])
      if (w.uri === p.uri && (p.version ?? -1) >= w.version && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(p);
      }
  });
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions,
  });
  await connection.sendNotification("initialized", {});
  return {
    connection,
    child,
    published,
    diagnostics: (uri, version, accept = () => true) => {
      const already = published.find((p) => p.uri === uri && (p.version ?? -1) >= version && accept(p));
      if (already) return Promise.resolve(already);
      return new Promise((done) => waiters.push({ uri, version, accept, done }));
    },
    close: async () => {
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      await new Promise<void>((done) => (child.exitCode !== null ? done() : child.once("exit", () => done())));
      connection.dispose();
    },
  };
}

/** A file URI for a path. */
export const uriOf = (path: string): string => pathToFileURL(resolve(path)).href;

/** The zero-based position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (#${nth}) not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
