/** Fail closed: while the store is unreachable every answer that needs revocations is a 503; then it comes back by itself. */
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { bearer } from "../helpers.ts";
import { SECRET, tokenApp, until } from "./support.ts";

let tokens: TokenService;
afterEach(() => tokens?.close());

describe("store outage (memory store's switch)", () => {
  it("verify answers 503 while down, a revocation made meanwhile holds at once and is stored on recovery", async () => {
    const store = new MemoryStore();
    const states: string[] = [];
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, retryMs: 20, sweepIntervalMs: 0, onStateChange: (state) => states.push(state) });
    await tokens.ready();
    const a = await tokens.login({ subject: "alice", scopes: [] });
    const b = await tokens.login({ subject: "bob", scopes: [] });

    store.setAvailable(false);
    const down = await tokens.verify(a.accessToken);
    expect(down).toMatchObject({ ok: false, reason: "unavailable" });
    if (down.ok) return;
    expect([down.error.status, down.error.headers]).toEqual([503, { "Retry-After": "1" }]);
    await expect(tokens.login({ subject: "alice", scopes: [] })).rejects.toMatchObject({ status: 503 });
    await expect(tokens.revokeToken(a.accessToken)).rejects.toMatchObject({ status: 503 });
    // A forged token needs no revocation answer: still a plain 401.
    expect(await tokens.verify("forged")).toMatchObject({ reason: "invalid" });

    store.setAvailable(true);
    await until(() => tokens.state === "ready", 2000, "the service to come back");
    expect((await tokens.verify(b.accessToken)).ok).toBe(true);
    expect(await tokens.verify(a.accessToken)).toMatchObject({ reason: "revoked" });
    expect((await store.revocations()).map((e) => e.type)).toEqual(["token"]);
    expect(states).toEqual(["ready", "down", "ready"]);
  });

  it("a store unreachable at start-up: requests wait up to syncWaitMs, then 503; the service comes up by itself", async () => {
    const store = new MemoryStore();
    store.setAvailable(false);
    const states: string[] = [];
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, retryMs: 10, syncWaitMs: 100, sweepIntervalMs: 0, onStateChange: (state) => states.push(state) });
    expect(tokens.state).toBe("syncing");
    const started = Date.now();
    await expect(tokens.login({ subject: "alice", scopes: [] })).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await until(() => tokens.state === "down", 1000, "the start-up window to end");
    store.setAvailable(true);
    await tokens.ready();
    expect((await tokens.verify((await tokens.login({ subject: "alice", scopes: [] })).accessToken)).ok).toBe(true);
    expect(states).toEqual(["down", "ready"]);
  });

  it("two services on one store: one's revocation reaches the other", async () => {
    const store = new MemoryStore();
    const options = { keys: { signing: { alg: "HS256", secret: SECRET } }, store, sweepIntervalMs: 0, onStateChange: () => {} };
    tokens = createTokenService(options);
    const other = createTokenService(options);
    const { accessToken } = await tokens.login({ subject: "alice", scopes: [] });
    expect((await other.verify(accessToken)).ok).toBe(true);
    await tokens.revokeToken(accessToken);
    expect(await other.verify(accessToken)).toMatchObject({ reason: "revoked" });
    await other.close();
  });
});

describe("outage logging (issue 14 item 6)", () => {
  it("one line when the store goes down and one when it is back, whatever the requests meanwhile; the 503 is one pre-built object, never logged per request", async () => {
    const store = new MemoryStore();
    const warned: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((line: string) => void warned.push(line));
    const logged: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void logged.push(line) });
    const { app, tokens: service } = tokenApp({ store, retryMs: 20, onStateChange: undefined, logger });
    tokens = service;
    try {
      await app.listen({ host: "127.0.0.1", port: 0 });
      const base = `http://127.0.0.1:${(app.fastify.server.address() as { port: number }).port}`;
      const { accessToken } = await service.login({ subject: "alice", scopes: ["items"] });
      store.setAvailable(false);
      const answers = await Promise.all(Array.from({ length: 200 }, () => fetch(`${base}/items/`, { headers: bearer(accessToken) })));
      for (const res of answers) expect([res.status, res.headers.get("retry-after")]).toEqual([503, "1"]);
      expect(await answers[0]!.json()).toEqual({ detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" });
      const first = await service.verify(accessToken);
      const second = await service.verify(accessToken);
      expect(!first.ok && !second.ok && first.error === second.error && Object.isFrozen(first.error)).toBe(true);
      store.setAvailable(true);
      await until(() => service.state === "ready", 2000, "the service to come back");
      expect((await fetch(`${base}/items/`, { headers: bearer(accessToken) })).status).toBe(200);
      expect(warned).toEqual([
        "gatehouse/tokens: the memory token store is unreachable; answering 503 until it is back (gatehouse/tokens: the memory store was marked unavailable)",
        "gatehouse/tokens: the memory token store is back; revocations re-read",
      ]);
      expect(logged).toEqual([]);
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });
});
