/**
 * @module
 * OAuth2 schemes: the generic `OAuth2` (any flows) and the two bearer-token ones FastAPI ships,
 * `OAuth2PasswordBearer` and `OAuth2AuthorizationCodeBearer`. They only read the token; the user's
 * dependency validates it. *(FastAPI `security/oauth2.py`)*
 */
import type { Refusal } from "../core/refusal.ts";
import type { RequestView } from "../core/request.ts";
import { normalizeFlows } from "./oauth2-flows.ts";
import { authorizationHeader, schemeModel, SecurityBase, splitAuthorization, type OAuthFlows, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "./base.ts";

/** Scope name → description, as OpenAPI's `scopes` map. */
export type ScopeMap = Readonly<Record<string, string>>;

/** The union of scope names of every flow. */
type FlowScopes<F> = { [K in keyof F]: F[K] extends { scopes: infer S } ? keyof S & string : never }[keyof F];

export interface OAuth2Options<F extends OAuthFlows, AE extends boolean> extends SchemeOptions<AE> {
  /** The flows the client may use to get a token; none by default, as FastAPI's `OAuthFlows()`. */
  readonly flows?: F;
}

/**
 * OAuth2 with any flows; injects the whole `Authorization` header value.
 *
 * @example
 * const oauth2 = new OAuth2({ flows: { clientCredentials: { tokenUrl: "/token", scopes: {} } } });
 */
export class OAuth2<const F extends OAuthFlows = OAuthFlows, const AE extends boolean = true> extends SecurityBase<
  SchemeResult<string, AE>,
  FlowScopes<F>
> {
  readonly model: SecuritySchemeObject;
  readonly #scopes: readonly string[];

  constructor(options: OAuth2Options<F, AE> = {}, defaultName = "OAuth2") {
    super(options, defaultName);
    const flows = normalizeFlows(options.flows ?? {}, defaultName);
    this.model = schemeModel("oauth2", options.description, { flows });
    this.#scopes = [...new Set(Object.values(flows).flatMap((flow) => Object.keys(flow.scopes)))];
  }

  override get declaredScopes(): readonly string[] {
    return this.#scopes;
  }

  override get takesScopes(): boolean {
    return true;
  }

  get challenge(): string {
    return "Bearer";
  }

  read(request: RequestView): SchemeResult<string, AE> | Refusal {
    const authorization = authorizationHeader(request);
    if (!authorization) return this.missing();
    return authorization;
  }
}

/** Reads `Authorization: Bearer <token>` (scheme case-insensitive) and injects the token. */
abstract class OAuth2Bearer<F extends OAuthFlows, AE extends boolean> extends OAuth2<F, AE> {
  override read(request: RequestView): SchemeResult<string, AE> | Refusal {
    const authorization = authorizationHeader(request);
    const [scheme, token] = splitAuthorization(authorization);
    if (!authorization || scheme.toLowerCase() !== "bearer") return this.missing();
    return token;
  }
}

export interface OAuth2PasswordBearerOptions<S extends ScopeMap, AE extends boolean> extends SchemeOptions<AE> {
  /** Where the client posts username and password (the `/token` route); relative URLs are fine. */
  readonly tokenUrl: string;
  readonly scopes?: S;
  readonly refreshUrl?: string;
}

/**
 * The password flow's bearer token, as in FastAPI's tutorial.
 *
 * @example
 * const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read me.", items: "Read items." } });
 */
export class OAuth2PasswordBearer<const S extends ScopeMap = {}, const AE extends boolean = true> extends OAuth2Bearer<
  { password: { tokenUrl: string; refreshUrl?: string; scopes: S } },
  AE
> {
  constructor(options: OAuth2PasswordBearerOptions<S, AE>) {
    const flow = { tokenUrl: options.tokenUrl, refreshUrl: options.refreshUrl, scopes: options.scopes ?? ({} as S) };
    super({ ...options, flows: { password: flow } }, "OAuth2PasswordBearer");
  }
}

export interface OAuth2AuthorizationCodeBearerOptions<S extends ScopeMap, AE extends boolean> extends SchemeOptions<AE> {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly refreshUrl?: string;
  readonly scopes?: S;
}

/** The authorization-code flow's bearer token. */
export class OAuth2AuthorizationCodeBearer<const S extends ScopeMap = {}, const AE extends boolean = true> extends OAuth2Bearer<
  { authorizationCode: { authorizationUrl: string; tokenUrl: string; refreshUrl?: string; scopes: S } },
  AE
> {
  constructor(options: OAuth2AuthorizationCodeBearerOptions<S, AE>) {
    const flow = {
      authorizationUrl: options.authorizationUrl,
      tokenUrl: options.tokenUrl,
      refreshUrl: options.refreshUrl,
      scopes: options.scopes ?? ({} as S),
    };
    super({ ...options, flows: { authorizationCode: flow } }, "OAuth2AuthorizationCodeBearer");
  }
}

export interface OAuth2ClientCredentialsOptions<S extends ScopeMap, AE extends boolean> extends SchemeOptions<AE> {
  /** Where the client posts `grant_type=client_credentials` with its id and secret. */
  readonly tokenUrl: string;
  readonly scopes?: S;
  readonly refreshUrl?: string;
}

/**
 * The client-credentials flow's bearer token (RFC 6749 §4.4): a machine client gets a token with its own
 * id and secret, no user involved. Not in FastAPI; for the `/token` side, `tokenRouter` from
 * `gatehouse/tokens` answers `grant_type=client_credentials` for clients configured with `scopes`.
 *
 * @example
 * const machine = new OAuth2ClientCredentials({ tokenUrl: "/token", scopes: { "reports:read": "Read reports." } });
 */
export class OAuth2ClientCredentials<const S extends ScopeMap = {}, const AE extends boolean = true> extends OAuth2Bearer<
  { clientCredentials: { tokenUrl: string; refreshUrl?: string; scopes: S } },
  AE
> {
  constructor(options: OAuth2ClientCredentialsOptions<S, AE>) {
    const flow = { tokenUrl: options.tokenUrl, refreshUrl: options.refreshUrl, scopes: options.scopes ?? ({} as S) };
    super({ ...options, flows: { clientCredentials: flow } }, "OAuth2ClientCredentials");
  }
}
