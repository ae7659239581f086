// The command line under faults (issue 13): a bad --out refused before the work, ids that file
// systems cannot spell, a closed stderr, signals at any stage, running out of memory.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, cliAsync, hasStack, parseJsonl, ROOT, SEEDS, syntheticCorpus, tempDir, tree } from "./helpers/cli.js";

const asRoot = process.getuid?.() === 0;
// Root may write anywhere: as root, the CLI is run as "nobody" through setpriv (as in cli-hostile.test.ts).
const asNobody = asRoot && spawnSync("setpriv", ["--version"]).status === 0;
function cliAsNobody(args: string[]) {
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, BIN, ...args], { cwd: ROOT, encoding: "utf8", input: "", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("--out checked before any input is read", () => {
  it.each([
    ["a file", (dir: string) => tree(dir, { "out.txt": "not a directory" }) && join(dir, "out.txt"), "it exists and is not a directory"],
    ["under a file", (dir: string) => tree(dir, { "file.txt": "x" }) && join(dir, "file.txt", "out"), "is not a directory"],
  ])("refuses an --out that is %s at once, with a usage exit (2)", (_, make, why) => {
    const out = make(tempDir());
    // stdin never ends: a refusal that waited for the input would hang here.
    const { child, done } = cliAsync(["--out", out, "-"]);
    return done.then((r) => {
      child.kill();
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(why);
      expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(hasStack(r.stderr)).toBe(false);
    });
  });

  it.skipIf(asRoot && !asNobody)("refuses an --out directory it cannot write into", () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const locked = join(dir, "locked");
    tree(locked, { "keep.txt": "x" });
    chmodSync(locked, 0o555);
    try {
      const r = (asNobody ? cliAsNobody : cli)(["--out", join(locked, "out"), SEEDS]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/permission denied to create it in/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});

describe("ids a file system cannot spell", () => {
  it("writes lone-surrogate ids to distinct files, and maps every input", () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, ['{"id":"\\ud800","text":"one article about the harbour"}', '{"id":"\\udbff","text":"another article about the port"}', ""].join("\n"));
    const out = join(dir, "out");
    const r = cli(["--out", out, input]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const mapping = parseJsonl(readFileSync(join(out, "mapping.jsonl"), "utf8"));
    expect(mapping.map((m) => m.status)).toEqual(["kept", "kept"]);
    const files = mapping.map((m) => m.file as string);
    expect(new Set(files).size).toBe(2);
    for (const f of files) expect(existsSync(join(out, f))).toBe(true);
  });

  it("cuts a long id to a file name of at most 200 bytes, whatever its script", () => {
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, JSON.stringify({ id: "新闻".repeat(200), text: "一篇关于港口的文章" }) + "\n");
    const out = join(dir, "out");
    expect(cli(["--out", out, input]).status).toBe(0);
    const [file] = readdirSync(out).filter((f) => f !== "mapping.jsonl");
    expect(Buffer.byteLength(file!)).toBeLessThanOrEqual(204);
  });
});

describe("a closed stderr", () => {
  /** The CLI with its stderr closed by the reader: stdout and the exit status. */
  async function withClosedStderr(args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    child.stderr.destroy();
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const status = await new Promise<number | null>((r) => child.on("close", r));
    return { status, stdout };
  }

  it("does not change the exit status: warnings are lost, the report still goes to stdout", async () => {
    // An empty file is skipped with a warning on stderr, which nobody reads any more.
    const dir = tree(tempDir(), { "a.txt": readFileSync(join(ROOT, SEEDS, "002_15595de7b2b82864.txt")), "empty.txt": "" });
    const warned = await withClosedStderr([dir]);
    expect(warned.status).toBe(0);
    expect(warned.stdout.split("\n")[0]).toBe("1 document read, 1 skipped");
    // A usage error is still a usage error (2), whether or not its message could be written.
    expect((await withClosedStderr(["missing-never"])).status).toBe(2);
  });
});

/** Resolves once process `pid` has `file` open (Linux: /proc/<pid>/fd); elsewhere after a second. */
async function reading(pid: number, file: string): Promise<void> {
  if (!existsSync(`/proc/${pid}/fd`)) return new Promise((r) => setTimeout(r, 1000));
  for (let i = 0; i < 500; i++) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === file)) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

describe("signals and memory", () => {
  const dir = tempDir();
  const corpus = join(dir, "corpus.jsonl");
  writeFileSync(corpus, syntheticCorpus(30_000, 5));

  it.each([
    ["SIGTERM", 143, 300],
    ["SIGINT", 130, 1500],
  ] as const)("answers %s within 2 s at whatever stage the run is in", async (signal, status, after) => {
    const { child, done } = cliAsync(["--no-progress", "--threads", "1", corpus]);
    // From the moment the run reads its input (its handlers are set before), not from the spawn:
    // on a loaded machine Node alone can take longer than `after` to start.
    await reading(child.pid!, corpus);
    await new Promise((r) => setTimeout(r, after));
    const sent = Date.now();
    child.kill(signal);
    const r = await done;
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(r.status).toBe(status);
    expect(r.stderr).toBe("news-dedupe: interrupted\n");
  });

  it("reports running out of memory in one line, with exit status 3", async () => {
    const { done } = cliAsync(["--no-progress", "--diff", "-f", "json", corpus], { nodeArgs: ["--max-old-space-size=48"] });
    const r = await done;
    expect(r.status).toBe(3);
    expect(r.stderr).toBe("news-dedupe: out of memory; give Node more (NODE_OPTIONS=--max-old-space-size=<MiB>) or split the input\n");
  });
});
