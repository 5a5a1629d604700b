/**
 * @module
 * Verifying an access token: signature by a known key (chosen by `kid`), an algorithm on the allow-list,
 * `exp`/`nbf` with a small leeway, the required claims, and then revocation, a lookup in the local set.
 * A failure is a result, not an exception: the caller decides how to answer.
 */
import { errors, jwtVerify, type JWTVerifyOptions } from "jose";
import { claimsFrom, type AccessClaims, type VerifyFailure, type VerifyResult } from "../claims.ts";
import { invalidToken, revokedToken, storeUnavailable } from "../errors.ts";
import type { KeySet } from "../keys.ts";
import type { Clock } from "../types.ts";
import { millis } from "./clock.ts";
import type { Ledger } from "./ledger.ts";

export interface VerifierOptions {
  readonly now: Clock;
  /** Leeway for `exp` and `nbf`, in seconds. Default 5. */
  readonly clockTolerance?: number;
  /** Claims a token must carry. Default `["sub"]`: the seed's tokens (and FastAPI's) carry no `jti` or `iat`. */
  readonly requiredClaims?: readonly string[];
  /** The expected `iss`, read per verification (it may be known only once the server listens). */
  readonly issuer?: () => string | undefined;
  readonly audience?: string | string[];
  /**
   * How many verified tokens to remember, so that a token seen again skips the signature check. A hit
   * still checks `exp` and revocation. Default 10 000; `0` turns the cache off.
   */
  readonly cacheSize?: number;
}

/** A token whose signature and claims checked out, and when it stops being valid (ms, `Infinity` if never). */
interface Verified {
  readonly claims: AccessClaims;
  readonly expiresAt: number;
}

/** A signature-checked token whose claims may be expired or not yet valid. */
export interface InspectedToken {
  readonly claims: AccessClaims;
  /** Whether its time claims hold now. */
  readonly current: boolean;
}

export class TokenVerifier {
  readonly #tolerance: number;
  readonly #cacheSize: number;
  /** What jose checks besides the time: fixed at construction, not rebuilt per verification. */
  readonly #jose: Omit<JWTVerifyOptions, "currentDate">;
  /** Verified tokens by their exact text, oldest first; a different text (a forgery) can never hit. */
  readonly #cache = new Map<string, Verified>();

  constructor(
    readonly keys: KeySet,
    readonly ledger: Ledger,
    readonly options: VerifierOptions,
  ) {
    this.#tolerance = options.clockTolerance ?? 5;
    this.#cacheSize = options.cacheSize ?? 10_000;
    this.#jose = {
      algorithms: [...keys.algorithms],
      clockTolerance: this.#tolerance,
      requiredClaims: [...(options.requiredClaims ?? ["sub"])],
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
    };
  }

  /** Leeway in ms: a revocation must outlive the token's `exp` by this much. */
  get toleranceMs(): number {
    return this.#tolerance * 1000;
  }

  /**
   * Verify a bearer token.
   *
   * @example
   * const result = await tokens.verify(token);
   * if (!result.ok) throw result.error; // 401 Bearer error="invalid_token", or 503 while the store is down
   */
  async verify(token: string): Promise<VerifyResult> {
    const now = millis(this.options.now);
    let verified = this.#cache.get(token);
    if (verified !== undefined && now > verified.expiresAt + this.toleranceMs) {
      this.#cache.delete(token);
      return fail("expired");
    }
    if (verified === undefined) {
      const checked = await this.#check(token, now);
      if (!("expiresAt" in checked)) return checked;
      verified = checked;
      this.#remember(token, verified);
    }
    const { claims } = verified;
    // Only now is a revocation answer needed: a forged token is refused even while the store is down.
    if (this.ledger.state !== "ready" && !(await this.ledger.trusted())) return fail("unavailable");
    if (this.ledger.set.isRevoked(claims)) return fail("revoked");
    return { ok: true, claims };
  }

  /** The full check: signature, algorithm, time and claims. */
  async #check(token: string, now: number): Promise<Verified | Extract<VerifyResult, { ok: false }>> {
    let claims: AccessClaims | undefined;
    try {
      const { payload } = await jwtVerify(token, this.keys.verificationKey, this.#joseOptions(now));
      claims = claimsFrom(payload, token);
    } catch (error) {
      return fail(error instanceof errors.JWTExpired ? "expired" : "invalid");
    }
    if (!claims) return fail("invalid");
    // jose leaves a future `iat` alone; PyJWT (and so FastAPI's tutorial) refuses one, and so do we.
    if (claims.iat !== undefined && claims.iat * 1000 > now + this.toleranceMs) return fail("invalid");
    return { claims, expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : Infinity };
  }

  #remember(token: string, verified: Verified): void {
    if (this.#cacheSize <= 0) return;
    // Insertion order is age: past the bound, the oldest entry goes.
    if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(token, verified);
  }

  /** Check the signature only, for `/revoke` and `/introspect`; `undefined` for a token not signed by a known key. */
  async inspect(token: string): Promise<InspectedToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys.verificationKey, this.#joseOptions(millis(this.options.now)));
      const claims = claimsFrom(payload, token);
      return claims && { claims, current: true };
    } catch (error) {
      // jose checks the signature before the claims: a claim failure carries a genuine payload.
      if (!(error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired)) return undefined;
      const claims = claimsFrom(error.payload, token);
      return claims && { claims, current: false };
    }
  }

  #joseOptions(now: number): JWTVerifyOptions {
    const issuer = this.options.issuer?.();
    return issuer === undefined ? { ...this.#jose, currentDate: new Date(now) } : { ...this.#jose, issuer, currentDate: new Date(now) };
  }
}

function fail(reason: VerifyFailure): Extract<VerifyResult, { ok: false }> {
  const error = reason === "unavailable" ? storeUnavailable() : reason === "revoked" ? revokedToken() : invalidToken();
  return { ok: false, reason, error };
}
