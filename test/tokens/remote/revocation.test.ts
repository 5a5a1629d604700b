/**
 * Local revocation of other issuers' tokens, on every store: a token oidc-provider still accepts is
 * refused here once revoked (by the token, or by the `jti` a principal shows) and by an instance started
 * later on the same store (SQLite, Redis); ids of two issuers never meet; a store that is down fails closed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRemoteVerifier, MemoryStore, SqliteStore, type RemoteVerifier, type TokenStore, type VerifyResult } from "gatehouse/tokens";
import { RedisStore } from "gatehouse/tokens/redis";
import { MACHINE_REDIS, REDIS_URL, redisPrefix, redisSkipReason } from "../support.ts";
import { RESOURCE_CLIENT, TestProvider } from "./provider.ts";

let provider: TestProvider;
let other: TestProvider;
beforeAll(async () => ([provider, other] = await Promise.all([TestProvider.start(), TestProvider.start()])));
afterAll(async () => Promise.all([provider.close(), other.close()]));

const redisSkip = await redisSkipReason();
const redis = redisPrefix("remote-revocation");
afterAll(() => redis.cleanup());

function verifierOn(store: TokenStore): RemoteVerifier {
  return createRemoteVerifier({
    issuers: [
      { issuer: provider.issuer, audience: "api", introspection: { clientId: RESOURCE_CLIENT.id, clientSecret: RESOURCE_CLIENT.secret } },
      { issuer: other.issuer, audience: "api" },
    ],
    store,
    retryMs: 20,
  });
}

const reasonOf = (result: VerifyResult) => (result.ok ? "accepted" : result.reason);

function expectRevoked(result: VerifyResult) {
  expect(result.ok).toBe(false);
  if (!result.ok) expect([result.reason, result.error.status, result.error.detail, result.error.headers]).toEqual(["revoked", 401, "Token has been revoked", { "WWW-Authenticate": 'Bearer error="invalid_token"' }]);
}

/** Two store objects on one database: a file, or a Redis prefix. */
const stores: [string, string | false, () => [TokenStore, TokenStore]][] = [
  ["SQLite", false, () => {
    const path = join(mkdtempSync(join(tmpdir(), "gatehouse-remote-")), "tokens.db");
    return [new SqliteStore(path), new SqliteStore(path)];
  }],
  ["Redis", redisSkip, () => [new RedisStore(REDIS_URL, { prefix: redis.prefix, ...MACHINE_REDIS }), new RedisStore(REDIS_URL, { prefix: redis.prefix, ...MACHINE_REDIS })]],
];

describe.each(stores)("on the %s store", (_name, skip, makeStores) => {
  it.skipIf(skip)("a revoked token of another issuer is refused here, and by an instance started afterwards", async () => {
    const [one, two] = makeStores();
    const a = verifierOn(one);
    let b: RemoteVerifier | undefined;
    try {
      await a.ready();
      const jwt = await provider.token();
      const opaque = await provider.token({ resource: "urn:gatehouse:opaque" });
      const kept = await provider.token();
      expect(await a.revokeToken(jwt)).toBe(true);
      expect(await a.revokeToken(opaque)).toBe(true);
      expectRevoked(await a.verify(jwt));
      expectRevoked(await a.verify(opaque));
      expect(reasonOf(await a.verify(kept))).toBe("accepted");
      // Durable once revokeToken resolved: a restart (or another instance) reads it from the store.
      b = verifierOn(two);
      await b.ready();
      expectRevoked(await b.verify(jwt));
      expectRevoked(await b.verify(opaque));
      expect(reasonOf(await b.verify(kept))).toBe("accepted");
    } finally {
      await a.close();
      await b?.close();
    }
  });
});

describe("revocation by id", () => {
  it("revokes the jti a principal shows, under its issuer only: another issuer's token with that jti still passes", async () => {
    const verifier = verifierOn(new MemoryStore());
    try {
      const mine = await provider.token();
      const { jti, exp } = decodeJwt(mine);
      const theirs = await other.sign({ ...decodeJwt(await other.token()), jti });
      expect(reasonOf(await verifier.verify(theirs))).toBe("accepted");
      await verifier.revokeById(jti!, { issuer: provider.issuer, expiresAt: exp! * 1000 });
      expectRevoked(await verifier.verify(mine));
      expect(reasonOf(await verifier.verify(theirs))).toBe("accepted");
      await expect(verifier.revokeById(jti!)).rejects.toMatchObject({ code: "GH_INVALID_OPTION" });
      expect(await verifier.revokeToken("not-a-token-of-anyone")).toBe(false);
    } finally {
      await verifier.close();
    }
  });

  it("fails closed while the store is down: a valid token gets 503, a forged one still 401", async () => {
    const store = new MemoryStore();
    const verifier = verifierOn(store);
    try {
      await verifier.ready();
      store.setAvailable(false);
      const down = await verifier.verify(await provider.token());
      expect(down.ok ? "accepted" : [down.reason, down.error.status, down.error.code]).toEqual(["unavailable", 503, "GH_STORE_UNAVAILABLE"]);
      expect(reasonOf(await verifier.verify(`${(await provider.token()).slice(0, -4)}AAAA`))).toBe("invalid");
    } finally {
      await verifier.close();
    }
  });
});
