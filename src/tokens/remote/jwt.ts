/**
 * @module
 * Verifying a JWT access token of one issuer with jose: a signature by one of the issuer's keys, an
 * asymmetric algorithm on the allow-list, exactly that `iss`, one of this API's audiences, `exp`/`nbf`/`iat`
 * with the leeway, RFC 9068's `typ` when the issuer is configured for it, then `claimsFrom`. The answer says
 * whether it still holds: only as long as the issuer's keys have not changed (a retired key ends it).
 */
import { errors, jwtVerify, type JWTVerifyOptions } from "jose";
import { claimsFrom, type AccessClaims } from "../claims.ts";
import { isIssuerFailure } from "./fetch.ts";
import type { IssuerKeys } from "./keys.ts";

/** A token checked against its issuer, or why it was refused (`unavailable`: the issuer could not be asked). */
export type Checked =
  | {
      readonly ok: true;
      readonly claims: AccessClaims;
      /** When it stops being valid, epoch ms (leeway included). */
      readonly until: number;
      /** For a JWT: whether the keys it was verified with are still the issuer's, so the answer may be reused. */
      readonly current?: () => boolean;
    }
  | { readonly ok: false; readonly reason: "invalid" | "expired" | "unavailable"; readonly cause?: unknown };

/** What an issuer's JWTs must satisfy. */
export interface JwtRules {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms: readonly string[];
  /** RFC 9068 §4: `at+jwt` (jose also accepts `application/at+jwt`). */
  readonly typ?: string;
  readonly requiredClaims: readonly string[];
  /** Seconds. */
  readonly clockTolerance: number;
}

export const INVALID: Checked = Object.freeze({ ok: false, reason: "invalid" });
const EXPIRED: Checked = Object.freeze({ ok: false, reason: "expired" });

export class JwtChecker {
  readonly #jose: Omit<JWTVerifyOptions, "currentDate">;
  readonly #toleranceMs: number;

  constructor(
    rules: JwtRules,
    /** The issuer's keys, once its metadata is known. */
    readonly keys: () => Promise<IssuerKeys>,
  ) {
    this.#toleranceMs = rules.clockTolerance * 1000;
    this.#jose = {
      issuer: rules.issuer,
      audience: [...(typeof rules.audience === "string" ? [rules.audience] : rules.audience)],
      algorithms: [...rules.algorithms],
      clockTolerance: rules.clockTolerance,
      requiredClaims: [...rules.requiredClaims],
      ...(rules.typ !== undefined ? { typ: rules.typ } : {}),
    };
  }

  async check(token: string, now: number): Promise<Checked> {
    let keys: IssuerKeys;
    try {
      keys = await this.keys();
    } catch (cause) {
      return { ok: false, reason: "unavailable", cause };
    }
    // Read before verifying: keys that change meanwhile leave this entry stale, never a stale one fresh.
    const generation = keys.generation;
    let claims: AccessClaims | undefined;
    try {
      const { payload } = await jwtVerify(token, keys.key, { ...this.#jose, currentDate: new Date(now) });
      claims = claimsFrom(payload, token);
    } catch (error) {
      if (isIssuerFailure(error)) return { ok: false, reason: "unavailable", cause: error };
      return error instanceof errors.JWTExpired ? EXPIRED : INVALID;
    }
    if (!claims) return INVALID;
    // jose leaves a future `iat` alone; a token from the future is not one the issuer made yet.
    if (claims.iat !== undefined && claims.iat * 1000 > now + this.#toleranceMs) return INVALID;
    const until = typeof claims.exp === "number" ? claims.exp * 1000 + this.#toleranceMs : Infinity;
    return { ok: true, claims, until, current: () => keys.generation === generation };
  }
}
