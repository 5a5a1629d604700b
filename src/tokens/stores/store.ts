/**
 * @module
 * The one small interface every token store implements. A store persists records and revocations,
 * indexes records by subject, expires both by TTL and tells every instance about new revocations. It knows
 * nothing of tokens, scopes or clients: expiry policy and verification stay in the token layer.
 * *(node-oidc-provider's adapter: `upsert`, `find`, `consume`, `revokeByGrantId`)*
 */
import type { RevocationEntry } from "../types.ts";

/** A record as stored: an open set of JSON fields; `subject` indexes it, `consumed` is the store's mark. */
export type StoredRecord = { readonly subject: string; readonly consumed?: number; readonly [field: string]: unknown };

/** What a store tells the instance watching it. */
export interface StoreEvents {
  /** A revocation was made, through this instance or another. */
  revoked(entry: RevocationEntry): void;
  /** Revocations may now be missed (e.g. the Redis subscription dropped): the local set is not trustworthy. */
  down(error: unknown): void;
  /** The store is reachable again; the watcher re-reads {@link TokenStore.revocations} before trusting its set. */
  up(): void;
}

/**
 * A token store. Every method rejects when the store cannot be reached; none throws synchronously.
 *
 * @see `memory.ts`, `sqlite.ts`, `redis.ts`; `test/tokens/stores/store.contract.ts` checks each against this.
 */
export interface TokenStore {
  /** `"memory"`, `"sqlite"` or `"redis"`, for messages. */
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

  /** Every revocation not yet expired: the snapshot an instance loads at start-up and after a reconnect. */
  revocations(): Promise<RevocationEntry[]>;

  /** Listen to revocations and to the store's reachability; returns the function that stops listening. */
  watch(events: StoreEvents): () => void;

  /** Resolves when the store is reachable and writable again (reopening it if need be); rejects otherwise. */
  ping(): Promise<void>;

  /** Release connections and handles. Later calls reject. */
  close(): Promise<void>;
}

/** Milliseconds left until `expiresAt` (epoch ms), `undefined` for no expiry. */
export function ttlUntil(expiresAt: number | null, now: number): number | undefined {
  return expiresAt === null ? undefined : expiresAt - now;
}

/** The wider of two expiries, `null` (never) being the widest. */
export function laterExpiry(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}
