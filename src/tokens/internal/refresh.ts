/**
 * @module
 * Refresh tokens: opaque random strings, stored only as their SHA-256, rotated on every use. Each login
 * starts a family; every rotation hands out the family's next token and marks the used one consumed.
 * Presenting a consumed token again means it was copied: the whole family is revoked, access tokens
 * included (OAuth 2.0 Security BCP, RFC 9700 §4.14.2) — except for a retry inside the grace window, which
 * gets the successor pair it already caused (`grace.ts`), as long as that successor has not been used.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { opaqueToken, timeOrderedId, tokenHash } from "./ids.ts";
import type { Ledger } from "./ledger.ts";
import { revocationExpiry } from "../claims.ts";
import { parseRecord, type Clock, type Family, type TokenRecord } from "../types.ts";

export type { Family } from "../types.ts";
import { millis } from "./clock.ts";
import { findSuccessor, keepSuccessor, type SealedPair } from "./grace.ts";

export interface RefreshOptions {
  readonly now: Clock;
  /** Lifetime of one refresh token, in seconds. */
  readonly refreshTokenTtl: number;
  /** Lifetime of a family (a login session), in seconds, whatever the rotations. */
  readonly familyTtl: number;
  /** Added to a family's revocation so that it outlives its tokens' leeway, in ms. */
  readonly toleranceMs: number;
  /** How long after a rotation a retry of the same token gets the same successor pair, in ms; 0: never. */
  readonly graceMs: number;
}


/** A first use (`record`: issue the successors), a retry inside the grace window (`retried`: the same successors), or a refusal. */
export type RotateResult =
  | { readonly ok: true; readonly record: TokenRecord; readonly retried?: undefined }
  | { readonly ok: true; readonly record: TokenRecord; readonly retried: SealedPair }
  | { readonly ok: false; readonly reason: "invalid" | "reused" | "scope" };

/** How long a retry that lost the race waits for the winner to keep its successor pair, at most, ms. */
const RACE_WAIT_MS = 2000;
const RACE_POLL_MS = 20;

export class RefreshTokens {
  constructor(
    readonly ledger: Ledger,
    readonly options: RefreshOptions,
  ) {}

  /**
   * A new family, for a new login; its id carries when the login happened (see ids.ts). An authorization
   * code chooses its family's id when the user consents (so a reused code can revoke it, and a "revoke
   * all" after the consent covers it).
   */
  newFamily(id?: string): Family {
    const now = millis(this.options.now);
    return { id: id ?? timeOrderedId(now), expiresAt: now + this.options.familyTtl * 1000 };
  }

  /** Issue the family's next refresh token and record its hash. */
  async issue(request: { subject: string; scopes: readonly string[]; family: Family; client: string | null; authTime?: number }): Promise<{ token: string; record: TokenRecord }> {
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
      // The login's time, carried by every rotation: refreshing is not entering the password again.
      ...(request.authTime !== undefined ? { authTime: request.authTime } : {}),
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
    const retried = await this.#retried(token);
    if (retried) return { ok: true, record, retried };
    await this.revokeFamily(record);
    return { ok: false, reason: "reused" };
  }

  /** After a first use: keep the successor pair for a retry inside the grace window. */
  async keepSuccessor(token: string, record: TokenRecord, pair: SealedPair): Promise<void> {
    if (this.options.graceMs <= 0) return;
    await this.ledger.use((store) => keepSuccessor(store, token, record.subject, pair, this.options.graceMs));
  }

  /**
   * The successor pair of a token used before, when this is a retry inside the grace window: the token was
   * consumed less than `graceMs` ago and its successor is still unused. An older generation (its
   * successor already rotated) gets nothing, and so revokes the family.
   */
  async #retried(token: string): Promise<SealedPair | undefined> {
    const { graceMs, now } = this.options;
    if (graceMs <= 0) return undefined;
    // Read again: a concurrent first use may have consumed it after our read.
    const consumed = (await this.find(token))?.consumed;
    if (consumed === undefined || millis(now) - consumed > graceMs) return undefined;
    // The winner of a concurrent rotation may still be issuing: wait for it, boundedly.
    const deadline = Date.now() + Math.min(RACE_WAIT_MS, graceMs);
    let kept = await this.ledger.use((store) => findSuccessor(store, token));
    while (!kept && Date.now() < deadline) {
      await sleep(RACE_POLL_MS);
      kept = await this.ledger.use((store) => findSuccessor(store, token));
    }
    if (!kept) return undefined;
    const successor = parseRecord(await this.ledger.use((store) => store.find(kept.successorKey)));
    return successor && this.isLive(successor) ? kept.pair : undefined;
  }

  /** Revoke the family of a refresh token record: every refresh and access token of that login. */
  revokeFamily(record: TokenRecord): Promise<void> {
    return this.revokeFamilyOf(this.familyOf(record));
  }

  /** Revoke a family: every refresh and access token of that login (or of that authorization). */
  revokeFamilyOf(family: Family): Promise<void> {
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
