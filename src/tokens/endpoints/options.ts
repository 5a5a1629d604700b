/**
 * @module
 * What `tokenRouter` is configured with: the token service, how to check a password, the OAuth clients,
 * the authorization endpoint and its pages, and who "me" is on the `/users/me/tokens` routes.
 */
import type { ErrorStyle } from "../../core/error-style.ts";
import type { DependencyLike } from "../../core/dependency.ts";
import type { Awaitable } from "../../core/types.ts";
import type { SecurityBase } from "../../security/base.ts";
import type { ScopeMap } from "../../security/oauth2.ts";
import type { AuthorizationPages } from "./authorize-pages.ts";
import type { TokenService } from "../service.ts";
import type { Client, Clients } from "./client.ts";
import type { LoginThrottle, LoginThrottleOptions } from "./throttle.ts";
import type { ClientRegistry, GrantType } from "./client-registry.ts";

/** The password grant's credentials, as `authenticate` receives them. */
export interface PasswordGrant {
  readonly username: string;
  readonly password: string;
  /** The `scope` field split at white space. */
  readonly scopes: readonly string[];
  readonly client: Client;
}

/** Who logged in, and the scopes to grant (default: the scopes asked for, as the seed does). */
export interface AuthenticatedSubject {
  readonly subject: string;
  readonly scopes?: readonly string[];
}

export interface MeRoutesOptions {
  /** The scheme that reads the request's bearer token (the app's `OAuth2PasswordBearer`); `bearerPrincipal` verifies it. */
  readonly token: SecurityBase<string, string>;
  /** Checks run first, e.g. `[security(getCurrentActiveUser, ["me"])]`: a disabled user cannot manage tokens. */
  readonly dependencies?: readonly DependencyLike[];
  /** Default `/users/me`. */
  readonly prefix?: string;
  /**
   * Seconds since the password login within which a token may create a personal token (RFC 9470's
   * `max_age`); older, the answer is 401 `insufficient_user_authentication`. Default 600 (10 minutes).
   */
  readonly maxAuthAge?: number;
}

/** `GET/POST /authorize` (RFC 6749 §4.1): a login page, a consent page, then a code for the client. */
export interface AuthorizationOptions {
  /** Scope name → description, listed on the consent page: the app's OAuth2 scheme's scope map. */
  readonly scopes: ScopeMap;
  /**
   * Signs the login session cookie (HMAC-SHA256), at least 32 bytes. Default: random per process, so that
   * sessions end with it; several instances behind one address need one secret.
   */
  readonly sessionSecret?: string | Uint8Array;
  /** How long a login lasts for `/authorize`, seconds. Default 3600. */
  readonly sessionTtl?: number;
  /** The app's own login, consent and error pages, instead of the plain ones (`authorize-pages.ts`). */
  readonly pages?: Partial<AuthorizationPages>;
}

export interface TokenRouterOptions {
  readonly tokens: TokenService;
  /** Check a username and password (the password grant, the login page); `undefined`/`null`/`false` refuses. */
  readonly authenticate: (grant: PasswordGrant) => Awaitable<AuthenticatedSubject | undefined | null | false>;
  /**
   * The registered clients by id (`client-registry.ts`): confidential with a `secret`, public without.
   * An unregistered public client (or Swagger UI's empty `Basic Og==`) may use the password grant only.
   */
  readonly clients?: Clients;
  /** Serve `/authorize` and `grant_type=authorization_code` for clients with `redirectUris`. */
  readonly authorization?: AuthorizationOptions;
  /** Answer `grant_type=password` (RFC 6749 §4.3; OAuth 2.1 drops it). Default `true`. */
  readonly passwordGrant?: boolean;
  /**
   * How `/token`, `/revoke` and `/introspect` answer errors: `oauth`, RFC 6749 §5.2's
   * `{"error", "error_description"}` (what standard OAuth clients read; `grant_type` then required), or
   * `fastapi`, `{"detail": …}` and a 422 for a missing field, as FastAPI's tutorial answers. Default:
   * `oauth` with `authorization`, else `fastapi`.
   */
  readonly errorStyle?: ErrorStyle;
  /**
   * Serve RFC 8414 metadata at `/.well-known/oauth-authorization-server` (and `openid-configuration`).
   * Default: when the token service has an `issuer`. The JWK Set is served whenever keys are asymmetric.
   */
  readonly metadata?: boolean;
  /** Adds `GET/DELETE {prefix}/tokens…`, `POST {prefix}/tokens/revoke-all` and `POST {prefix}/api-tokens`. */
  readonly me?: MeRoutesOptions;
  readonly paths?: { readonly token?: string; readonly revoke?: string; readonly introspect?: string; readonly authorize?: string; readonly jwks?: string };
  /** `true` (default) documents every route in OpenAPI, `false` none, a list only the paths it names. */
  readonly includeInSchema?: boolean | readonly string[];
  /**
   * Throttling of the password grant (429 `GH_TOO_MANY_LOGINS` with `Retry-After`): failed logins per
   * (account, client network), per network and per account. Default on; `false` turns it off.
   */
  readonly loginThrottle?: LoginThrottleOptions | false;
  /** The 400 detail of a failed password grant. Default FastAPI tutorial's `Incorrect username or password`. */
  readonly invalidCredentialsDetail?: string;
  readonly tags?: readonly string[];
}

/** Where each endpoint is served. */
export function endpointPaths(options: TokenRouterOptions) {
  const paths = options.paths ?? {};
  return {
    token: paths.token ?? "/token",
    revoke: paths.revoke ?? "/revoke",
    introspect: paths.introspect ?? "/introspect",
    authorize: paths.authorize ?? "/authorize",
    jwks: paths.jwks ?? "/.well-known/jwks.json",
  };
}

/** Whether the route at `path` goes into the OpenAPI document. */
export function documented(options: TokenRouterOptions, path: string): boolean {
  const include = options.includeInSchema ?? true;
  return typeof include === "boolean" ? include : include.includes(path);
}

/** What the endpoints of one router share, worked out once by `tokenRouter`. */
export interface Endpoints {
  readonly options: TokenRouterOptions;
  readonly registry: ClientRegistry;
  readonly paths: ReturnType<typeof endpointPaths>;
  readonly errorStyle: ErrorStyle;
  /** The grants `/token` answers. */
  readonly grants: ReadonlySet<GrantType>;
  /** The password throttle every login goes through (`password.ts`), unless `loginThrottle: false`. */
  readonly throttle: LoginThrottle | undefined;
}
