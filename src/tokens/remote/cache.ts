/**
 * @module
 * A bounded map whose entries expire: what remembers verified JWTs and introspection answers. Past its
 * size the oldest entry goes (insertion order is age), so a flood of distinct tokens costs a fixed amount
 * of memory.
 */

export class ExpiringCache<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly expiresAt: number }>();

  /** `size` entries at most; `0` keeps none. */
  constructor(readonly size: number) {}

  /** The value under `key`, unless it expired by `now` (epoch ms; it is then dropped). */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keep `value` under `key` until `expiresAt` (epoch ms). */
  set(key: string, value: V, expiresAt: number): void {
    if (this.size <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.size) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get count(): number {
    return this.#entries.size;
  }
}
