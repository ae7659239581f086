import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where the Redis tests find a server: NEWS_DEDUPE_REDIS_URL (set by .ci/run), or one they start
 * themselves when redis-server is installed. In CI a missing server fails the tests; on a
 * developer machine without one they are skipped with a one-line notice.
 */
export const HAVE_REDIS_SERVER = spawnSync("redis-server", ["--version"]).status === 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Whether something answers PING at host:port (a raw RESP exchange, no client library). */
export function pings(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port, password, username } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("data", (d) => done(d.toString().includes("PONG")));
    socket.connect(Number(port || 6379), hostname, () => {
      const auth = password ? `AUTH ${username ? `${decodeURIComponent(username)} ` : ""}${decodeURIComponent(password)}\r\n` : "";
      socket.write(`${auth}PING\r\n`);
    });
  });
}

/** A private redis-server on a free loopback port (for the auth and lost-connection tests). */
export class RedisServer {
  private child: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), "nd-redis-"));
  private constructor(readonly port: number, private readonly args: string[]) {}

  static async start(args: string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), args);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)start on the same port and directory: with appendonly, the data survives a kill. */
  async restart(): Promise<void> {
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--dir", this.dir, ...this.args], {
      stdio: "ignore",
    });
    const password = this.args[this.args.indexOf("--requirepass") + 1];
    const probe = this.args.includes("--requirepass") ? `redis://:${password}@127.0.0.1:${this.port}` : this.url;
    for (let i = 0; i < 100; i++) {
      if (await pings(probe, 200)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kill the server at once, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  /** Stall the server (SIGSTOP): it keeps its connections and answers nothing until resume(). */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  resume(): void {
    this.child?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let shared: Promise<{ url: string; stop: () => Promise<void> } | null> | undefined;

/** The server the tests share, or null (after printing why) when they are to be skipped. */
export function sharedRedis(): Promise<{ url: string; stop: () => Promise<void> } | null> {
  shared ??= (async () => {
    const fromEnv = process.env.NEWS_DEDUPE_REDIS_URL;
    if (fromEnv) {
      if (await pings(fromEnv)) return { url: fromEnv, stop: async () => undefined };
      return missing(`nothing answers at NEWS_DEDUPE_REDIS_URL=${fromEnv}`);
    }
    if (HAVE_REDIS_SERVER) {
      const server = await RedisServer.start(["--appendonly", "no"]);
      return { url: server.url, stop: () => server.stop() };
    }
    return missing("no NEWS_DEDUPE_REDIS_URL and no redis-server installed");
  })();
  return shared;
}

function missing(why: string): null {
  if (process.env.CI) throw new Error(`Redis tests need a server in CI: ${why}`);
  console.warn(`redis tests skipped: ${why} (apt-get install redis-server, or set NEWS_DEDUPE_REDIS_URL)`);
  return null;
}

/** Per-test key prefixes, so tests sharing one server never see each other's indexes. */
export function prefix(name: string): string {
  return `nd-test:${name}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}
