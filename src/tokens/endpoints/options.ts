/**
 * @module
 * What `tokenRouter` is configured with: the token service, how to check a password, the OAuth clients,
 * and who "me" is on the `/users/me/tokens` routes.
 */
import type { DependencyLike } from "../../core/dependency.ts";
import type { Awaitable } from "../../core/types.ts";
import type { SecurityBase } from "../../security/base.ts";
import type { TokenService } from "../service.ts";
import type { Client, Clients } from "./client.ts";
import type { LoginThrottleOptions } from "./throttle.ts";

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

export interface TokenRouterOptions {
  readonly tokens: TokenService;
  /** Check a username and password; `undefined`/`null`/`false` answers 400, as the seed does. */
  readonly authenticate: (grant: PasswordGrant) => Awaitable<AuthenticatedSubject | undefined | null | false>;
  /**
   * Confidential clients by id. Public clients (no secret, or Swagger UI's empty `Basic Og==`) need no entry.
   * A client with `scopes` may also use `grant_type=client_credentials` (RFC 6749 §4.4).
   */
  readonly clients?: Clients;
  /** Adds `GET/DELETE {prefix}/tokens…`, `POST {prefix}/tokens/revoke-all` and `POST {prefix}/api-tokens`. */
  readonly me?: MeRoutesOptions;
  readonly paths?: { readonly token?: string; readonly revoke?: string; readonly introspect?: string };
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

/** Whether the route at `path` goes into the OpenAPI document. */
export function documented(options: TokenRouterOptions, path: string): boolean {
  const include = options.includeInSchema ?? true;
  return typeof include === "boolean" ? include : include.includes(path);
}
