/** The verified-token cache on its own: both bounds, oldest out first, counted hits and misses, and resizing. */
import { describe, expect, it } from "vitest";
import { entryCost, VerifiedCache } from "../../src/tokens/internal/verified-cache.ts";

/** A token's tail is its signature: distinct for distinct tokens. */
const token = (n: number, length = 40) => `${"x".repeat(Math.max(0, length - 12))}.${String(n).padStart(11, "0")}`;

describe("VerifiedCache", () => {
  it("holds at most maxEntries, dropping the oldest first", () => {
    const cache = new VerifiedCache<number>(3, 1e9);
    for (let n = 1; n <= 5; n++) cache.set(token(n), n);
    expect([1, 2, 3, 4, 5].map((n) => cache.get(token(n)))).toEqual([undefined, undefined, 3, 4, 5]);
    expect(cache.stats).toMatchObject({ entries: 3, hits: 3, misses: 2, bytes: 3 * entryCost(token(1)) });
  });

  it("holds at most maxBytes: long tokens push out more entries, and one alone over the bound is not kept", () => {
    const small = entryCost(token(0));
    const cache = new VerifiedCache<number>(100, 4 * small);
    for (let n = 1; n <= 4; n++) cache.set(token(n), n);
    expect(cache.stats.entries).toBe(4);
    const long = token(9, 40 + small); // costs about two small entries more than a small one
    cache.set(long, 9);
    expect(cache.stats.bytes).toBeLessThanOrEqual(4 * small);
    expect([1, 2, 3, 4].map((n) => cache.get(token(n)))).toEqual([undefined, undefined, undefined, 4]);
    expect(cache.get(long)).toBe(9);
    cache.set(token(10, 8 * small), 10);
    expect(cache.get(token(10, 8 * small))).toBeUndefined();
    expect(cache.get(long)).toBe(9);
  });

  it("a token set again replaces its entry, and a deleted one no longer counts", () => {
    const cache = new VerifiedCache<number>(2, 1e9);
    cache.set(token(1), 1);
    cache.set(token(1), 11);
    cache.set(token(2), 2);
    expect(cache.stats).toMatchObject({ entries: 2, bytes: 2 * entryCost(token(1)) });
    cache.delete(token(1));
    cache.set(token(3), 3);
    expect([cache.get(token(1)), cache.get(token(2)), cache.get(token(3))]).toEqual([undefined, 2, 3]);
  });

  it("stays within its bounds under a long churn of distinct tokens, deletions included", () => {
    const cache = new VerifiedCache<number>(1000, 1e9);
    for (let n = 0; n < 50_000; n++) {
      cache.set(token(n), n);
      if (n % 3 === 0) cache.delete(token(n - 1));
    }
    expect(cache.stats.entries).toBeLessThanOrEqual(1000);
    expect(cache.get(token(49_999))).toBe(49_999);
    expect(cache.stats.bytes).toBe(cache.stats.entries * entryCost(token(1)));
  });

  it("offer keeps a token from its second offer on, and a token offered once stays out", () => {
    const cache = new VerifiedCache<number>(10, 1e9);
    cache.offer(token(1), 1);
    expect(cache.get(token(1))).toBeUndefined();
    cache.offer(token(1), 1);
    expect(cache.get(token(1))).toBe(1);
    for (let n = 2; n < 100; n++) cache.offer(token(n), n);
    expect(cache.stats.entries).toBe(1);
  });

  it("a token that shares a cached token's signature but not its text neither hits nor evicts it", () => {
    const cache = new VerifiedCache<string>(10, 1e9);
    const signature = "S".repeat(43);
    const genuine = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqb2huZG9lIn0.${signature}`;
    const forged = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.${signature}`;
    cache.set(genuine, "johndoe");
    expect(cache.get(forged)).toBeUndefined();
    cache.delete(forged);
    expect(cache.get(genuine)).toBe("johndoe");
    expect(cache.stats).toMatchObject({ entries: 1, hits: 1, misses: 1 });
  });

  it("resize shrinks at once, and 0 turns it off", () => {
    const cache = new VerifiedCache<number>(10, 1e9);
    for (let n = 1; n <= 10; n++) cache.set(token(n), n);
    cache.resize(2);
    expect(cache.stats.entries).toBe(2);
    expect(cache.get(token(10))).toBe(10);
    cache.resize(0);
    cache.set(token(11), 11);
    expect(cache.stats).toMatchObject({ entries: 0, bytes: 0, maxEntries: 0 });
  });
});
