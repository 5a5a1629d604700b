/**
 * @module
 * `createTokenService`: keys, store, issuer, verifier, refresh tokens and revocation wired together behind
 * one object, with the flows the endpoints need (log in, refresh, personal tokens, revoke, list,
 * introspect) and the periodic sweep of expired revocations. The parts live in `internal/`.
 */
import { gatehouseError } from "../core/errors.ts";
import { expiresIn, revocationExpiry, type AccessClaims, type VerifyResult } from "./claims.ts";
import { millis, systemClock } from "./internal/clock.ts";
import { introspect } from "./internal/introspection.ts";
import { TokenIssuer } from "./internal/issuer.ts";
import { Ledger } from "./internal/ledger.ts";
import { TokenManager } from "./internal/manage.ts";
import { RefreshTokens } from "./internal/refresh.ts";
import type { VerifiedCache } from "./internal/verified-cache.ts";
import { TokenVerifier } from "./internal/verifier.ts";
import { KeySet, type KeySetOptions } from "./keys.ts";
import type { TokenStore } from "./stores/store.ts";
import type { Clock, Introspection, IssuedToken, IssueRequest, LedgerOptions, LedgerState, TokenRecord } from "./types.ts";

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
  /** Leeway for `exp`/`nbf`, seconds. Default 5. */
  readonly clockTolerance?: number;
  readonly requiredClaims?: readonly string[];
  /** Verified tokens remembered (from their second verification on) so that a repeat skips the signature check; a hit still checks the time claims and revocation. Default 10 000; 0: off. */
  readonly cacheSize?: number;
  /** The most that cache may hold, in estimated bytes (tokens can be long). Default 16 MiB. */
  readonly cacheBytes?: number;
  readonly issuer?: string;
  readonly audience?: string | string[];
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
    const ledger = (this.#ledger = new Ledger(options.store, options));
    const verifier = (this.#verifier = new TokenVerifier(this.keys, ledger, { ...options, now }));
    this.#refresh = new RefreshTokens(ledger, { now, refreshTokenTtl: ttl.refresh, familyTtl: ttl.family, toleranceMs: verifier.toleranceMs });
    this.#issuer = new TokenIssuer(this.keys, ledger, { now, accessTokenTtl: ttl.access, issuer: options.issuer, audience: options.audience });
    // A subject's revocation must outlive every expiring token issued before it.
    const longest = Math.max(ttl.access, ttl.family, ttl.apiMax) * 1000;
    this.#manager = new TokenManager({ ledger, verifier, refresh: this.#refresh, now, subjectTtlMs: revocationExpiry(longest, verifier.toleranceMs)! });
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.#sweeper = setInterval(() => this.sweep(), every);
      this.#sweeper.unref();
    }
  }

  /** `ready` when revocations are current; `syncing` at start-up; `down` while the store is unreachable. */
  get state(): LedgerState {
    return this.#ledger.state;
  }

  /** Resolves once revocations have been read from the store (useful at start-up). */
  ready(): Promise<void> {
    return this.#ledger.ready();
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

  /** Verify an access or personal token (signature, algorithm, time, claims, revocation). */
  verify(token: string): Promise<VerifyResult> {
    return this.#verifier.verify(token);
  }

  /** An access token on its own (no refresh token), recorded so that it can be listed and revoked. */
  issue(request: IssueRequest): Promise<IssuedToken> {
    return this.#issuer.issue(request);
  }

  /** A login: a new refresh family, its access token and its first refresh token. */
  async login(request: { subject: string; scopes: readonly string[]; client?: string | null }): Promise<TokenPair> {
    const family = this.#refresh.newFamily();
    const client = request.client ?? null;
    const access = await this.#issuer.issue({ subject: request.subject, scopes: request.scopes, family, client });
    const refresh = await this.#refresh.issue({ subject: request.subject, scopes: request.scopes, family, client });
    return pair(access, refresh.token);
  }

  /**
   * Rotate a refresh token: the next access and refresh tokens of its family. `scopes`, when given, must be
   * among those first granted (RFC 6749 §6); the family keeps its original grant.
   */
  async refreshTokens(refreshToken: string, request: { client?: string | null; scopes?: readonly string[] } = {}): Promise<RefreshResult> {
    const rotated = await this.#refresh.rotate(refreshToken, request.client ?? null, request.scopes);
    if (!rotated.ok) return rotated;
    const { record } = rotated;
    const scopes = request.scopes && request.scopes.length > 0 ? request.scopes : record.scopes;
    const family = this.#refresh.familyOf(record);
    const client = record.client ?? null;
    const access = await this.#issuer.issue({ subject: record.subject, scopes, family, client });
    const next = await this.#refresh.issue({ subject: record.subject, scopes: record.scopes, family, client });
    return { ok: true, ...pair(access, next.token) };
  }

  /** A personal token: `ttl` seconds (default `apiTokenTtl`), or `null` for one only revocation ends. */
  issueApiToken(request: { subject: string; scopes: readonly string[]; ttl?: number | null; name?: string }): Promise<IssuedToken> {
    const ttl = request.ttl === undefined ? this.ttl.api : request.ttl;
    if (ttl !== null && !(ttl > 0 && ttl <= this.ttl.apiMax)) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: a personal token's ttl must be between 1 and ${this.ttl.apiMax} seconds`);
    }
    return this.#issuer.issue({ subject: request.subject, scopes: request.scopes, kind: "api", ttl, name: request.name });
  }

  /**
   * Revoke the token presented: an access or personal JWT by its `jti`, a refresh token with its whole
   * family. Resolves `false` when the token is unknown, already expired or not signed by a known key.
   */
  revokeToken(token: string): Promise<boolean> {
    return this.#manager.revokeToken(token);
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

  /** RFC 7662 introspection of an access, personal or refresh token. Rejects with a 503 while the store is down. */
  introspect(token: string): Promise<Introspection> {
    return introspect(this.#verifier, this.#refresh, token);
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

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: \`${name}\` must be a positive number of seconds (got ${value})`);
  return value;
}
