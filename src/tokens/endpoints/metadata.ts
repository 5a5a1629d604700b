/**
 * @module
 * RFC 8414 authorization server metadata at `/.well-known/oauth-authorization-server`, also served as
 * `/.well-known/openid-configuration` (where OpenID Connect clients look), and the JWK Set of the public
 * keys at `/.well-known/jwks.json` (RFC 7517 §5), so that clients configure themselves and resource servers
 * verify tokens without any secret.
 */
import { HttpResponse } from "../../core/markers.ts";
import type { Router } from "../../core/router.ts";
import type { Endpoints } from "./options.ts";

const METADATA_PATHS = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] as const;
// Clients may cache it; a short time, so that a rotation or a new endpoint is seen soon.
const CACHE = "public, max-age=300";
const SECRET_METHODS = ["client_secret_basic", "client_secret_post"];

/** Register the metadata documents (when an issuer is known) and the JWK Set (when keys are asymmetric). */
export function addMetadataRoutes(router: Router, endpoints: Endpoints, serveMetadata: boolean): void {
  const { tokens } = endpoints.options;
  const jwks = tokens.keys.asymmetric ? endpoints.paths.jwks : undefined;
  if (serveMetadata) {
    for (const path of METADATA_PATHS) {
      router.get(path, { needs: { response: HttpResponse }, includeInSchema: false, public: true, name: "authorizationServerMetadata" }, function metadata({ response }) {
        response.headers["Cache-Control"] = CACHE;
        return metadataDocument(endpoints, jwks);
      });
    }
  }
  if (jwks !== undefined) {
    let set: Promise<object> | undefined;
    router.get(jwks, { needs: { response: HttpResponse }, includeInSchema: false, public: true, name: "jwks" }, async function jwks({ response }) {
      response.headers["Cache-Control"] = CACHE;
      return (set ??= tokens.keys.publicJwks());
    });
  }
}

/** The RFC 8414 §2 document; endpoints are absolute URLs under the issuer. */
function metadataDocument(endpoints: Endpoints, jwks: string | undefined): Record<string, unknown> {
  const { options, paths, grants } = endpoints;
  // tokenRouter refuses to serve metadata without an issuer.
  const issuer = options.tokens.issuer!;
  const url = (path: string) => `${issuer.replace(/\/$/, "")}${path}`;
  const authorize = options.authorization !== undefined && grants.has("authorization_code");
  const scopes = new Set(Object.keys(options.authorization?.scopes ?? {}));
  for (const client of Object.values(options.clients ?? {})) client.scopes?.forEach((scope) => scopes.add(scope));
  return {
    issuer,
    ...(authorize ? { authorization_endpoint: url(paths.authorize) } : {}),
    token_endpoint: url(paths.token),
    revocation_endpoint: url(paths.revoke),
    introspection_endpoint: url(paths.introspect),
    ...(jwks !== undefined ? { jwks_uri: url(jwks) } : {}),
    scopes_supported: [...scopes],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...grants],
    // OAuth 2.1 §4.1.1: PKCE, and only S256 (plain would hand the verifier to whoever sees the request).
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: [...SECRET_METHODS, "none"],
    revocation_endpoint_auth_methods_supported: [...SECRET_METHODS, "none"],
    introspection_endpoint_auth_methods_supported: SECRET_METHODS,
    // RFC 9207: the authorization response names its issuer, against mix-up attacks.
    ...(authorize ? { authorization_response_iss_parameter_supported: true } : {}),
  };
}
