/**
 * @module
 * `createTokenService`: keys, store, issuer, verifier and refresh tokens wired together, with the flows
 * the endpoints need (log in, refresh, personal tokens) and the periodic sweep of expired revocations.
 * Revoking, listing and introspecting live in `manage.ts`.
 */
import { TokenIssuer, type IssuedToken } from "./issuer.ts";
import { KeySet, type KeySetOptions } from "./keys.ts";
import { Ledger, type LedgerOptions, type LedgerState } from "./ledger.ts";
import { Manager } from "./manage.ts";
import { RefreshTokens } from "./refresh.ts";
import type { TokenStore } from "./stores/store.ts";
import { millis, systemClock, type Clock } from "./types.ts";
import { TokenVerifier, type VerifyResult } from "./verifier.ts";

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
  /** Verified tokens remembered so that a repeat skips the signature check (still checked for expiry and revocation). Default 10 000; 0: off. */
  readonly cacheSize?: number;
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

const DAY = 86_400;

/** Issues, verifies and revokes tokens against one store. Create it with {@link createTokenService}. */
export class TokenService extends Manager {
  readonly keys: KeySet;
  readonly issuer: TokenIssuer;
  readonly #sweeper: NodeJS.Timeout | undefined;

  constructor(readonly options: TokenServiceOptions) {
    const now = options.now ?? systemClock;
    const keys = options.keys instanceof KeySet ? options.keys : new KeySet(options.keys);
    if (!options.store || typeof options.store.revocations !== "function") throw new TypeError("gatehouse/tokens: `store` must be a token store (storeFromEnv(), openStore(url), new MemoryStore())");
    const ttl = {
      access: positive(options.accessTokenTtl ?? 900, "accessTokenTtl"),
      refresh: positive(options.refreshTokenTtl ?? 14 * DAY, "refreshTokenTtl"),
      family: positive(options.refreshFamilyTtl ?? 30 * DAY, "refreshFamilyTtl"),
      api: positive(options.apiTokenTtl ?? 30 * DAY, "apiTokenTtl"),
      apiMax: positive(options.apiTokenMaxTtl ?? 365 * DAY, "apiTokenMaxTtl"),
    };
    const ledger = new Ledger(options.store, options);
    const verifier = new TokenVerifier(keys, ledger, { ...options, now });
    const refresh = new RefreshTokens(ledger, { now, refreshTokenTtl: ttl.refresh, familyTtl: ttl.family, toleranceMs: verifier.toleranceMs });
    // A subject's revocation must outlive every expiring token issued before it.
    super({ ledger, verifier, refresh, now, subjectTtlMs: Math.max(ttl.access, ttl.family, ttl.apiMax) * 1000 + verifier.toleranceMs });
    this.keys = keys;
    this.issuer = new TokenIssuer(keys, ledger, { now, accessTokenTtl: ttl.access, issuer: options.issuer, audience: options.audience });
    this.ttl = ttl;
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.#sweeper = setInterval(() => this.sweep(), every);
      this.#sweeper.unref();
    }
  }

  readonly ttl: { readonly access: number; readonly refresh: number; readonly family: number; readonly api: number; readonly apiMax: number };

  /** `ready` when revocations are current; `syncing` at start-up; `down` while the store is unreachable. */
  get state(): LedgerState {
    return this.ledger.state;
  }

  /** Resolves once revocations have been read from the store (useful at start-up). */
  ready(): Promise<void> {
    return this.ledger.ready();
  }

  /** Verify an access or personal token (signature, algorithm, time, claims, revocation). */
  verify(token: string): Promise<VerifyResult> {
    return this.verifier.verify(token);
  }

  /** A login: a new refresh family, its access token and its first refresh token. */
  async login(request: { subject: string; scopes: readonly string[]; client?: string | null }): Promise<TokenPair> {
    const family = this.refresh.newFamily();
    const client = request.client ?? null;
    const access = await this.issuer.issue({ subject: request.subject, scopes: request.scopes, family, client });
    const refresh = await this.refresh.issue({ subject: request.subject, scopes: request.scopes, family, client });
    return this.#pair(access, refresh.token);
  }

  /**
   * Rotate a refresh token: the next access and refresh tokens of its family. `scopes`, when given, must be
   * among those first granted (RFC 6749 §6); the family keeps its original grant.
   */
  async refreshTokens(refreshToken: string, request: { client?: string | null; scopes?: readonly string[] } = {}): Promise<RefreshResult> {
    const rotated = await this.refresh.rotate(refreshToken, request.client ?? null, request.scopes);
    if (!rotated.ok) return rotated;
    const { record } = rotated;
    const scopes = request.scopes && request.scopes.length > 0 ? request.scopes : record.scopes;
    const family = { id: record.family ?? record.id, expiresAt: record.familyExpiresAt ?? record.expiresAt ?? millis(this.now) };
    const access = await this.issuer.issue({ subject: record.subject, scopes, family, client: record.client ?? null });
    const next = await this.refresh.issue({ subject: record.subject, scopes: record.scopes, family, client: record.client ?? null });
    return { ok: true, ...this.#pair(access, next.token) };
  }

  /** A personal token: `ttl` seconds (default `apiTokenTtl`), or `null` for one only revocation ends. */
  issueApiToken(request: { subject: string; scopes: readonly string[]; ttl?: number | null; name?: string }): Promise<IssuedToken> {
    const ttl = request.ttl === undefined ? this.ttl.api : request.ttl;
    if (ttl !== null && !(ttl > 0 && ttl <= this.ttl.apiMax)) throw new RangeError(`gatehouse/tokens: a personal token's ttl must be between 1 and ${this.ttl.apiMax} seconds`);
    return this.issuer.issue({ subject: request.subject, scopes: request.scopes, kind: "api", ttl, name: request.name });
  }

  /** Drop expired revocations from memory (the stores expire their own copies). */
  sweep(): number {
    return this.ledger.set.sweep(millis(this.now));
  }

  /** Stop the sweeper and the retries, and close the store. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.ledger.close();
  }

  #pair(access: IssuedToken, refreshToken: string): TokenPair {
    const { expiresAt, issuedAt, scopes } = access.record;
    // RFC 6749 §5.1: the lifetime of the access token (both times are whole seconds).
    const expiresIn = expiresAt === null ? undefined : Math.max(0, (expiresAt - issuedAt) / 1000);
    return { accessToken: access.token, refreshToken, expiresIn, scopes };
  }
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
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`gatehouse/tokens: \`${name}\` must be a positive number of seconds (got ${value})`);
  return value;
}
