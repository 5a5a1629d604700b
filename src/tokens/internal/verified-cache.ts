/**
 * @module
 * The tokens whose signature and claims checked out, by their exact text, so that a token seen again skips
 * the signature check. Only a verified token enters, and a hit must be the same text (a forgery can neither
 * be taken for an entry nor evict one), and the cache is bounded twice, by entries and by bytes, since a
 * token can be as long as a request header. The oldest entry goes first. Hits and misses are counted.
 *
 * An entry is found by the token's last {@link KEY_CHARS} characters (its signature's), then compared in
 * full: V8 hashes every character of a string it has not hashed before, as each request's header is, and
 * hashing the whole token was most of a lookup's cost. A forgery that copies a cached token's signature
 * finds that entry and fails the comparison.
 *
 * A token enters on its second verification within about the cache's reach, not its first (a doorkeeper, as
 * in TinyLFU): a token seen once — each of many distinct tokens, every token of a flood — would only cost
 * the cache its upkeep (an entry that outlives the young generation is copied by the GC, twice).
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

/** How many of a token's last characters key its entry: within the signature of every JWS algorithm (HS256's has 43). */
const KEY_CHARS = 32;

/** The key of a token's entry (see the module's comment). */
function keyOf(token: string): string {
  return token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token;
}

interface Entry<V> {
  readonly token: string;
  readonly key: string;
  readonly value: V;
  readonly cost: number;
}

export class VerifiedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  /**
   * Entries oldest first, from `#head` on; an entry deleted from the map stays here until it is reached.
   * Not the map's own order: V8 leaves a deleted entry as a hole that every new iterator skips again, so
   * finding the oldest of 10 000 entries that way cost microseconds once the holes piled up.
   */
  #queue: (Entry<V> | undefined)[] = [];
  /** Fingerprints of tokens offered once, one per slot: a newer token overwrites an older one's. */
  #seen: Int32Array;
  #head = 0;
  #maxEntries: number;
  #maxBytes: number;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  /** `maxEntries` or `maxBytes` at 0 turns the cache off. */
  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = Math.max(0, maxEntries);
    this.#maxBytes = Math.max(0, maxBytes);
    this.#seen = doorkeeper(this.#maxEntries);
  }

  get(token: string): V | undefined {
    const entry = this.#entries.get(keyOf(token));
    if (entry === undefined || entry.token !== token) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    return entry.value;
  }

  /** Remember a verified token the second time it is offered (see the module's comment). */
  offer(token: string, value: V): void {
    if (this.#maxEntries > 0 && this.#seenBefore(token)) this.set(token, value);
  }

  /** Remember a verified token now; one that alone exceeds the byte bound is not kept. */
  set(token: string, value: V): void {
    const cost = entryCost(token);
    if (this.#maxEntries === 0 || cost > this.#maxBytes) return;
    const key = keyOf(token);
    const replaced = this.#entries.get(key);
    if (replaced !== undefined) this.#drop(replaced);
    this.#shrinkTo(this.#maxEntries - 1, this.#maxBytes - cost);
    const entry = { token, key, value, cost };
    this.#entries.set(key, entry);
    this.#bytes += cost;
    this.#queue.push(entry);
    this.#compact();
  }

  /** Forget `token`; another token that shares its key keeps its entry. */
  delete(token: string): void {
    const entry = this.#entries.get(keyOf(token));
    if (entry?.token === token) this.#drop(entry);
  }

  #drop(entry: Entry<V>): void {
    this.#entries.delete(entry.key);
    this.#bytes -= entry.cost;
  }

  /** New bounds (0 turns the cache off); entries beyond them go at once, oldest first. */
  resize(maxEntries: number, maxBytes = this.#maxBytes): void {
    this.#maxEntries = Math.max(0, maxEntries);
    this.#maxBytes = Math.max(0, maxBytes);
    this.#seen = doorkeeper(this.#maxEntries);
    this.#shrinkTo(this.#maxEntries, this.#maxBytes);
  }

  get stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes, maxEntries: this.#maxEntries, maxBytes: this.#maxBytes };
  }

  /** Drop the oldest entries until at most `entries` entries and `bytes` bytes are held. */
  #shrinkTo(entries: number, bytes: number): void {
    while ((this.#entries.size > entries || this.#bytes > bytes) && this.#head < this.#queue.length) {
      const oldest = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined;
      // Skip what was deleted, or replaced by a newer entry under the same key.
      if (this.#entries.get(oldest.key) === oldest) this.#drop(oldest);
    }
  }

  /**
   * Whether a token with this one's fingerprint was offered since its slot was last taken; records it if not.
   * The fingerprint (FNV-1a over the last 16 characters: signature bytes, as random as the signature) only
   * decides what is cached, never what is valid: a collision caches a verified token one sight early.
   */
  #seenBefore(token: string): boolean {
    let hash = 0x811c9dc5;
    for (let i = Math.max(0, token.length - 16); i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
    const slot = hash & (this.#seen.length - 1);
    const mark = hash | 1; // 0 is an empty slot
    if (this.#seen[slot] === mark) return true;
    this.#seen[slot] = mark;
    return false;
  }

  /** Keep the queue within a small multiple of the live entries: drop the consumed head and the deleted entries. */
  #compact(): void {
    const waiting = this.#queue.length - this.#head;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (waiting > 2 * this.#entries.size + 1024) {
      this.#queue = this.#queue.slice(this.#head).filter((entry) => entry !== undefined && this.#entries.get(entry.key) === entry);
      this.#head = 0;
    }
  }
}

/**
 * A doorkeeper with as many slots as the cache has entries, to the next power of two: a token offered again
 * after about that many others would have left the cache before its next use anyway.
 */
function doorkeeper(maxEntries: number): Int32Array {
  return new Int32Array(2 ** Math.ceil(Math.log2(Math.max(1024, maxEntries))));
}
