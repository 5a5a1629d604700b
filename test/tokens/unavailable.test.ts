/** Fail closed: while the store is unreachable every answer that needs revocations is a 503; then it comes back by itself. */
import { afterEach, describe, expect, it } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { SECRET, until } from "./support.ts";

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
