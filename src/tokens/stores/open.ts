/**
 * @module
 * Choosing a store by URL, as `GATEHOUSE_STORE` names it: `sqlite:PATH` (the default,
 * `sqlite:.gatehouse/tokens.db`), `redis://HOST:PORT/DB` (or `rediss://`), `postgres://USER@HOST/DB`
 * (or `postgresql://`), or `memory`. Each driver is an optional peer dependency, loaded only for the URL
 * that needs it; a missing one is named with the command that installs it (`GH_MISSING_PEER`).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import { withoutPassword } from "./location.ts";
import { MemoryStore } from "./memory.ts";
import { PostgresStore } from "./postgres.ts";
import { RedisStore } from "./redis.ts";
import type { PostgresStoreOptions, RedisSettings } from "./settings.ts";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import type { TokenStore } from "./store.ts";

/** The store used when `GATEHOUSE_STORE` is not set. */
export const DEFAULT_STORE_URL = "sqlite:.gatehouse/tokens.db";

export interface OpenStoreOptions {
  /**
   * For a Redis URL: the key prefix, accepted risks, heartbeat and settle times. For ioredis options,
   * construct the store yourself: `new RedisStore(url, { prefix, redis })` from `gatehouse/tokens/redis`.
   */
  readonly redis?: RedisSettings;
  /** For a PostgreSQL URL: schema, pool size, deadlines, heartbeat. */
  readonly postgres?: PostgresStoreOptions;
  /** For a SQLite URL: poll interval, lock wait. */
  readonly sqlite?: SqliteStoreOptions;
  /** Names the setting in error messages. Default `"store URL"`. */
  readonly setting?: string;
}

/**
 * Open the store a URL names. A SQLite file's directory is created. An unknown scheme or a missing driver
 * package is a `ConfigurationError` at start-up, a SQLite file that cannot be opened a `GatehouseError`
 * naming its absolute path; Redis and PostgreSQL connect in the background (until they do, requests that
 * need them answer 503, and `tokens.ready()` waits).
 *
 * @example
 * const store = openStore("redis://127.0.0.1:6379/0");
 */
export function openStore(url: string, options: OpenStoreOptions = {}): TokenStore {
  return open(url, `${options.setting ?? "store URL"} "${withoutPassword(url)}"`, options);
}

/**
 * Open the store `GATEHOUSE_STORE` names (default {@link DEFAULT_STORE_URL}, relative to the working
 * directory).
 *
 * @example
 * const tokens = createTokenService({ keys, store: storeFromEnv() });
 */
export function storeFromEnv(env: Readonly<Record<string, string | undefined>> = process.env, options: Omit<OpenStoreOptions, "setting"> = {}): TokenStore {
  const url = env.GATEHOUSE_STORE;
  if (url) return open(url, `GATEHOUSE_STORE "${withoutPassword(url)}"`, options);
  return open(DEFAULT_STORE_URL, `GATEHOUSE_STORE is not set: the default token store ${DEFAULT_STORE_URL}`, options);
}

/** `named` says where the URL comes from, for every message (without a password in it). */
function open(url: string, named: string, options: OpenStoreOptions): TokenStore {
  if (url === "memory") return new MemoryStore();
  if (url.startsWith("redis://") || url.startsWith("rediss://")) {
    loadPeer(RedisStore.driver, named);
    return new RedisStore(url, options.redis);
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    loadPeer(PostgresStore.driver, named);
    return new PostgresStore(url, options.postgres);
  }
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    if (!path) throw gatehouseError("GH_INVALID_STORE_URL", `gatehouse/tokens: ${named} names no file; use sqlite:PATH`);
    const file = path === ":memory:" ? path : resolve(path);
    loadPeer(SqliteStore.driver, `${named} (${file})`);
    try {
      if (path !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      return new SqliteStore(path, options.sqlite);
    } catch (error) {
      throw gatehouseError("GH_STORE_OPEN_FAILED", `gatehouse/tokens: ${named}: cannot open the SQLite file ${file} (${sqliteReason(error)})`, { cause: error });
    }
  }
  throw gatehouseError("GH_INVALID_STORE_URL", `gatehouse/tokens: ${named} is not sqlite:PATH, redis://HOST:PORT/DB, postgres://USER@HOST/DB or memory`);
}

/** better-sqlite3 installed without its native module (a blocked install script) fails here, not at import. */
function sqliteReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes("bindings file")) return message;
  return `${SqliteStore.driver} is installed but its native module is not built: run npm rebuild ${SqliteStore.driver}, or allow its install script`;
}
