/**
 * @module
 * RFC 7662 introspection of an access, personal or refresh token: what `/introspect` answers. A JWT is
 * active exactly when `verify` accepts it, so a token the routes refuse is `active: false` here too.
 */
import type { VerifyResult } from "../claims.ts";
import type { Introspection } from "../types.ts";
import type { RefreshTokens } from "./refresh.ts";

/** What verifies an access token: the JWT verifier, or the personal tokens for one of theirs. */
interface AccessVerifier {
  verify(token: string): Promise<VerifyResult>;
  owns?(token: string): boolean;
}

const INACTIVE: Introspection = Object.freeze({ active: false });

/** Introspect `token`; rejects with a 503 while the store is down. */
export async function introspect(verifier: AccessVerifier, refresh: RefreshTokens, token: string): Promise<Introspection> {
  if (token.split(".").length === 3 || verifier.owns?.(token)) {
    const result = await verifier.verify(token);
    if (!result.ok) {
      if (result.reason === "unavailable") throw result.error;
      return INACTIVE;
    }
    const { sub, jti, exp, iat, scopes, client_id } = result.claims;
    return {
      active: true,
      token_type: "access_token",
      scope: scopes.join(" "),
      sub,
      username: sub,
      ...(client_id !== undefined ? { client_id } : {}),
      ...(exp !== undefined ? { exp } : {}),
      ...(iat !== undefined ? { iat } : {}),
      jti,
    };
  }
  const record = await refresh.find(token);
  if (!record || !refresh.isLive(record)) return INACTIVE;
  return {
    active: true,
    token_type: "refresh_token",
    scope: record.scopes.join(" "),
    sub: record.subject,
    username: record.subject,
    ...(record.client ? { client_id: record.client } : {}),
    ...(record.expiresAt !== null ? { exp: Math.floor(record.expiresAt / 1000) } : {}),
    iat: Math.floor(record.issuedAt / 1000),
  };
}
