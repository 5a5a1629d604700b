/**
 * @module
 * An issuer's signing keys, from its `jwks_uri`, on jose's `createRemoteJWKSet`: fetched on first use,
 * refetched for an unknown `kid` at most once per cool-down (30 s) and when older than `maxAgeMs`. Two
 * things jose leaves to us: keys already fetched keep working while the issuer is unreachable (jose drops
 * stale keys when a refetch fails), and a failed fetch is not retried before `retryMs` (jose would retry on
 * every token with an unknown `kid`, so a burst of them would hammer an issuer that is already down).
 */
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type FlattenedJWSInput, type JWSHeaderParameters } from "jose";
import { boundedFetch, isIssuerFailure, issuerFailed, type HttpLimits } from "./fetch.ts";

export interface KeyPolicy {
  readonly limits: HttpLimits;
  readonly cooldownMs: number;
  readonly retryMs: number;
  readonly maxAgeMs: number;
  /** Told of a failed fetch. */
  readonly onFailure: (error: unknown) => void;
}

type KeyFunction = ReturnType<typeof createLocalJWKSet>;

export class IssuerKeys {
  readonly #remote: ReturnType<typeof createRemoteJWKSet>;
  readonly #policy: KeyPolicy;
  #failedAt = -Infinity;
  #lastFailure: Error | undefined;
  #lastBody = "";
  #generation = 0;
  /** The fetched keys as a local set, for when the issuer must not be asked; rebuilt once per generation. */
  #offline: { generation: number; get: KeyFunction } | undefined;

  constructor(
    readonly url: string,
    policy: KeyPolicy,
  ) {
    this.#policy = policy;
    const fetch = boundedFetch(policy.limits);
    this.#remote = createRemoteJWKSet(new URL(url), {
      timeoutDuration: policy.limits.timeoutMs,
      cooldownDuration: policy.cooldownMs,
      cacheMaxAge: policy.maxAgeMs,
      // Counts key sets that differ from the last one, so that a verification cached under old keys is redone.
      [customFetch]: async (input: string, init: RequestInit) => {
        const response = await fetch(input, init);
        const body = await response.clone().text();
        if (response.status === 200 && body !== this.#lastBody) {
          this.#lastBody = body;
          this.#generation++;
        }
        return response;
      },
    });
  }

  /** Bumped whenever a fetch brings a different key set; a verification is only as good as the keys it used. */
  get generation(): number {
    return this.#generation;
  }

  /** Fetch the keys now, unless they are fresh (at start-up); rejects with `GH_ISSUER_FAILED`. */
  async load(): Promise<void> {
    if (this.#remote.fresh) return;
    await this.#remote.reload().catch((error: unknown) => {
      throw this.#failure(error);
    });
  }

  /** The key for a token, as jose's `jwtVerify` asks for it. Rejects with `GH_ISSUER_FAILED` when the issuer is needed and fails. */
  readonly key = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    // Keys never fetched, or past their age: fetch now, unless the issuer failed a moment ago.
    if (!this.#remote.fresh && !this.#failedRecently()) await this.#remote.reload().catch((error: unknown) => this.#failure(error));
    if (!this.#remote.fresh || this.#failedRecently()) return this.#fromFetched(header, token);
    try {
      // May refetch, for a `kid` not among the keys, once per cool-down.
      return await this.#remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error; // the token's fault
      throw this.#failure(error);
    }
  };

  /** The issuer cannot be asked: the keys it gave last time, if any, with no network. */
  async #fromFetched(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> {
    if (this.#offline?.generation !== this.#generation) {
      const jwks = this.#remote.jwks();
      if (jwks === undefined) throw this.#lastFailure ?? issuerFailed(`${this.url}: no keys fetched yet`);
      this.#offline = { generation: this.#generation, get: createLocalJWKSet(jwks) };
    }
    try {
      return await this.#offline.get(header, token);
    } catch (error) {
      // A `kid` we do not know while the issuer is down may be a key it has just rotated in: no answer yet.
      if (error instanceof errors.JWKSNoMatchingKey) throw issuerFailed(`${this.url}: unknown key "${header.kid}", and the issuer cannot be asked now`, error);
      throw error;
    }
  }

  #failedRecently(): boolean {
    return Date.now() - this.#failedAt < this.#policy.retryMs;
  }

  /** Note a failed fetch: nothing more is asked of the issuer for `retryMs`. */
  #failure(error: unknown): Error {
    this.#failedAt = Date.now();
    const failure = isIssuerFailure(error) ? error : issuerFailed(`${this.url}: ${error instanceof Error ? error.message : String(error)}`, error);
    this.#policy.onFailure(failure);
    return (this.#lastFailure = failure);
  }
}
