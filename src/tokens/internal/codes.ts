/**
 * @module
 * Authorization codes (RFC 6749 §4.1, RFC 7636, OAuth 2.1 §4.1): opaque, stored only as their hash, valid
 * for a minute, single-use (the store's atomic `consume`), and bound to the client, the redirect URI and
 * the PKCE challenge. Each code names, before it is used, the family (grant) its tokens will belong to, so
 * that a code presented twice revokes every token issued from it (RFC 6749 §4.1.2).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { safeCompare } from "../../security/compare.ts";
import type { Clock, CodeGrant, CodeRedemption } from "../types.ts";
import { millis } from "./clock.ts";
import { opaqueToken, timeOrderedId, tokenHash } from "./ids.ts";
import type { Ledger } from "./ledger.ts";
import type { Family, RefreshTokens } from "./refresh.ts";

export type RedeemResult =
  | { readonly ok: true; readonly grant: CodeGrant; readonly family: Family }
  | { readonly ok: false; readonly reason: "invalid" | "reused" };

const CodeRecordSchema = z.object({
  subject: z.string(),
  kind: z.literal("code"),
  client: z.string(),
  scopes: z.array(z.string()),
  redirectUri: z.string(),
  redirectUriSent: z.boolean(),
  challenge: z.string(),
  authTime: z.number().optional(),
  family: z.string(),
  expiresAt: z.number(),
  consumed: z.number().optional(),
});

// RFC 7636 §4.1: code_verifier = 43*128unreserved.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface CodeOptions {
  readonly now: Clock;
  /** Lifetime of a code, seconds. OAuth 2.1 §4.1.2 recommends at most 10 minutes; default 60 s. */
  readonly ttl: number;
}

export class AuthorizationCodes {
  constructor(
    readonly ledger: Ledger,
    readonly refresh: RefreshTokens,
    readonly options: CodeOptions,
  ) {}

  /** Issue a code for `grant`; rejects with a 503 when the store cannot record it. */
  async issue(grant: CodeGrant): Promise<string> {
    const code = opaqueToken();
    const ttlMs = this.options.ttl * 1000;
    const now = millis(this.options.now);
    // The grant's family begins with the consent: a "revoke all" after it covers what the code will issue.
    const record = { ...grant, scopes: [...grant.scopes], kind: "code", family: timeOrderedId(now), expiresAt: now + ttlMs };
    await this.ledger.use((store) => store.save(codeKey(code), record, ttlMs));
    return code;
  }

  /**
   * Redeem a code: once, by its client, with its redirect URI and the PKCE verifier of its challenge. A code
   * used before revokes the family its first use started, and is refused.
   */
  async redeem(code: string, by: CodeRedemption): Promise<RedeemResult> {
    const parsed = CodeRecordSchema.safeParse(await this.ledger.use((store) => store.find(codeKey(code))));
    if (!parsed.success || parsed.data.expiresAt <= millis(this.options.now)) return { ok: false, reason: "invalid" };
    const record = parsed.data;
    const family = this.refresh.newFamily(record.family);
    if (record.consumed !== undefined) return this.#reused(family);
    // RFC 6749 §4.1.3: issued to this client; the same redirect URI, required if the authorization request
    // named one; RFC 7636 §4.6: the verifier matches.
    const redirectMatches = by.redirectUri === null ? !record.redirectUriSent : by.redirectUri === record.redirectUri;
    if (record.client !== by.client || !redirectMatches || !pkceMatches(by.verifier, record.challenge)) return { ok: false, reason: "invalid" };
    if (!(await this.ledger.use((store) => store.consume(codeKey(code))))) return this.#reused(family);
    const { subject, client, scopes, redirectUri, redirectUriSent, challenge, authTime } = record;
    return { ok: true, family, grant: { subject, client, scopes, redirectUri, redirectUriSent, challenge, ...(authTime !== undefined ? { authTime } : {}) } };
  }

  async #reused(family: Family): Promise<RedeemResult> {
    // RFC 6749 §4.1.2: "SHOULD revoke (when possible) all tokens previously issued based on that authorization code".
    await this.refresh.revokeFamilyOf(family);
    return { ok: false, reason: "reused" };
  }
}

/** Kept apart from token records (a hash or a `jti`, never with a colon). */
function codeKey(code: string): string {
  return `code:${tokenHash(code)}`;
}

/** RFC 7636 §4.6, S256: BASE64URL(SHA256(verifier)) equals the challenge, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  return safeCompare(createHash("sha256").update(verifier, "ascii").digest("base64url"), challenge);
}
