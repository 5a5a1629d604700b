import { generateKeyPairSync } from "node:crypto";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { KeySet, MemoryStore, createTokenService } from "gatehouse/tokens";
import { SECRET } from "./support.ts";

const quiet = { onStateChange: () => {}, sweepIntervalMs: 0 };

describe("KeySet", () => {
  it("signs with the signing key's kid and verifies older keys by kid (rotation)", async () => {
    const old = { kid: "2024", alg: "HS256", secret: "the old secret, kept until its tokens expire" };
    const before = createTokenService({ keys: { signing: old }, store: new MemoryStore(), ...quiet });
    const { accessToken } = await before.login({ subject: "alice", scopes: [] });
    expect(JSON.parse(Buffer.from(accessToken.split(".")[0]!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT", kid: "2024" });

    const after = createTokenService({ keys: { signing: { kid: "2025", alg: "HS512", secret: SECRET.repeat(2) }, verification: [old] }, store: new MemoryStore(), ...quiet });
    expect((await after.verify(accessToken)).ok).toBe(true);
    const fresh = await after.login({ subject: "alice", scopes: [] });
    expect(JSON.parse(Buffer.from(fresh.accessToken.split(".")[0]!, "base64url").toString()).kid).toBe("2025");
    expect((await after.verify(fresh.accessToken)).ok).toBe(true);
    // The old key alone does not know the new kid.
    expect(await before.verify(fresh.accessToken)).toMatchObject({ ok: false, reason: "invalid" });
    await Promise.all([before.close(), after.close()]);
  });

  it("refuses an algorithm that is not on the allow-list, even with the right secret", async () => {
    const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), ...quiet });
    const hs512 = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: "HS512" }).sign(new TextEncoder().encode(SECRET));
    expect(await tokens.verify(hs512)).toMatchObject({ ok: false, reason: "invalid" });
    await tokens.close();
  });

  it("signs and verifies with an asymmetric key (ES256)", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const tokens = createTokenService({ keys: { signing: { kid: "ec1", alg: "ES256", privateKey } }, store: new MemoryStore(), ...quiet });
    const { accessToken } = await tokens.login({ subject: "alice", scopes: ["me"] });
    expect(await tokens.verify(accessToken)).toMatchObject({ ok: true, claims: { sub: "alice", scopes: ["me"] } });
    await tokens.close();
  });

  it("publishes the public keys as a JWK Set: the signing key and the kept ones, never a secret (RFC 7517 §5)", async () => {
    const old = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const current = generateKeyPairSync("ed25519");
    const keys = new KeySet({ signing: { kid: "2025", alg: "EdDSA", privateKey: current.privateKey }, verification: [{ kid: "2024", alg: "ES256", publicKey: old.publicKey }, { kid: "hs", alg: "HS256", secret: SECRET }] });
    const { keys: jwks } = await keys.publicJwks();
    expect(jwks.map((key) => [key.kid, key.alg, key.kty, key.use])).toEqual([["2025", "EdDSA", "OKP", "sig"], ["2024", "ES256", "EC", "sig"]]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"k"/); // no private part, no secret
    expect(keys.asymmetric).toBe(true);
    expect(new KeySet({ signing: { alg: "HS256", secret: SECRET } }).asymmetric).toBe(false);
    expect((await new KeySet({ signing: { alg: "HS256", secret: SECRET } }).publicJwks()).keys).toEqual([]);
  });

  it("RFC 9068 access tokens (at+jwt): typ, scope, iss, aud and client_id, verified by a resource server with jose and the JWKS alone", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const tokens = createTokenService({ keys: { signing: { kid: "k1", alg: "ES256", privateKey } }, issuer: "https://as.example", accessTokenFormat: "at+jwt", store: new MemoryStore(), ...quiet });
    const { accessToken } = await tokens.login({ subject: "alice", scopes: ["me", "items"], client: "demo-app" });
    const jwks = createLocalJWKSet(await tokens.keys.publicJwks());
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, { issuer: "https://as.example", audience: "https://as.example", typ: "at+jwt" });
    expect(protectedHeader).toEqual({ alg: "ES256", typ: "at+jwt", kid: "k1" });
    expect(payload).toMatchObject({ sub: "alice", scope: "me items", client_id: "demo-app", iss: "https://as.example", aud: "https://as.example" });
    expect(payload.scopes).toBeUndefined();
    expect(await tokens.verify(accessToken)).toMatchObject({ ok: true, claims: { scopes: ["me", "items"] } });
    await tokens.close();
  });

  it.each([
    [{ signing: { alg: "none", secret: "x" } }, /keys\.signing\.alg must be one of/],
    [{ signing: { alg: "HS256", secret: "x".repeat(31) } }, /keys\.signing\.secret has 31 bytes; HS256 needs at least 32 \(RFC 7518 §3\.2\)/],
    [{ signing: { alg: "HS384", secret: SECRET } }, /HS384 needs at least 48/],
    [{ signing: { alg: "HS256", secret: SECRET }, verification: [{ alg: "HS512", secret: new Uint8Array(32) }] }, /keys\.verification\[0\]\.secret has 32 bytes; HS512 needs at least 64/],
    [{ signing: { alg: "HS256" } }, /keys\.signing\.secret is required for HS256/],
    [{ signing: { alg: "RS256" } }, /keys\.signing\.privateKey is required for RS256/],
    [{ signing: { alg: "RS256", privateKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey } }, /keys\.signing: a ec key cannot be used with RS256/],
    [{ signing: { kid: "a", alg: "HS256", secret: SECRET }, verification: [{ kid: "a", alg: "HS256", secret: SECRET }] }, /two keys share the kid "a"/],
  ])("misconfiguration is a TypeError naming the option (%#)", (options, message) => {
    expect(() => new KeySet(options as never)).toThrow(TypeError);
    expect(() => new KeySet(options as never)).toThrow(message);
  });
});
