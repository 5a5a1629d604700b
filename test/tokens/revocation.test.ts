import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../src/tokens/internal/ids.ts";
import { RevocationSet } from "../../src/tokens/internal/revocation.ts";

const T0 = Date.UTC(2030, 0, 1);
const token = (extra: Partial<{ jti: string; sub: string; fam: string; iat: number }> = {}) => ({ jti: "j1", sub: "alice", iat: T0 / 1000, ...extra });

describe("RevocationSet", () => {
  it("revokes one token by id, and only that one", () => {
    const set = new RevocationSet();
    set.add({ type: "token", id: "j1", at: T0, expiresAt: T0 + 60_000 });
    expect(set.isRevoked(token())).toBe(true);
    expect(set.isRevoked(token({ jti: "j2" }))).toBe(false);
  });

  it("revokes every token of a family", () => {
    const set = new RevocationSet();
    set.add({ type: "family", id: "f1", at: T0, expiresAt: T0 + 60_000 });
    expect(set.isRevoked(token({ fam: "f1" }))).toBe(true);
    expect(set.isRevoked(token({ fam: "f2" }))).toBe(false);
    expect(set.isRevoked(token())).toBe(false);
  });

  it("revokes a subject's tokens begun at or before the not-before, to the millisecond when their ids say", () => {
    const set = new RevocationSet();
    const T = T0 + 500;
    set.add({ type: "subject", id: "alice", at: T, expiresAt: T0 + 60_000 });
    const second = T0 / 1000;
    // Ids without a time (FastAPI's tokens, older versions): the iat second counts, so the same second is revoked.
    expect(set.isRevoked(token({ iat: second - 1 }))).toBe(true);
    expect(set.isRevoked(token({ iat: second }))).toBe(true);
    expect(set.isRevoked(token({ iat: second + 1 }))).toBe(false);
    expect(set.isRevoked({ jti: "x", sub: "alice" })).toBe(true);
    expect(set.isRevoked(token({ sub: "bob", iat: 0 }))).toBe(false);
    // UUIDv7 ids: the millisecond, within the iat second.
    expect(set.isRevoked(token({ jti: timeOrderedId(T), iat: second }))).toBe(true);
    expect(set.isRevoked(token({ jti: timeOrderedId(T + 1), iat: second }))).toBe(false);
    // A token of a login session began when the session did: rotated after the not-before, still revoked.
    expect(set.isRevoked(token({ jti: timeOrderedId(T + 400), fam: timeOrderedId(T - 100), iat: second }))).toBe(true);
    expect(set.isRevoked(token({ jti: timeOrderedId(T + 400), fam: timeOrderedId(T + 1), iat: second }))).toBe(false);
    // An id cannot claim a time later than its iat second allows.
    expect(set.isRevoked(token({ jti: timeOrderedId(T0 + 86_400_000), iat: second - 1 }))).toBe(true);
  });

  it("keeps the later not-before of a subject", () => {
    const set = new RevocationSet();
    set.add({ type: "subject", id: "alice", at: T0 + 5000, expiresAt: T0 + 60_000 });
    set.add({ type: "subject", id: "alice", at: T0, expiresAt: T0 + 60_000 });
    expect(set.subjectNotBefore("alice")).toBe(T0 + 5000);
  });

  it("drops entries once they expire, keeps those that have not and those without expiry", () => {
    const set = new RevocationSet();
    set.add({ type: "token", id: "soon", at: T0, expiresAt: T0 + 1000 });
    set.add({ type: "family", id: "soon-f", at: T0, expiresAt: T0 + 1000 });
    set.add({ type: "subject", id: "alice", at: T0, expiresAt: T0 + 1000 });
    set.add({ type: "token", id: "later", at: T0, expiresAt: T0 + 3_600_000 });
    set.add({ type: "token", id: "never", at: T0, expiresAt: null });
    expect(set.size).toBe(5);
    expect(set.sweep(T0 + 999)).toBe(0);
    expect(set.sweep(T0 + 1000)).toBe(3);
    expect(set.hasToken("soon")).toBe(false);
    expect(set.hasFamily("soon-f")).toBe(false);
    expect(set.subjectNotBefore("alice")).toBeUndefined();
    expect(set.sweep(T0 + 3_600_000)).toBe(1);
    expect(set.sweep(T0 + 10 * 365 * 86_400_000)).toBe(0);
    expect(set.hasToken("never")).toBe(true);
  });

  it("an entry whose expiry was extended survives the sweep of its first expiry", () => {
    const set = new RevocationSet();
    set.add({ type: "token", id: "j", at: T0, expiresAt: T0 + 1000 });
    set.add({ type: "token", id: "j", at: T0, expiresAt: T0 + 100_000 });
    expect(set.sweep(T0 + 50_000)).toBe(0);
    expect(set.hasToken("j")).toBe(true);
    expect(set.sweep(T0 + 100_000)).toBe(1);
  });

  it("an entry expiring later within the current bucket is swept on a later pass (no endless loop)", () => {
    const set = new RevocationSet();
    set.add({ type: "token", id: "a", at: T0, expiresAt: T0 + 5 });
    set.add({ type: "token", id: "b", at: T0, expiresAt: T0 + 9 });
    expect(set.sweep(T0 + 6)).toBe(1);
    expect(set.hasToken("b")).toBe(true);
    expect(set.sweep(T0 + 9)).toBe(1);
    expect(set.size).toBe(0);
  });
});
