import { afterEach, describe, expect, it } from "vitest";
import { createTokenService, MemoryStore, type TokenService } from "gatehouse/tokens";
import { fakeClock, SECRET } from "./support.ts";

let tokens: TokenService;
afterEach(() => tokens?.close());

function service(clock = fakeClock(), options = {}) {
  tokens = createTokenService({
    keys: { signing: { alg: "HS256", secret: SECRET } },
    store: new MemoryStore({ now: clock.now }),
    now: clock.now,
    sweepIntervalMs: 0,
    onStateChange: () => {},
    ...options,
  });
  return tokens;
}

describe("refresh tokens", () => {
  it("are opaque and stored only as a hash", async () => {
    const store = new MemoryStore();
    tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store, sweepIntervalMs: 0, onStateChange: () => {} });
    const { refreshToken } = await tokens.login({ subject: "alice", scopes: ["me"] });
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.find(refreshToken)).toBeUndefined();
    const records = await store.findBySubject("alice");
    expect(JSON.stringify(records)).not.toContain(refreshToken);
  });

  it("rotate on every use: the new pair works, the family and scopes carry over", async () => {
    service();
    const first = await tokens.login({ subject: "alice", scopes: ["me", "items"] });
    const second = await tokens.refreshTokens(first.refreshToken);
    expect(second).toMatchObject({ ok: true, scopes: ["me", "items"], expiresIn: 900 });
    if (!second.ok) return;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const a = await tokens.verify(first.accessToken);
    const b = await tokens.verify(second.accessToken);
    expect(a.ok && b.ok && a.claims.fam === b.claims.fam).toBe(true);
    expect((await tokens.refreshTokens(second.refreshToken)).ok).toBe(true);
  });

  it("reuse of a used refresh token revokes the whole family, access tokens included", async () => {
    const clock = fakeClock();
    service(clock);
    const login = await tokens.login({ subject: "alice", scopes: ["me"] });
    const other = await tokens.login({ subject: "alice", scopes: ["me"] });
    const rotated = await tokens.refreshTokens(login.refreshToken);
    if (!rotated.ok) throw new Error("rotation failed");
    // Past the grace window, an attacker replays the stolen, already used token:
    clock.advance(10_001);
    expect(await tokens.refreshTokens(login.refreshToken)).toEqual({ ok: false, reason: "reused" });
    expect(await tokens.verify(login.accessToken)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await tokens.verify(rotated.accessToken)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await tokens.refreshTokens(rotated.refreshToken)).toEqual({ ok: false, reason: "invalid" });
    // Another login session of the same user is untouched.
    expect((await tokens.verify(other.accessToken)).ok).toBe(true);
    expect((await tokens.refreshTokens(other.refreshToken)).ok).toBe(true);
  });

  it("of two concurrent uses of one refresh token only one rotates; the other gets the same pair (grace window)", async () => {
    service();
    const login = await tokens.login({ subject: "alice", scopes: [] });
    const [a, b] = await Promise.all([tokens.refreshTokens(login.refreshToken), tokens.refreshTokens(login.refreshToken)]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toEqual(a);
  });

  it("without a grace window, the second of two concurrent uses counts as reuse", async () => {
    service(fakeClock(), { refreshGraceSeconds: 0 });
    const login = await tokens.login({ subject: "alice", scopes: [] });
    const results = await Promise.all([tokens.refreshTokens(login.refreshToken), tokens.refreshTokens(login.refreshToken)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
  });

  it("a retry inside the grace window gets the same successors; an older generation still revokes the family", async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ now: clock.now });
    service(clock, { store });
    const login = await tokens.login({ subject: "alice", scopes: ["me"] });
    const first = await tokens.refreshTokens(login.refreshToken);
    clock.advance(9_000);
    expect(await tokens.refreshTokens(login.refreshToken)).toEqual(first);
    if (!first.ok) throw new Error("rotation failed");
    // What the store keeps for the retry is sealed: the new tokens are not in it.
    const stored = JSON.stringify(await store.findBySubject("alice"));
    expect(stored).not.toContain(first.refreshToken);
    expect(stored).not.toContain(first.accessToken);
    const second = await tokens.refreshTokens(first.refreshToken);
    expect(second.ok).toBe(true);
    // The first token is now two generations old: its successor was used, so this is a replay.
    expect(await tokens.refreshTokens(login.refreshToken)).toEqual({ ok: false, reason: "reused" });
    if (!second.ok) throw new Error("rotation failed");
    expect(await tokens.verify(second.accessToken)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("is bound to the client it was issued to", async () => {
    service();
    const login = await tokens.login({ subject: "alice", scopes: [], client: "app" });
    expect(await tokens.refreshTokens(login.refreshToken, { client: null })).toEqual({ ok: false, reason: "invalid" });
    expect((await tokens.refreshTokens(login.refreshToken, { client: "app" })).ok).toBe(true);
  });

  it("may narrow the scopes, never widen them", async () => {
    service();
    const login = await tokens.login({ subject: "alice", scopes: ["me", "items"] });
    expect(await tokens.refreshTokens(login.refreshToken, { scopes: ["admin"] })).toEqual({ ok: false, reason: "scope" });
    const narrowed = await tokens.refreshTokens(login.refreshToken, { scopes: ["me"] });
    expect(narrowed).toMatchObject({ ok: true, scopes: ["me"] });
  });

  it("expire, and a family never outlives its absolute lifetime", async () => {
    const clock = fakeClock();
    service(clock, { refreshTokenTtl: 3600, refreshFamilyTtl: 5000, accessTokenTtl: 900 });
    const login = await tokens.login({ subject: "alice", scopes: [] });
    clock.advance(4_500_000);
    const late = await tokens.refreshTokens(login.refreshToken);
    expect(late).toEqual({ ok: false, reason: "invalid" }); // the refresh token itself expired after 3600 s
    const again = await tokens.login({ subject: "alice", scopes: [] });
    clock.advance(3_000_000);
    const near = await tokens.refreshTokens(again.refreshToken);
    expect(near).toMatchObject({ ok: true, expiresIn: 900 });
    clock.advance(1_900_000);
    if (!near.ok) return;
    const capped = await tokens.refreshTokens(near.refreshToken);
    // 4900 s into a 5000 s family: the access token gets the 100 s that are left.
    expect(capped).toMatchObject({ ok: true, expiresIn: 100 });
  });

  it("an unknown refresh token is invalid", async () => {
    service();
    expect(await tokens.refreshTokens("not-a-token")).toEqual({ ok: false, reason: "invalid" });
  });
});
