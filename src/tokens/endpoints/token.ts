/**
 * @module
 * `POST /token` (RFC 6749 §3.2): the authorization code (§4.1.3, with PKCE), refresh (§6), client
 * credentials (§4.4) and the seed's password grant (§4.3, throttled). Read off the steps: parseForm →
 * authenticateClient → requireGrant → requireAllowed → the grant → tokenResponse (§5.1). Errors are
 * answered in the router's style: RFC 6749 §5.2, or FastAPI's `{"detail"}` for the seed.
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { gatehouseError, RequestValidationError } from "../../core/errors.ts";
import { HttpRequest, HttpResponse } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { RequestView } from "../../core/request.ts";
import type { Router } from "../../core/router.ts";
import { splitScope } from "../claims.ts";
import type { TokenPair } from "../service.ts";
import { authorizationCodeGrant } from "./authorization-code.ts";
import { authenticateClient as checkClient, type Client } from "./client.ts";
import { clientCredentialsGrant, type IssuedAccess } from "./client-credentials.ts";
import type { GrantType } from "./client-registry.ts";
import { documented, type Endpoints } from "./options.ts";
import { checkPassword } from "./password.ts";

/** The form; the authorization code's fields only where the grant is answered (so the seed's document stays FastAPI's). */
function tokenForm(endpoints: Endpoints) {
  const base = z.object({
    // FastAPI's form: `grant_type` optional, matching the grants (a 422 otherwise); RFC 6749: required, checked by requireGrant.
    grant_type: endpoints.errorStyle === "fastapi" ? z.string().regex(new RegExp(`^(${[...endpoints.grants].join("|")})$`)).optional() : z.string().optional(),
    username: z.string().optional().meta({ description: "Password grant" }),
    password: z.string().optional().meta({ format: "password", description: "Password grant" }),
    scope: z.string().default(""),
    refresh_token: z.string().optional().meta({ format: "password", description: "Refresh grant" }),
    client_id: z.string().optional(),
    client_secret: z.string().optional().meta({ format: "password" }),
  });
  if (!endpoints.grants.has("authorization_code")) return base;
  return base.extend({
    code: z.string().optional().meta({ format: "password", description: "Authorization code grant" }),
    redirect_uri: z.string().optional().meta({ description: "Authorization code grant: as in the authorization request" }),
    code_verifier: z.string().optional().meta({ format: "password", description: "Authorization code grant: the PKCE verifier (RFC 7636)" }),
  });
}
type TokenForm = { [K in "grant_type" | "username" | "password" | "refresh_token" | "code" | "redirect_uri" | "code_verifier" | "client_id" | "client_secret"]?: string | undefined } & { scope: string };

/** RFC 6749 §5.1: the seed's `Token` model plus the refresh token, the lifetime and the granted scope. */
export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().int().optional(),
    refresh_token: z.string().optional(),
    scope: z.string().optional(),
  })
  .meta({ id: "Token" });

type Grant =
  | { type: "password"; username: string; password: string; scopes: string[] }
  | { type: "refresh_token"; refreshToken: string; scopes: string[] }
  | { type: "client_credentials"; scopes: string[] }
  | { type: "authorization_code"; code: string; redirectUri: string | null; verifier: string };

// Each grant's own fields (RFC 6749 §4.1.3 + RFC 7636 §4.5, §4.3.2, §6, §4.4.2).
const REQUIRED = {
  authorization_code: ["code", "code_verifier"],
  password: ["username", "password"],
  refresh_token: ["refresh_token"],
  client_credentials: [],
} as const satisfies Record<GrantType, readonly (keyof TokenForm)[]>;

/** Register `POST /token` on `router`. */
export function addTokenRoute(router: Router, endpoints: Endpoints): void {
  const { options, registry } = endpoints;
  const path = endpoints.paths.token;

  const parseForm = dependency({ body: form(tokenForm(endpoints), { description: "OAuth2 token request form" }) }, function parseForm({ body }): TokenForm {
    return body;
  });
  const authenticateClient = dependency({ request: HttpRequest, form: parseForm }, function authenticateClient({ request, form }) {
    return checkClient(registry, request, form);
  });

  async function passwordGrant(grant: Extract<Grant, { type: "password" }>, client: Client, request: RequestView): Promise<TokenPair> {
    const user = await checkPassword(endpoints, { username: grant.username, password: grant.password, scopes: grant.scopes, client }, request.ip);
    if (!user) throw gatehouseError("GH_INVALID_CREDENTIALS", { detail: options.invalidCredentialsDetail });
    return options.tokens.login({ subject: user.subject, scopes: user.scopes ?? grant.scopes, client: client.id });
  }

  async function refreshGrant(grant: Extract<Grant, { type: "refresh_token" }>, client: Client): Promise<TokenPair> {
    const result = await options.tokens.refreshTokens(grant.refreshToken, { client: client.id, scopes: grant.scopes });
    if (result.ok) return result;
    // RFC 6749 §5.2 invalid_grant / invalid_scope. A reused token has just revoked its family; say no more than "invalid".
    throw gatehouseError(result.reason === "scope" ? "GH_INVALID_SCOPE" : "GH_INVALID_GRANT");
  }

  function issue(grant: Grant, client: Client, request: RequestView): Promise<TokenPair | IssuedAccess> {
    switch (grant.type) {
      case "password":
        return passwordGrant(grant, client, request);
      case "refresh_token":
        return refreshGrant(grant, client);
      case "client_credentials":
        return clientCredentialsGrant(options.tokens, client, grant.scopes);
      case "authorization_code":
        return authorizationCodeGrant(options.tokens, client, grant);
    }
  }

  router.post(
    path,
    {
      needs: { form: parseForm, client: authenticateClient, request: HttpRequest, response: HttpResponse },
      response: TokenResponse,
      includeInSchema: documented(options, path),
      tags: options.tags,
      name: "loginForAccessToken",
      // Clients call it to get (or check) a token: app- or router-level security must not stand in the way.
      public: true,
      errorStyle: endpoints.errorStyle,
    },
    async function issueToken({ form, client, request, response }) {
      const grant = requireGrant(form, endpoints);
      requireAllowed(client, grant.type);
      const issued = await issue(grant, client, request);
      // RFC 6749 §5.1: responses carrying tokens must not be cached.
      response.headers["Cache-Control"] = "no-store";
      response.headers.Pragma = "no-cache";
      return tokenResponse(issued);
    },
  );
}

/** The grant asked for, with its own required fields; a missing one is a 422 (FastAPI) or `invalid_request` (RFC 6749). */
function requireGrant(form: TokenForm, endpoints: Endpoints): Grant {
  // FastAPI's OAuth2PasswordRequestForm defaults to the password grant; RFC 6749 §4.x requires grant_type.
  const type = form.grant_type ?? (endpoints.errorStyle === "fastapi" ? "password" : undefined);
  if (type === undefined) throw missing(["grant_type"]);
  if (!endpoints.grants.has(type as GrantType)) throw gatehouseError("GH_UNSUPPORTED_GRANT_TYPE"); // RFC 6749 §5.2
  const absent = REQUIRED[type as GrantType].filter((field) => form[field] === undefined);
  if (absent.length > 0) throw missing(absent);
  const scopes = splitScope(form.scope);
  switch (type as GrantType) {
    case "password":
      return { type: "password", username: form.username!, password: form.password!, scopes };
    case "refresh_token":
      return { type: "refresh_token", refreshToken: form.refresh_token!, scopes };
    case "client_credentials":
      return { type: "client_credentials", scopes };
    case "authorization_code":
      return { type: "authorization_code", code: form.code!, redirectUri: form.redirect_uri ?? null, verifier: form.code_verifier! };
  }
}

function missing(fields: readonly string[]): RequestValidationError {
  return new RequestValidationError(fields.map((field) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null })));
}

/** RFC 6749 §5.2 `unauthorized_client`: the client may not use this grant (client credentials: it must authenticate first). */
function requireAllowed(client: Client, type: GrantType): void {
  // RFC 6749 §4.4: only a confidential client may use client_credentials; §5.2 invalid_client: "no client authentication included".
  if (type === "client_credentials" && !client.confidential) throw gatehouseError("GH_CLIENT_AUTHENTICATION_REQUIRED");
  if (!client.grants.has(type)) throw gatehouseError("GH_UNAUTHORIZED_CLIENT", { detail: `Client is not authorized to use the ${type} grant` });
}

function tokenResponse(issued: TokenPair | IssuedAccess): z.input<typeof TokenResponse> {
  return {
    access_token: issued.accessToken,
    token_type: "bearer",
    ...(issued.expiresIn !== undefined ? { expires_in: issued.expiresIn } : {}),
    // RFC 6749 §4.4.3: no refresh token for client credentials; the client just asks again.
    ...("refreshToken" in issued ? { refresh_token: issued.refreshToken } : {}),
    // RFC 6749 §5.1: the scope granted, which may differ from the one asked for.
    ...(issued.scopes.length > 0 ? { scope: issued.scopes.join(" ") } : {}),
  };
}
