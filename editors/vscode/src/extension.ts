/**
 * The VS Code extension for `.trial` files: it starts `trialc lsp --stdio` and hands
 * every `.trial` document to it (diagnostics, hover, definition, references, rename,
 * completion, outline, folding, semantic tokens, formatting, quick fixes). Colouring
 * before the server answers comes from the TextMate grammar generated from the
 * grammar's tokens (`grammar/generated/trial.tmLanguage.json`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { workspace, type ExtensionContext } from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The command that runs trialc: the setting, else the workspace's own install, else the PATH. */
function trialcCommand(): string {
  const configured = workspace.getConfiguration("trialc").get<string>("server.command", "");
  if (configured) return configured;
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(
      folder.uri.fsPath,
      "node_modules",
      ".bin",
      process.platform === "win32" ? "trialc.cmd" : "trialc",
    );
    if (existsSync(local)) return local;
    const repo = join(folder.uri.fsPath, "bin", "trialc.js");
    if (existsSync(repo)) return repo;
  }
  return "trialc";
}

export async function activate(context: ExtensionContext): Promise<void> {
  const command = trialcCommand();
  const run = command.endsWith(".js")
    ? { command: process.execPath, args: [command, "lsp", "--stdio"] }
    : { command, args: ["lsp", "--stdio"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "trial" }],
    initializationOptions: { debounceMs: workspace.getConfiguration("trialc").get<number>("server.debounceMs", 25) },
  };
  client = new LanguageClient("trialc", "trialc language server", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
