/**
 * @module
 * Refresh tokens: opaque random strings, stored only as their SHA-256, rotated on every use. Each login
 * starts a family; every rotation hands out the family's next token and marks the used one consumed.
 * Presenting a consumed token again means it was copied: the whole family is revoked, access tokens
 * included (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 */
import { opaqueToken, timeOrderedId, tokenHash } from "./ids.ts";
import type { Ledger } from "./ledger.ts";
import { revocationExpiry } from "../claims.ts";
import { parseRecord, type Clock, type TokenRecord } from "../types.ts";
import { millis } from "./clock.ts";

export interface RefreshOptions {
  readonly now: Clock;
  /** Lifetime of one refresh token, in seconds. */
  readonly refreshTokenTtl: number;
  /** Lifetime of a family (a login session), in seconds, whatever the rotations. */
  readonly familyTtl: number;
  /** Added to a family's revocation so that it outlives its tokens' leeway, in ms. */
  readonly toleranceMs: number;
}

/** A family: its id and when it ends (epoch ms). */
export interface Family {
  readonly id: string;
  readonly expiresAt: number;
}

export type RotateResult = { readonly ok: true; readonly record: TokenRecord } | { readonly ok: false; readonly reason: "invalid" | "reused" | "scope" };

export class RefreshTokens {
  constructor(
    readonly ledger: Ledger,
    readonly options: RefreshOptions,
  ) {}

  /** A new family, for a new login; its id carries when the login happened (see ids.ts). */
  newFamily(): Family {
    const now = millis(this.options.now);
    return { id: timeOrderedId(now), expiresAt: now + this.options.familyTtl * 1000 };
  }

  /** Issue the family's next refresh token and record its hash. */
  async issue(request: { subject: string; scopes: readonly string[]; family: Family; client: string | null }): Promise<{ token: string; record: TokenRecord }> {
    const now = millis(this.options.now);
    const expiresAt = Math.min(now + this.options.refreshTokenTtl * 1000, request.family.expiresAt);
    const token = opaqueToken();
    const record: TokenRecord = {
      id: request.family.id,
      subject: request.subject,
      kind: "refresh",
      scopes: [...request.scopes],
      issuedAt: now,
      expiresAt,
      family: request.family.id,
      familyExpiresAt: request.family.expiresAt,
      client: request.client,
    };
    await this.ledger.use((store) => store.save(tokenHash(token), record, expiresAt - now));
    return { token, record };
  }

  /** The record of a refresh token (consumed or not), or `undefined` when unknown or expired. */
  async find(token: string): Promise<TokenRecord | undefined> {
    const stored = await this.ledger.use((store) => store.find(tokenHash(token)));
    const record = parseRecord(stored);
    if (record?.kind !== "refresh") return undefined;
    return record.expiresAt !== null && record.expiresAt <= millis(this.options.now) ? undefined : record;
  }

  /** Whether a refresh token record is still usable: not consumed, not revoked. */
  isLive(record: TokenRecord): boolean {
    return record.consumed === undefined && !this.ledger.set.isRevoked(refreshView(record));
  }

  /**
   * Use a refresh token: on success it is consumed and the caller issues the family's next tokens. A token
   * used a second time revokes its family. The token must come from the client it was issued to, and
   * `scopes` may only narrow the original grant (RFC 6749 §6); a refused request leaves the token unused.
   */
  async rotate(token: string, client: string | null, scopes: readonly string[] = []): Promise<RotateResult> {
    const record = await this.find(token);
    if (!record || (record.client ?? null) !== client || this.ledger.set.isRevoked(refreshView(record))) return { ok: false, reason: "invalid" };
    if (scopes.some((scope) => !record.scopes.includes(scope))) return { ok: false, reason: "scope" };
    const first = record.consumed === undefined && (await this.ledger.use((store) => store.consume(tokenHash(token))));
    if (first) return { ok: true, record };
    await this.revokeFamily(record);
    return { ok: false, reason: "reused" };
  }

  /** Revoke the family of a refresh token record: every refresh and access token of that login. */
  revokeFamily(record: TokenRecord): Promise<void> {
    const family = this.familyOf(record);
    return this.ledger.revoke({ type: "family", id: family.id, at: millis(this.options.now), expiresAt: revocationExpiry(family.expiresAt, this.options.toleranceMs) });
  }

  /** The family a refresh token record belongs to (records written before families had ids of their own are their own family). */
  familyOf(record: TokenRecord): Family {
    return { id: record.family ?? record.id, expiresAt: record.familyExpiresAt ?? record.expiresAt ?? millis(this.options.now) + this.options.familyTtl * 1000 };
  }
}

/** A refresh record as the revocation set sees a token: its family and issue time (no `jti` of its own). */
function refreshView(record: TokenRecord) {
  return { jti: "", sub: record.subject, fam: record.family ?? record.id, iat: record.issuedAt / 1000 };
}
