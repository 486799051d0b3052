/**
 * The VS Code extension's manifest agrees with the language: the grammar it ships is
 * the generated one, its comment and bracket settings are the lexer's, and it runs
 * `trialc lsp --stdio`. (`.ci/run` builds the `.vsix` itself with `npm run vsix`.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BlockComment, LineComment } from "../../grammar/tokens.js";

const dir = "editors/vscode";
const json = (path: string) => JSON.parse(readFileSync(`${dir}/${path}`, "utf8"));

describe("the VS Code extension", () => {
  const manifest = json("package.json");
  it("contributes the trial language with the generated TextMate grammar", () => {
    const generated = JSON.parse(readFileSync("grammar/generated/trial.tmLanguage.json", "utf8"));
    expect(manifest.contributes.languages[0]).toMatchObject({ id: "trial", extensions: [".trial"] });
    expect(manifest.contributes.grammars[0]).toMatchObject({ language: "trial", scopeName: generated.scopeName });
    expect(readFileSync("scripts/build-vscode.ts", "utf8")).toContain(
      '"grammar", "generated", "trial.tmLanguage.json"',
    );
  });
  it("declares the lexer's comments and the brackets", () => {
    const config = json("language-configuration.json");
    expect("// x").toMatch(new RegExp(`^${(LineComment.PATTERN as RegExp).source}$`));
    expect(config.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(`${config.comments.blockComment[0]} x ${config.comments.blockComment[1]}`).toMatch(
      new RegExp(`^${(BlockComment.PATTERN as RegExp).source}$`),
    );
    expect(config.brackets).toEqual([
      ["{", "}"],
      ["(", ")"],
    ]);
  });
  it("starts trialc lsp --stdio", () => {
    const source = readFileSync(`${dir}/src/extension.ts`, "utf8");
    expect(source).toContain('"lsp", "--stdio"');
    expect(manifest.main).toBe("./dist/extension.js");
  });
});
