/**
 * @module
 * The one small interface every token store implements. A store persists records and revocations,
 * indexes records by subject, expires both by TTL and tells every instance about new revocations. It knows
 * nothing of tokens, scopes or clients: expiry policy and verification stay in the token layer, health and
 * fail-closed in the ledger (`internal/ledger.ts`).
 * *(node-oidc-provider's adapter: `upsert`, `find`, `consume`, `revokeByGrantId`)*
 *
 * **The consistency contract.** An instance either refuses a revoked token within its store's stated
 * propagation bound (100 ms p99 by default) or answers 503 — it never silently accepts one. A store keeps
 * it by announcing every revocation, its own instance's and every other's, to its watchers within its
 * bound, and by reporting `down` as soon as it can no longer promise that (a dead subscription, a missed
 * heartbeat, a failed poll, a server that lost its data); the ledger then answers 503 until a full re-read
 * succeeds. Each store's TSDoc states its bound and what it does when it cannot keep it;
 * `test/tokens/stores/store.contract.ts` checks the postconditions below and `test/faults/` injects the
 * faults.
 */
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimitSpec, RevocationEntry } from "../types.ts";

/** A record as stored: an open set of JSON fields; `subject` indexes it, `consumed` is the store's mark. */
export type StoredRecord = { readonly subject: string; readonly consumed?: number; readonly [field: string]: unknown };

/** What a store tells the instance watching it. */
export interface StoreEvents {
  /** A revocation was made, through this instance or another; told within the store's propagation bound. */
  revoked(entry: RevocationEntry): void;
  /** Revocations may now be missed (a dropped or silent subscription, a failed poll, lost data): the local set is not trustworthy. */
  down(error: unknown): void;
  /** The store is watched again (e.g. resubscribed); the watcher re-reads {@link TokenStore.revocations} before trusting its set. */
  up(): void;
}

/**
 * A token store. Every method rejects when the store cannot be reached; none throws synchronously.
 *
 * @see `memory.ts`, `sqlite.ts`, `redis.ts`; `test/tokens/stores/store.contract.ts` checks each against this.
 */
export interface TokenStore {
  /** `"memory"`, `"sqlite"`, `"redis"` or `"postgres"`, for messages. */
  readonly kind: string;

  /** Where the store is, for messages: `sqlite:/absolute/path.db`, `redis://host:port/db` (never a password). */
  readonly location?: string;

  /**
   * Insert or replace the record under `key`. Postcondition: until `ttlMs` has elapsed (forever when it is
   * `undefined`), `find(key)` returns an equal record and `findBySubject(record.subject)` includes it; after
   * that, neither does. Replacing a record clears its `consumed` mark.
   */
  save(key: string, record: StoredRecord, ttlMs?: number): Promise<void>;

  /** The record saved under `key`, with `consumed` set once {@link consume} succeeded; `undefined` when absent or expired. */
  find(key: string): Promise<StoredRecord | undefined>;

  /** Every unexpired record whose `subject` is `subject`, in no particular order. */
  findBySubject(subject: string): Promise<StoredRecord[]>;

  /**
   * Mark the record under `key` as used, atomically across instances. Resolves `true` for exactly one
   * call per record (the first); `false` when it was already consumed, is absent or expired. Afterwards
   * `find(key)` carries `consumed` (epoch ms).
   */
  consume(key: string): Promise<boolean>;

  /**
   * Persist a revocation and announce it to every watcher. Postcondition: once this resolves the entry is
   * durable (survives a restart of the store's clients) and `revocations()` includes it until
   * `entry.expiresAt` (forever when `null`); an entry whose `expiresAt` has passed may be dropped at once.
   * For one `(type, id)` the later `at` and the later `expiresAt` are kept.
   */
  revoke(entry: RevocationEntry): Promise<void>;

  /**
   * Every revocation not yet expired: the snapshot an instance loads at start-up and after a reconnect.
   * Reads only the store's own revocations (an index, never a scan of a shared keyspace).
   */
  revocations(): Promise<RevocationEntry[]>;

  /**
   * Listen to revocations and to the store's health; returns the function that stops listening. Every
   * revocation committed after `watch` (by any instance) reaches `revoked` within the store's bound, or
   * `down` is told first.
   */
  watch(events: StoreEvents): () => void;

  /**
   * Resolves when the store is reachable, watched and consistent: announcements flow (the subscription
   * answers its heartbeat) and no loss of data is being repaired (a Redis restarted empty waits until every
   * instance could write back what it holds). Reopens a closed handle if need be. It never writes what a
   * lock could block (a locked SQLite file still answers). Rejects otherwise, with a `ConfigurationError`
   * when the store is unsafe by configuration (retrying cannot help).
   */
  ping(): Promise<void>;

  /** Release connections and handles. Later calls reject. */
  close(): Promise<void>;

  /**
   * Optional: a counter every instance on this store shares (login throttling). Without it each instance
   * counts in its own memory. Redis and PostgreSQL have one; SQLite and memory do not.
   */
  rateLimiter?(spec: RateLimitSpec): RateLimiterAbstract;
}

/** A record as a store read it back: its JSON, and the `consumed` mark the store keeps beside it (ms, or none). */
export function storedRecord(json: string, consumed: number | string | null): StoredRecord {
  const record = JSON.parse(json) as StoredRecord;
  return consumed === null ? record : { ...record, consumed: Number(consumed) };
}

/** Milliseconds left until `expiresAt` (epoch ms), `undefined` for no expiry. */
export function ttlUntil(expiresAt: number | null, now: number): number | undefined {
  return expiresAt === null ? undefined : expiresAt - now;
}

/** The wider of two expiries, `null` (never) being the widest. */
export function laterExpiry(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}
