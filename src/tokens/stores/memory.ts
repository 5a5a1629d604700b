/**
 * @module
 * The in-process store, for tests and single-process demos: nothing survives a restart. Instances that
 * share one `MemoryStore` object see each other's revocations, as instances sharing a Redis do.
 */
import { gatehouseError } from "../../core/errors.ts";
import { millis, systemClock } from "../internal/clock.ts";
import type { Clock, RevocationEntry } from "../types.ts";
import { laterExpiry, type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export interface MemoryStoreOptions {
  /** The clock TTLs are measured with; tests pass a fake one. */
  readonly now?: Clock;
}

interface Slot {
  record: StoredRecord;
  expiresAt: number | null;
}

/**
 * A {@link TokenStore} in a `Map`.
 *
 * @example
 * const tokens = createTokenService({ keys, store: new MemoryStore() });
 */
export class MemoryStore implements TokenStore {
  readonly kind = "memory";
  readonly #now: Clock;
  readonly #records = new Map<string, Slot>();
  readonly #revocations = new Map<string, RevocationEntry>();
  readonly #watchers = new Watchers();
  #available = true;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? systemClock;
  }

  /** Simulate an outage (`false`) and the recovery (`true`), for tests of the fail-closed path. */
  setAvailable(available: boolean): void {
    if (this.#available === available) return;
    this.#available = available;
    if (available) this.#watchers.up();
    else this.#watchers.down(gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the memory store was marked unavailable"));
  }

  async save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    this.#check();
    const { consumed: _dropped, ...fresh } = record;
    this.#records.set(key, { record: fresh as StoredRecord, expiresAt: ttlMs === undefined ? null : millis(this.#now) + ttlMs });
  }

  async find(key: string): Promise<StoredRecord | undefined> {
    this.#check();
    return this.#live(key)?.record;
  }

  async findBySubject(subject: string): Promise<StoredRecord[]> {
    this.#check();
    const found: StoredRecord[] = [];
    for (const key of this.#records.keys()) {
      const slot = this.#live(key);
      if (slot?.record.subject === subject) found.push(slot.record);
    }
    return found;
  }

  async consume(key: string): Promise<boolean> {
    this.#check();
    const slot = this.#live(key);
    if (!slot || slot.record.consumed !== undefined) return false;
    slot.record = { ...slot.record, consumed: millis(this.#now) };
    return true;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    this.#check();
    const key = `${entry.type}:${entry.id}`;
    const known = this.#revocations.get(key);
    const merged = known
      ? { ...entry, at: Math.max(known.at, entry.at), expiresAt: laterExpiry(known.expiresAt, entry.expiresAt) }
      : { ...entry };
    this.#revocations.set(key, merged);
    this.#watchers.revoked(merged);
  }

  async revocations(): Promise<RevocationEntry[]> {
    this.#check();
    const now = millis(this.#now);
    for (const [key, entry] of this.#revocations) if (entry.expiresAt !== null && entry.expiresAt <= now) this.#revocations.delete(key);
    return [...this.#revocations.values()];
  }

  watch(events: StoreEvents): () => void {
    return this.#watchers.add(events);
  }

  async ping(): Promise<void> {
    this.#check();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watchers.clear();
  }

  #live(key: string): Slot | undefined {
    const slot = this.#records.get(key);
    if (slot && slot.expiresAt !== null && slot.expiresAt <= millis(this.#now)) {
      this.#records.delete(key);
      return undefined;
    }
    return slot;
  }

  #check(): void {
    if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the memory store is closed");
    if (!this.#available) throw gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the memory store is unavailable");
  }
}
