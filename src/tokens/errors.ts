/**
 * @module
 * The request failures of the token layer, from the catalog: a revoked or invalid bearer token gets
 * RFC 6750's `invalid_token` challenge; an unreachable store a 503, because answering without knowing the
 * revocations would let a revoked token through (fail closed).
 */
import { gatehouseError, type HTTPException } from "../core/errors.ts";
import type { VerifyFailure, VerifyResult } from "./claims.ts";

export { INVALID_TOKEN_CHALLENGE } from "../core/catalog.ts";

/** 401 `GH_INVALID_TOKEN`: the token is malformed, badly signed, expired or lacks a claim. */
export function invalidToken(): HTTPException {
  return gatehouseError("GH_INVALID_TOKEN");
}

/** 401 `GH_REVOKED_TOKEN`: the token has been revoked. */
export function revokedToken(): HTTPException {
  return gatehouseError("GH_REVOKED_TOKEN");
}

/**
 * Built once: during an outage every request gets this same frozen 503, with no stack or cause of its own
 * to capture or log — the ledger logs one line per change of state instead (issue 14 item 6).
 */
const STORE_UNAVAILABLE: HTTPException = Object.freeze(gatehouseError("GH_STORE_UNAVAILABLE"));

/** 503 `GH_STORE_UNAVAILABLE`: no revocation answer can be trusted right now; `Retry-After` says when to try again. */
export function storeUnavailable(): HTTPException {
  return STORE_UNAVAILABLE;
}

type Failure = Extract<VerifyResult, { ok: false }>;

/**
 * One frozen result per reason, its exception made only when read: most callers answer a failure with an
 * exception of their own (FastAPI's seed does), and a flood of forged tokens should cost no allocation here.
 */
const FAILURES: Readonly<Record<VerifyFailure, Failure>> = {
  invalid: failure("invalid", invalidToken),
  expired: failure("expired", invalidToken),
  revoked: failure("revoked", revokedToken),
  unavailable: failure("unavailable", storeUnavailable),
};

function failure(reason: VerifyFailure, error: () => HTTPException): Failure {
  return Object.freeze({
    ok: false as const,
    reason,
    get error() {
      return error();
    },
  });
}

/** A failed verification as a result: its reason and the answer to send (401 `invalid_token`, or 503). */
export function verifyFailure(reason: VerifyFailure): Failure {
  return FAILURES[reason];
}
