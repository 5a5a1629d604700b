/**
 * The provider's keys over real sockets: counted fetches, the 30 s cool-down for unknown `kid`s, a key
 * rotation picked up without a restart, a retired key refused once the keys are refetched, and the
 * provider going down (refusing connections, or never answering): known keys keep working, unknown ones
 * get a 503 without hammering it. `Date` alone is faked, to cross cool-downs and key ages; sockets are real.
 */
import { decodeJwt, type JWTPayload } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRemoteVerifier, type RemoteVerifier, type VerifyResult } from "gatehouse/tokens";
import { signingKey, TestProvider } from "./provider.ts";

let provider: TestProvider;
let verifier: RemoteVerifier;
let claims: JWTPayload;
const errors: unknown[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  provider = await TestProvider.start();
  verifier = createRemoteVerifier({ issuers: [{ issuer: provider.issuer, audience: "api", rfc9068: true }], timeoutMs: 300, now: () => Date.now(), onIssuerError: (_, error) => errors.push(error) });
  // The provider's own claims, valid for a day: the clock is moved by minutes below.
  claims = { ...decodeJwt(await provider.token()), exp: Math.floor(Date.now() / 1000) + 86_400 };
  errors.length = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  await verifier.close();
  await provider.close();
});

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

function expectAccepted(result: VerifyResult) {
  expect(result.ok, result.ok ? "" : result.reason).toBe(true);
}

function expectRefused(result: VerifyResult, reason: "invalid" | "unavailable") {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toBe(reason);
  if (reason === "invalid") {
    expect([result.error.status, result.error.code, result.error.headers]).toEqual([401, "GH_INVALID_TOKEN", { "WWW-Authenticate": 'Bearer error="invalid_token"' }]);
  } else {
    expect([result.error.status, result.error.code, result.error.oauthError, result.error.headers]).toEqual([503, "GH_ISSUER_UNAVAILABLE", "temporarily_unavailable", { "Retry-After": "5" }]);
  }
}

describe("the provider's keys", () => {
  it("are fetched once, on first use, after discovery, and reused", async () => {
    for (let i = 0; i < 5; i++) expectAccepted(await verifier.verify(await provider.sign({ ...claims, jti: `t${i}` })));
    expect([provider.count("/.well-known/openid-configuration"), provider.count("/jwks")]).toEqual([1, 1]);
  });

  it("a rotation is picked up without a restart, an unknown kid refetching at most once per 30 s", async () => {
    const old = await provider.sign(claims);
    expectAccepted(await verifier.verify(old));
    await provider.useKeys([await signingKey("key-2"), provider.keys[0]!]);
    const rotated = await provider.sign({ ...claims, jti: "after-rotation" });
    // Within the cool-down of the first fetch the new kid is unknown, and the provider is not asked.
    later(10_000);
    expectRefused(await verifier.verify(rotated), "invalid");
    expect(provider.count("/jwks")).toBe(1);
    later(21_000);
    const burst = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(rotated)));
    burst.forEach(expectAccepted);
    expect(provider.count("/jwks")).toBe(2);
    expectAccepted(await verifier.verify(old));
    // A forged kid right after: refused without another fetch.
    expectRefused(await verifier.verify(await provider.sign(claims, {}, await signingKey("forged"))), "invalid");
    expect(provider.count("/jwks")).toBe(2);
  });

  it("a key the provider retires is refused once the keys are refetched, even for a token verified before", async () => {
    const old = await provider.sign(claims);
    expectAccepted(await verifier.verify(old));
    const next = await signingKey("key-2");
    await provider.useKeys([next]);
    later(11 * 60_000); // past the keys' maximum age (10 minutes)
    expectAccepted(await verifier.verify(await provider.sign(claims, {}, next)));
    expect(provider.count("/jwks")).toBe(2);
    expectRefused(await verifier.verify(old), "invalid");
  });

  it("provider down: known keys keep working, even past their age; unknown kids get a 503 without a request each", async () => {
    const known = await provider.sign(claims);
    expectAccepted(await verifier.verify(known));
    provider.mode = "refuse";
    later(11 * 60_000);
    expectAccepted(await verifier.verify(known)); // the refresh fails: the keys we have stay in use
    expect(provider.count("/jwks")).toBe(2);
    expect(errors).toHaveLength(1);
    const stranger = await provider.sign(claims, {}, await signingKey("key-new"));
    const burst = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(stranger)));
    burst.forEach((result) => expectRefused(result, "unavailable"));
    expectAccepted(await verifier.verify(await provider.sign({ ...claims, jti: "new-token-old-key" })));
    expect(provider.count("/jwks")).toBe(2);
    // Past the retry delay (5 s) the provider is asked again, once, and when it is back the kid is known.
    await provider.useKeys([provider.keys[0]!, await signingKey("key-new")]);
    provider.mode = "up";
    later(6_000);
    expectAccepted(await verifier.verify(await provider.sign({ ...claims, jti: "back" }, {}, provider.keys[1]!)));
    expect(provider.count("/jwks")).toBe(3);
  });

  it("a provider that never answers costs a bounded wait, then a 503, then no wait at all until the retry", async () => {
    provider.mode = "hang";
    expectRefused(await verifier.verify(await provider.sign(claims)), "unavailable");
    expect(provider.count("/.well-known/openid-configuration")).toBe(1);
    expectRefused(await verifier.verify(await provider.sign(claims)), "unavailable");
    expect(provider.count("/.well-known/openid-configuration")).toBe(1);
    provider.mode = "up";
    later(6_000);
    expectAccepted(await verifier.verify(await provider.sign(claims)));
  });

  it("ready({ keys: true }) fetches the keys at start-up, or rejects with the reason", async () => {
    await verifier.ready({ keys: true });
    expect(provider.count("/jwks")).toBe(1);
    provider.mode = "refuse";
    const other = createRemoteVerifier({ issuers: [{ issuer: provider.issuer, audience: "api" }], onIssuerError: () => {} });
    await expect(other.ready({ keys: true })).rejects.toMatchObject({ code: "GH_ISSUER_FAILED", message: expect.stringContaining("unreachable") });
    await other.close();
  });
});
