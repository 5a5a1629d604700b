/**
 * Start-up says why it cannot start: a token store that cannot be reached makes `tokens.ready()`,
 * `app.ready()` and `listen()` reject within their timeout with the store, its address and the driver's
 * error (`GH_STORE_UNREACHABLE`), unless the app is told to start degraded; a store that cannot be opened
 * is an I/O error (`GatehouseError`), not a `TypeError`, and names the absolute path.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, GatehouseError, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, openStore, tokenRouter, type TokenStore } from "gatehouse/tokens";
import { RedisStore } from "gatehouse/tokens/redis";
import { freePort } from "../helpers.ts";
import { SECRET } from "./support.ts";

const port = await freePort(); // nothing listens there
const url = `redis://127.0.0.1:${port}/0`;
const unreachable = new RegExp(`^gatehouse/tokens: the redis token store at redis://127\\.0\\.0\\.1:${port}/0 could not be reached within 300 ms \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)$`);

function service(store: TokenStore = new RedisStore(url, { prefix: "gatehouse-test:ready:" })) {
  return createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, sweepIntervalMs: 0, onStateChange: () => {} });
}

function appOn(tokens: ReturnType<typeof service>, options: Parameters<typeof createApp>[0] = {}) {
  const app = createApp({ startupTimeoutMs: 300, ...options });
  app.include(tokenRouter({ tokens, authenticate: () => ({ subject: "alice" }) }));
  app.fastify.addHook("onClose", () => tokens.close());
  return app;
}

describe("a token store that cannot be reached at start-up", () => {
  it("tokens.ready({ timeoutMs }) rejects with the store, its address and the driver's error, as a GatehouseError", async () => {
    const tokens = service();
    try {
      const error = await tokens.ready({ timeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(GatehouseError);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: "GH_STORE_UNREACHABLE", message: expect.stringMatching(unreachable) });
    } finally {
      await tokens.close();
    }
  });

  it("tokens.ready() waits $GATEHOUSE_STARTUP_TIMEOUT_MS when given no timeout (a store with millions of revocations needs longer)", async () => {
    const tokens = service();
    process.env.GATEHOUSE_STARTUP_TIMEOUT_MS = "300";
    try {
      const error = await tokens.ready().then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: "GH_STORE_UNREACHABLE", message: expect.stringMatching(unreachable) });
    } finally {
      delete process.env.GATEHOUSE_STARTUP_TIMEOUT_MS;
      await tokens.close();
    }
  });

  it("listen() rejects and serves nothing", async () => {
    const app = appOn(service());
    await expect(app.listen({ port: 0 })).rejects.toThrow(unreachable);
    expect(app.fastify.server.listening).toBe(false);
    await app.close();
  });

  it("a route using bearerPrincipal alone waits for the store too", async () => {
    const tokens = service();
    const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { items: "Items." } });
    const app = createApp({ startupTimeoutMs: 300 });
    app.get("/items/", { needs: { user: security(bearerPrincipal({ tokens, scheme: oauth2 }), ["items"]) } }, ({ user }) => user.subject);
    app.fastify.addHook("onClose", () => tokens.close());
    await expect(app.ready()).rejects.toMatchObject({ code: "GH_STORE_UNREACHABLE" });
    await app.close();
  });

  it("with startDegraded it listens, logs why, and answers 503 over the socket until the store is back", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    const app = appOn(service(), { startDegraded: true, logger });
    try {
      const base = await app.listen({ port: 0 });
      const res = await fetch(`${base}/token`, { method: "POST", body: new URLSearchParams({ username: "alice", password: "x" }) });
      expect([res.status, res.headers.get("retry-after")]).toEqual([503, "1"]);
      const warning = JSON.parse(lines.find((line) => line.includes("starting degraded"))!) as { msg: string; err: { message: string } };
      expect(warning.msg).toBe("gatehouse: starting degraded: requests that need the token store answer 503 until it is reachable");
      // pino appends the causes' messages; the first is gatehouse's.
      expect(warning.err.message.split(": gatehouse/tokens: ")[0]).toMatch(unreachable);
    } finally {
      await app.close();
    }
  });

  it("a reachable store starts at once", async () => {
    const app = appOn(service(new MemoryStore()));
    await expect(app.ready()).resolves.toBe(app);
    await app.close();
  });
});

describe("store URLs in messages", () => {
  it("never show a password", async () => {
    const store = new RedisStore("redis://user:hunter2@127.0.0.1:1/0", { redis: { lazyConnect: true } });
    expect(store.location).toBe("redis://user:***@127.0.0.1:1/0");
    await store.close();
    expect(() => openStore("redis+tls://:hunter2@127.0.0.1/0", { setting: "GATEHOUSE_STORE" })).toThrow('gatehouse/tokens: GATEHOUSE_STORE "redis+tls://:***@127.0.0.1/0" is not sqlite:PATH, redis://HOST:PORT/DB, postgres://USER@HOST/DB or memory');
  });
});

describe("a store that cannot be opened", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-open-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is an I/O error (GatehouseError, not TypeError) naming the absolute path", () => {
    writeFileSync(join(dir, "file"), "not a directory");
    const open = () => openStore(`sqlite:${dir}/file/tokens.db`, { setting: "GATEHOUSE_STORE" });
    expect(open).toThrow(GatehouseError);
    expect(open).not.toThrow(TypeError);
    expect(open).toThrow(new RegExp(`^gatehouse/tokens: GATEHOUSE_STORE "sqlite:${dir}/file/tokens.db": cannot open the SQLite file ${dir}/file/tokens.db \\(E`));
  });

  it("a relative path is named absolute", () => {
    writeFileSync(join(dir, "plain"), "");
    expect(() => openStore(`sqlite:${relative(process.cwd(), join(dir, "plain", "x.db"))}`)).toThrow(`cannot open the SQLite file ${join(dir, "plain", "x.db")} (`);
  });
});
