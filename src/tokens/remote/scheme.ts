/**
 * @module
 * The bearer scheme of a protected resource: reads `Authorization: Bearer <token>`, answers a missing
 * token with RFC 9728's challenge (`Bearer resource_metadata="…"`, which `bearerPrincipal` extends with
 * `error="invalid_token"` for a refused one), declares the API's scopes for the type checker, and documents
 * how the docs' Authorize button gets a token at the issuer: OpenID Connect discovery, or OAuth2's
 * authorization code flow at the issuer's endpoints.
 */
import { gatehouseError } from "../../core/errors.ts";
import type { Refusal } from "../../core/refusal.ts";
import type { RequestView } from "../../core/request.ts";
import { authorizationHeader, schemeModel, SecurityBase, splitAuthorization, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "../../security/base.ts";
import type { ScopeMap } from "../../security/oauth2.ts";

/** How the OpenAPI document says to get a token: one of the two, or neither for the default. */
export interface ResourceBearerOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** OpenAPI `openIdConnect` with this discovery URL; the default, at the first authorization server. */
  readonly openIdConnectUrl?: string;
  /** OpenAPI `oauth2` with the authorization code flow at the issuer (from its metadata, `verifier.metadata()`). */
  readonly authorizationUrl?: string;
  readonly tokenUrl?: string;
  readonly refreshUrl?: string;
}

/** A protected resource's bearer token; made by `ProtectedResource.bearer()`. `S` is the API's scope map. */
export class ResourceBearer<const S extends ScopeMap = {}, const AE extends boolean = true> extends SecurityBase<SchemeResult<string, AE>, keyof S & string> {
  readonly model: SecuritySchemeObject;
  readonly #scopes: readonly string[];
  readonly #challenge: string;

  constructor(options: ResourceBearerOptions<AE> & { readonly scopes: S; readonly challenge: string; readonly issuer: string | undefined }) {
    super(options, "ResourceBearer");
    this.#scopes = Object.freeze(Object.keys(options.scopes));
    this.#challenge = options.challenge;
    const { authorizationUrl, tokenUrl, refreshUrl } = options;
    if (authorizationUrl !== undefined || tokenUrl !== undefined) {
      if (typeof authorizationUrl !== "string" || typeof tokenUrl !== "string" || options.openIdConnectUrl !== undefined) {
        throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: ResourceBearer: give `authorizationUrl` with `tokenUrl` (OAuth2), or `openIdConnectUrl`, not both");
      }
      const flow = { refreshUrl, scopes: { ...options.scopes }, authorizationUrl, tokenUrl };
      this.model = schemeModel("oauth2", options.description, { flows: { authorizationCode: flow } });
      return;
    }
    const openIdConnectUrl = options.openIdConnectUrl ?? (options.issuer && `${options.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    if (!openIdConnectUrl) throw gatehouseError("GH_INVALID_OPTION", "gatehouse/tokens: ResourceBearer: no authorization server to document; give `openIdConnectUrl` or the OAuth2 URLs");
    this.model = schemeModel("openIdConnect", options.description, { openIdConnectUrl });
  }

  override get declaredScopes(): readonly string[] {
    return this.#scopes;
  }

  override get takesScopes(): boolean {
    return true;
  }

  /** RFC 9728 §5.1: `Bearer resource_metadata="…"`, so that a client can find out where to get a token. */
  get challenge(): string {
    return this.#challenge;
  }

  read(request: RequestView): SchemeResult<string, AE> | Refusal {
    const authorization = authorizationHeader(request);
    const [scheme, token] = splitAuthorization(authorization);
    if (!authorization || scheme.toLowerCase() !== "bearer" || token === "") return this.missing();
    return token;
  }
}
