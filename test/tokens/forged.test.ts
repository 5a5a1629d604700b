/**
 * The forged-token matrix, through `tokens.verify` with the cache on and off: what an attacker sends is
 * refused whatever path it takes (the synchronous HMAC path, jose for the rest), and never enters the
 * verified-token cache, so that it can neither hit nor push out a genuine entry.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { fakeClock, SECRET } from "./support.ts";

const clock = fakeClock();
const now = clock.now() / 1000;
const secret = new TextEncoder().encode(SECRET);
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const hs = (header: unknown, payload: unknown, key: string | Uint8Array = secret, hash = "sha256") => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest("base64url")}`;
};
const claims = { sub: "alice", scopes: ["me"], exp: now + 600 };
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

const forged: [string, () => string | Promise<string>][] = [
  ["a wrong key", () => hs({ alg: "HS256" }, claims, "not the key, but of a plausible length too")],
  ["alg none", () => `${b64({ alg: "none" })}.${b64(claims)}.`],
  ...["None", "NONE", "nOnE"].map((alg): [string, () => string] => [`alg ${alg}`, () => `${b64({ alg })}.${b64(claims)}.`]),
  ["HS512 with our secret, HS256 only allowed", () => hs({ alg: "HS512" }, claims, secret, "sha512")],
  ["HS384 with our secret", () => hs({ alg: "HS384" }, claims, secret, "sha384")],
  ["an HS256 signature under an RS256 header (key confusion)", () => hs({ alg: "RS256" }, claims)],
  ["ES256 by a foreign key", () => new SignJWT(claims).setProtectedHeader({ alg: "ES256" }).sign(ec.privateKey)],
  ["RS256 by a foreign key", () => new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(rsa.privateKey)],
  ["a kid of no key", () => hs({ alg: "HS256", kid: "other" }, claims)],
  ["a kid that is not a string", () => hs({ alg: "HS256", kid: 1 }, claims)],
  ["an embedded jwk of the attacker's", () => hs({ alg: "HS256", jwk: { kty: "oct", k: b64("attacker") } }, claims, "attacker")],
  ["a jku to the attacker's keys", () => hs({ alg: "HS256", jku: "https://attacker.example/jwks" }, claims, "attacker")],
  ["crit naming an unknown extension", () => hs({ alg: "HS256", crit: ["exp"], exp: 1 }, claims)],
  ["crit that is not a list", () => hs({ alg: "HS256", crit: "b64", b64: true }, claims)],
  ["an unencoded payload (b64: false)", () => hs({ alg: "HS256", crit: ["b64"], b64: false }, claims)],
  ["a header that is not an object", () => hs(["HS256"], claims)],
  ["a payload that is not an object", () => hs({ alg: "HS256" }, ["alice"])],
  ["a payload that is not UTF-8", () => hs({ alg: "HS256" }, Buffer.from([0x7b, 0xff, 0x7d]).toString("latin1"))],
  ["expired", () => hs({ alg: "HS256" }, { ...claims, exp: now - 60 })],
  ["nbf in the future", () => hs({ alg: "HS256" }, { ...claims, nbf: now + 60 })],
  ["iat in the future", () => hs({ alg: "HS256" }, { ...claims, iat: now + 60 })],
  ["exp as a string", () => hs({ alg: "HS256" }, { ...claims, exp: String(now + 600) })],
  ["no sub", () => hs({ alg: "HS256" }, { scopes: ["me"], exp: now + 600 })],
  ["a sub that is not a string", () => hs({ alg: "HS256" }, { ...claims, sub: 42 })],
  ["scopes that are not a list", () => hs({ alg: "HS256" }, { ...claims, scopes: "me" })],
  ["a JWE (five segments)", () => "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aGVsbG8.d29ybGQ.dGFn"],
  ["a signature one character short", () => hs({ alg: "HS256" }, claims).slice(0, -1)],
  ["a signature in standard base64 (+ and /)", () => hs({ alg: "HS256" }, claims).replace(/[-_]/g, (c) => (c === "-" ? "+" : "/"))],
  ["1 MB of base64url", () => `${b64({ alg: "HS256" })}.${"A".repeat(1_000_000)}.${"A".repeat(43)}`],
  ["garbage", () => "not-a-jwt"],
  ["empty", () => ""],
];

let tokens: TokenService;
afterEach(() => tokens?.close());

describe.each([10_000, 0])("a forged token, cache size %i", (cacheSize) => {
  it.each(forged)("%s → refused, and not cached", async (name, make) => {
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: clock.now }), now: clock.now, sweepIntervalMs: 0, onStateChange: () => {}, cacheSize });
    const token = await make();
    const before = tokens.verifiedCache.stats.entries;
    for (let i = 0; i < 2; i++) {
      const result = await tokens.verify(token);
      expect(result).toMatchObject({ ok: false, reason: name === "expired" ? "expired" : "invalid" });
      if (!result.ok) expect([result.error.status, result.error.headers]).toEqual([401, { "WWW-Authenticate": 'Bearer error="invalid_token"' }]);
    }
    expect(tokens.verifiedCache.stats.entries).toBe(before);
    expect(tokens.verifiedCache.stats.hits).toBe(0);
  });
});

describe("the verified-token cache behind tokens.verify", () => {
  const service = (options: { cacheSize?: number; cacheBytes?: number } = {}) =>
    (tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: clock.now }), now: clock.now, sweepIntervalMs: 0, onStateChange: () => {}, ...options }));

  it("counts hits and misses; a genuine token enters on its second verification, and repeats are hits", async () => {
    service();
    const token = hs({ alg: "HS256" }, claims);
    for (let i = 0; i < 4; i++) expect((await tokens.verify(token)).ok).toBe(true);
    expect(tokens.verifiedCache.stats).toMatchObject({ hits: 2, misses: 2, entries: 1 });
  });

  it("distinct tokens seen once each never enter", async () => {
    service();
    for (let i = 0; i < 200; i++) expect((await tokens.verify(hs({ alg: "HS256" }, { ...claims, jti: String(i) }))).ok).toBe(true);
    expect(tokens.verifiedCache.stats).toMatchObject({ hits: 0, misses: 200, entries: 0 });
  });

  it("a flood of forgeries does not push out a genuine entry", async () => {
    service({ cacheSize: 2 });
    const genuine = hs({ alg: "HS256" }, claims);
    for (let i = 0; i < 2; i++) expect((await tokens.verify(genuine)).ok).toBe(true);
    for (let i = 0; i < 50; i++) await tokens.verify(hs({ alg: "HS256" }, { ...claims, jti: String(i) }, "a wrong key of no importance whatsoever"));
    expect(await tokens.verify(genuine)).toMatchObject({ ok: true });
    expect(tokens.verifiedCache.stats).toMatchObject({ entries: 1, hits: 1 });
  });

  it("a cached token is held to the time rules of a full check, the clock going back included", async () => {
    const local = fakeClock();
    const t = local.now() / 1000;
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: local.now }), now: local.now, sweepIntervalMs: 0, onStateChange: () => {} });
    const token = hs({ alg: "HS256" }, { sub: "alice", nbf: t, iat: t, exp: t + 60 });
    for (let seen = 0; seen < 2; seen++) expect((await tokens.verify(token)).ok).toBe(true);
    expect(tokens.verifiedCache.stats.entries).toBe(1);
    local.advance(-10_000); // before nbf and iat, beyond the 5 s leeway
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "invalid" });
    local.advance(10_000 + 65_000); // exp + 5 s: jose's bound is `exp <= now - leeway`
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("is bounded in bytes as well as in entries", async () => {
    service({ cacheSize: 1000, cacheBytes: 64 * 1024 });
    const padding = "p".repeat(4000);
    for (let i = 0; i < 40; i++) {
      const token = hs({ alg: "HS256" }, { ...claims, jti: String(i), padding });
      for (let seen = 0; seen < 2; seen++) expect(await tokens.verify(token)).toMatchObject({ ok: true });
    }
    const { entries, bytes } = tokens.verifiedCache.stats;
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(entries).toBeLessThan(40);
    expect(entries).toBeGreaterThan(0);
  });
});

describe("a service that signs with ES256 (the jose path)", () => {
  it("refuses HS256 signed with its public key as the secret (key confusion), and a foreign ES256 key", async () => {
    const own = generateKeyPairSync("ec", { namedCurve: "P-256" });
    tokens = createTokenService({ keys: { signing: { kid: "ec1", alg: "ES256", privateKey: own.privateKey } }, store: new MemoryStore({ now: clock.now }), now: clock.now, sweepIntervalMs: 0, onStateChange: () => {} });
    const pem = own.publicKey.export({ type: "spki", format: "pem" });
    const confused = hs({ alg: "HS256", kid: "ec1" }, claims, pem);
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "ec1" }).sign(ec.privateKey);
    const genuine = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "ec1" }).sign(own.privateKey);
    expect(await tokens.verify(confused)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await tokens.verify(foreign)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await tokens.verify(`${genuine}=`)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await tokens.verify(genuine)).toMatchObject({ ok: true, claims: { sub: "alice" } });
  });
});
