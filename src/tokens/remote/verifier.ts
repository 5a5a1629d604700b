/**
 * @module
 * `createRemoteVerifier`: the resource server's side of tokens issued elsewhere (Keycloak, Auth0, Entra,
 * Cognito, another gatehouse). A JWT is routed to its issuer by its `iss`, read unverified only to choose
 * which issuer's keys and rules then verify it; anything else goes to the one issuer configured for RFC 7662
 * introspection. A token that passes is then checked against the local revocations, as gatehouse's own are,
 * under its issuer's name (a `jti` or `sub` is only unique within one issuer).
 */
import { decodeJwt } from "jose";
import { startupTimeoutMs } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { revocationExpiry, type AccessClaims, type AccessTokenVerifier, type VerifyFailure, type VerifyResult } from "../claims.ts";
import { verifyFailure } from "../errors.ts";
import { millis, systemClock } from "../internal/clock.ts";
import { Ledger } from "../internal/ledger.ts";
import { VerifiedCache } from "../internal/verified-cache.ts";
import type { RevocationSubject } from "../internal/revocation.ts";
import { MemoryStore } from "../stores/memory.ts";
import type { Clock, LedgerState } from "../types.ts";
import { RemoteIssuer } from "./issuer.ts";
import type { Checked } from "./jwt.ts";
import type { IssuerMetadata, RemoteVerifierOptions } from "./types.ts";

/** Verifies tokens of other issuers; create it with {@link createRemoteVerifier}. */
export class RemoteVerifier implements AccessTokenVerifier {
  /** The trusted issuers, as configured. */
  readonly issuers: readonly string[];
  readonly #byIssuer = new Map<string, RemoteIssuer>();
  readonly #opaque: RemoteIssuer | undefined;
  readonly #ledger: Ledger;
  readonly #now: Clock;
  readonly #toleranceMs: number;
  readonly #sweeper: NodeJS.Timeout;
  /**
   * Verified JWTs by their exact text (a forgery cannot hit), so that a repeat skips decoding and the
   * signature; bounded by entries and bytes like the local verifier's, since a token can be as long as a header.
   */
  readonly #seen: VerifiedCache<Seen>;

  constructor(options: RemoteVerifierOptions) {
    if (!Array.isArray(options?.issuers) || options.issuers.length === 0) throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: createRemoteVerifier needs `issuers`: at least one issuer whose tokens to accept");
    const clockTolerance = options.clockTolerance ?? 5;
    const policy = {
      limits: { timeoutMs: options.timeoutMs ?? 5_000, maxBytes: options.maxResponseBytes ?? 256 * 1024, fetch: options.fetch ?? globalThis.fetch },
      clockTolerance,
      cooldownMs: options.cooldownMs ?? 30_000,
      retryMs: options.issuerRetryMs ?? 5_000,
      keysMaxAgeMs: options.keysMaxAgeMs ?? 600_000,
      onError: options.onIssuerError ?? warn,
    };
    for (const issuerOptions of options.issuers) {
      const issuer = new RemoteIssuer(issuerOptions, policy);
      if (this.#byIssuer.has(issuer.issuer)) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: issuer "${issuer.issuer}" is listed twice`);
      this.#byIssuer.set(issuer.issuer, issuer);
    }
    const opaque = [...this.#byIssuer.values()].filter((issuer) => issuer.introspector);
    // An opaque token does not say whose it is; sending it to every issuer would hand it to all of them.
    if (opaque.length > 1) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: only one issuer may have \`introspection\` (opaque tokens do not name their issuer): ${opaque.map((i) => i.issuer).join(", ")}`);
    this.#opaque = opaque[0];
    this.issuers = Object.freeze([...this.#byIssuer.keys()]);
    this.#now = options.now ?? systemClock;
    this.#toleranceMs = clockTolerance * 1000;
    this.#seen = new VerifiedCache(options.cacheSize ?? 10_000, options.cacheBytes ?? 16 * 2 ** 20);
    this.#ledger = new Ledger(options.store ?? new MemoryStore(), options);
    this.#sweeper = setInterval(() => this.#ledger.set.sweep(millis(this.#now)), 60_000);
    this.#sweeper.unref();
  }

  /** `ready` when local revocations are current; `down` while their store is unreachable (requests then answer 503). */
  get state(): LedgerState {
    return this.#ledger.state;
  }

  /**
   * Verify a bearer token of one of the issuers: 401 `invalid_token` for a bad, expired or revoked one; 503
   * when its issuer (or the revocation store) cannot be asked and what is known here does not decide.
   */
  async verify(token: string): Promise<VerifyResult> {
    const now = millis(this.#now);
    let seen = this.#seen.get(token);
    if (seen === undefined || now >= seen.until || !seen.current()) {
      if (seen !== undefined) this.#seen.delete(token);
      const { issuer, checked } = await this.#check(token, now);
      if (!checked.ok) return fail(checked.reason, checked.cause);
      const { claims, current } = checked;
      seen = { claims, current: current ?? always, until: checked.until, revocation: { jti: named(issuer, claims.jti), sub: named(issuer, claims.sub), iat: claims.iat } };
      // Opaque tokens have the introspection cache, with its own, shorter, lifetime. A remote signature
      // (ES256, RS256) costs enough that a token is kept at first sight, without the local cache's doorkeeper.
      if (current) this.#seen.set(token, seen);
    }
    // Only now is a revocation answer needed: a forged token is refused even while the store is down.
    if (this.#ledger.state !== "ready" && !(await this.#ledger.trusted())) return verifyFailure("unavailable");
    if (this.#ledger.set.isRevoked(seen.revocation)) return verifyFailure("revoked");
    return { ok: true, claims: seen.claims };
  }

  /** @internal The verified-token cache (hit/miss counts, bounds), for white-box tests; left out of the published types. */
  get verifiedCache(): VerifiedCache<unknown> {
    return this.#seen;
  }

  /** An issuer's discovery metadata (e.g. its endpoints, for the docs' Authorize button); default: the first issuer. */
  metadata(issuer: string = this.issuers[0]!): Promise<IssuerMetadata> {
    return this.#issuer(issuer).metadata();
  }

  /**
   * Resolves once the local revocations are read (what the app awaits before it serves, `GH_STORE_UNREACHABLE`
   * past `timeoutMs`, default `$GATEHOUSE_STARTUP_TIMEOUT_MS`, else 5000); with `keys: true`, once every
   * issuer's keys are fetched too (`GH_ISSUER_FAILED` otherwise). Without it the keys are fetched when a
   * token first needs them, so an API starts while its identity provider is down, as Spring Security's
   * resource server does.
   */
  async ready(options: { readonly timeoutMs?: number; readonly keys?: boolean } = {}): Promise<void> {
    if (options.keys) await Promise.all([...this.#byIssuer.values()].map(async (issuer) => (issuer.introspector ? issuer.metadata() : (await issuer.keys()).load())));
    await this.#ledger.ready(options.timeoutMs ?? startupTimeoutMs());
  }

  /**
   * Revoke, here, a token its issuer still accepts: by its `jti` (or hash), for as long as it could be
   * used. Resolves `false` for a token that does not verify; rejects with a 503 when it cannot be checked.
   */
  async revokeToken(token: string): Promise<boolean> {
    const now = millis(this.#now);
    const { issuer, checked } = await this.#check(token, now);
    if (!checked.ok) {
      if (checked.reason === "unavailable") throw fail("unavailable", checked.cause).error;
      return false;
    }
    await this.#revoke(issuer, checked.claims.jti, checked.claims.exp === undefined ? null : checked.claims.exp * 1000, now);
    return true;
  }

  /**
   * Revoke a token by the id a principal shows (`tokenId`). `issuer` may be left out when there is one;
   * `expiresAt` (epoch ms) is when the token expires, after which the revocation is dropped (default: kept).
   */
  async revokeById(id: string, options: { readonly issuer?: string; readonly expiresAt?: number | null } = {}): Promise<void> {
    const issuer = options.issuer ?? (this.issuers.length === 1 ? this.issuers[0]! : undefined);
    if (issuer === undefined) throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: revokeById: name the `issuer` of the token (several are trusted)");
    await this.#revoke(this.#issuer(issuer).issuer, id, options.expiresAt ?? null, millis(this.#now));
  }

  /** Stop the sweeper and close the revocation store. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#ledger.close();
  }

  /** Route the token to its issuer and check it there. */
  async #check(token: string, now: number): Promise<{ issuer: string; checked: Checked }> {
    if (token.split(".").length !== 3) {
      return this.#opaque ? { issuer: this.#opaque.issuer, checked: await this.#opaque.introspector!.check(token, now) } : REFUSED;
    }
    const issuer = this.#byIssuer.get(peekIssuer(token) ?? "");
    return issuer ? { issuer: issuer.issuer, checked: await issuer.jwt.check(token, now) } : REFUSED;
  }

  #revoke(issuer: string, id: string, expiresAt: number | null, now: number): Promise<void> {
    return this.#ledger.revoke({ type: "token", id: named(issuer, id), at: now, expiresAt: revocationExpiry(expiresAt, this.#toleranceMs) });
  }

  #issuer(issuer: string): RemoteIssuer {
    const found = this.#byIssuer.get(issuer);
    if (!found) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: "${issuer}" is not one of the trusted issuers (${this.issuers.join(", ")})`);
    return found;
  }
}

/** A verified token as remembered: its claims, whether its keys still hold, until when (epoch ms), its revocation keys. */
interface Seen {
  readonly claims: AccessClaims;
  readonly current: () => boolean;
  readonly until: number;
  readonly revocation: RevocationSubject;
}

const always = () => true;

/** No issuer of ours: refused before any key or network is involved. */
const REFUSED = Object.freeze({ issuer: "", checked: Object.freeze({ ok: false, reason: "invalid" }) as Checked });

/**
 * The unverified `iss`, only to choose whose keys verify the token; `undefined` when it cannot be read.
 * Nothing else of the unverified payload is used.
 */
function peekIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === "string" ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** A revocation key: an id (`jti`, `sub`) under its issuer, so that two issuers' ids never meet. */
function named(issuer: string, id: string): string {
  return `${issuer} ${id}`;
}

/**
 * A refusal by the issuer's side and its answer: `unavailable` here means the issuer (its keys or its
 * introspection endpoint) could not be asked — a 503 of its own, with the cause; the rest are the
 * token layer's (`verifyFailure`).
 */
function fail(reason: VerifyFailure, cause?: unknown): Extract<VerifyResult, { ok: false }> {
  return reason === "unavailable" ? { ok: false, reason, error: gatehouseError("GH_ISSUER_UNAVAILABLE", { cause }) } : verifyFailure(reason);
}

function warn(issuer: string, error: unknown): void {
  console.warn(`gatehouse/tokens: issuer ${issuer}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Verify tokens of other issuers, for `bearerPrincipal({ tokens: verifier, scheme })`.
 *
 * @example
 * const verifier = createRemoteVerifier({ issuers: [{ issuer: "https://id.example.com", audience: "api" }], store: storeFromEnv() });
 * const principal = bearerPrincipal({ tokens: verifier, scheme: resource.bearer() });
 */
export function createRemoteVerifier(options: RemoteVerifierOptions): RemoteVerifier {
  return new RemoteVerifier(options);
}
