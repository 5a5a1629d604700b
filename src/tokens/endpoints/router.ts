/**
 * @module
 * `tokenRouter`: the token endpoints as a router to `app.include()`, FastAPI's `APIRouter` style.
 */
import { dependency } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { Router } from "../../core/router.ts";
import { TokenService } from "../service.ts";
import { addMeRoutes } from "./me.ts";
import type { TokenRouterOptions } from "./options.ts";
import { addIntrospectRoute } from "./introspect.ts";
import { addRevokeRoute } from "./revoke.ts";
import { addTokenRoute } from "./token.ts";

/**
 * `POST /token` (password and refresh grants; client credentials for clients with `scopes`), `POST /revoke`,
 * `POST /introspect` when a client has `introspect: true`, and, with `me`, the signed-in user's token routes.
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
  if (!(options?.tokens instanceof TokenService)) throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: tokenRouter: `tokens` must be a TokenService (createTokenService(...))");
  if (typeof options.authenticate !== "function") throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: tokenRouter: `authenticate` must be a function");
  for (const [id, client] of Object.entries(options.clients ?? {})) {
    if (typeof client?.secret !== "string" || client.secret.length === 0) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: tokenRouter: clients["${id}"].secret must be a non-empty string`);
  }
  // Every token route needs the store: the app waits for it at start-up, and does not serve without it.
  const { tokens } = options;
  const tokenStore = dependency(() => undefined, { name: "tokenStore", ready: (timeoutMs) => tokens.ready({ timeoutMs }) });
  const router = new Router({ dependencies: [tokenStore] });
  addTokenRoute(router, options);
  addRevokeRoute(router, options);
  // RFC 7662 introspection exists only for a client allowed to call it: no route, no scheme in the docs.
  if (Object.values(options.clients ?? {}).some((client) => client.introspect === true)) addIntrospectRoute(router, options);
  if (options.me) addMeRoutes(router, options, options.me);
  return router;
}
