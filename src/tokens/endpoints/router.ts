/**
 * @module
 * `tokenRouter`: the token endpoints as a router to `app.include()`, FastAPI's `APIRouter` style: `/token`,
 * `/revoke`, `/introspect`, with `authorization` the authorization endpoint and its pages, the RFC 8414
 * metadata and the JWK Set, and with `me` the signed-in user's token routes.
 */
import { dependency } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { Router } from "../../core/router.ts";
import { TokenService } from "../service.ts";
import { addAuthorizeRoutes } from "./authorize.ts";
import { ClientRegistry, type GrantType } from "./client-registry.ts";
import { addIntrospectRoute } from "./introspect.ts";
import { addMeRoutes } from "./me.ts";
import { addMetadataRoutes } from "./metadata.ts";
import { endpointPaths, type Endpoints, type TokenRouterOptions } from "./options.ts";
import { addRevokeRoute } from "./revoke.ts";
import { LoginThrottle } from "./throttle.ts";
import { addTokenRoute } from "./token.ts";

/**
 * The token endpoints (and, as configured, the authorization endpoint, metadata and the user's token routes).
 *
 * @example
 * app.include(tokenRouter({
 *   tokens,
 *   authenticate: async ({ username, password, scopes }) => (await checkPassword(username, password)) ? { subject: username, scopes } : undefined,
 *   clients: { "resource-server": { secret: process.env.RS_SECRET!, introspect: true } },
 *   me: { token: oauth2Scheme, dependencies: [security(getCurrentActiveUser, ["me"])] },
 * }));
 */
export function tokenRouter(options: TokenRouterOptions): Router {
  const fail = (message: string) => gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: tokenRouter: ${message}`);
  if (!(options?.tokens instanceof TokenService)) throw fail("`tokens` must be a TokenService (createTokenService(...))");
  if (typeof options.authenticate !== "function") throw fail("`authenticate` must be a function");
  // An authorization server talks to standard OAuth clients; a FastAPI-style API keeps FastAPI's answers.
  const errorStyle = options.errorStyle ?? (options.authorization ? "oauth" : "fastapi");
  if (errorStyle !== "oauth" && errorStyle !== "fastapi") throw fail('`errorStyle` must be "oauth" or "fastapi"');
  const registry = new ClientRegistry(options.clients);
  const { authorization } = options;
  const metadata = options.metadata ?? options.tokens.issuer !== undefined;
  if ((authorization || metadata) && options.tokens.issuer === undefined) throw fail("`authorization` and `metadata` need the token service's `issuer` (RFC 8414 §2)");
  const throttle = options.loginThrottle === false ? undefined : new LoginThrottle(options.tokens.store, options.loginThrottle);
  const endpoints: Endpoints = { options, registry, paths: endpointPaths(options), errorStyle, grants: answeredGrants(options, registry), throttle };

  // Every token route needs the store: the app waits for it at start-up, and does not serve without it.
  const { tokens } = options;
  const tokenStore = dependency(() => undefined, { name: "tokenStore", ready: (timeoutMs) => tokens.ready({ timeoutMs }) });
  const router = new Router({ dependencies: [tokenStore] });
  addTokenRoute(router, endpoints);
  addRevokeRoute(router, endpoints);
  // RFC 7662 introspection exists only for a client allowed to call it: no route, no scheme in the docs.
  if (Object.values(options.clients ?? {}).some((client) => client.introspect === true)) addIntrospectRoute(router, endpoints);
  if (authorization) addAuthorizeRoutes(router, endpoints, authorization);
  addMetadataRoutes(router, endpoints, metadata);
  if (options.me) addMeRoutes(router, endpoints, options.me);
  return router;
}

/** The grants `/token` answers: those some client may use and the router is configured for. */
function answeredGrants(options: TokenRouterOptions, registry: ClientRegistry): ReadonlySet<GrantType> {
  const grants = new Set<GrantType>();
  // Unregistered public clients use it too (FastAPI's tutorial, Swagger UI's password flow).
  if (options.passwordGrant !== false) grants.add("password");
  grants.add("refresh_token");
  if (registry.grants.has("client_credentials")) grants.add("client_credentials");
  if (options.authorization && registry.grants.has("authorization_code")) grants.add("authorization_code");
  return grants;
}
