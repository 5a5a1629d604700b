import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { fakeClock, SECRET } from "./support.ts";

const key = new TextEncoder().encode(SECRET);
let tokens: TokenService;
afterEach(() => tokens?.close());

function service(clock = fakeClock()) {
  tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: clock.now }), now: clock.now, accessTokenTtl: 60, sweepIntervalMs: 0, onStateChange: () => {}, allowNonExpiringApiTokens: true });
  return tokens;
}

describe("TokenVerifier", () => {
  it("an issued token carries sub, scopes, exp, jti, iat and its family, and verifies", async () => {
    const clock = fakeClock();
    const { accessToken } = await service(clock).login({ subject: "alice", scopes: ["me", "items"] });
    const result = await tokens.verify(accessToken);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const iat = clock.now() / 1000;
    expect(result.claims).toEqual({ sub: "alice", scopes: ["me", "items"], iat, exp: iat + 60, auth_time: iat, jti: expect.any(String), fam: expect.any(String) });
  });

  it("exp is checked with a 5 s leeway against the injected clock", async () => {
    const clock = fakeClock();
    const { accessToken } = await service(clock).login({ subject: "alice", scopes: [] });
    clock.advance(64_000);
    expect((await tokens.verify(accessToken)).ok).toBe(true);
    clock.advance(2000);
    const expired = await tokens.verify(accessToken);
    expect(expired).toMatchObject({ ok: false, reason: "expired" });
    if (expired.ok) return;
    expect(expired.error.status).toBe(401);
    expect(expired.error.headers).toEqual({ "WWW-Authenticate": 'Bearer error="invalid_token"' });
  });

  it("nbf in the future (beyond the leeway) is refused", async () => {
    const clock = fakeClock();
    service(clock);
    const nbf = clock.now() / 1000 + 60;
    const token = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: "HS256" }).setNotBefore(nbf).sign(key);
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "invalid" });
    clock.advance(58_000);
    expect((await tokens.verify(token)).ok).toBe(true);
  });

  it("a token without exp lives until it is revoked", async () => {
    const clock = fakeClock();
    const { token } = await service(clock).issueApiToken({ subject: "alice", scopes: ["items"], ttl: null });
    expect(token).toMatch(/^gatehouse_pat_[0-9A-Za-z]{54}$/);
    expect(await tokens.verify(token)).toMatchObject({ ok: true, claims: { sub: "alice", scopes: ["items"], token_kind: "personal" } });
    expect((await tokens.verify(token)).ok && (await tokens.verify(token))).not.toHaveProperty("claims.exp");
    clock.advance(10 * 365 * 86_400_000);
    expect((await tokens.verify(token)).ok).toBe(true);
    expect(await tokens.revokeToken(token)).toBe(true);
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("a revoked token is refused with 401 and Bearer error=\"invalid_token\"", async () => {
    const { accessToken } = await service().login({ subject: "alice", scopes: [] });
    await tokens.revokeToken(accessToken);
    const result = await tokens.verify(accessToken);
    expect(result).toMatchObject({ ok: false, reason: "revoked" });
    if (result.ok) return;
    expect([result.error.status, result.error.detail, result.error.headers]).toEqual([401, "Token has been revoked", { "WWW-Authenticate": 'Bearer error="invalid_token"' }]);
  });

  it("FastAPI's tokens (no jti, no iat) verify, and can be revoked by the token itself", async () => {
    const clock = fakeClock();
    service(clock);
    const seedToken = await new SignJWT({ sub: "johndoe", scopes: ["me"] }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setExpirationTime(clock.now() / 1000 + 1800).sign(key);
    expect((await tokens.verify(seedToken)).ok).toBe(true);
    await tokens.revokeToken(seedToken);
    expect(await tokens.verify(seedToken)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it.each([
    ["no sub", { scopes: [] }],
    ["a sub that is not a string", { sub: 42 }],
    ["a jti that is not a string", { sub: "alice", jti: 7 }],
  ])("%s is invalid", async (_name, payload) => {
    service();
    const token = await new SignJWT(payload as Record<string, unknown>).setProtectedHeader({ alg: "HS256" }).sign(key);
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it.each([-1, Number.NaN, Infinity])("a clockTolerance of %s is a TypeError at construction, naming the option", (clockTolerance) => {
    expect(() => createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {}, clockTolerance })).toThrow(
      expect.objectContaining({ name: "ConfigurationError", message: expect.stringContaining("`clockTolerance`") }),
    );
  });

  it("a claim named __proto__ stays a claim: the claims keep their prototype", async () => {
    service();
    const token = await new SignJWT(JSON.parse('{"sub":"alice","__proto__":{"admin":true}}')).setProtectedHeader({ alg: "HS256" }).sign(key);
    const result = await tokens.verify(token);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.claims)).toBe(Object.prototype);
    expect(Object.hasOwn(result.claims, "__proto__")).toBe(true);
    expect((result.claims as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each(["", "garbage", "a.b.c"])("malformed token %j is invalid, never an exception", async (token) => {
    expect(await service().verify(token)).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("TokenVerifier's cache of verified tokens", () => {
  it("a token verified once is still refused the moment it is revoked, and once it expires", async () => {
    const clock = fakeClock();
    const { accessToken } = await service(clock).login({ subject: "alice", scopes: [] });
    expect((await tokens.verify(accessToken)).ok).toBe(true);
    expect((await tokens.verify(accessToken)).ok).toBe(true); // from the cache
    await tokens.revokeToken(accessToken);
    expect(await tokens.verify(accessToken)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("a token that differs by one character is checked in full, not taken from the cache", async () => {
    const { accessToken } = await service().login({ subject: "alice", scopes: [] });
    expect((await tokens.verify(accessToken)).ok).toBe(true);
    const tampered = accessToken.slice(0, -2) + (accessToken.at(-2) === "A" ? "B" : "A") + accessToken.at(-1);
    expect(await tokens.verify(tampered)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("stays within its bound, and can be turned off", async () => {
    const clock = fakeClock();
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: clock.now }), now: clock.now, sweepIntervalMs: 0, onStateChange: () => {}, cacheSize: 2 });
    const issued = await Promise.all([1, 2, 3].map((n) => tokens.login({ subject: `u${n}`, scopes: [] })));
    for (const { accessToken } of issued) expect((await tokens.verify(accessToken)).ok).toBe(true);
    // The oldest was dropped; verifying it again is a full check that still succeeds.
    expect((await tokens.verify(issued[0]!.accessToken)).ok).toBe(true);
    await tokens.close();
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {}, cacheSize: 0 });
    const { accessToken } = await tokens.login({ subject: "x", scopes: [] });
    expect((await tokens.verify(accessToken)).ok).toBe(true);
    expect((await tokens.verify(accessToken)).ok).toBe(true);
  });
});
