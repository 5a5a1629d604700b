/**
 * Issue 14 item 4: a Redis that can silently lose acknowledged revocations is refused at start-up with a
 * message naming the setting, unless the app accepts it in code; and a resync reads gatehouse's index,
 * never the whole keyspace. Each case on a redis-server of its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RedisStore, type RedisStoreOptions } from "gatehouse/tokens/redis";
import { bearer } from "../helpers.ts";
import { RedisServer } from "../support/redis-server.ts";
import { redisServerSkip } from "../support/services.ts";
import { tokenApp } from "../tokens/support.ts";

const skip = redisServerSkip();
const servers: RedisServer[] = [];
const apps: ReturnType<typeof tokenApp>[] = [];
afterEach(async () => {
  for (const { app } of apps.splice(0)) await app.close();
  for (const server of servers.splice(0)) await server.stop();
});

async function serve(args: string[], options: RedisStoreOptions = {}, startDegraded = false) {
  const server = await RedisServer.start(args);
  servers.push(server);
  const started = tokenApp({ store: new RedisStore(server.url, { settleMs: 0, ...options }), retryMs: 20, syncWaitMs: 500, startDegraded });
  apps.push(started);
  await started.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = started.app.fastify.server.address() as { port: number };
  return { ...started, server, base: `http://127.0.0.1:${port}` };
}

describe.skipIf(skip)("Redis durability settings", () => {
  it.each([
    [["--maxmemory", "8mb", "--maxmemory-policy", "allkeys-lru", "--appendonly", "yes"], "maxmemory-policy allkeys-lru"],
    [["--maxmemory", "8mb", "--maxmemory-policy", "volatile-ttl", "--appendonly", "yes"], "maxmemory-policy volatile-ttl"],
    [[], "appendonly no"],
  ])("refused at start-up, naming the setting (%j): listen() rejects; started degraded, every request answers 503", async (args, setting) => {
    await expect(serve(args)).rejects.toMatchObject({ name: "ConfigurationError", code: "GH_STORE_UNSAFE", message: expect.stringContaining(`\`${setting}\``) });
    const { tokens, base } = await serve(args, {}, true);
    const refusal = await tokens.ready().then(() => undefined, (error: unknown) => error);
    expect(refusal).toMatchObject({ name: "ConfigurationError", code: "GH_STORE_UNSAFE" });
    expect((refusal as Error).message).toContain(`\`${setting}\``);
    expect((refusal as Error).message).toContain(`acceptUnsafe: ["${setting.split(" ")[0]}"]`);
    expect(tokens.state).toBe("down");
    const res = await fetch(`${base}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=alice&password=wonderland" });
    expect([res.status, res.headers.get("retry-after"), await res.json()]).toEqual([503, "1", { detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" }]);
  });

  it("accepted in code, or safe (AOF, noeviction): it serves", async () => {
    for (const [args, options] of [
      [[], { acceptUnsafe: ["appendonly"] }],
      [["--appendonly", "yes", "--maxmemory-policy", "noeviction"], {}],
    ] as const) {
      const { tokens, base } = await serve([...args], options);
      await tokens.ready();
      const login = await fetch(`${base}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=alice&password=wonderland&scope=items" });
      expect(login.status).toBe(200);
      const { access_token } = (await login.json()) as { access_token: string };
      expect((await fetch(`${base}/items/`, { headers: bearer(access_token) })).status).toBe(200);
    }
  });

  it("a resync reads the revocation index only: no SCAN or KEYS, however many other keys the database holds", async () => {
    const { tokens, server } = await serve([], { acceptUnsafe: ["appendonly"] });
    await tokens.ready();
    const client = server.client();
    try {
      const pipeline = client.pipeline();
      for (let i = 0; i < 20_000; i++) pipeline.set(`someone-else:${i}`, "x");
      await pipeline.exec();
      for (let i = 0; i < 50; i++) await tokens.revokeToken((await tokens.login({ subject: `user${i}`, scopes: [] })).accessToken);
      await client.config("RESETSTAT");
      const store = new RedisStore(server.url, { acceptUnsafe: ["appendonly"] });
      const entries = await readWhenConnected(store);
      await store.close();
      expect(entries).toHaveLength(50);
      const stats = await client.info("commandstats");
      expect(stats).toContain("cmdstat_hscan:");
      expect(stats).not.toMatch(/cmdstat_(scan|keys):/);
    } finally {
      client.disconnect();
    }
  });

  it("revocations an older gatehouse wrote as rev:* keys are moved into the index once, so an upgrade forgets none", async () => {
    const server = await RedisServer.start();
    servers.push(server);
    const client = server.client();
    const entry = { type: "token", id: "revoked-by-v1", at: Date.now(), expiresAt: Date.now() + 600_000 };
    await client.set("gatehouse:rev:token:revoked-by-v1", JSON.stringify(entry), "PX", 600_000);
    const store = new RedisStore(server.url, { acceptUnsafe: ["appendonly"] });
    try {
      expect(await readWhenConnected(store)).toEqual([entry]);
      expect(await client.get("gatehouse:revocation-index:adopted")).toBe("1");
    } finally {
      await store.close();
      client.disconnect();
    }
  });
});

async function readWhenConnected(store: RedisStore) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.revocations();
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
