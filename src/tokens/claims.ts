/**
 * @module
 * What a verified access token is, in one place: its claims with their types checked and its scopes
 * normalised, and the two lifetimes derived from it — `expires_in` (RFC 6749 §5.1) and how long its
 * revocation must be kept. The routes (`bearerPrincipal`), `/introspect`, `/revoke`, the user's token
 * routes and every grant read a token through this module, so they cannot disagree about one.
 */
import type { JWTPayload } from "jose";
import type { HTTPException } from "../core/errors.ts";
import { tokenHash } from "./internal/ids.ts";

/** The claims of an access token that passed verification. */
export interface AccessClaims {
  readonly sub: string;
  /** `jti`, or a hash of the token's signed part when it has none (FastAPI's tokens), so that it can be revoked too. */
  readonly jti: string;
  /**
   * The scopes it grants: the seed's `scopes` list, RFC 9068's space-separated `scope`, and the `scp`
   * some providers send (a list or a string), merged in that order, without repeats.
   */
  readonly scopes: readonly string[];
  readonly iat?: number;
  readonly exp?: number;
  readonly nbf?: number;
  /** The refresh family (login session) the token belongs to. */
  readonly fam?: string;
  /** RFC 9068 §2.2: the client the token was issued to. */
  readonly client_id?: string;
  /** When the user last entered their password (epoch seconds; RFC 9470, OIDC `auth_time`). */
  readonly auth_time?: number;
  /** `"personal"` for a personal (API) token, which may never mint or manage tokens; absent for a JWT. */
  readonly token_kind?: "personal";
  /** Every other claim, as sent. */
  readonly [claim: string]: unknown;
}

/** Why a token was refused: `unavailable` means the store is down, so the answer is a 503, not a 401. */
export type VerifyFailure = "invalid" | "expired" | "revoked" | "unavailable";

export type VerifyResult =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: VerifyFailure; /** The answer to send: 401 `invalid_token` or 503. */ readonly error: HTTPException };

/** Anything that verifies bearer tokens for `bearerPrincipal`: the local `TokenService`, a `RemoteVerifier`, your own. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifyResult>;
  /** Resolves once it can answer (its store read, its issuers' keys fetched); the app awaits it at start-up. */
  ready?(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/**
 * The claims of a token whose signature checked out, or `undefined` when a claim has the wrong type: a
 * token the routes would refuse is refused everywhere, `/introspect` included.
 */
export function claimsFrom(payload: JWTPayload, token: string): AccessClaims | undefined {
  const { sub, jti, iat, exp, nbf, fam, client_id, auth_time, token_kind } = payload;
  if (typeof sub !== "string") return undefined;
  if (!optional(jti, "string") || !optional(fam, "string") || !optional(client_id, "string")) return undefined;
  if (!optional(iat, "number") || !optional(exp, "number") || !optional(nbf, "number") || !optional(auth_time, "number")) return undefined;
  // Only the personal token store says a token is personal; a JWT claiming it is malformed.
  if (token_kind !== undefined) return undefined;
  const scopes = scopesFrom(payload);
  if (scopes === undefined) return undefined;
  const normalised = { sub, jti: jti ?? tokenHash(signedPart(token)), scopes };
  // Object.assign, not a spread: V8 gives every spread of a JSON.parse result a map of its own, which made
  // each token's claims a new shape and every read of them (revocation check, scopes) megamorphic, about
  // 15× slower. Only a claim named `__proto__` would reach Object.assign's setter: that token keeps the spread.
  const claims = Object.hasOwn(payload, "__proto__") ? { ...payload, ...normalised } : Object.assign({}, payload, normalised);
  return Object.freeze(claims) as AccessClaims;
}

/**
 * What a JWS signature covers (RFC 7515 §5.2's signing input, `header.payload`): the id of a token without
 * `jti`. Not the whole text, whose signature has other valid spellings — ECDSA's `(r, n − s)` verifies as
 * well as `(r, s)` — so that revoking a token revokes every spelling of it.
 */
function signedPart(token: string): string {
  return token.slice(0, token.lastIndexOf("."));
}

function optional(value: unknown, type: "string" | "number"): boolean {
  return value === undefined || typeof value === type;
}

/** The granted scopes, or `undefined` when a scope claim has the wrong type. */
function scopesFrom(payload: JWTPayload): readonly string[] | undefined {
  const { scopes, scope, scp } = payload;
  if (scopes === undefined && scope === undefined && scp === undefined) return NO_SCOPES;
  // The seed's claim alone, as every token gatehouse issues carries it: no set to build unless it repeats one.
  if (scope === undefined && scp === undefined && isStringList(scopes) && !hasRepeats(scopes)) return Object.freeze(scopes.slice());
  const merged = new Set<string>();
  // The seed's claim: a list only.
  if (isStringList(scopes)) scopes.forEach((s) => merged.add(s));
  else if (scopes !== undefined) return undefined;
  // RFC 9068 §2.2.3: a string only.
  if (typeof scope === "string") splitScope(scope).forEach((s) => merged.add(s));
  else if (scope !== undefined) return undefined;
  // Okta sends a list, Entra ID a string.
  if (isStringList(scp)) scp.forEach((s) => merged.add(s));
  else if (typeof scp === "string") splitScope(scp).forEach((s) => merged.add(s));
  else if (scp !== undefined) return undefined;
  return Object.freeze([...merged]);
}

const NO_SCOPES: readonly string[] = Object.freeze([]);

function hasRepeats(list: readonly string[]): boolean {
  if (list.length > 16) return new Set(list).size < list.length;
  for (let i = 1; i < list.length; i++) if (list.lastIndexOf(list[i]!, i - 1) !== -1) return true;
  return false;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * RFC 6749 §3.3: a scope is a list of space-delimited, case-sensitive strings. Split at any white space, as
 * FastAPI's `scope.split()` does: a scope-token contains none, so the two agree on every valid scope.
 */
export function splitScope(scope: string): string[] {
  return scope.split(/\s+/).filter(Boolean);
}

/** RFC 6749 §5.1 `expires_in`: the access token's lifetime in seconds (times in epoch ms), `undefined` for one that never expires. */
export function expiresIn(token: { readonly issuedAt: number; readonly expiresAt: number | null }): number | undefined {
  return token.expiresAt === null ? undefined : Math.max(0, Math.round((token.expiresAt - token.issuedAt) / 1000));
}

/**
 * How long a revocation must be kept (epoch ms; `null`: for good). A token is accepted until its expiry
 * plus the clock leeway, so its revocation must last that long too.
 */
export function revocationExpiry(expiresAt: number | null, leewayMs: number): number | null {
  return expiresAt === null ? null : expiresAt + leewayMs;
}
