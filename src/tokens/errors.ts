/**
 * @module
 * The request failures of the token layer, in FastAPI's `{"detail": …}` shape. A revoked or invalid
 * bearer token gets RFC 6750's `invalid_token` challenge; an unreachable store a 503, because answering
 * without knowing the revocations would let a revoked token through (fail closed).
 */
import { HTTPException } from "../core/errors.ts";

/** RFC 6750 §3.1: the token is expired, revoked, malformed or invalid for other reasons. */
export const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** 503: the store cannot be reached, so no revocation answer can be trusted. `Retry-After` says when to try again. */
export class TokenStoreUnavailable extends HTTPException {
  constructor(cause?: unknown) {
    super(503, "Token store unavailable: revocations cannot be checked right now; try again shortly", { "Retry-After": "1" }, { cause });
    this.name = "TokenStoreUnavailable";
  }
}

/** 401 for a token that has been revoked. */
export function revokedToken(): HTTPException {
  return new HTTPException(401, "Token has been revoked", { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE });
}

/** 401 for a token that is malformed, badly signed, expired or lacks a claim. */
export function invalidToken(): HTTPException {
  return new HTTPException(401, "Could not validate credentials", { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE });
}
