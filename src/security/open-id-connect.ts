/**
 * @module
 * OpenID Connect: FastAPI's `OpenIdConnect`. Like FastAPI's, it is a stub that documents the discovery
 * URL in OpenAPI and injects the whole `Authorization` header; fetching the provider's configuration and
 * verifying the ID token is the user's job. *(FastAPI `security/open_id_connect_url.py`)*
 */
import { gatehouseError } from "../core/errors.ts";
import type { Refusal } from "../core/refusal.ts";
import type { RequestView } from "../core/request.ts";
import { authorizationHeader, schemeModel, SecurityBase, type SchemeOptions, type SchemeResult, type SecuritySchemeObject } from "./base.ts";

export interface OpenIdConnectOptions<AE extends boolean> extends SchemeOptions<AE> {
  /** The provider's discovery document, `…/.well-known/openid-configuration`. */
  readonly openIdConnectUrl: string;
}

/**
 * Injects the `Authorization` header's whole value; a missing or empty header is a 401 with
 * `WWW-Authenticate: Bearer` (or `undefined` under `autoError: false`). Scopes required on the path go
 * into the operation's OpenAPI requirement, as for OAuth2.
 *
 * @example
 * const oidc = new OpenIdConnect({ openIdConnectUrl: "https://id.example.com/.well-known/openid-configuration" });
 * app.get("/me", { needs: { authorization: oidc } }, ({ authorization }) => ({ authorization }));
 */
export class OpenIdConnect<const AE extends boolean = true> extends SecurityBase<SchemeResult<string, AE>> {
  readonly model: SecuritySchemeObject;

  constructor(options: OpenIdConnectOptions<AE>) {
    super(options, "OpenIdConnect");
    if (typeof options.openIdConnectUrl !== "string" || options.openIdConnectUrl === "") {
      throw gatehouseError("GH_INVALID_OPTION", "gatehouse: OpenIdConnect needs `openIdConnectUrl` (the provider's discovery URL)");
    }
    this.model = schemeModel("openIdConnect", options.description, { openIdConnectUrl: options.openIdConnectUrl });
  }

  override get takesScopes(): boolean {
    return true;
  }

  /** OpenID Connect defines no challenge of its own; its tokens are bearer tokens, so FastAPI sends `Bearer`. */
  get challenge(): string {
    return "Bearer";
  }

  read(request: RequestView): SchemeResult<string, AE> | Refusal {
    const authorization = authorizationHeader(request);
    if (!authorization) return this.missing();
    return authorization;
  }
}
