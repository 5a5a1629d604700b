import { afterEach, describe, expect, it } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { fakeClock, SECRET } from "./support.ts";

let tokens: TokenService;
let store: MemoryStore;
afterEach(() => tokens?.close());

function service(clock = fakeClock()) {
  store = new MemoryStore({ now: clock.now });
  tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, now: clock.now, accessTokenTtl: 600, sweepIntervalMs: 0, onStateChange: () => {}, allowNonExpiringApiTokens: true });
  return tokens;
}

describe("revocation", () => {
  it("revoke-all of a subject refuses all its tokens (this very second's and non-expiring ones too), not others'", async () => {
    const clock = fakeClock();
    service(clock);
    const old = await tokens.login({ subject: "alice", scopes: [] });
    clock.advance(2000);
    const sameSecond = await tokens.login({ subject: "alice", scopes: [] });
    const forever = await tokens.issueApiToken({ subject: "alice", scopes: [], ttl: null });
    const bob = await tokens.login({ subject: "bob", scopes: [] });
    await tokens.revokeSubject("alice");
    for (const token of [old.accessToken, sameSecond.accessToken, forever.token]) {
      expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "revoked" });
    }
    expect(await tokens.refreshTokens(sameSecond.refreshToken)).toEqual({ ok: false, reason: "invalid" });
    expect((await tokens.verify(bob.accessToken)).ok).toBe(true);
    // Logging in again right after works, even within the same second (the fake clock moves only when told).
    clock.advance(1);
    const fresh = await tokens.login({ subject: "alice", scopes: [] });
    expect((await tokens.verify(fresh.accessToken)).ok).toBe(true);
    // The non-expiring token stays revoked after the subject's entry is long gone.
    clock.advance(400 * 86_400_000);
    tokens.sweep();
    expect(await tokens.verify(forever.token)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("lists live tokens and revokes one by id; a refresh token's id ends its whole session", async () => {
    service();
    const login = await tokens.login({ subject: "alice", scopes: ["me"] });
    const api = await tokens.issueApiToken({ subject: "alice", scopes: ["me"], name: "backup script" });
    const listed = await tokens.listTokens("alice");
    expect(listed.map((r) => r.kind).sort()).toEqual(["access", "api", "refresh"]);
    expect(listed.find((r) => r.kind === "api")).toMatchObject({ id: api.record.id, name: "backup script", scopes: ["me"] });

    expect(await tokens.revokeById(api.record.id, "bob")).toBe(false); // not bob's
    expect(await tokens.revokeById(api.record.id, "alice")).toBe(true);
    expect(await tokens.verify(api.token)).toMatchObject({ reason: "revoked" });

    const session = listed.find((r) => r.kind === "refresh")!;
    expect(await tokens.revokeById(session.id, "alice")).toBe(true);
    expect(await tokens.verify(login.accessToken)).toMatchObject({ reason: "revoked" });
    expect(await tokens.listTokens("alice")).toEqual([]);
  });

  it("revoking an unknown, forged or expired token changes nothing", async () => {
    const clock = fakeClock();
    service(clock);
    expect(await tokens.revokeToken("unknown")).toBe(false);
    expect(await tokens.revokeToken("e30.e30.sig")).toBe(false);
    const { accessToken } = await tokens.login({ subject: "alice", scopes: [] });
    clock.advance(3600_000);
    expect(await tokens.revokeToken(accessToken)).toBe(false);
    expect(await store.revocations()).toEqual([]);
  });

  it("entries are dropped from memory and store once the tokens they concern have expired", async () => {
    const clock = fakeClock();
    service(clock);
    const a = await tokens.login({ subject: "alice", scopes: [] });
    await tokens.revokeToken(a.accessToken); // token entry: until exp + leeway
    await tokens.revokeToken(a.refreshToken); // family entry: until the family ends
    await tokens.revokeSubject("bob"); // subject entry: for good, as personal tokens may never expire
    expect(tokens.revocationsHeld).toBe(3);
    clock.advance(600_000 + 5000);
    expect(tokens.sweep()).toBe(1);
    expect((await store.revocations()).map((e) => e.type).sort()).toEqual(["family", "subject"]);
    clock.advance(30 * 86_400_000);
    expect(tokens.sweep()).toBe(1);
    clock.advance(365 * 86_400_000);
    expect(tokens.sweep()).toBe(0);
    expect(tokens.revocationsHeld).toBe(1);
    expect((await store.revocations()).map((e) => e.type)).toEqual(["subject"]);
  });
});
