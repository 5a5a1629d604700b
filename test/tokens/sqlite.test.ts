/** The embedded default store for real: a revocation survives a restart, and an unreachable file fails closed, then recovers. */
import { mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "gatehouse/tokens";
import { bearer, postForm } from "../helpers.ts";
import { holdSqliteLock } from "../support/sqlite-locker.ts";
import { tokenApp, until } from "./support.ts";

type TestApp = ReturnType<typeof tokenApp>;
const open: TestApp[] = [];
afterEach(async () => {
  for (const { app } of open.splice(0)) await app.close();
});

function start(path: string): TestApp {
  const started = tokenApp({ store: new SqliteStore(path), retryMs: 20 });
  open.push(started);
  return started;
}

async function login(app: TestApp["app"]) {
  const res = await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items" });
  expect(res.statusCode).toBe(200);
  return res.json() as { access_token: string; refresh_token: string };
}

const items = (app: TestApp["app"], token: string) => app.inject({ url: "/items/", headers: bearer(token) });

describe("SQLite store", () => {
  it("a token works, is revoked, is refused, and is still refused after the app restarts on the same file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "gatehouse-restart-")), "tokens.db");
    const first = start(path);
    const revoked = await login(first.app);
    const kept = await login(first.app);
    expect((await items(first.app, revoked.access_token)).statusCode).toBe(200);
    expect((await postForm(first.app, "/revoke", { token: revoked.access_token })).statusCode).toBe(200);
    const refused = await items(first.app, revoked.access_token);
    expect([refused.statusCode, refused.json(), refused.headers["www-authenticate"]]).toEqual([401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"']);
    await first.app.close();
    open.splice(0);

    const second = start(path);
    await second.app.ready();
    const after = await items(second.app, revoked.access_token);
    expect([after.statusCode, after.json(), after.headers["www-authenticate"]]).toEqual([401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"']);
    expect((await items(second.app, kept.access_token)).statusCode).toBe(200);
    // Records survive too: the refresh token still rotates after the restart.
    expect((await postForm(second.app, "/token", { grant_type: "refresh_token", refresh_token: kept.refresh_token })).statusCode).toBe(200);
  });

  it("store down → 503 (and a revocation made meanwhile holds); store back → service back, revocation on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-outage-"));
    const path = join(dir, "db", "tokens.db");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "db"));
    const { app, tokens } = start(path);
    const good = await login(app);
    const leaked = await login(app);

    // Pull the plug: the handle is closed and the file is not where it was, so it cannot be reopened.
    renameSync(join(dir, "db"), join(dir, "db-away"));
    (tokens.store as SqliteStore).database.close();
    // Verification needs no disk; the first operation that does finds the store gone.
    const revoke = await postForm(app, "/revoke", { token: leaked.access_token });
    expect(revoke.statusCode).toBe(503);
    expect(revoke.json()).toEqual({ detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" });
    for (const res of [await items(app, good.access_token), await postForm(app, "/token", { username: "alice", password: "wonderland" })]) {
      expect([res.statusCode, res.headers["retry-after"]]).toEqual([503, "1"]);
    }

    renameSync(join(dir, "db-away"), join(dir, "db"));
    await until(() => tokens.state === "ready", 3000, "the SQLite store to be reopened");
    expect((await items(app, good.access_token)).statusCode).toBe(200);
    expect((await items(app, leaked.access_token)).statusCode).toBe(401);
    const reopened = new SqliteStore(path);
    expect((await reopened.revocations()).map((e) => e.type)).toEqual(["token"]);
    await reopened.close();
  });
});

describe("SQLite store under another process's lock (issue 14 item 5)", () => {
  it("a write gives up after lockWaitMs without freezing the event loop; the recovery ping is a read and answers", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "gatehouse-lock-")), "tokens.db");
    const store = new SqliteStore(path, { lockWaitMs: 300 });
    const release = await holdSqliteLock(path);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    try {
      loop.enable();
      const started = performance.now();
      const failed = await store.revoke({ type: "token", id: "j", at: Date.now(), expiresAt: null }).then(() => undefined, (error: unknown) => error);
      const took = performance.now() - started;
      loop.disable();
      expect(failed).toMatchObject({ name: "GatehouseError", code: "GH_STORE_FAILED" });
      expect((failed as Error).message).toContain("is locked by another connection for more than 300 ms");
      expect(took).toBeGreaterThanOrEqual(250);
      // With busy_timeout the whole loop stood still for the wait (5 s); here it kept turning.
      expect(loop.max / 1e6).toBeLessThan(250);
      await expect(store.ping()).resolves.toBeUndefined();
      await expect(store.revocations()).resolves.toEqual([]);
    } finally {
      await release();
      await store.close();
    }
    const reopened = new SqliteStore(path);
    await reopened.revoke({ type: "token", id: "j", at: Date.now(), expiresAt: null });
    expect((await reopened.revocations()).map((e) => e.id)).toEqual(["j"]);
    await reopened.close();
  });
});
