/**
 * @module
 * The options of the Redis and PostgreSQL stores that need no driver types, so that `openStore`'s options
 * (in the main `gatehouse/tokens` types) compile for an app that has installed neither driver.
 */
import type { Clock } from "../types.ts";

/** A Redis setting whose unsafe value the app may accept: `maxmemory-policy` (eviction) or `appendonly` (no AOF). */
export type RedisRisk = "maxmemory-policy" | "appendonly";

/** What the Redis store takes besides ioredis's own options. */
export interface RedisSettings {
  /** Prefix of every key and of the channel, so that apps (and tests) can share a database. Default `gatehouse:`. */
  readonly prefix?: string;
  /** Settings that may lose acknowledged revocations, accepted in code (e.g. a Redis that keeps nothing on disk, for tests). */
  readonly acceptUnsafe?: readonly RedisRisk[];
  /** Time between heartbeats through the channel, ms. Default 100. */
  readonly heartbeatMs?: number;
  /** Unanswered heartbeats after which the subscription counts as dead. Default 5. */
  readonly heartbeatMisses?: number;
  /** After a loss of data, how long every instance waits for the others to write back, ms. Default 2 000. */
  readonly settleMs?: number;
}

export interface PostgresStoreOptions {
  /** The schema gatehouse's tables live in, created if missing. Default `gatehouse`. */
  readonly schema?: string;
  /** The clock TTLs are measured with; tests pass a fake one. */
  readonly now?: Clock;
  /** Connections in the pool (besides the LISTEN one). Default 4. */
  readonly max?: number;
  /** Deadline of every statement, ms (and its lock wait). Default 2 000. */
  readonly timeoutMs?: number;
  /** Time between heartbeats through the channel, ms. Default 100. */
  readonly heartbeatMs?: number;
  /** Unanswered heartbeats after which the LISTEN connection counts as dead. Default 5. */
  readonly heartbeatMisses?: number;
  /** How often, at most, expired rows are deleted (on the next write). Default 60 000 ms. */
  readonly pruneIntervalMs?: number;
}
