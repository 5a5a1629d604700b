/**
 * The stores' schemas are versioned and migrated by gatehouse: a SQLite file of the first schema (no
 * revocation sequence) is migrated in place with its revocations kept; PostgreSQL instances starting
 * together on a fresh schema migrate it once, and a schema of version 1 gains the login counters; a schema newer than this gatehouse is refused at start-up.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTokenService, SqliteStore } from "gatehouse/tokens";
import { PostgresStore } from "gatehouse/tokens/postgres";
import { postgresSchema, postgresSkipReason, POSTGRES_URL, SECRET } from "../support.ts";

describe("SQLite schema", () => {
  it("a file of schema 1 is migrated to 2 in place, its revocations kept and announced past its sequence", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "gatehouse-migrate-")), "tokens.db");
    const old = new Database(path);
    old.exec(`CREATE TABLE token_records (key TEXT PRIMARY KEY, subject TEXT NOT NULL, record TEXT NOT NULL, expires_at INTEGER, consumed INTEGER);
      CREATE TABLE revocations (type TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER, PRIMARY KEY (type, id));
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT);
      INSERT INTO revocations VALUES ('token', 'from-v1', 1, NULL);`);
    old.close();
    const store = new SqliteStore(path);
    const other = new SqliteStore(path, { pollMs: 5 });
    try {
      expect(store.database.pragma("user_version", { simple: true })).toBe(2);
      expect((await store.revocations()).map((e) => e.id)).toEqual(["from-v1"]);
      const heard: string[] = [];
      other.watch({ revoked: (entry) => heard.push(entry.id), down: () => {}, up: () => {} });
      await store.revoke({ type: "token", id: "after-migration", at: 2, expiresAt: null });
      await expect.poll(() => heard, { timeout: 2000 }).toContain("after-migration");
      expect(heard).not.toContain("from-v1");
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });

  it("a file of a newer schema is refused at start-up", () => {
    const path = join(mkdtempSync(join(tmpdir(), "gatehouse-migrate-")), "tokens.db");
    const newer = new Database(path);
    newer.pragma("user_version = 99");
    newer.close();
    expect(() => new SqliteStore(path)).toThrow(expect.objectContaining({ name: "ConfigurationError", code: "GH_STORE_SCHEMA_NEWER", message: expect.stringContaining("version 99, newer than this gatehouse knows (2)") }));
  });
});

const skip = await postgresSkipReason();
const { schema, cleanup } = postgresSchema("migrate");
afterAll(() => cleanup());

describe.skipIf(skip)("PostgreSQL schema", () => {
  it("instances starting together on a fresh schema migrate it once", async () => {
    const stores = Array.from({ length: 4 }, () => new PostgresStore(POSTGRES_URL, { schema: `${schema}_fresh` }));
    try {
      await Promise.all(stores.map((store) => store.revocations()));
      const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
      expect(await sql`SELECT version FROM ${sql(`${schema}_fresh`)}.schema_version`).toEqual([{ version: 2 }]);
      await sql.end();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("a schema of version 1 is migrated to 2: its revocations kept, the login counters added", async () => {
    const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
    const old = `${schema}_v1`;
    await sql`CREATE SCHEMA ${sql(old)}`;
    await sql.unsafe(`SET search_path TO "${old}";
      CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (1);
      CREATE TABLE token_records (key text PRIMARY KEY, subject text NOT NULL, record text NOT NULL, expires_at bigint, consumed bigint);
      CREATE TABLE revocations (type text NOT NULL, id text NOT NULL, at bigint NOT NULL, expires_at bigint, PRIMARY KEY (type, id));
      INSERT INTO revocations VALUES ('token', 'from-v1', 1, NULL);`);
    const store = new PostgresStore(POSTGRES_URL, { schema: old });
    try {
      expect((await store.revocations()).map((e) => e.id)).toEqual(["from-v1"]);
      expect(await sql`SELECT version FROM ${sql(old)}.schema_version`).toEqual([{ version: 2 }]);
      const limiter = store.rateLimiter({ keyPrefix: "t", points: 2, duration: 60 });
      await limiter.consume("k");
      expect(await sql`SELECT key, points FROM ${sql(old)}.login_counters`).toEqual([{ key: "t:k", points: 1 }]);
    } finally {
      await store.close();
      await sql.end();
    }
  });

  it("a newer schema is refused: tokens.ready() rejects with the store's message, requests get 503", async () => {
    const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
    await sql`CREATE SCHEMA ${sql(`${schema}_newer`)}`;
    await sql`CREATE TABLE ${sql(`${schema}_newer`)}.schema_version (version integer NOT NULL)`;
    await sql`INSERT INTO ${sql(`${schema}_newer`)}.schema_version VALUES (99)`;
    await sql.end();
    const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new PostgresStore(POSTGRES_URL, { schema: `${schema}_newer` }), onStateChange: () => {}, sweepIntervalMs: 0 });
    try {
      await expect(tokens.ready()).rejects.toMatchObject({ name: "ConfigurationError", code: "GH_STORE_SCHEMA_NEWER", message: expect.stringContaining("is at version 99, newer than this gatehouse knows (2)") });
      await expect(tokens.login({ subject: "alice", scopes: [] })).rejects.toMatchObject({ status: 503 });
    } finally {
      await tokens.close();
    }
  });
});
