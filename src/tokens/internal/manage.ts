/**
 * @module
 * Revoking (one token by itself or by id, a login session, every token of a subject) and listing a
 * subject's live tokens. Each revocation is enforced in this instance at once and resolves only once the
 * store has it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { revocationExpiry } from "../claims.ts";
import { parseRecord, type Clock, type TokenRecord } from "../types.ts";
import { millis } from "./clock.ts";
import type { Ledger } from "./ledger.ts";
import type { PersonalTokens } from "./personal.ts";
import type { RefreshTokens } from "./refresh.ts";
import type { TokenVerifier } from "./verifier.ts";

export interface ManagerParts {
  readonly ledger: Ledger;
  readonly verifier: TokenVerifier;
  readonly refresh: RefreshTokens;
  readonly personal: PersonalTokens;
  readonly now: Clock;
  /** How long a subject's revocation is kept: the longest lifetime of a token, plus leeway; `null` (for good) while tokens without expiry can be issued. */
  readonly subjectTtlMs: number | null;
}

/** Revokes and lists the tokens of the service's store. */
export class TokenManager {
  readonly #ledger: Ledger;
  readonly #verifier: TokenVerifier;
  readonly #refresh: RefreshTokens;
  readonly #personal: PersonalTokens;
  readonly #now: Clock;
  readonly #subjectTtlMs: number | null;

  constructor(parts: ManagerParts) {
    ({ ledger: this.#ledger, verifier: this.#verifier, refresh: this.#refresh, personal: this.#personal, now: this.#now, subjectTtlMs: this.#subjectTtlMs } = parts);
  }

  /**
   * Revoke the token presented: an access or personal JWT by its `jti`, a refresh token with its whole
   * family. Resolves `false` when the token is unknown, already expired or not signed by a known key.
   */
  async revokeToken(token: string): Promise<boolean> {
    const target = await this.#target(token);
    if (!target) return false;
    await target.revoke();
    return true;
  }

  /**
   * RFC 7009 §2.1: revoke the token only if it was issued to `client` (`null`: no client, or an anonymous
   * one). `"unknown"` for a token that is unknown, expired or not ours; `"other-client"` leaves it alone.
   */
  async revokeClientToken(token: string, client: string | null): Promise<"revoked" | "unknown" | "other-client"> {
    const target = await this.#target(token);
    if (!target) return "unknown";
    if (target.client !== client) return "other-client";
    await target.revoke();
    return "revoked";
  }

  /** What presenting `token` would revoke, and the client it was issued to; `undefined` when unknown or expired. */
  async #target(token: string): Promise<{ client: string | null; revoke: () => Promise<void> } | undefined> {
    if (this.#personal.owns(token)) {
      // A personal token is given to an app by hand, not issued to a client: holding it is enough.
      const record = await this.#personal.find(token);
      return record && { client: null, revoke: () => this.#revokeRecord(record) };
    }
    if (token.split(".").length === 3) {
      const inspected = await this.#verifier.inspect(token);
      if (!inspected?.current) return undefined;
      const { jti, exp, client_id } = inspected.claims;
      return { client: client_id ?? null, revoke: () => this.#revokeJwt(jti, exp === undefined ? null : exp * 1000) };
    }
    const record = await this.#refresh.find(token);
    if (!record) return undefined;
    return { client: record.client ?? null, revoke: () => this.#refresh.revokeFamily(record) };
  }

  /**
   * Revoke a token by its id as {@link listTokens} shows it; with `subject`, only one of that subject's.
   * A refresh token's id is its family's: revoking it ends the login session.
   */
  async revokeById(id: string, subject?: string): Promise<boolean> {
    const record = subject === undefined ? parseRecord(await this.#ledger.use((store) => store.find(id))) : (await this.#records(subject)).find((r) => r.id === id);
    if (!record) return false;
    await this.#revokeRecord(record);
    return true;
  }

  /**
   * Revoke every token of `subject` that began until now: one not-before entry, whatever the number of
   * tokens (issue 13 item 6). It holds to the millisecond (token and family ids carry their time), and a
   * login session begun before it is revoked whole, so a refresh rotated meanwhile is revoked too (item 2).
   * It resolves only once the clock has passed the not-before, so that a login right after it works.
   */
  async revokeSubject(subject: string): Promise<void> {
    const notBefore = millis(this.#now);
    await this.#ledger.revoke({ type: "subject", id: subject, at: notBefore, expiresAt: this.#subjectTtlMs === null ? null : notBefore + this.#subjectTtlMs });
    // A few real milliseconds at most: a fake clock that stands still is the test's to move.
    for (let waited = 0; waited < 20 && millis(this.#now) <= notBefore; waited++) await sleep(1);
  }

  /** The subject's tokens that still work (not expired, not revoked, refresh tokens not yet used), newest first. */
  async listTokens(subject: string): Promise<TokenRecord[]> {
    const now = millis(this.#now);
    const set = this.#ledger.set;
    const live = (await this.#records(subject)).filter((record) => {
      if (record.expiresAt !== null && record.expiresAt <= now) return false;
      if (record.kind === "refresh") return this.#refresh.isLive(record);
      const issuedAtMs = record.kind === "api" ? record.issuedAt : undefined; // a personal token's id says no time
      return !set.isRevoked({ jti: record.id, sub: record.subject, fam: record.family, iat: record.issuedAt / 1000, issuedAtMs });
    });
    return live.sort((a, b) => b.issuedAt - a.issuedAt);
  }

  /** Revoke one recorded token (a refresh token: its family). */
  #revokeRecord(record: TokenRecord): Promise<void> {
    if (record.kind === "refresh") return this.#refresh.revokeFamily(record);
    return this.#revokeJwt(record.id, record.expiresAt);
  }

  #revokeJwt(id: string, expiresAt: number | null): Promise<void> {
    return this.#ledger.revoke({ type: "token", id, at: millis(this.#now), expiresAt: revocationExpiry(expiresAt, this.#verifier.toleranceMs) });
  }

  async #records(subject: string): Promise<TokenRecord[]> {
    const stored = await this.#ledger.use((store) => store.findBySubject(subject));
    return stored.map(parseRecord).filter((record): record is TokenRecord => record !== undefined);
  }
}
