/**
 * @module
 * The token layer's link to its store: the local {@link RevocationSet} kept current (a full read at
 * start-up and after every outage, then the store's announcements), and the store's health. While the set
 * cannot be trusted every operation that needs it fails closed with a 503 (`GH_STORE_UNAVAILABLE`); the
 * ledger keeps retrying in the background and trusts the set again once a full re-read succeeds.
 */
import { storeUnavailable } from "../errors.ts";
import type { TokenStore } from "../stores/store.ts";
import type { LedgerOptions, LedgerState, RevocationEntry } from "../types.ts";
import { RevocationSet } from "./revocation.ts";

export class Ledger {
  readonly set = new RevocationSet();
  readonly #retryMs: number;
  readonly #syncWaitMs: number;
  readonly #onStateChange: (state: LedgerState, error?: unknown) => void;
  readonly #unwatch: () => void;
  /** Revocations applied locally that the store has not confirmed; written first when it is back. */
  readonly #pending: RevocationEntry[] = [];
  #state: LedgerState = "syncing";
  /** Bumped by every failure, so that a read that started before it does not declare the set current. */
  #generation = 0;
  #sync: Promise<void> | undefined;
  readonly #firstSync: Promise<void>;
  #resolveFirstSync: () => void = () => {};
  #retry: NodeJS.Timeout | undefined;
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
    this.#unwatch = store.watch({
      revoked: (entry) => this.set.add(entry),
      down: (error) => this.#markDown(error),
      up: () => void this.#resync(),
    });
    this.#firstSync = new Promise((resolve) => (this.#resolveFirstSync = resolve));
    void this.#resync();
  }

  get state(): LedgerState {
    return this.#state;
  }

  /** Resolves once the set has been read from the store the first time. */
  ready(): Promise<void> {
    return this.#firstSync;
  }

  /** Why the store last failed (until it is read again), for start-up messages. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Whether the set can be trusted now; at start-up, waits (bounded by `syncWaitMs`) for the first read. */
  async trusted(): Promise<boolean> {
    if (this.#state === "syncing") {
      let timer: NodeJS.Timeout | undefined;
      const waited = this.#syncWaitMs - (Date.now() - this.#startedAt);
      if (waited > 0) await Promise.race([this.#firstSync, new Promise((resolve) => (timer = setTimeout(resolve, waited)))]);
      clearTimeout(timer);
    }
    return this.#state === "ready";
  }

  /** Run a store operation; a failure marks the store down and becomes a 503. */
  async use<T>(operation: (store: TokenStore) => Promise<T>): Promise<T> {
    if (!(await this.trusted())) throw storeUnavailable();
    try {
      return await operation(this.store);
    } catch (error) {
      this.#markDown(error);
      throw storeUnavailable(error);
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
      throw storeUnavailable(error);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#unwatch();
    await this.store.close();
  }

  #markDown(error: unknown): void {
    if (this.#closed) return;
    this.#lastError = error;
    this.#generation++;
    // A store still connecting at start-up (Redis) is not an outage yet: keep trying quietly for `syncWaitMs`.
    const starting = this.#state === "syncing" && Date.now() - this.#startedAt < this.#syncWaitMs;
    if (!starting && this.#state !== "down") {
      this.#state = "down";
      this.#onStateChange("down", error);
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retry || this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#resync();
    }, this.#retryMs);
    this.#retry.unref();
  }

  #resync(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#sync ??= this.#read().finally(() => (this.#sync = undefined));
    return this.#sync;
  }

  async #read(): Promise<void> {
    const generation = this.#generation;
    try {
      await this.store.ping();
      for (const entry of await this.store.revocations()) this.set.add(entry);
      while (this.#pending.length > 0) {
        await this.store.revoke(this.#pending[0]!);
        this.#pending.shift();
      }
    } catch (error) {
      this.#markDown(error);
      return;
    }
    // A failure reported while reading (e.g. the subscription dropped) means the read may have missed something.
    if (generation !== this.#generation || this.#closed) return this.#scheduleRetry();
    const was = this.#state;
    this.#state = "ready";
    this.#lastError = undefined;
    if (was !== "ready") this.#onStateChange("ready");
    this.#resolveFirstSync();
  }
}

function warnOnChange(kind: string): (state: LedgerState, error?: unknown) => void {
  let wasDown = false;
  return (state, error) => {
    if (state === "down") {
      wasDown = true;
      console.warn(`gatehouse/tokens: the ${kind} token store is unreachable; answering 503 until it is back (${(error as Error)?.message ?? error})`);
    } else if (state === "ready" && wasDown) {
      wasDown = false;
      console.warn(`gatehouse/tokens: the ${kind} token store is back; revocations re-read`);
    }
  };
}
