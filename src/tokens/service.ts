/**
 * @module
 * `createTokenService`: keys, store, issuer, verifier, refresh tokens and revocation wired together behind
 * one object, with the flows the endpoints need (log in, refresh, personal tokens, revoke, list,
 * introspect) and the periodic sweep of expired revocations. The parts live in `internal/`.
 */
import { startupTimeoutMs } from "../core/dependency.ts";
import { gatehouseError } from "../core/errors.ts";
import { expiresIn, revocationExpiry, type AccessClaims, type VerifyResult } from "./claims.ts";
import { millis, systemClock } from "./internal/clock.ts";
import { AuthorizationCodes } from "./internal/codes.ts";
import { grantsOf } from "./internal/grants.ts";
import { introspect } from "./internal/introspection.ts";
import { TokenIssuer } from "./internal/issuer.ts";
import { Ledger } from "./internal/ledger.ts";
import { TokenManager } from "./internal/manage.ts";
import { PersonalTokens } from "./internal/personal.ts";
import { RefreshTokens } from "./internal/refresh.ts";
import type { VerifiedCache } from "./internal/verified-cache.ts";
import { TokenVerifier } from "./internal/verifier.ts";
import { KeySet, type KeySetOptions } from "./keys.ts";
import type { TokenStore } from "./stores/store.ts";
import type { AccessTokenFormat, Clock, CodeGrant, CodeRedemption, Grant, Introspection, IssuedToken, IssueRequest, LedgerOptions, LedgerState, TokenRecord } from "./types.ts";

export interface TokenServiceOptions extends LedgerOptions {
  /** The key set, or what to build it from. */
  readonly keys: KeySet | KeySetOptions;
  /** Where records and revocations live: `storeFromEnv()`, `openStore(url)` or a store object. */
  readonly store: TokenStore;
  /** Access token lifetime, seconds. Default 900 (15 minutes). */
  readonly accessTokenTtl?: number;
  /** Refresh token lifetime, seconds. Default 14 days. */
  readonly refreshTokenTtl?: number;
  /** Login session (refresh family) lifetime, seconds. Default 30 days. */
  readonly refreshFamilyTtl?: number;
  /** Personal token lifetime when none is asked for, seconds. Default 30 days. */
  readonly apiTokenTtl?: number;
  /** Longest personal token lifetime that may be asked for, seconds. Default 365 days. */
  readonly apiTokenMaxTtl?: number;
  /** Whether a personal token may be made without expiry (`ttl: null`). Default `false`: every one expires. */
  readonly allowNonExpiringApiTokens?: boolean;
  /** The prefix of personal tokens, for secret scanners: lower case, ending in `_`. Default `gatehouse_pat_`. */
  readonly apiTokenPrefix?: string;
  /** Leeway for `exp`/`nbf`, seconds. Default 5. */
  readonly clockTolerance?: number;
  readonly requiredClaims?: readonly string[];
  /** Verified tokens remembered (from their second verification on) so that a repeat skips the signature check; a hit still checks the time claims and revocation. Default 10 000; 0: off. */
  readonly cacheSize?: number;
  /** The most that cache may hold, in estimated bytes (tokens can be long). Default 16 MiB. */
  readonly cacheBytes?: number;
  /**
   * The `iss` of issued tokens, checked on verification; a function when it is known only once the server
   * listens (port 0), read each time it is needed. Required by the authorization server (RFC 8414).
   */
  readonly issuer?: string | (() => string);
  readonly audience?: string | string[];
  /** `jwt` (default): the seed's claims; `at+jwt`: RFC 9068 access tokens (`typ`, `scope`, `iss`, `aud`, `client_id`). */
  readonly accessTokenFormat?: AccessTokenFormat;
  /** How long after a rotation a retry of the same refresh token gets the same new pair, seconds. Default 10; 0: never. */
  readonly refreshGraceSeconds?: number;
  /** Authorization code lifetime, seconds. Default 60. */
  readonly codeTtl?: number;
  /** The clock; tests pass a fake one. Default `Date.now`. */
  readonly now?: Clock;
  /** How often expired revocations are dropped from memory, ms. Default 60 000; `0`: only by `sweep()`. */
  readonly sweepIntervalMs?: number;
}

/** What a login or a refresh hands out. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number | undefined;
  readonly scopes: readonly string[];
}

export type RefreshResult = ({ readonly ok: true } & TokenPair) | { readonly ok: false; readonly reason: "invalid" | "reused" | "scope" };

/** The service's lifetimes, in seconds. */
export interface TokenLifetimes {
  readonly access: number;
  readonly refresh: number;
  readonly family: number;
  readonly api: number;
  readonly apiMax: number;
}

const DAY = 86_400;

/** Issues, verifies and revokes tokens against one store. Create it with {@link createTokenService}. */
export class TokenService {
  readonly keys: KeySet;
  /** Where the service's records and revocations live. */
  readonly store: TokenStore;
  readonly ttl: TokenLifetimes;
  readonly #now: Clock;
  readonly #ledger: Ledger;
  readonly #verifier: TokenVerifier;
  readonly #issuer: TokenIssuer;
  readonly #refresh: RefreshTokens;
  readonly #manager: TokenManager;
  readonly #personal: PersonalTokens;
  readonly #codes: AuthorizationCodes;
  readonly #issuerOf: () => string | undefined;
  readonly #sweeper: NodeJS.Timeout | undefined;

  constructor(readonly options: TokenServiceOptions) {
    const now = (this.#now = options.now ?? systemClock);
    this.keys = options.keys instanceof KeySet ? options.keys : new KeySet(options.keys);
    if (!options.store || typeof options.store.revocations !== "function") {
      throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: `store` must be a token store (storeFromEnv(), openStore(url), new MemoryStore())");
    }
    this.store = options.store;
    const ttl = (this.ttl = Object.freeze({
      access: positive(options.accessTokenTtl ?? 900, "accessTokenTtl"),
      refresh: positive(options.refreshTokenTtl ?? 14 * DAY, "refreshTokenTtl"),
      family: positive(options.refreshFamilyTtl ?? 30 * DAY, "refreshFamilyTtl"),
      api: positive(options.apiTokenTtl ?? 30 * DAY, "apiTokenTtl"),
      apiMax: positive(options.apiTokenMaxTtl ?? 365 * DAY, "apiTokenMaxTtl"),
    }));
    const issuer = options.issuer;
    const issuerOf = (this.#issuerOf = typeof issuer === "function" ? issuer : () => issuer);
    const graceMs = nonNegative(options.refreshGraceSeconds ?? 10, "refreshGraceSeconds") * 1000;
    const ledger = (this.#ledger = new Ledger(options.store, options));
    const verifier = (this.#verifier = new TokenVerifier(this.keys, ledger, { ...options, issuer: issuerOf, now }));
    this.#refresh = new RefreshTokens(ledger, { now, refreshTokenTtl: ttl.refresh, familyTtl: ttl.family, toleranceMs: verifier.toleranceMs, graceMs });
    this.#issuer = new TokenIssuer(this.keys, ledger, { now, accessTokenTtl: ttl.access, issuer: issuerOf, audience: options.audience, format: options.accessTokenFormat ?? "jwt" });
    this.#codes = new AuthorizationCodes(ledger, this.#refresh, { now, ttl: positive(options.codeTtl ?? 60, "codeTtl") });
    const prefix = options.apiTokenPrefix ?? "gatehouse_pat_";
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*_$/.test(prefix)) throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: `apiTokenPrefix` must be lower-case letters, digits and underscores, ending in `_` (e.g. `myapp_pat_`)");
    this.#personal = new PersonalTokens(ledger, { now, prefix, toleranceMs: verifier.toleranceMs, cacheSize: options.cacheSize ?? 10_000 });
    // A subject's revocation must outlive every token issued before it: the longest lifetime plus leeway,
    // or for good where personal tokens may be issued without expiry (`allowNonExpiringApiTokens`).
    const longest = Math.max(ttl.access, ttl.family, ttl.apiMax) * 1000;
    const subjectTtlMs = options.allowNonExpiringApiTokens === true ? null : revocationExpiry(longest, verifier.toleranceMs);
    this.#manager = new TokenManager({ ledger, verifier, refresh: this.#refresh, personal: this.#personal, now, subjectTtlMs });
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.#sweeper = setInterval(() => this.sweep(), every);
      this.#sweeper.unref();
    }
  }

  /** The service's clock, epoch ms. */
  now(): number {
    return millis(this.#now);
  }

  /** `ready` when revocations are current; `syncing` at start-up; `down` while the store is unreachable. */
  get state(): LedgerState {
    return this.#ledger.state;
  }

  /**
   * Resolves once revocations have been read from the store. Rejects with `GH_STORE_UNREACHABLE`, naming
   * the store, where it is and its last error, when that has not happened within `timeoutMs` (default
   * `$GATEHOUSE_STARTUP_TIMEOUT_MS`, else 5000); the service keeps trying in the background either way.
   * Apps await it at start-up by themselves.
   */
  ready(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    return this.#ledger.ready(options.timeoutMs ?? startupTimeoutMs());
  }

  /** The issuer (`iss`) of the tokens, when one is configured. */
  get issuer(): string | undefined {
    return this.#issuerOf();
  }

  /** How many revocations this instance holds in memory, the set every request is checked against. */
  get revocationsHeld(): number {
    return this.#ledger.set.size;
  }

  /** @internal The revocation ledger, for the bench and white-box tests; left out of the published types. */
  get ledger(): Ledger {
    return this.#ledger;
  }

  /** @internal The verified-token cache (hit/miss counts, bounds), for the bench and white-box tests; left out of the published types. */
  get verifiedCache(): VerifiedCache<AccessClaims> {
    return this.#verifier.cache;
  }

  /** Verify an access token (signature, algorithm, time, claims, revocation) or a personal token (checksum, hash, expiry, revocation). */
  verify(token: string): Promise<VerifyResult> {
    return this.#personal.owns(token) ? this.#personal.verify(token) : this.#verifier.verify(token);
  }

  /** An access token on its own (no refresh token), recorded so that it can be listed and revoked. */
  issue(request: IssueRequest): Promise<IssuedToken> {
    return this.#issuer.issue(request);
  }

  /** A login: a new refresh family, its access token and its first refresh token. */
  async login(request: { subject: string; scopes: readonly string[]; client?: string | null; authTime?: number }, family = this.#refresh.newFamily()): Promise<TokenPair> {
    const client = request.client ?? null;
    // When the user's password was checked (epoch s): just now, or when they logged in for `/authorize`.
    const authTime = request.authTime ?? Math.floor(millis(this.#now) / 1000);
    const access = await this.#issuer.issue({ subject: request.subject, scopes: request.scopes, family, client, authTime });
    const refresh = await this.#refresh.issue({ subject: request.subject, scopes: request.scopes, family, client, authTime });
    return pair(access, refresh.token);
  }

  /**
   * Rotate a refresh token: the next access and refresh tokens of its family. `scopes`, when given, must be
   * among those first granted (RFC 6749 §6); the family keeps its original grant.
   */
  async refreshTokens(refreshToken: string, request: { client?: string | null; scopes?: readonly string[] } = {}): Promise<RefreshResult> {
    const rotated = await this.#refresh.rotate(refreshToken, request.client ?? null, request.scopes);
    if (!rotated.ok) return rotated;
    if (rotated.retried) return { ok: true, ...rotated.retried };
    const { record } = rotated;
    const scopes = request.scopes && request.scopes.length > 0 ? request.scopes : record.scopes;
    const family = this.#refresh.familyOf(record);
    const client = record.client ?? null;
    const { authTime } = record;
    const access = await this.#issuer.issue({ subject: record.subject, scopes, family, client, authTime });
    const next = await this.#refresh.issue({ subject: record.subject, scopes: record.scopes, family, client, authTime });
    const successor = pair(access, next.token);
    await this.#refresh.keepSuccessor(refreshToken, record, successor);
    return { ok: true, ...successor };
  }

  /** An authorization code for what the user consented to (RFC 6749 §4.1.2): single-use, short-lived. */
  issueCode(grant: CodeGrant): Promise<string> {
    return this.#codes.issue(grant);
  }

  /**
   * Exchange an authorization code (RFC 6749 §4.1.3): the tokens of a new grant, or why not. A code used
   * before is refused and revokes what its first use issued.
   */
  async redeemCode(code: string, by: CodeRedemption): Promise<({ readonly ok: true } & TokenPair) | { readonly ok: false; readonly reason: "invalid" | "reused" }> {
    const redeemed = await this.#codes.redeem(code, by);
    if (!redeemed.ok) return redeemed;
    const { subject, scopes, client, authTime } = redeemed.grant;
    return { ok: true, ...(await this.login({ subject, scopes, client, authTime }, redeemed.family)) };
  }

  /** Whether personal tokens may be made without expiry (`allowNonExpiringApiTokens`). */
  get nonExpiringApiTokens(): boolean {
    return this.options.allowNonExpiringApiTokens === true;
  }

  /**
   * A personal token (opaque, prefixed, checksummed; stored as a hash): `ttl` seconds (default
   * `apiTokenTtl`, at most `apiTokenMaxTtl`), or `null` for one only revocation ends, where the service allows it.
   */
  async issueApiToken(request: { subject: string; scopes: readonly string[]; ttl?: number | null; name?: string }): Promise<IssuedToken> {
    const ttl = request.ttl === undefined ? this.ttl.api : request.ttl;
    if (ttl === null ? !this.nonExpiringApiTokens : !(ttl > 0 && ttl <= this.ttl.apiMax)) {
      const allowed = `between 1 and ${this.ttl.apiMax} seconds${this.nonExpiringApiTokens ? ", or null" : " (null only with `allowNonExpiringApiTokens`)"}`;
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: a personal token's ttl must be ${allowed}`);
    }
    return this.#personal.issue({ subject: request.subject, scopes: request.scopes, ttl, name: request.name });
  }

  /**
   * Revoke the token presented: an access or personal JWT by its `jti`, a refresh token with its whole
   * family. Resolves `false` when the token is unknown, already expired or not signed by a known key.
   */
  revokeToken(token: string): Promise<boolean> {
    return this.#manager.revokeToken(token);
  }

  /** RFC 7009 §2.1: revoke `token` only if it was issued to `client` (`null`: to no client). */
  revokeClientToken(token: string, client: string | null): Promise<"revoked" | "unknown" | "other-client"> {
    return this.#manager.revokeClientToken(token, client);
  }

  /** Revoke a token by its id as {@link listTokens} shows it; with `subject`, only one of that subject's. */
  revokeById(id: string, subject?: string): Promise<boolean> {
    return this.#manager.revokeById(id, subject);
  }

  /** Revoke every token of `subject` issued until now. */
  revokeSubject(subject: string): Promise<void> {
    return this.#manager.revokeSubject(subject);
  }

  /** The subject's tokens that still work (not expired, not revoked, refresh tokens not yet used), newest first. */
  listTokens(subject: string): Promise<TokenRecord[]> {
    return this.#manager.listTokens(subject);
  }

  /** The subject's live tokens as grants: one entry per login or authorized app, per personal token (`grants.ts`). */
  async listGrants(subject: string): Promise<Grant[]> {
    return grantsOf(await this.#manager.listTokens(subject));
  }

  /** RFC 7662 introspection of an access, personal or refresh token. Rejects with a 503 while the store is down. */
  introspect(token: string): Promise<Introspection> {
    return introspect(this.#personal.owns(token) ? this.#personal : this.#verifier, this.#refresh, token);
  }

  /** Drop expired revocations from memory (the stores expire their own copies). */
  sweep(): number {
    return this.#ledger.set.sweep(millis(this.#now));
  }

  /** Stop the sweeper and the retries, and close the store. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#ledger.close();
  }
}

function pair(access: IssuedToken, refreshToken: string): TokenPair {
  return { accessToken: access.token, refreshToken, expiresIn: expiresIn(access.record), scopes: access.record.scopes };
}

/**
 * Create the token service.
 *
 * @example
 * const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv(), accessTokenTtl: 1800 });
 * const result = await tokens.verify(token);
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  return new TokenService(options);
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: \`${name}\` must be a number of seconds, 0 or more (got ${value})`);
  return value;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: \`${name}\` must be a positive number of seconds (got ${value})`);
  return value;
}
