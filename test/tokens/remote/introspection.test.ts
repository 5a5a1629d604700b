/**
 * Opaque tokens of oidc-provider, checked at its RFC 7662 endpoint over real sockets: the answer is
 * remembered for a short while (counted at the provider), one question per token however many ask at once,
 * the audience is checked, a revocation at the provider is seen once the answer expires, an unreachable
 * provider is a 503 that is not remembered, and garbage is refused without asking.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRemoteVerifier, type RemoteVerifier, type RemoteVerifierOptions } from "gatehouse/tokens";
import { RESOURCE_CLIENT, TestProvider } from "./provider.ts";

const INTROSPECTION = "/token/introspection";
let provider: TestProvider;
let verifier: RemoteVerifier;
const errors: unknown[] = [];

function make(introspection: Partial<NonNullable<RemoteVerifierOptions["issuers"][number]["introspection"]>> = {}) {
  return createRemoteVerifier({
    issuers: [{ issuer: provider.issuer, audience: "api", introspection: { clientId: RESOURCE_CLIENT.id, clientSecret: RESOURCE_CLIENT.secret, ...introspection } }],
    timeoutMs: 300,
    now: () => Date.now(), // the faked Date
    onIssuerError: (_, error) => errors.push(error),
  });
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  provider = await TestProvider.start();
  verifier = make();
  errors.length = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  await verifier.close();
  await provider.close();
});

const opaque = (resource = "urn:gatehouse:opaque", scope?: string) => provider.token({ resource, ...(scope ? { scope } : {}) });

describe("opaque tokens by RFC 7662 introspection", () => {
  it("are accepted with the provider's answer: the client as subject, scopes normalised, remembered", async () => {
    const token = await opaque();
    expect(token.split(".")).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      const result = await verifier.verify(token);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.claims).toMatchObject({ sub: "svc", client_id: "svc", scopes: ["items:read", "items:write"], aud: "api", iss: provider.issuer });
    }
    expect(provider.count(INTROSPECTION)).toBe(1);
  });

  it("ask once for a token many requests carry at the same moment", async () => {
    const token = await opaque();
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(provider.count(INTROSPECTION)).toBe(1);
  });

  it("refuse a token for another audience, and strings that cannot be bearer tokens without asking", async () => {
    const other = await verifier.verify(await opaque("urn:gatehouse:opaque-other"));
    expect(other.ok ? "accepted" : [other.reason, other.error.status]).toEqual(["invalid", 401]);
    expect(provider.count(INTROSPECTION)).toBe(1);
    for (const garbage of ["not a token", "ünïcode", "a=b=c", "x".repeat(10) + "\n"]) expect((await verifier.verify(garbage)).ok).toBe(false);
    expect(provider.count(INTROSPECTION)).toBe(1);
  });

  it("see a revocation at the provider once the remembered answer expires (30 s)", async () => {
    const token = await opaque();
    expect((await verifier.verify(token)).ok).toBe(true);
    await provider.revoke(token);
    vi.setSystemTime(Date.now() + 10_000);
    expect((await verifier.verify(token)).ok).toBe(true);
    vi.setSystemTime(Date.now() + 21_000);
    const after = await verifier.verify(token);
    expect(after.ok ? "accepted" : after.reason).toBe("invalid");
    expect(provider.count(INTROSPECTION)).toBe(2);
  });

  it("answer 503 while the provider is unreachable, and ask again once it is back", async () => {
    const token = await opaque();
    provider.mode = "refuse";
    const down = await verifier.verify(token);
    expect(down.ok ? "accepted" : [down.reason, down.error.status, down.error.code]).toEqual(["unavailable", 503, "GH_ISSUER_UNAVAILABLE"]);
    provider.mode = "up";
    vi.setSystemTime(Date.now() + 6_000);
    expect((await verifier.verify(token)).ok).toBe(true);
  });

  it("answer 503, and say why, when the provider refuses our credentials", async () => {
    const wrong = make({ clientSecret: "not-the-secret" });
    try {
      const result = await wrong.verify(await opaque());
      expect(result.ok ? "accepted" : [result.reason, result.error.status]).toEqual(["unavailable", 503]);
      expect(String((result as { error: { cause: unknown } }).error.cause)).toContain("introspection answered 401");
    } finally {
      await wrong.close();
    }
  });

  it("still verify the provider's JWTs locally, without introspecting them", async () => {
    expect((await verifier.verify(await provider.token())).ok).toBe(true);
    expect(provider.count(INTROSPECTION)).toBe(0);
  });

  it("may be configured for one issuer only: an opaque token does not say whose it is", () => {
    const introspection = { clientId: "a", clientSecret: "b" };
    expect(() => createRemoteVerifier({ issuers: [{ issuer: "https://a.example", audience: "api", introspection }, { issuer: "https://b.example", audience: "api", introspection }] })).toThrow(
      /only one issuer may have `introspection`/,
    );
  });
});
