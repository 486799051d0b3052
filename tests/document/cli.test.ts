/**
 * `trialc doc`: Markdown and HTML to stdout or to a file, PDF through the system's
 * Chromium (or a clear message saying how to install it), usage errors with exit 2.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { trialc } from "../cli/run.js";
import { CHROMIUM_MISSING, findChromium } from "../../src/emit/document/pdf.js";
import { render, seedIr, SEED_PATH } from "./support.js";

// Lets one test pretend that no Chromium is installed, without touching the machine.
const state = vi.hoisted(() => ({ noChromium: false }));
vi.mock("../../src/emit/document/pdf.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/emit/document/pdf.js")>();
  return {
    ...real,
    findChromium: (...args: Parameters<typeof real.findChromium>) =>
      state.noChromium ? null : real.findChromium(...args),
  };
});

const dir = mkdtempSync(join(tmpdir(), "trialc-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chromium = findChromium();

describe("trialc doc", () => {
  it("prints Markdown to stdout by default, the same bytes as the golden rendering", async () => {
    const r = await trialc("doc", SEED_PATH);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(render(seedIr(), "md"));
  });

  it("writes standalone HTML atomically with --out, leaving no temporary file", async () => {
    const out = join(dir, "html", "protocol.html");
    const r = await trialc("doc", SEED_PATH, "--format", "html", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(readFileSync(out, "utf8")).toBe(render(seedIr(), "html"));
    expect(readdirSync(join(dir, "html"))).toEqual(["protocol.html"]);
  });

  it("rejects an unknown format and a PDF without --out as usage errors (exit 2)", async () => {
    const bad = await trialc("doc", SEED_PATH, "--format", "docx");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown format "docx": use md, html, pdf');
    const pdf = await trialc("doc", SEED_PATH, "--format", "pdf");
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain("--format pdf writes a file: give it with --out");
  });

  it("prints the same PDF bytes every time: its dates come from SOURCE_DATE_EPOCH, else the epoch", async ({
    skip,
  }) => {
    if (!chromium) skip();
    const pdf = async (name: string) => {
      const out = join(dir, name);
      const r = await trialc("doc", SEED_PATH, "--format", "pdf", "--out", out);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(out);
    };
    const first = await pdf("one.pdf");
    await new Promise((done) => setTimeout(done, 1100)); // Chromium stamps whole seconds
    const second = await pdf("two.pdf");
    expect(Buffer.compare(first, second)).toBe(0);
    // trialc knows its own PDF again (a comment after %%EOF), so printing again replaces it.
    expect(first.subarray(-40).toString("latin1")).toMatch(/%%EOF\n%trialc-generated\n$/);
    expect(Buffer.compare(await pdf("one.pdf"), first)).toBe(0);
    const text = first.toString("latin1");
    expect(text).toContain("/CreationDate (D:19700101000000+00'00')");
    expect(text).toContain("/ModDate (D:19700101000000+00'00')");
    vi.stubEnv("SOURCE_DATE_EPOCH", "1800000000");
    try {
      const dated = (await pdf("dated.pdf")).toString("latin1");
      expect(dated).toContain("/CreationDate (D:20270115080000+00'00')");
      expect(dated.length).toBe(text.length);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);

  it("writes nothing for a protocol with errors (exit 1, with the diagnostics)", async () => {
    const out = join(dir, "broken.html");
    const r = await trialc("doc", "protocols/does-not-exist.trial", "--format", "html", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TRC1001");
    expect(existsSync(out)).toBe(false);
  });

  it("says how to install Chromium when there is none (exit 1, no stack trace, no download)", async () => {
    state.noChromium = true;
    try {
      const out = join(dir, "none.pdf");
      const r = await trialc("doc", SEED_PATH, "--format", "pdf", "--out", out);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("apt-get install chromium");
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    } finally {
      state.noChromium = false;
    }
  });

  it.skipIf(!chromium)(
    "prints a PDF with the system's Chromium",
    async () => {
      const out = join(dir, "protocol.pdf");
      const r = await trialc("doc", SEED_PATH, "--format", "pdf", "--out", out);
      expect(r.code, r.stderr).toBe(0);
      const pdf = readFileSync(out);
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      // One page object per printed page; the seed's summary runs to tens of A4 pages.
      const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages.length).toBeGreaterThan(10);
    },
    60_000,
  );
});

describe("finding Chromium", () => {
  const only =
    (...present: string[]) =>
    (p: string) =>
      present.includes(p);

  it("prefers /usr/bin/chromium, then chromium and chromium-browser on PATH, in PATH order", () => {
    expect(findChromium("/opt/bin", only("/usr/bin/chromium", "/opt/bin/chromium"))).toBe("/usr/bin/chromium");
    expect(findChromium("/a:/b", only("/b/chromium", "/a/chromium-browser"))).toBe("/b/chromium");
    expect(findChromium("/a:/b", only("/b/chromium-browser"))).toBe("/b/chromium-browser");
    expect(findChromium("", only())).toBeNull();
  });

  it("explains the Debian install in its message", () => {
    expect(CHROMIUM_MISSING).toContain("apt-get install chromium");
    expect(CHROMIUM_MISSING).toContain("--format html");
  });
});
