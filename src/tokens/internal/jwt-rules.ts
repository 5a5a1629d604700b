/**
 * @module
 * The claim rules of a JWT whose signature checked out (RFC 7519 §4.1, §7.2), in the order jose's
 * `jwtVerify` applies them, so that the synchronous HMAC path and jose agree on every token: `typ` when
 * one is required, the required claims, `iss`, `aud`, then `iat`, `nbf` and `exp` with the clock leeway.
 * The verifier passes the same rules to jose for the other algorithms.
 */
import type { JWTVerifyOptions } from "jose";

/** What a claims set must satisfy besides its signature. */
export interface ClaimRules {
  /** Leeway for `nbf` and `exp`, in seconds. */
  readonly clockTolerance: number;
  /** Claims that must be present (whatever their value). */
  readonly requiredClaims: readonly string[];
  /** The `iss` tokens must carry; a function when it is known only once the server listens (port 0). */
  readonly issuer?: string | readonly string[] | (() => string | undefined);
  readonly audience?: string | readonly string[];
  /** The `typ` header the token must carry, compared as a media type (RFC 7515 §4.1.9): `at+jwt` is `application/at+jwt`. */
  readonly typ?: string;
}

/** Why a signed claims set is refused: `expired` only when `exp` alone fails, as jose's `JWTExpired`. */
export type ClaimFailure = "invalid" | "expired";

/** The failure of `claims` against `rules` at `nowMs`, or `undefined` when they hold. */
export function claimFailure(header: Readonly<Record<string, unknown>>, claims: Readonly<Record<string, unknown>>, rules: ClaimRules, nowMs: number): ClaimFailure | undefined {
  if (rules.typ !== undefined && (typeof header.typ !== "string" || mediaType(header.typ) !== mediaType(rules.typ))) return "invalid";
  for (const claim of rules.requiredClaims) if (!Object.hasOwn(claims, claim)) return "invalid";
  const { audience } = rules;
  const issuer = issuerOf(rules);
  if (issuer !== undefined && (!Object.hasOwn(claims, "iss") || !oneOf(claims.iss, issuer))) return "invalid";
  if (audience !== undefined && (!Object.hasOwn(claims, "aud") || !audienceMatches(claims.aud, audience))) return "invalid";
  return timeFailure(claims, rules.clockTolerance, nowMs);
}

/**
 * The time rules alone (`iat`, `nbf`, `exp`), for a token whose other claims were checked before: a cached
 * token is held to exactly what a full check would say now. A clock that reads no number fails closed.
 */
export function timeFailure(claims: Readonly<Record<string, unknown>>, clockTolerance: number, nowMs: number): ClaimFailure | undefined {
  // jose compares whole seconds: the clock is floored, the leeway widens both ends.
  const now = Math.floor(nowMs / 1000);
  if (!Number.isFinite(now)) return "invalid";
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && typeof iat !== "number") return "invalid";
  if (nbf !== undefined && (typeof nbf !== "number" || nbf > now + clockTolerance)) return "invalid";
  if (exp !== undefined && typeof exp !== "number") return "invalid";
  if (exp !== undefined && exp <= now - clockTolerance) return "expired";
  return undefined;
}

/** The issuer a token must name now: the rules' own, or what their function says. */
export function issuerOf(rules: ClaimRules): string | readonly string[] | undefined {
  return typeof rules.issuer === "function" ? rules.issuer() : rules.issuer;
}

/** The same rules as jose's options; its `currentDate`, and an issuer given as a function, are added per call. */
export function joseOptions(rules: ClaimRules, algorithms: readonly string[]): Omit<JWTVerifyOptions, "currentDate"> {
  const issuer = typeof rules.issuer === "function" ? undefined : rules.issuer;
  return {
    algorithms: [...algorithms],
    clockTolerance: rules.clockTolerance,
    requiredClaims: [...rules.requiredClaims],
    ...(issuer !== undefined ? { issuer: listOf(issuer) } : {}),
    ...(rules.audience !== undefined ? { audience: listOf(rules.audience) } : {}),
    ...(rules.typ !== undefined ? { typ: rules.typ } : {}),
  };
}

function listOf(value: string | readonly string[]): string[] {
  return typeof value === "string" ? [value] : [...value];
}

function oneOf(value: unknown, ours: string | readonly string[]): boolean {
  return typeof ours === "string" ? value === ours : ours.includes(value as string);
}

/** RFC 7519 §4.1.3: one of the token's audiences (a string or a list) is ours. */
function audienceMatches(aud: unknown, ours: string | readonly string[]): boolean {
  if (typeof aud === "string") return oneOf(aud, ours);
  return Array.isArray(aud) && listOf(ours).some((mine) => aud.includes(mine));
}

/** RFC 7515 §4.1.9: `typ` is a media type whose `application/` prefix may be left out; compared without case. */
function mediaType(value: string): string {
  const lower = value.toLowerCase();
  return value.includes("/") ? lower : `application/${lower}`;
}
