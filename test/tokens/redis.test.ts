/**
 * Many instances on one Redis: a revocation made on one is refused by the other within milliseconds
 * (the p99 over 200 revocations is printed, not asserted), and an instance whose Redis goes away answers
 * 503 until Redis is back, then serves again by itself.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "gatehouse/tokens/redis";
import { bearer, freePort, inCI, postForm } from "../helpers.ts";
import { REDIS_URL, redisPrefix, redisSkipReason, tokenApp, until } from "./support.ts";

const skip = await redisSkipReason();
const { prefix, cleanup } = redisPrefix("instances");
afterAll(() => cleanup());

function instance(url: string, keyPrefix = prefix) {
  return tokenApp({ store: new RedisStore(url, { prefix: keyPrefix }), retryMs: 20 });
}

async function login(app: ReturnType<typeof tokenApp>["app"]) {
  const res = await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items" });
  expect(res.statusCode).toBe(200);
  return res.json() as { access_token: string; refresh_token: string };
}

describe.skipIf(skip)("Redis store, two instances", () => {
  it("revoke on one, the other refuses: propagation measured over 200 revocations", async () => {
    const a = instance(REDIS_URL);
    const b = instance(REDIS_URL);
    try {
      await Promise.all([a.tokens.ready(), b.tokens.ready()]);
      const sessions = [];
      for (let i = 0; i < 200; i++) sessions.push(await login(a.app));
      const fromCall: number[] = [];
      const fromReturn: number[] = [];
      for (const { access_token } of sessions) {
        expect((await b.app.inject({ url: "/items/", headers: bearer(access_token) })).statusCode).toBe(200);
        const started = performance.now();
        expect((await postForm(a.app, "/revoke", { token: access_token })).statusCode).toBe(200);
        const returned = performance.now();
        let res = await b.app.inject({ url: "/items/", headers: bearer(access_token) });
        const deadline = started + 2000;
        while (res.statusCode === 200 && performance.now() < deadline) {
          // Let I/O (the Redis message) in between polls, as requests arriving over sockets would: a cached
          // verification resolves in microtasks alone, so a bare loop of injects would starve it.
          await new Promise((resolve) => setImmediate(resolve));
          res = await b.app.inject({ url: "/items/", headers: bearer(access_token) });
        }
        const refused = performance.now();
        expect([res.statusCode, res.headers["www-authenticate"]]).toEqual([401, 'Bearer error="invalid_token"']);
        fromCall.push(refused - started);
        fromReturn.push(refused - returned);
      }
      const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.ceil((p / 100) * xs.length) - 1]!.toFixed(2);
      console.log(
        `[gatehouse] Redis revocation propagation over ${fromCall.length} revocations (ms): ` +
          `from the revoke call on A to B refusing p50 ${pct(fromCall, 50)}, p99 ${pct(fromCall, 99)}, max ${pct(fromCall, 100)}; ` +
          `from revoke returning p99 ${pct(fromReturn, 99)}`,
      );
    } finally {
      await Promise.all([a.app.close(), b.app.close()]);
    }
  });

  it("revoke-all on one instance reaches the other; a third started later loads it from Redis", async () => {
    const a = instance(REDIS_URL);
    const b = instance(REDIS_URL);
    try {
      await Promise.all([a.tokens.ready(), b.tokens.ready()]);
      const one = await login(a.app);
      const two = await login(b.app);
      expect((await a.app.inject({ method: "POST", url: "/users/me/tokens/revoke-all", headers: bearer(one.access_token) })).statusCode).toBe(204);
      await until(async () => (await b.app.inject({ url: "/items/", headers: bearer(two.access_token) })).statusCode === 401, 2000, "B to refuse");
      const c = instance(REDIS_URL);
      try {
        await c.tokens.ready();
        for (const token of [one.access_token, two.access_token]) expect((await c.app.inject({ url: "/items/", headers: bearer(token) })).statusCode).toBe(401);
      } finally {
        await c.app.close();
      }
    } finally {
      await Promise.all([a.app.close(), b.app.close()]);
    }
  });
});

// A Redis of our own, to stop and start: on a port the OS hands out, stopped by the pid it wrote (never a
// server this test did not start), no persistence.
const server = spawnSync("redis-server", ["--version"]).status === 0;
const ownSkip = server ? false : inCI ? false : "redis-server is not installed, so no Redis can be stopped and started";
if (ownSkip) console.warn(`skipping Redis outage test: ${ownSkip}`);

function startRedis(dir: string, port: number) {
  execFileSync("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--dir", dir, "--pidfile", join(dir, "redis.pid")]);
}
async function stopRedis(dir: string) {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, "redis.pid"), "utf8"));
  } catch {
    return; // not running
  }
  process.kill(pid, "SIGTERM");
  await until(() => !alive(pid), 5000, `redis-server ${pid} to stop`);
  rmSync(join(dir, "redis.pid"), { force: true });
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(ownSkip)("Redis store outage", () => {
  it("Redis down → 503 with a clear detail, nothing crashes; Redis back → service back, revocations re-read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-redis-"));
    const port = await freePort();
    startRedis(dir, port);
    const url = `redis://127.0.0.1:${port}/0`;
    const { app, tokens } = instance(url, "outage:");
    try {
      await tokens.ready();
      const good = await login(app);
      const leaked = await login(app);

      await stopRedis(dir);
      await until(() => tokens.state === "down", 3000, "the instance to notice");
      const down = await app.inject({ url: "/items/", headers: bearer(good.access_token) });
      expect([down.statusCode, down.json(), down.headers["retry-after"]]).toEqual([503, { detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" }, "1"]);
      expect((await postForm(app, "/revoke", { token: leaked.access_token })).statusCode).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed reconnects, none of them fatal

      startRedis(dir, port);
      await until(() => tokens.state === "ready", 5000, "the instance to resubscribe and re-read");
      expect((await app.inject({ url: "/items/", headers: bearer(good.access_token) })).statusCode).toBe(200);
      expect((await app.inject({ url: "/items/", headers: bearer(leaked.access_token) })).statusCode).toBe(401);
      // The revocation made during the outage was written once Redis came back.
      const probe = new RedisStore(url, { prefix: "outage:" });
      await until(() => probe.ping().then(() => true, () => false), 3000, "the probe to connect");
      expect((await probe.revocations()).map((e) => e.type)).toEqual(["token"]);
      await probe.close();
    } finally {
      await app.close();
      await stopRedis(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
