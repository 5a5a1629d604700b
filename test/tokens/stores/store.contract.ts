/**
 * The one contract every token store must keep (`TokenStore`'s TSDoc postconditions), run against each
 * store by a one-line test file. Time moves with a fake clock; stores that measure time themselves
 * (Redis) get `realTime: true`, and the suite then also waits.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock, RevocationEntry, StoredRecord, StoreEvents, TokenStore } from "gatehouse/tokens";
import { until } from "../support.ts";

export interface StoreContractOptions {
  readonly name: string;
  /** A fresh, empty store reading time from `now` (a store with a clock of its own may ignore it). */
  readonly makeStore: (now: Clock) => Promise<TokenStore> | TokenStore;
  /** Open the same storage again (persistent stores only): what must survive a restart. */
  readonly reopen?: (store: TokenStore, now: Clock) => Promise<TokenStore> | TokenStore;
  /** `false` to run, or the reason the whole suite is skipped. */
  readonly skip: string | false;
  /** The store expires with the real clock: advancing the fake one also waits. */
  readonly realTime?: boolean;
}

const record = (subject: string, extra: Record<string, unknown> = {}): StoredRecord => ({ subject, kind: "access", scopes: ["me"], ...extra });

export function runStoreContract(options: StoreContractOptions): void {
  describe.skipIf(options.skip)(`TokenStore contract: ${options.name}`, () => {
    let now = Date.now();
    const clock: Clock = () => now;
    const advance = async (ms: number) => {
      now += ms;
      if (options.realTime) await new Promise((resolve) => setTimeout(resolve, ms));
    };
    // Short TTLs keep a real-time store's waits small; the fake clock makes any TTL instant.
    const TTL = options.realTime ? 300 : 60_000;
    let store: TokenStore;

    beforeEach(async () => {
      now = Date.now();
      store = await options.makeStore(clock);
    });
    afterEach(async () => {
      await store.close();
    });

    it("find returns what save stored, open fields included; unknown keys are undefined", async () => {
      await store.save("k1", record("alice", { family: "f1", custom: { nested: [1, 2] } }));
      expect(await store.find("k1")).toEqual(record("alice", { family: "f1", custom: { nested: [1, 2] } }));
      expect(await store.find("nope")).toBeUndefined();
    });

    it("findBySubject lists exactly the subject's records", async () => {
      await store.save("a1", record("alice", { id: 1 }));
      await store.save("a2", record("alice", { id: 2 }), 10 * TTL);
      await store.save("b1", record("bob", { id: 3 }));
      const alice = await store.findBySubject("alice");
      expect(alice.map((r) => r.id).sort()).toEqual([1, 2]);
      expect(await store.findBySubject("carol")).toEqual([]);
    });

    it("a record is gone from find and findBySubject once its TTL has passed", async () => {
      await store.save("short", record("alice", { id: "short" }), TTL);
      await store.save("long", record("alice", { id: "long" }), 100 * TTL);
      expect(await store.find("short")).toBeDefined();
      await advance(TTL + 50);
      expect(await store.find("short")).toBeUndefined();
      expect((await store.findBySubject("alice")).map((r) => r.id)).toEqual(["long"]);
    });

    it("consume succeeds once, marks the record, and fails for unknown keys", async () => {
      await store.save("r1", record("alice"), 10 * TTL);
      expect(await store.consume("r1")).toBe(true);
      expect(await store.consume("r1")).toBe(false);
      expect((await store.find("r1"))?.consumed).toEqual(expect.any(Number));
      expect(await store.consume("missing")).toBe(false);
    });

    it("of many concurrent consumes of one record exactly one wins", async () => {
      await store.save("race", record("alice"));
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume("race")));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("saving a record again clears its consumed mark", async () => {
      await store.save("r2", record("alice"));
      await store.consume("r2");
      await store.save("r2", record("alice", { round: 2 }));
      expect(await store.find("r2")).toEqual(record("alice", { round: 2 }));
      expect(await store.consume("r2")).toBe(true);
    });

    it("a revocation is listed and announced to watchers", async () => {
      const heard: RevocationEntry[] = [];
      const events: StoreEvents = { revoked: (entry) => heard.push(entry), down: () => {}, up: () => {} };
      const unwatch = store.watch(events);
      const entry: RevocationEntry = { type: "token", id: "jti-1", at: now, expiresAt: now + 10 * TTL };
      await store.revoke(entry);
      expect(await store.revocations()).toContainEqual(entry);
      await until(() => heard.some((e) => e.id === "jti-1"), 2000, "the revocation to be announced");
      unwatch();
    });

    it("for one (type, id) the later not-before and the later expiry are kept; null means never", async () => {
      await store.revoke({ type: "subject", id: "alice", at: now + 1000, expiresAt: now + 10 * TTL });
      await store.revoke({ type: "subject", id: "alice", at: now, expiresAt: now + 5 * TTL });
      await store.revoke({ type: "family", id: "f1", at: now, expiresAt: now + TTL });
      await store.revoke({ type: "family", id: "f1", at: now, expiresAt: null });
      const entries = await store.revocations();
      expect(entries).toContainEqual({ type: "subject", id: "alice", at: now + 1000, expiresAt: now + 10 * TTL });
      expect(entries).toContainEqual({ type: "family", id: "f1", at: now, expiresAt: null });
      expect(entries.filter((e) => e.id === "alice" || e.id === "f1")).toHaveLength(2);
    });

    it("a revocation is dropped once it has expired; one without expiry stays", async () => {
      await store.revoke({ type: "token", id: "brief", at: now, expiresAt: now + TTL });
      await store.revoke({ type: "token", id: "forever", at: now, expiresAt: null });
      await advance(TTL + 50);
      const ids = (await store.revocations()).map((e) => e.id);
      expect(ids).not.toContain("brief");
      expect(ids).toContain("forever");
    });

    it("ping resolves while the store is reachable", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("after close, calls reject instead of throwing", async () => {
      const other = await options.makeStore(clock);
      await other.close();
      await expect(other.find("k")).rejects.toThrow();
      await expect(other.revoke({ type: "token", id: "x", at: now, expiresAt: null })).rejects.toThrow();
    });

    const notPersistent = options.reopen ? false : "the store keeps nothing across restarts";
    it.skipIf(notPersistent)(`records and revocations survive reopening the storage${notPersistent ? ` (skipped: ${notPersistent})` : ""}`, async () => {
      await store.save("kept", record("alice", { id: "kept" }));
      await store.revoke({ type: "token", id: "revoked-before-restart", at: now, expiresAt: now + 10 * TTL });
      await store.close();
      store = await options.reopen!(store, clock);
      expect(await store.find("kept")).toEqual(record("alice", { id: "kept" }));
      expect((await store.revocations()).map((e) => e.id)).toContain("revoked-before-restart");
    });
  });
}
