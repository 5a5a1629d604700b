/**
 * @module
 * Choosing a store by URL, as `GATEHOUSE_STORE` names it: `sqlite:PATH` (the default,
 * `sqlite:.gatehouse/tokens.db`), `redis://HOST:PORT/DB` (or `rediss://`), `postgres://USER@HOST/DB`
 * (or `postgresql://`), or `memory`.
 */
import { gatehouseError } from "../../core/errors.ts";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MemoryStore } from "./memory.ts";
import { PostgresStore, type PostgresStoreOptions } from "./postgres.ts";
import { RedisStore, type RedisStoreOptions } from "./redis.ts";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import type { TokenStore } from "./store.ts";

/** The store used when `GATEHOUSE_STORE` is not set. */
export const DEFAULT_STORE_URL = "sqlite:.gatehouse/tokens.db";

export interface OpenStoreOptions {
  /** Redis options (key prefix, ioredis options, accepted risks) when the URL is a Redis one. */
  readonly redis?: RedisStoreOptions;
  /** PostgreSQL options (schema, timeouts) when the URL is a PostgreSQL one. */
  readonly postgres?: PostgresStoreOptions;
  /** SQLite options (poll interval, lock wait) when the URL is a SQLite one. */
  readonly sqlite?: SqliteStoreOptions;
  /** Names the setting in error messages. Default `"store URL"`. */
  readonly setting?: string;
}

/**
 * Open the store a URL names. A SQLite file's directory is created. An unknown scheme or a SQLite file
 * that cannot be opened is a `TypeError` at start-up; Redis connects in the background (until it does,
 * requests that need it answer 503).
 *
 * @example
 * const store = openStore("redis://127.0.0.1:6379/0");
 */
export function openStore(url: string, options: OpenStoreOptions = {}): TokenStore {
  const setting = options.setting ?? "store URL";
  if (url === "memory") return new MemoryStore();
  if (url.startsWith("redis://") || url.startsWith("rediss://")) return new RedisStore(url, options.redis);
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return new PostgresStore(url, options.postgres);
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    if (!path) throw gatehouseError("GH_INVALID_STORE_URL", `gatehouse/tokens: ${setting} "${url}" names no file; use sqlite:PATH`);
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      return new SqliteStore(path, options.sqlite);
    } catch (error) {
      throw gatehouseError("GH_STORE_OPEN_FAILED", `gatehouse/tokens: ${setting} "${url}": cannot open the SQLite file (${(error as Error).message})`, { cause: error });
    }
  }
  throw gatehouseError("GH_INVALID_STORE_URL", `gatehouse/tokens: ${setting} "${url}" is not sqlite:PATH, redis://HOST:PORT/DB, postgres://USER@HOST/DB or memory`);
}

/**
 * Open the store `GATEHOUSE_STORE` names (default {@link DEFAULT_STORE_URL}).
 *
 * @example
 * const tokens = createTokenService({ keys, store: storeFromEnv() });
 */
export function storeFromEnv(env: Readonly<Record<string, string | undefined>> = process.env, options: Omit<OpenStoreOptions, "setting"> = {}): TokenStore {
  return openStore(env.GATEHOUSE_STORE || DEFAULT_STORE_URL, { ...options, setting: "GATEHOUSE_STORE" });
}
