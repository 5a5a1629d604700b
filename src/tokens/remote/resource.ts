/**
 * @module
 * RFC 9728 protected resource metadata: the document at `/.well-known/oauth-protected-resource` that
 * tells a client (an MCP client, an OAuth 2.1 client) which authorization servers issue tokens for this API
 * and which scopes it knows, and the `resource_metadata` challenge parameter that points every 401 there.
 */
import { gatehouseError } from "../../core/errors.ts";
import { HttpResponse } from "../../core/markers.ts";
import { Router } from "../../core/router.ts";
import type { ScopeMap } from "../../security/oauth2.ts";
import { isTrustedUrl } from "./discovery.ts";
import { ResourceBearer, type ResourceBearerOptions } from "./scheme.ts";

export interface ProtectedResourceOptions<S extends ScopeMap> {
  /** RFC 9728 §2 `resource`: this API's identifier, the https URL clients call it at (http on this machine). */
  readonly resource: string;
  /** The issuers whose tokens it accepts (`authorization_servers`), e.g. `verifier.issuers`. */
  readonly authorizationServers: readonly string[];
  /** The API's scopes with their descriptions: `scopes_supported`, the OpenAPI scope list and the scope names the type checker knows. */
  readonly scopes?: S;
  /** `resource_name`, for people. */
  readonly name?: string;
  /** `resource_documentation`: a page about the API for developers. */
  readonly documentation?: string;
}

/** The RFC 9728 §2 document. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  /** RFC 6750 §2.1 only: a token in a form body or the query string is not read. */
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
}

/** This API as an RFC 9728 protected resource. Create it with {@link protectedResource}. */
export class ProtectedResource<const S extends ScopeMap = {}> {
  readonly metadata: ProtectedResourceMetadata;
  /** Where the metadata is served, e.g. `https://api.example.com/.well-known/oauth-protected-resource`. */
  readonly metadataUrl: string;
  /** The challenge of every 401: `Bearer resource_metadata="…"` (RFC 9728 §5.1). */
  readonly challenge: string;
  readonly #path: string;
  readonly #scopes: S;

  constructor(options: ProtectedResourceOptions<S>) {
    const { resource, authorizationServers } = options ?? {};
    let url: URL | undefined;
    try {
      url = new URL(resource);
    } catch {}
    // RFC 9728 §2: an https URL without a fragment.
    if (!url || url.hash !== "" || !isTrustedUrl(resource, false)) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: protectedResource: \`resource\` must be an https URL without a fragment (http only on this machine): ${resource}`);
    if (!Array.isArray(authorizationServers) || authorizationServers.length === 0 || !authorizationServers.every((s) => typeof s === "string")) {
      throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: protectedResource: `authorizationServers` must list the issuers whose tokens the API accepts");
    }
    this.#scopes = options.scopes ?? ({} as S);
    const scopes = Object.keys(this.#scopes);
    this.metadata = Object.freeze({
      resource,
      authorization_servers: Object.freeze([...authorizationServers]),
      ...(scopes.length > 0 ? { scopes_supported: Object.freeze(scopes) } : {}),
      bearer_methods_supported: Object.freeze(["header"]),
      ...(options.name !== undefined ? { resource_name: options.name } : {}),
      ...(options.documentation !== undefined ? { resource_documentation: options.documentation } : {}),
    });
    // RFC 9728 §3.1: the well-known segment goes between the host and the path (a lone "/" is dropped).
    const path = url.pathname === "/" ? "" : url.pathname;
    this.#path = `/.well-known/oauth-protected-resource${path}`;
    this.metadataUrl = `${url.origin}${this.#path}${url.search}`;
    this.challenge = `Bearer resource_metadata="${this.metadataUrl}"`;
  }

  /** `GET /.well-known/oauth-protected-resource[/path]`: the metadata, public, left out of the OpenAPI document. */
  router(): Router {
    const router = new Router();
    const metadata = this.metadata;
    router.get(this.#path, { needs: { response: HttpResponse }, includeInSchema: false, public: true, name: "protectedResourceMetadata" }, ({ response }) => {
      // Public facts a browser-based client (an MCP inspector) fetches from another origin.
      response.headers["Access-Control-Allow-Origin"] = "*";
      response.headers["Cache-Control"] = "public, max-age=300";
      return metadata;
    });
    return router;
  }

  /**
   * The API's bearer scheme: its 401s carry {@link challenge}, it declares the scopes, and the OpenAPI
   * document sends the Authorize button to the issuer.
   *
   * @example
   * const scheme = resource.bearer(); // openIdConnect at the first authorization server's discovery URL
   * const principal = bearerPrincipal({ tokens: verifier, scheme });
   */
  bearer<const AE extends boolean = true>(options: ResourceBearerOptions<AE> = {}): ResourceBearer<S, AE> {
    return new ResourceBearer<S, AE>({ ...options, scopes: this.#scopes, challenge: this.challenge, issuer: this.metadata.authorization_servers[0] });
  }
}

/**
 * Describe this API as an RFC 9728 protected resource.
 *
 * @example
 * const resource = protectedResource({ resource: "https://api.example.com", authorizationServers: verifier.issuers, scopes: { "items:read": "Read items." } });
 * app.include(resource.router());
 */
export function protectedResource<const S extends ScopeMap = {}>(options: ProtectedResourceOptions<S>): ProtectedResource<S> {
  return new ProtectedResource(options);
}
