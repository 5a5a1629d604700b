/**
 * @module
 * The tokens whose signature and claims checked out, by their exact text, so that a token seen again skips
 * the signature check. Only a verified token enters (a forgery cannot evict one, nor be looked up as one:
 * a different text is a different key), and the cache is bounded twice, by entries and by bytes, since a
 * token can be as long as a request header. The oldest entry goes first. Hits and misses are counted.
 */

/** What the cache holds and how it has served, for the bench and for monitoring. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  /** The estimated bytes held (see {@link entryCost}). */
  readonly bytes: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/**
 * What one entry costs, estimated: the token's text (one byte a character, as V8 keeps an ASCII string),
 * about as much again for the claims decoded from it, and a fixed overhead for the entry and its objects.
 */
export function entryCost(token: string): number {
  return 2 * token.length + 256;
}

export class VerifiedCache<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly cost: number }>();
  #maxEntries: number;
  #maxBytes: number;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  /** `maxEntries` or `maxBytes` at 0 turns the cache off. */
  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  get(token: string): V | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) this.#misses++;
    else this.#hits++;
    return entry?.value;
  }

  /** Remember a verified token; one that alone exceeds the byte bound is not kept. */
  set(token: string, value: V): void {
    const cost = entryCost(token);
    if (this.#maxEntries <= 0 || cost > this.#maxBytes) return;
    this.delete(token);
    this.#shrinkTo(this.#maxEntries - 1, this.#maxBytes - cost);
    this.#entries.set(token, { value, cost });
    this.#bytes += cost;
  }

  delete(token: string): void {
    const entry = this.#entries.get(token);
    if (entry === undefined) return;
    this.#entries.delete(token);
    this.#bytes -= entry.cost;
  }

  /** New bounds (0 turns the cache off); entries beyond them go at once, oldest first. */
  resize(maxEntries: number, maxBytes = this.#maxBytes): void {
    this.#maxEntries = Math.max(0, maxEntries);
    this.#maxBytes = Math.max(0, maxBytes);
    this.#shrinkTo(this.#maxEntries, this.#maxBytes);
  }

  get stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes, maxEntries: this.#maxEntries, maxBytes: this.#maxBytes };
  }

  /** Drop the oldest entries until at most `entries` entries and `bytes` bytes are held. */
  #shrinkTo(entries: number, bytes: number): void {
    // Insertion order is age.
    for (const [token, entry] of this.#entries) {
      if (this.#entries.size <= entries && this.#bytes <= bytes) return;
      this.#entries.delete(token);
      this.#bytes -= entry.cost;
    }
  }
}
