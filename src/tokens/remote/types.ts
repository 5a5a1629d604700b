/**
 * @module
 * The options of a resource server that verifies tokens of other issuers, and what it learns of them.
 */
import type { TokenStore } from "../stores/store.ts";
import type { Clock, LedgerOptions } from "../types.ts";

/**
 * The signature algorithms a token of another issuer may use: asymmetric only. An HMAC key would be a secret
 * shared with the issuer, and `none` no signature at all; a public key used as an HMAC secret is the classic
 * forgery, so HS* is never accepted, whatever the token says.
 */
export const ASYMMETRIC_ALGORITHMS = Object.freeze(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const);
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** How a resource server authenticates to the issuer's RFC 7662 introspection endpoint (`client_secret_basic`). */
export interface IntrospectionOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default: the discovery document's `introspection_endpoint`. */
  readonly endpoint?: string;
  /** How long an answer is reused, in seconds (never past the token's `exp`). Default 30; `0`: ask every time. */
  readonly cacheTtl?: number;
  /** How many answers are kept. Default 10 000. */
  readonly cacheSize?: number;
}

/** One issuer whose tokens this API accepts. */
export interface IssuerOptions {
  /** The issuer identifier, exactly as its tokens' `iss` and its metadata's `issuer` say it. */
  readonly issuer: string;
  /** This API's identifier(s): a token must name one of them in `aud` (RFC 9068 §4, RFC 7519 §4.1.3). */
  readonly audience: string | readonly string[];
  /** The metadata document; default `{issuer}/.well-known/openid-configuration`, then RFC 8414's. */
  readonly discoveryUrl?: string;
  /** The JWKS; default the metadata's `jwks_uri` (no discovery needed when given). */
  readonly jwksUri?: string;
  /** The algorithms accepted, a subset of {@link ASYMMETRIC_ALGORITHMS} (the default: all of them). */
  readonly algorithms?: readonly AsymmetricAlgorithm[];
  /**
   * RFC 9068 JWT access tokens: `typ: at+jwt` is required (so that an ID token or another JWT of the same
   * issuer is not taken for an access token), and so are `iss`, `exp`, `aud`, `sub`, `client_id`, `iat`, `jti`.
   */
  readonly rfc9068?: boolean;
  /** Claims every token must carry besides `sub` and `exp`. */
  readonly requiredClaims?: readonly string[];
  /** For an issuer of opaque tokens: check them at its RFC 7662 endpoint. At most one issuer may have it. */
  readonly introspection?: IntrospectionOptions;
  /** Accept `http:` URLs for this issuer beyond loopback (a private network you vouch for). Default `false`. */
  readonly allowHttp?: boolean;
}

export interface RemoteVerifierOptions extends LedgerOptions {
  readonly issuers: readonly IssuerOptions[];
  /** Where local revocations live (shared by every instance); default a `MemoryStore` (this process only). */
  readonly store?: TokenStore;
  /** Leeway for `exp`, `nbf` and `iat`, seconds. Default 5. */
  readonly clockTolerance?: number;
  /** The longest wait for an issuer's answer, ms. Default 5 000. */
  readonly timeoutMs?: number;
  /** The largest answer read from an issuer, bytes. Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /** A token with an unknown `kid` refetches the keys at most once per this many ms. Default 30 000. */
  readonly cooldownMs?: number;
  /** After a failed request to an issuer, no other is made for this many ms. Default 5 000. */
  readonly issuerRetryMs?: number;
  /** Keys older than this are refetched (the old ones stay in use if that fails), ms. Default 10 minutes. */
  readonly keysMaxAgeMs?: number;
  /** Verified JWTs remembered so that a repeat skips the signature check (expiry, keys and revocation are still checked). Default 10 000; 0: off. */
  readonly cacheSize?: number;
  /** The most that cache may hold, in estimated bytes (tokens can be long). Default 16 MiB. */
  readonly cacheBytes?: number;
  /** Told of every failed request to an issuer (at most one per `issuerRetryMs`); default a one-line warning. */
  readonly onIssuerError?: (issuer: string, error: unknown) => void;
  /** The clock; tests pass a fake one. Default `Date.now`. */
  readonly now?: Clock;
  /** The fetch implementation for every request to an issuer. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/** What an issuer's RFC 8414 / OIDC Discovery metadata says, as far as a resource server needs it. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly introspection_endpoint?: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly scopes_supported?: readonly string[];
  readonly [field: string]: unknown;
}
