/**
 * A resource server: an API that issues no tokens and accepts those of an identity provider (Keycloak,
 * Auth0, Entra ID, Cognito, node-oidc-provider, or gatehouse's `examples/oauth-server.ts`).
 *
 *   OIDC_ISSUER=https://id.example.com OIDC_AUDIENCE=api npm run example -- resource-server
 *
 * `OIDC_ISSUER` (required): the issuer whose tokens to accept, found by OIDC discovery (or RFC 8414).
 * `OIDC_AUDIENCE` (default `api`): this API's identifier, which a token's `aud` must name.
 * `RESOURCE_URL` (default `http://$HOST:$PORT`): where clients reach it, its RFC 9728 identifier.
 *
 * `GET /me` (any valid token), `GET /items` (scope `items:read`), `POST /items` (scope `items:write`);
 * 401 `Bearer resource_metadata="…"` (with `error="invalid_token"` for a refused token), 403
 * `Bearer error="insufficient_scope", scope="…"`, and the metadata at `/.well-known/oauth-protected-resource`.
 */
import { createApp, gatehouseError, security } from "gatehouse";
import { bearerPrincipal, createRemoteVerifier, protectedResource, storeFromEnv } from "gatehouse/tokens";

const issuer = process.env.OIDC_ISSUER;
if (!issuer) throw gatehouseError("GH_INVALID_OPTION", "examples/resource-server: set OIDC_ISSUER to the issuer whose tokens this API accepts");
const audience = process.env.OIDC_AUDIENCE || "api";

export const verifier = createRemoteVerifier({ issuers: [{ issuer, audience }], store: storeFromEnv() });

export const resource = protectedResource({
  resource: process.env.RESOURCE_URL ?? `http://${process.env.HOST ?? "127.0.0.1"}:${process.env.PORT ?? 8000}`,
  authorizationServers: verifier.issuers,
  scopes: { "items:read": "Read items.", "items:write": "Create items." },
  name: "gatehouse example resource server",
});

const principal = bearerPrincipal({ tokens: verifier, scheme: resource.bearer() });

export const app = createApp({ title: "Resource server", description: `Accepts tokens of ${issuer} for audience ${audience}.` });
app.fastify.addHook("onClose", () => verifier.close());
app.include(resource.router());

app.get("/me", { needs: { principal } }, function readMe({ principal }) {
  return { sub: principal.subject, scopes: principal.claims.scopes, client_id: principal.claims.client_id ?? null };
});

app.get("/items", { needs: { principal: security(principal, ["items:read"]) } }, function readItems() {
  return [{ item_id: "Foo" }];
});

app.post("/items", { needs: { principal: security(principal, ["items:write"]) }, status: 201 }, function createItem() {
  return { ok: true };
});

export default app;
