/**
 * The output-path matrix: every place `--out` (or stdout) can point at, and what
 * trialc does there. Environment failures are exit 1 with one line naming the path;
 * nothing trialc did not generate is overwritten without --force; a build replaces
 * the previous one as a whole (nothing stale, never a mix); a build compiles wherever
 * its output goes.
 *
 * The read-only and full-disk cases mount a real tmpfs (the machine's CI runs as root);
 * where mounting is not allowed they are skipped, and say so.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { trialc } from "./run.js";

const SEED = "protocols/lu177-octreotate.trial";
const tmp = mkdtempSync(join(tmpdir(), "trialc-out-"));
const at = (...p: string[]) => join(tmp, ...p);

/** One line on stderr, naming what failed, no stack trace. */
function oneLine(stderr: string, ...contains: string[]) {
  const lines = stderr.trim().split("\n");
  const last = lines[lines.length - 1]!;
  expect(last).toMatch(/^trialc: /);
  for (const c of contains) expect(last).toContain(c);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("internal error");
}

/** Mount a tmpfs at a fresh folder; null when this machine does not allow it. */
function mountTmpfs(options: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), "trialc-mnt-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  if (r.status !== 0) return null;
  mounts.push(dir);
  return dir;
}
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync("umount", [m]);
});

/** The protocol's content hashes named in the headers of the generated modules in `dir`. */
function buildHashes(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(dir))
    if (/\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")) {
      const m = /sha256 ([0-9a-f]{64})/.exec(readFileSync(join(dir, f), "utf8"));
      if (m) out.add(m[1]!);
    }
  return out;
}

/**
 * How many files under `dir` were written since `since` (ms), while a build renames and
 * removes folders there: a folder or file gone in the middle of the walk is skipped (a
 * recursive readdirSync threw ENOENT when the old output went mid-walk).
 */
function newFiles(dir: string, since: number): number {
  let n = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile())
        try {
          if (statSync(path).mtimeMs >= since) n++;
        } catch {
          // removed meanwhile
        }
    }
  };
  walk(dir);
  return n;
}

describe("--out at a place that cannot take it: exit 1, one line naming it", () => {
  it("a file where the build folder should go (ENOTDIR)", async () => {
    writeFileSync(at("a-file"), "x");
    const r = await trialc("build", SEED, "--out", at("a-file", "sub"));
    expect(r.code).toBe(1);
    oneLine(r.stderr, at("a-file"), "ENOTDIR");
  });

  it("an existing file given as the build folder", async () => {
    writeFileSync(at("plain"), "x");
    const r = await trialc("build", SEED, "--out", at("plain"));
    expect(r.code).toBe(1);
    oneLine(r.stderr, at("plain"), "not a directory");
    expect(readFileSync(at("plain"), "utf8")).toBe("x");
  });

  it("a directory given as the document file (EISDIR)", async () => {
    mkdirSync(at("a-dir"));
    const r = await trialc("doc", SEED, "--out", at("a-dir"));
    expect(r.code).toBe(1);
    oneLine(r.stderr, at("a-dir"), "directory");
  });

  const ro = mountTmpfs("ro,size=1m");
  it.skipIf(!ro)("a read-only file system (EROFS)", async () => {
    const b = await trialc("build", SEED, "--out", join(ro!, "out"));
    expect(b.code).toBe(1);
    oneLine(b.stderr, join(ro!, "out"), "read-only");
    const d = await trialc("doc", SEED, "--out", join(ro!, "p.md"));
    expect(d.code).toBe(1);
    oneLine(d.stderr, join(ro!, "p.md"), "read-only");
  });

  const small = mountTmpfs("size=64k");
  it.skipIf(!small)("a full disk (ENOSPC) leaves nothing behind, and the previous build intact", async () => {
    const r = await trialc("build", SEED, "--out", join(small!, "out"));
    expect(r.code).toBe(1);
    oneLine(r.stderr, join(small!, "out"), "no space left");
    expect(readdirSync(small!)).toEqual([]); // no half build, no staging folder
    // A previous (small) output survives a failed rebuild whole.
    mkdirSync(join(small!, "prev"));
    writeFileSync(join(small!, "prev", ".trialc-output.json"), "{}");
    writeFileSync(join(small!, "prev", "eligibility.ts"), "// old build\n");
    const again = await trialc("build", SEED, "--out", join(small!, "prev"));
    expect(again.code).toBe(1);
    expect(readFileSync(join(small!, "prev", "eligibility.ts"), "utf8")).toBe("// old build\n");
    expect(readdirSync(small!)).toEqual(["prev"]);
  });
});

describe("standard output on a full device: exit 1, one line, no stack trace", () => {
  const devFull = existsSync("/dev/full");
  for (const args of [
    ["doc", SEED],
    ["eval", SEED, "protocols/patients/eligible.json"],
    ["check", "--emit-ir", SEED],
  ])
    it.skipIf(!devFull)(`trialc ${args.join(" ")} > /dev/full`, () => {
      const fd = openSync("/dev/full", "w");
      const r = spawnSync(process.execPath, ["bin/trialc.js", ...args], {
        stdio: ["ignore", fd, "pipe"],
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      oneLine(r.stderr, "standard output", "ENOSPC");
    });
});

describe("nothing trialc did not generate is overwritten without --force", () => {
  it("the input protocol itself, even with --force", async () => {
    const copy = at("own.trial");
    writeFileSync(copy, readFileSync(SEED));
    for (const extra of [[], ["--force"]]) {
      const r = await trialc("doc", copy, "--out", copy, ...extra);
      expect(r.code).toBe(2);
      oneLine(r.stderr, copy, "input");
      expect(readFileSync(copy, "utf8")).toBe(readFileSync(SEED, "utf8"));
    }
  });

  it("a folder like the repository root (package.json, tsconfig.json)", async () => {
    const root = at("repo");
    mkdirSync(root);
    writeFileSync(join(root, "package.json"), '{"name":"mine"}\n');
    writeFileSync(join(root, "tsconfig.json"), "{}\n");
    const r = await trialc("build", SEED, "--out", root);
    expect(r.code).toBe(2);
    oneLine(r.stderr, root, "--force");
    expect(readFileSync(join(root, "package.json"), "utf8")).toBe('{"name":"mine"}\n');
    expect(readdirSync(root).sort()).toEqual(["package.json", "tsconfig.json"]);
    // With --force, trialc's files are written and the folder's own other files kept.
    writeFileSync(join(root, "notes.txt"), "mine");
    const forced = await trialc("build", SEED, "--out", root, "--force");
    expect(forced.code).toBe(0);
    expect(readFileSync(join(root, "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(root, "eligibility.ts"))).toBe(true);
  });

  it("a file that is not trialc's output", async () => {
    const notes = at("notes.md");
    writeFileSync(notes, "# my notes\n");
    const r = await trialc("doc", SEED, "--out", notes);
    expect(r.code).toBe(2);
    oneLine(r.stderr, notes, "did not generate", "--force");
    expect(readFileSync(notes, "utf8")).toBe("# my notes\n");
    expect((await trialc("doc", SEED, "--out", notes, "--force")).code).toBe(0);
    expect(readFileSync(notes, "utf8")).toContain("Generated by trialc");
    // trialc's own document is rewritten without --force.
    expect((await trialc("doc", SEED, "--out", notes)).code).toBe(0);
  });

  it("a device or a named pipe", async () => {
    // Made in the test's folder (never /dev/null itself: trialc before this fix replaced it).
    const dev = at("null-device");
    if (spawnSync("mknod", ["-m", "666", dev, "c", "1", "3"]).status !== 0) spawnSync("mkfifo", [dev]);
    const r = await trialc("doc", SEED, "--out", dev);
    expect(r.code).toBe(2);
    oneLine(r.stderr, dev, "not a regular file");
    expect(lstatSync(dev).isFile()).toBe(false);
  });

  it("a symbolic link (kept as it is; with --force the link is replaced, not its target)", async () => {
    const target = at("target.md");
    writeFileSync(target, "# target\n");
    const link = at("link.md");
    symlinkSync(target, link);
    const r = await trialc("doc", SEED, "--out", link);
    expect(r.code).toBe(2);
    oneLine(r.stderr, link, "symbolic link");
    expect(readlinkSync(link)).toBe(target);
    expect((await trialc("doc", SEED, "--out", link, "--force")).code).toBe(0);
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("# target\n");
  });

  it("a crf folder trialc did not generate", async () => {
    const dir = at("forms-mine");
    mkdirSync(dir);
    writeFileSync(join(dir, "odm.xml"), "<mine/>");
    const r = await trialc("crf", SEED, "--out", dir, "--format", "odm");
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "odm.xml"), "utf8")).toBe("<mine/>");
  });
});

describe("a build replaces the previous one as a whole", () => {
  it("nothing stale: a protocol without a response section leaves no response.ts", async () => {
    const out = at("stale");
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    expect(existsSync(join(out, "response.ts"))).toBe(true);
    const text = readFileSync(SEED, "utf8");
    const start = text.indexOf("\nresponse {");
    const noResponse = text.slice(0, start) + "\n"; // the response section is the last one
    writeFileSync(at("no-response.trial"), noResponse);
    const r = await trialc("build", at("no-response.trial"), "--out", out);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, "response.ts"))).toBe(false);
    expect(existsSync(join(out, "eligibility.ts"))).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.includes("trialc-"))).toEqual([]); // no staging left
  });

  it("killed at any moment (kill -9), the folder holds one build, never a mix", async () => {
    const parent = at("killed");
    const out = join(parent, "out");
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    const changed = at("changed.trial");
    writeFileSync(changed, readFileSync(SEED, "utf8").replace("hemoglobin >= 9 g/dL", "hemoglobin >= 10 g/dL"));
    // Kill after the new build has written 5 or 35 files (wherever it writes them).
    for (const written of [5, 35]) {
      const since = Date.now();
      const child = spawn(process.execPath, ["bin/trialc.js", "build", changed, "--out", out], { stdio: "ignore" });
      let exited = false;
      child.once("exit", () => (exited = true));
      while (!exited && newFiles(parent, since) < written) await new Promise((r) => setTimeout(r, 5));
      child.kill("SIGKILL");
      if (!exited) await new Promise((r) => child.once("exit", r));
      if (existsSync(out)) expect(buildHashes(out).size, `killed after ${written} files`).toBe(1);
      else {
        // Killed between the swap's two renames: the old build is whole beside it, and
        // the next write puts it back before replacing it.
        const old = readdirSync(parent).filter((n) => n.startsWith(".out.trialc-old-"));
        expect(old, `killed after ${written} files`).toHaveLength(1);
        expect(buildHashes(join(parent, old[0]!)).size).toBe(1);
      }
    }
    expect((await trialc("build", changed, "--out", out)).code).toBe(0);
    expect(buildHashes(out).size).toBe(1);
    expect(readdirSync(parent).filter((n) => n.includes("trialc-old-"))).toEqual([]);
  }, 300_000);

  it("killed between the swap's two renames: the next write puts the old build back, then replaces it", async () => {
    const parent = at("swap-killed");
    const out = join(parent, "out");
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    const before = [...buildHashes(out)];
    // The state a kill -9 after the first rename leaves: no out, the old build beside it.
    // Named for a live process (this one's parent), so that only putting it back, not the
    // removal of dead processes' leftovers, can clear it.
    renameSync(out, join(parent, `.out.trialc-old-${process.ppid}`));
    const changed = at("swap-changed.trial");
    writeFileSync(changed, readFileSync(SEED, "utf8").replace("hemoglobin >= 9 g/dL", "hemoglobin >= 10 g/dL"));
    expect((await trialc("build", changed, "--out", out)).code).toBe(0);
    const after = [...buildHashes(out)];
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(readdirSync(parent).filter((n) => n.includes("trialc-old-"))).toEqual([]);
  });

  it("what killed builds left beside the output (a staging folder, an old output) goes with the next write", async () => {
    const parent = at("leftovers");
    const out = join(parent, "out");
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!; // a process that has exited
    for (const kind of ["new", "old"]) {
      mkdirSync(join(parent, `.out.trialc-${kind}-${dead}`));
      writeFileSync(join(parent, `.out.trialc-${kind}-${dead}`, "eligibility.ts"), "// half a build");
    }
    const live = join(parent, `.out.trialc-new-${process.ppid}`); // a running process's (this one's parent): kept
    mkdirSync(live);
    expect((await trialc("build", SEED, "--out", out)).code).toBe(0);
    expect(buildHashes(out).size).toBe(1);
    expect(readdirSync(parent).sort()).toEqual([`.out.trialc-new-${process.ppid}`, "out"]);
  });

  it("with --js, compiles wherever the output goes and says what it needs", async () => {
    const out = at("elsewhere", "build");
    const r = await trialc("build", SEED, "--out", out, "--js");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("npm install");
    expect(r.stderr).toContain("decimal.js");
    expect(existsSync(join(out, "eligibility.js"))).toBe(true);
    expect(existsSync(join(out, "eligibility.d.ts"))).toBe(true);
    // With its dependencies installed (here: trialc's own), the output runs.
    symlinkSync(resolve("node_modules"), join(out, "node_modules"));
    const run = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { evaluateEligibility } from ${JSON.stringify(join(out, "eligibility.js"))};
         import { readFileSync } from "node:fs";
         const r = evaluateEligibility(JSON.parse(readFileSync("protocols/patients/eligible.json", "utf8")));
         console.log(r.ok ? r.result.verdict : JSON.stringify(r));`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("eligible");
  });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
