import { createHash } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { DedupeError, openIndex } from "../src/index.js";
import { redisStore } from "../src/redis.js";
import { COMMIT } from "../src/store/redis-lua.js";
import { freePort, HAVE_REDIS_SERVER, prefix, RedisServer, sharedRedis } from "./helpers/redis.js";
import { seeds } from "./helpers/seeds.js";

const redis = await sharedRedis();
afterAll(() => redis?.stop());
// Auth and crash tests run servers of their own; without the binary they are skipped, except in CI.
if (!HAVE_REDIS_SERVER && process.env.CI) throw new Error("Redis tests need redis-server installed in CI");
const [, , afp1, afp2] = seeds();

async function until<T>(f: () => Promise<T>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (error) {
      if (Date.now() > end) throw new Error(`${what} within ${ms} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe("redis store: bad addresses", () => {
  it("refuses a url that is not a redis:// address, naming it without its password", () => {
    expect(() => redisStore({ url: "http://user:secret@localhost:6379" })).toThrow(
      'option url must be a redis:// or rediss:// address, got "http://***@localhost:6379"',
    );
    expect(() => redisStore({ ttlSeconds: -1 })).toThrow("option ttlSeconds must be a positive number of seconds, got -1");
    expect(() => redisStore({ prefix: "" })).toThrow('option prefix must be a non-empty string without braces, got ""');
    expect(() => redisStore({ prefix: "a{b}" })).toThrow('option prefix must be a non-empty string without braces, got "a{b}"');
    expect(() => redisStore({ url: "redis://:p/ss@w0rd#?@127.0.0.1:6379" })).toThrow('option url is not a valid address: "redis://***@127.0.0.1:6379"');
  });

  it("says it cannot connect when nothing listens at the address", async () => {
    const port = await freePort();
    await expect(openIndex(redisStore({ url: `redis://127.0.0.1:${port}` }))).rejects.toThrow(
      `index store failed: cannot connect to redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

describe.skipIf(!HAVE_REDIS_SERVER)("redis store: a server of its own", () => {
  const servers: RedisServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it("names an authentication failure and how to give the password", async () => {
    const server = await RedisServer.start(["--requirepass", "s3cret", "--appendonly", "no"]);
    servers.push(server);
    const at = `127.0.0.1:${server.port}`;
    await expect(openIndex(redisStore({ url: `redis://${at}` }))).rejects.toThrow(
      `index store failed: opening the index: redis://${at} answered: NOAUTH Authentication required. (give the password in the url: redis://:password@host:port)`,
    );
    await expect(openIndex(redisStore({ url: `redis://:wrong@${at}` }))).rejects.toThrow(
      `index store failed: cannot connect to redis://***@${at}: WRONGPASS invalid username-password pair or user is disabled.`,
    );
    const index = await openIndex(redisStore({ url: `redis://:s3cret@${at}`, prefix: "auth" }));
    expect(await index.add(afp1!)).toBeNull();
    await index.close();
  });

  it("reports a lost connection clearly, and works again once the server is back", async () => {
    const server = await RedisServer.start(["--appendonly", "yes", "--appendfsync", "always"]);
    servers.push(server);
    const index = await openIndex(redisStore({ url: server.url, prefix: "crash" }));
    expect(await index.add(afp1!)).toBeNull();

    await server.kill();
    const lost = await index.add(afp2!).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(DedupeError);
    expect((lost as DedupeError).code).toBe("INDEX_STORE");
    expect((lost as DedupeError).message).toMatch(
      new RegExp(`^index store failed: adding "003": lost the connection to ${server.url} \\(.+\\); it reconnects by itself, try again$`),
    );
    await expect(index.query(afp2!)).rejects.toThrow(/querying: lost the connection/);

    await server.restart();
    // The client reconnects by itself (backoff up to 2 s); the data written before the crash is there.
    expect(await until(() => index.has("002"), "reconnect")).toBe(true);
    expect((await index.add(afp2!))?.canonical).toBe("002");
    expect(await index.size()).toBe(2);
    await index.close();
  });

  it("gives up on a stalled server within its timeout instead of hanging, and works again once it answers", async () => {
    const server = await RedisServer.start(["--appendonly", "no"]);
    servers.push(server);
    const index = await openIndex(redisStore({ url: server.url, prefix: "stall", timeoutMs: 300 }));
    expect(await index.add(afp1!)).toBeNull();
    server.pause();
    const started = Date.now();
    await expect(index.add(afp2!)).rejects.toMatchObject({ code: "INDEX_STORE" });
    await expect(index.has("002")).rejects.toMatchObject({ code: "INDEX_STORE" });
    expect(Date.now() - started).toBeLessThan(2000);
    server.resume();
    expect(await until(() => index.has("002"), "answers after the stall")).toBe(true);
    expect((await until(() => index.add(afp2!), "add after the stall"))?.canonical).toBe("002");
    await index.close();
  });

  it("rewrites the meta a restart without persistence lost, so another process cannot open it with other options", async () => {
    const server = await RedisServer.start(["--appendonly", "no"]);
    servers.push(server);
    const index = await openIndex(redisStore({ url: server.url, prefix: "amnesia" }), { numHashes: 64 });
    expect(await index.add(afp1!)).toBeNull();
    await server.kill();
    await server.restart();
    // The first add after the restart writes the meta back with the index's own options...
    expect(await until(() => index.add({ id: "x", text: "one more article after the restart" }), "add after restart")).toBeNull();
    // ...so a process opening the prefix with other options is refused instead of writing into it.
    await expect(openIndex(redisStore({ url: server.url, prefix: "amnesia" }), { numHashes: 128 })).rejects.toThrow(/was created with numHashes 64/);
    await index.close();
  });

  it("finds its own write when the reply to its commit was lost, instead of calling the document a duplicate", async () => {
    const server = await RedisServer.start(["--appendonly", "no"]);
    servers.push(server);
    const name = prefix("lost-exec");
    const probe = await createClient({ url: server.url }).on("error", () => undefined).connect();
    // A proxy that, once, forwards the commit script, holds back the reply, and cuts the connection
    // as soon as the write is in Redis: the add cannot know whether it landed.
    const commit = createHash("sha1").update(COMMIT).digest("hex");
    let armed = false;
    let cut = 0;
    const proxy = createServer((client: Socket) => {
      const upstream = connect(server.port, "127.0.0.1");
      upstream.on("data", (d) => client.write(d));
      client.on("data", (d) => {
        upstream.write(d);
        if (armed && d.includes(commit)) {
          armed = false;
          cut++;
          upstream.pause();
          void until(async () => {
            if (!(await probe.exists(`{${name}}:d:003`))) throw new Error("not written yet");
          }, "the write").then(() => (client.destroy(), upstream.destroy()));
        }
      });
      const end = () => (client.destroy(), upstream.destroy());
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
    });
    const port = await new Promise<number>((r) => proxy.listen(0, "127.0.0.1", () => r((proxy.address() as { port: number }).port)));
    const index = await openIndex(redisStore({ url: `redis://127.0.0.1:${port}`, prefix: name }));
    expect(await index.add(afp1!)).toBeNull();
    armed = true;
    await expect(index.add(afp2!)).rejects.toThrow(/adding "003": lost the connection/);
    expect(cut).toBe(1);

    const again = await until(() => index.add(afp2!), "re-add after reconnect");
    expect(again?.canonical).toBe("002");
    // It was stored by the first attempt: another handle sees it and refuses the id.
    const other = await openIndex(redisStore({ url: server.url, prefix: name }));
    await expect(other.add(afp2!)).rejects.toThrow(/document "003" has the same id as document #1 in the index/);
    expect(await other.size()).toBe(2);
    await Promise.all([index.close(), other.close(), probe.close()]);
    proxy.close();
  });
});


describe.skipIf(!redis)("redis store: a news window (TTL)", () => {
  it("forgets documents, their band entries and their count once the TTL has passed", async () => {
    const url = redis!.url;
    const name = prefix("ttl");
    const index = await openIndex(redisStore({ url, prefix: name, ttlSeconds: 1 }));
    expect(await index.add(afp1!)).toBeNull();
    expect((await index.add(afp2!))?.canonical).toBe("002");
    expect(await index.size()).toBe(2);

    const client = await createClient({ url }).on("error", () => undefined).connect();
    const keys = async () => {
      const found: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `{${name}}:*`, COUNT: 1000 })) found.push(...batch);
      return found.sort();
    };
    expect((await keys()).length).toBeGreaterThan(10);
    await new Promise((r) => setTimeout(r, 1100));
    // Nothing is read after its time: the next call forgets what is due, entries included.
    expect(await index.has("002")).toBe(false);
    expect(await index.size()).toBe(0);
    // Left: the meta, and the log of recent writes that concurrent commits check against (bounded).
    expect(await keys()).toEqual([`{${name}}:log`, `{${name}}:meta`]);
    expect(await index.query(afp2!)).toBeNull();
    // A copy arriving after the window starts the story afresh.
    expect(await index.add(afp2!)).toBeNull();
    await client.close();
    await index.close();
  });
});
