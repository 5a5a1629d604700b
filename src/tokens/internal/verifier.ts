/**
 * @module
 * Verifying an access token: the signature by a known key (chosen by `kid`), an algorithm on the allow-list,
 * `exp`/`nbf` with a small leeway, the required claims (`signatures.ts`), the claim types gatehouse relies on
 * (`claims.ts`), and then revocation, a lookup in the local set. A token verified once is remembered
 * (`verified-cache.ts`), and a repeat is held to the same time rules without the signature check. A failure
 * is a result, not an exception: the caller decides how to answer.
 */
import { claimsFrom, type AccessClaims, type VerifyResult } from "../claims.ts";
import { gatehouseError } from "../../core/errors.ts";
import { verifyFailure } from "../errors.ts";
import type { KeySet } from "../keys.ts";
import type { Clock } from "../types.ts";
import { millis } from "./clock.ts";
import { timeFailure, type ClaimFailure, type ClaimRules } from "./jwt-rules.ts";
import type { Ledger } from "./ledger.ts";
import { Signatures, type Checked } from "./signatures.ts";
import { VerifiedCache } from "./verified-cache.ts";

export interface VerifierOptions {
  readonly now: Clock;
  /** Leeway for `exp` and `nbf`, in seconds. Default 5. */
  readonly clockTolerance?: number;
  /** Claims a token must carry. Default `["sub"]`: the seed's tokens (and FastAPI's) carry no `jti` or `iat`. */
  readonly requiredClaims?: readonly string[];
  /** The expected `iss`, read per verification (it may be known only once the server listens). */
  readonly issuer?: () => string | undefined;
  readonly audience?: string | string[];
  /** The `typ` header tokens must carry (e.g. RFC 9068's `at+jwt`); default: any. */
  readonly typ?: string;
  /**
   * How many verified tokens to remember (from their second verification on), so that a token seen again
   * skips the signature check. A hit still checks the time claims and revocation. Default 10 000; `0`: off.
   */
  readonly cacheSize?: number;
  /** The most the cache may hold, in (estimated) bytes. Default 16 MiB. */
  readonly cacheBytes?: number;
}

/** A signature-checked token whose claims may be expired or not yet valid. */
export interface InspectedToken {
  readonly claims: AccessClaims;
  /** Whether its time claims hold now. */
  readonly current: boolean;
}

export class TokenVerifier {
  readonly #tolerance: number;
  readonly #signatures: Signatures;
  /** Verified tokens by their exact text; a different text (a forgery, a re-encoding) can never hit. */
  readonly cache: VerifiedCache<AccessClaims>;

  constructor(
    readonly keys: KeySet,
    readonly ledger: Ledger,
    readonly options: VerifierOptions,
  ) {
    const tolerance = (this.#tolerance = options.clockTolerance ?? 5);
    if (!(Number.isFinite(tolerance) && tolerance >= 0)) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: \`clockTolerance\` must be a number of seconds ≥ 0 (got ${tolerance})`);
    const rules: ClaimRules = {
      clockTolerance: tolerance,
      requiredClaims: Object.freeze([...(options.requiredClaims ?? ["sub"])]),
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      ...(options.typ !== undefined ? { typ: options.typ } : {}),
    };
    this.#signatures = new Signatures(keys, rules);
    this.cache = new VerifiedCache(options.cacheSize ?? 10_000, options.cacheBytes ?? 16 * 2 ** 20);
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
    let claims = this.cache.get(token);
    if (claims !== undefined) {
      const failure = this.#timeFailure(claims, now);
      if (failure) {
        this.cache.delete(token);
        return verifyFailure(failure);
      }
    } else {
      const checked = this.#signatures.check(token, now);
      const verified = this.#verified(checked instanceof Promise ? await checked : checked, token, now);
      if (typeof verified === "string") return verifyFailure(verified);
      claims = verified;
      this.cache.offer(token, claims);
    }
    // Only now is a revocation answer needed: a forged token is refused even while the store is down.
    if (this.ledger.state !== "ready" && !(await this.ledger.trusted())) return verifyFailure("unavailable");
    if (this.ledger.set.isRevoked(claims)) return verifyFailure("revoked");
    return { ok: true, claims };
  }

  /** The claims of a token that passed every check now, or why it did not. */
  #verified(checked: Checked, token: string, now: number): AccessClaims | ClaimFailure {
    if (!checked.signed) return "invalid";
    if (checked.failure) return checked.failure;
    const claims = claimsFrom(checked.payload, token);
    if (!claims) return "invalid";
    return this.#futureIat(claims, now) ? "invalid" : claims;
  }

  /** The time rules of a full check, for a token taken from the cache. */
  #timeFailure(claims: AccessClaims, now: number): ClaimFailure | undefined {
    return timeFailure(claims, this.#tolerance, now) ?? (this.#futureIat(claims, now) ? "invalid" : undefined);
  }

  /** jose leaves a future `iat` alone; PyJWT (and so FastAPI's tutorial) refuses one, and so do we. */
  #futureIat(claims: AccessClaims, now: number): boolean {
    return claims.iat !== undefined && claims.iat * 1000 > now + this.toleranceMs;
  }

  /** Check the signature only, for `/revoke` and `/introspect`; `undefined` for a token not signed by a known key. */
  async inspect(token: string): Promise<InspectedToken | undefined> {
    const checked = await this.#signatures.check(token, millis(this.options.now));
    if (!checked.signed) return undefined;
    const claims = claimsFrom(checked.payload, token);
    return claims && { claims, current: checked.failure === undefined };
  }
}
