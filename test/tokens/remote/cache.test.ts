/**
 * The remote verifier's cache of verified JWTs, white-box: bounded by bytes as well as entries (a token can
 * be as long as a header), and an entry past its token's expiry is a refusal, not a hit.
 */
import { decodeJwt, type JWTPayload } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRemoteVerifier, type RemoteVerifier } from "gatehouse/tokens";
import { TestProvider } from "./provider.ts";

let provider: TestProvider;
let verifier: RemoteVerifier;
let claims: JWTPayload;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  provider = await TestProvider.start();
  claims = { ...decodeJwt(await provider.token()), exp: Math.floor(Date.now() / 1000) + 600 };
});
afterEach(async () => {
  vi.useRealTimers();
  await verifier.close();
  await provider.close();
});

function open(options: { cacheSize?: number; cacheBytes?: number }) {
  verifier = createRemoteVerifier({ issuers: [{ issuer: provider.issuer, audience: "api", rfc9068: true }], now: () => Date.now(), ...options });
}

describe("the remote verifier's cache", () => {
  it("holds no more bytes than cacheBytes, however long the tokens (60 distinct 8 KB tokens, 64 KiB bound)", async () => {
    open({ cacheSize: 10_000, cacheBytes: 64 * 1024 });
    const padding = "x".repeat(6_000);
    for (let i = 0; i < 60; i++) {
      const result = await verifier.verify(await provider.sign({ ...claims, jti: `long-${i}`, padding }));
      expect(result.ok).toBe(true);
    }
    const stats = verifier.verifiedCache.stats;
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.entries).toBeLessThan(60);
  });

  it("a cached token past its expiry is refused, and leaves the cache", async () => {
    open({});
    const token = await provider.sign({ ...claims, jti: "short", exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await verifier.verify(token)).ok).toBe(true);
    expect((await verifier.verify(token)).ok).toBe(true);
    expect(verifier.verifiedCache.stats).toMatchObject({ entries: 1, hits: 1 });
    vi.setSystemTime(Date.now() + 120_000);
    const late = await verifier.verify(token);
    expect(late.ok).toBe(false);
    if (!late.ok) expect([late.reason, late.error.status, late.error.code]).toEqual(["expired", 401, "GH_INVALID_TOKEN"]);
    expect(verifier.verifiedCache.stats.entries).toBe(0);
  });
});
