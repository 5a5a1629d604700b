/**
 * @module
 * One trusted issuer: its options checked once, its metadata discovered on first need (and again, no
 * sooner than `retryMs`, after a failure), its keys, and the checkers of its JWTs and opaque tokens.
 */
import { gatehouseError } from "../../core/errors.ts";
import { discover, discoveryUrls, isTrustedUrl } from "./discovery.ts";
import { issuerFailed, type HttpLimits } from "./fetch.ts";
import { Introspector } from "./introspection.ts";
import { JwtChecker, type Checked } from "./jwt.ts";
import { IssuerKeys } from "./keys.ts";
import { ASYMMETRIC_ALGORITHMS, type IssuerMetadata, type IssuerOptions } from "./types.ts";

/** What every issuer shares: the HTTP limits and the verifier's policy. */
export interface IssuerPolicy {
  readonly limits: HttpLimits;
  readonly clockTolerance: number;
  readonly cooldownMs: number;
  readonly retryMs: number;
  readonly keysMaxAgeMs: number;
  readonly onError: (issuer: string, error: unknown) => void;
}

/** RFC 9068 §2.2: the claims every JWT access token carries. */
const RFC9068_CLAIMS = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];

export class RemoteIssuer {
  readonly issuer: string;
  readonly jwt: JwtChecker;
  readonly introspector: Introspector | undefined;
  readonly #options: IssuerOptions;
  readonly #policy: IssuerPolicy;
  #metadata: Promise<IssuerMetadata> | undefined;
  #failedAt = -Infinity;
  #keys: IssuerKeys | undefined;

  constructor(options: IssuerOptions, policy: IssuerPolicy) {
    const { audience, algorithms } = checkOptions(options);
    this.issuer = options.issuer;
    this.#options = options;
    this.#policy = policy;
    const requiredClaims = [...new Set(["sub", "exp", ...(options.rfc9068 ? RFC9068_CLAIMS : []), ...(options.requiredClaims ?? [])])];
    const rules = { issuer: this.issuer, audience, algorithms, requiredClaims, clockTolerance: policy.clockTolerance, ...(options.rfc9068 ? { typ: "at+jwt" } : {}) };
    this.jwt = new JwtChecker(rules, () => this.keys());
    const introspection = options.introspection;
    this.introspector = introspection && new Introspector(rules, introspection, () => this.#endpoint("introspection_endpoint", introspection.endpoint), policy.limits);
  }

  /** The issuer's metadata: fetched once; after a failure, not asked again for `retryMs`. */
  metadata(): Promise<IssuerMetadata> {
    if (this.#metadata === undefined && Date.now() - this.#failedAt < this.#policy.retryMs) {
      return Promise.reject(issuerFailed(`issuer "${this.issuer}": its metadata could not be fetched a moment ago`));
    }
    this.#metadata ??= discover(this.issuer, this.#options.discoveryUrl ? [this.#options.discoveryUrl] : discoveryUrls(this.issuer), {
      ...this.#policy.limits,
      allowHttp: this.#options.allowHttp ?? false,
    }).catch((error: unknown) => {
      this.#metadata = undefined;
      this.#failedAt = Date.now();
      this.#policy.onError(this.issuer, error);
      throw error;
    });
    return this.#metadata;
  }

  /** The issuer's keys, from `jwksUri` or its metadata's `jwks_uri`. */
  async keys(): Promise<IssuerKeys> {
    if (this.#keys) return this.#keys;
    const url = await this.#endpoint("jwks_uri", this.#options.jwksUri);
    const policy = this.#policy;
    this.#keys ??= new IssuerKeys(url, { ...policy, maxAgeMs: policy.keysMaxAgeMs, onFailure: (error) => policy.onError(this.issuer, error) });
    return this.#keys;
  }

  async #endpoint(key: "jwks_uri" | "introspection_endpoint", configured: string | undefined): Promise<string> {
    const url = configured ?? (await this.metadata())[key];
    // Discovery has checked the URLs it found; configured ones were checked at construction.
    if (url === undefined) throw issuerFailed(`issuer "${this.issuer}" publishes no \`${key}\``);
    return url;
  }
}

/** Refuse, at start-up, an issuer that could accept tokens it should not. */
function checkOptions(options: IssuerOptions): { audience: readonly string[]; algorithms: readonly string[] } {
  const where = `gatehouse/tokens: issuer ${JSON.stringify(options?.issuer)}`;
  const allowHttp = options?.allowHttp ?? false;
  if (typeof options?.issuer !== "string" || !isTrustedUrl(options.issuer, allowHttp)) {
    throw gatehouseError("GH_INVALID_OPTION", `${where}: \`issuer\` must be an https URL (http only on this machine, or with allowHttp)`);
  }
  for (const [name, url] of [["discoveryUrl", options.discoveryUrl], ["jwksUri", options.jwksUri], ["introspection.endpoint", options.introspection?.endpoint]] as const) {
    if (url !== undefined && !isTrustedUrl(url, allowHttp)) throw gatehouseError("GH_INVALID_OPTION", `${where}: \`${name}\` must be an https URL (http only on this machine, or with allowHttp)`);
  }
  const audience = typeof options.audience === "string" ? [options.audience] : options.audience;
  if (!Array.isArray(audience) || audience.length === 0 || !audience.every((a) => typeof a === "string" && a !== "")) {
    throw gatehouseError("GH_INVALID_OPTION", `${where}: \`audience\` must name this API (a string or a list of them): a token for another API must not pass`);
  }
  const algorithms = options.algorithms ?? ASYMMETRIC_ALGORITHMS;
  const refused = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    throw gatehouseError("GH_INVALID_OPTION", `${where}: \`algorithms\` may only list asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(", ")}); refused: ${refused.join(", ") || "(none given)"}`);
  }
  const introspection = options.introspection;
  if (introspection !== undefined && (typeof introspection.clientId !== "string" || typeof introspection.clientSecret !== "string")) {
    throw gatehouseError("GH_INVALID_OPTION", `${where}: \`introspection\` needs \`clientId\` and \`clientSecret\` (RFC 7662 §2.1: the endpoint is for authenticated resource servers)`);
  }
  return { audience, algorithms };
}
