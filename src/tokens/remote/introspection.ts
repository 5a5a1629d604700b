/**
 * @module
 * Opaque tokens, checked at their issuer's RFC 7662 introspection endpoint. Answers are remembered for a
 * short, bounded while under a hash of the token (never the token itself), concurrent questions about one
 * token share one request, and a string that cannot be a bearer token is refused without asking.
 */
import { claimsFrom } from "../claims.ts";
import { tokenHash } from "../internal/ids.ts";
import { ExpiringCache } from "./cache.ts";
import { issuerFailed, requestJson, type HttpLimits } from "./fetch.ts";
import { INVALID, type Checked } from "./jwt.ts";
import type { IntrospectionOptions } from "./types.ts";

/** RFC 6750 §2.1: `b64token`, the only thing an `Authorization: Bearer` credential can be. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface IntrospectionRules {
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Seconds. */
  readonly clockTolerance: number;
}

export class Introspector {
  readonly #cache: ExpiringCache<Checked>;
  readonly #asking = new Map<string, Promise<Checked>>();
  readonly #ttlMs: number;
  readonly #authorization: string;

  constructor(
    readonly rules: IntrospectionRules,
    options: IntrospectionOptions,
    /** The endpoint, once the issuer's metadata is known. */
    readonly endpoint: () => Promise<string>,
    readonly limits: HttpLimits,
  ) {
    this.#ttlMs = (options.cacheTtl ?? 30) * 1000;
    this.#cache = new ExpiringCache(this.#ttlMs > 0 ? (options.cacheSize ?? 10_000) : 0);
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const form = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
    this.#authorization = `Basic ${Buffer.from(`${form(options.clientId)}:${form(options.clientSecret)}`).toString("base64")}`;
  }

  async check(token: string, now: number): Promise<Checked> {
    if (!B64TOKEN.test(token)) return INVALID;
    const key = tokenHash(token);
    const known = this.#cache.get(key, now);
    if (known !== undefined) return known;
    let asking = this.#asking.get(key);
    if (asking === undefined) {
      asking = this.#ask(token, now).finally(() => this.#asking.delete(key));
      this.#asking.set(key, asking);
    }
    const answer = await asking;
    // An issuer that could not answer is asked again next time.
    if (answer.ok || answer.reason !== "unavailable") this.#cache.set(key, answer, Math.min(now + this.#ttlMs, answer.ok ? answer.until : Infinity));
    return answer;
  }

  async #ask(token: string, now: number): Promise<Checked> {
    let json: unknown;
    try {
      const endpoint = await this.endpoint();
      const answer = await requestJson(
        endpoint,
        {
          method: "POST",
          headers: { authorization: this.#authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
        },
        this.limits,
      );
      if (answer.status !== 200) throw issuerFailed(`${endpoint}: introspection answered ${answer.status}`);
      json = answer.json;
      if (json === null || typeof json !== "object" || typeof (json as { active?: unknown }).active !== "boolean") throw issuerFailed(`${endpoint}: not an RFC 7662 answer`);
    } catch (cause) {
      return { ok: false, reason: "unavailable", cause };
    }
    return this.#judge(json as Record<string, unknown>, token, now);
  }

  /** RFC 7662 §2.2 says whether the token is active; §4 leaves the rest to us: its issuer, audience, type and times. */
  #judge(answer: Record<string, unknown>, token: string, now: number): Checked {
    const { active, iss, aud, token_type, exp, nbf } = answer;
    if (active !== true) return INVALID;
    if (iss !== undefined && iss !== this.rules.issuer) return INVALID;
    const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!audiences.some((a) => this.rules.audience.includes(a))) return INVALID;
    if (token_type === "refresh_token") return INVALID;
    const leeway = this.rules.clockTolerance * 1000;
    if (typeof exp === "number" && exp * 1000 + leeway <= now) return { ok: false, reason: "expired" };
    if (typeof nbf === "number" && nbf * 1000 > now + leeway) return INVALID;
    // RFC 9068 §2.2: where no resource owner is involved (client credentials), the subject is the client.
    const claims = claimsFrom({ ...answer, sub: answer.sub ?? answer.client_id } as Record<string, unknown>, token);
    if (!claims) return INVALID;
    return { ok: true, claims, until: typeof exp === "number" ? exp * 1000 + leeway : Infinity };
  }
}
