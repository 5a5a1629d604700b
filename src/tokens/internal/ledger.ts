/**
 * @module
 * The token layer's link to its store: the local {@link RevocationSet} kept current (a full read at
 * start-up and after every outage, then the store's announcements), and the store's health. While the set
 * cannot be trusted every operation that needs it fails closed with the one pre-built 503
 * (`GH_STORE_UNAVAILABLE`); the ledger keeps retrying in the background and trusts the set again once a
 * full re-read succeeds. After an outage it also writes back what it holds and the store lacks (a Redis
 * restarted empty), so that no instance started later accepts what this one refuses. A store that is
 * unsafe by configuration (`ConfigurationError`) is never trusted: `ready()` rejects with it.
 */
import { ConfigurationError } from "../../core/errors.ts";
import { gatehouseError } from "../../core/errors.ts";
import { storeUnavailable } from "../errors.ts";
import type { TokenStore } from "../stores/store.ts";
import type { LedgerOptions, LedgerState, RevocationEntry } from "../types.ts";
import { withDeadline } from "./deadline.ts";
import { RevocationSet } from "./revocation.ts";

/** How many revocations are written back to the store at once after it lost them. */
const REPUBLISH_BATCH = 256;

export class Ledger {
  readonly set = new RevocationSet();
  readonly #retryMs: number;
  readonly #syncWaitMs: number;
  readonly #onStateChange: (state: LedgerState, error?: unknown) => void;
  readonly #unwatch: () => void;
  /** Revocations applied locally that the store has not confirmed; written first when it is back. */
  readonly #pending: RevocationEntry[] = [];
  #state: LedgerState = "syncing";
  /** Bumped by every failure and reconnection, so that a read that started before it does not declare the set current. */
  #generation = 0;
  #sync: Promise<void> | undefined;
  readonly #firstSync: Promise<void>;
  #settleFirstSync: (error?: Error) => void = () => {};
  #retry: NodeJS.Timeout | undefined;
  #fatal: ConfigurationError | undefined;
  #closed = false;
  #lastError: unknown;
  readonly #startedAt = Date.now();

  constructor(
    readonly store: TokenStore,
    options: LedgerOptions = {},
  ) {
    this.#retryMs = options.retryMs ?? 250;
    this.#syncWaitMs = options.syncWaitMs ?? 2000;
    this.#onStateChange = options.onStateChange ?? warnOnChange(store.kind);
    this.#firstSync = new Promise((resolve, reject) => (this.#settleFirstSync = (error) => (error ? reject(error) : resolve())));
    // Marked handled here: an app that never calls ready() must not crash on a rejection it did not ask for.
    this.#firstSync.catch(() => {});
    this.#unwatch = store.watch({
      revoked: (entry) => this.set.add(entry),
      down: (error) => this.#markDown(error),
      up: () => {
        // A read already running may predate the reconnection: make it read again.
        this.#generation++;
        void this.#resync();
      },
    });
    void this.#resync();
  }

  get state(): LedgerState {
    return this.#state;
  }

  /**
   * Resolves once the set has been read from the store the first time; rejects when the store is unsafe by
   * configuration, or with `GH_STORE_UNREACHABLE` (naming the store, where it is and its last error) when
   * that has not happened within `timeoutMs`. The ledger keeps trying in the background either way.
   */
  async ready(timeoutMs: number): Promise<void> {
    await withDeadline(this.#firstSync, timeoutMs, () => this.#unreachable(timeoutMs));
  }

  #unreachable(timeoutMs: number): Error {
    const { kind, location } = this.store;
    const error = this.#lastError;
    const reason = error === undefined ? "" : ` (${innermost(error)})`;
    return gatehouseError("GH_STORE_UNREACHABLE", `gatehouse/tokens: the ${kind} token store${location ? ` at ${location}` : ""} could not be reached within ${timeoutMs} ms${reason}`, { cause: error });
  }

  /** Whether the set can be trusted now; at start-up, waits (bounded by `syncWaitMs`) for the first read. */
  async trusted(): Promise<boolean> {
    if (this.#state === "syncing") {
      const waited = this.#syncWaitMs - (Date.now() - this.#startedAt);
      // Read, failed or still pending: the state says which.
      if (waited > 0) await withDeadline(this.#firstSync, waited, () => this.#unreachable(waited)).catch(() => {});
    }
    return this.#state === "ready";
  }

  /** Run a store operation; a failure marks the store down and becomes the 503. */
  async use<T>(operation: (store: TokenStore) => Promise<T>): Promise<T> {
    if (!(await this.trusted())) throw storeUnavailable();
    try {
      return await operation(this.store);
    } catch (error) {
      this.#markDown(error);
      throw storeUnavailable();
    }
  }

  /**
   * Revoke: at once in this instance's set, then durably in the store. When the store fails the entry
   * stays enforced here, is written when the store is back, and the caller gets a 503 (not yet durable).
   */
  async revoke(entry: RevocationEntry): Promise<void> {
    this.set.add(entry);
    if (this.#state === "down") {
      this.#pending.push(entry);
      throw storeUnavailable();
    }
    try {
      await this.store.revoke(entry);
    } catch (error) {
      this.#pending.push(entry);
      this.#markDown(error);
      throw storeUnavailable();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#unwatch();
    await this.store.close();
  }

  #markDown(error: unknown): void {
    if (this.#closed || this.#fatal) return;
    this.#lastError = error;
    this.#generation++;
    if (error instanceof ConfigurationError) {
      // Unsafe by configuration: retrying cannot help, and trusting it could lose acknowledged revocations.
      this.#fatal = error;
      this.#state = "down";
      this.#onStateChange("down", error);
      this.#settleFirstSync(error);
      return;
    }
    // A store still connecting at start-up (Redis) is not an outage yet: keep trying quietly for `syncWaitMs`.
    const starting = this.#state === "syncing" && Date.now() - this.#startedAt < this.#syncWaitMs;
    if (!starting && this.#state !== "down") {
      this.#state = "down";
      this.#onStateChange("down", error);
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retry || this.#closed || this.#fatal) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#resync();
    }, this.#retryMs);
    this.#retry.unref();
  }

  #resync(): Promise<void> {
    if (this.#closed || this.#fatal) return Promise.resolve();
    this.#sync ??= this.#read().finally(() => (this.#sync = undefined));
    return this.#sync;
  }

  /**
   * One full read: the store's revocations into the set, then what this instance holds and the store
   * lacks back into the store, then `ping` (reachable, watching, consistent) — last, so that a store that
   * waits for every instance to write back (Redis after a data loss) gets this one's writes first.
   */
  async #read(): Promise<void> {
    const generation = this.#generation;
    try {
      const held = await this.store.revocations();
      for (const entry of held) this.set.add(entry);
      await this.#writeBack(held);
      await this.store.ping();
    } catch (error) {
      this.#markDown(error);
      return;
    }
    // A failure or reconnection reported while reading means the read may have missed something.
    if (generation !== this.#generation || this.#closed) return this.#scheduleRetry();
    const was = this.#state;
    this.#state = "ready";
    this.#lastError = undefined;
    if (was !== "ready") this.#onStateChange("ready");
    this.#settleFirstSync();
  }

  /** Write the pending revocations, then every entry of the set that the store lacks or holds narrower. */
  async #writeBack(held: readonly RevocationEntry[]): Promise<void> {
    while (this.#pending.length > 0) {
      await this.store.revoke(this.#pending[0]!);
      this.#pending.shift();
    }
    const stored = new Map(held.map((entry) => [`${entry.type}:${entry.id}`, entry]));
    const now = Date.now();
    const batch: Promise<void>[] = [];
    let seen = 0;
    for (const entry of this.set.entries(now)) {
      // A million entries take a while to compare: let requests in between.
      if (++seen % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (entry.expiresAt !== null && entry.expiresAt <= now) continue;
      if (covers(stored.get(`${entry.type}:${entry.id}`), entry)) continue;
      batch.push(this.store.revoke(entry));
      if (batch.length >= REPUBLISH_BATCH) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  }
}

/** Whether a stored entry already revokes at least what `mine` does. */
function covers(stored: RevocationEntry | undefined, mine: RevocationEntry): boolean {
  if (!stored) return false;
  if (mine.type === "subject" && stored.at < mine.at) return false;
  return stored.expiresAt === null || (mine.expiresAt !== null && stored.expiresAt >= mine.expiresAt);
}

/** The default `onStateChange`: one line per change of state, never one per request. */
function warnOnChange(kind: string): (state: LedgerState, error?: unknown) => void {
  let wasDown = false;
  return (state, error) => {
    if (state === "down") {
      wasDown = true;
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof ConfigurationError) console.error(`gatehouse/tokens: the ${kind} token store is refused; answering 503: ${reason}`);
      else console.warn(`gatehouse/tokens: the ${kind} token store is unreachable; answering 503 until it is back (${reason})`);
    } else if (state === "ready" && wasDown) {
      wasDown = false;
      console.warn(`gatehouse/tokens: the ${kind} token store is back; revocations re-read`);
    }
  };
}

/** The message of the error at the end of a `cause` chain: the driver's own words (`connect ECONNREFUSED …`). */
function innermost(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
