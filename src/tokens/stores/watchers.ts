/**
 * @module
 * The instances watching one store, told together: what `TokenStore.watch` hands out, written once for
 * every store.
 */
import type { RevocationEntry } from "../types.ts";
import type { StoreEvents } from "./store.ts";

/** A set of {@link StoreEvents} listeners that is itself a listener: each event goes to every one. */
export class Watchers implements StoreEvents {
  readonly #listeners = new Set<StoreEvents>();

  /** Add a listener; returns the function that removes it (`TokenStore.watch`'s contract). */
  add(events: StoreEvents): () => void {
    this.#listeners.add(events);
    return () => this.#listeners.delete(events);
  }

  clear(): void {
    this.#listeners.clear();
  }

  revoked(entry: RevocationEntry): void {
    for (const listener of this.#listeners) listener.revoked(entry);
  }

  down(error: unknown): void {
    for (const listener of this.#listeners) listener.down(error);
  }

  up(): void {
    for (const listener of this.#listeners) listener.up();
  }
}
