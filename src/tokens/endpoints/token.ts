/**
 * @module
 * `POST /token`: the seed's password grant, plus `grant_type=refresh_token` (RFC 6749 §4.3, §6) and, for
 * clients configured with `scopes`, `grant_type=client_credentials` (§4.4). Read off the steps: parseForm →
 * authenticateClient → requireGrant → passwordGrant (throttled) | refreshGrant | clientCredentialsGrant →
 * tokenResponse.
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
import { authenticateClient as checkClient, type Client } from "./client.ts";
import { clientCredentialsGrant, machineClients, type IssuedAccess } from "./client-credentials.ts";
import { documented, type TokenRouterOptions } from "./options.ts";
import { LoginThrottle } from "./throttle.ts";

type GrantType = "password" | "refresh_token" | "client_credentials";

/** The form, its `grant_type` pattern naming only the grants this router can answer. */
const tokenForm = (grantTypes: readonly GrantType[]) => z.object({
  grant_type: z.string().regex(new RegExp(`^(${grantTypes.join("|")})$`)).optional(),
  username: z.string().optional().meta({ description: "Password grant" }),
  password: z.string().optional().meta({ format: "password", description: "Password grant" }),
  scope: z.string().default(""),
  refresh_token: z.string().optional().meta({ format: "password", description: "Refresh grant" }),
  client_id: z.string().optional(),
  client_secret: z.string().optional().meta({ format: "password" }),
});
type TokenForm = z.output<ReturnType<typeof tokenForm>>;

/** The seed's `Token` model plus the refresh token and the access token's lifetime (RFC 6749 §5.1). */
export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().int().optional(),
    refresh_token: z.string().optional(),
  })
  .meta({ id: "Token" });

type Grant =
  | { type: "password"; username: string; password: string; scopes: string[] }
  | { type: "refresh_token"; refreshToken: string; scopes: string[] }
  | { type: "client_credentials"; scopes: string[] };

/** Register `POST /token` on `router`. */
export function addTokenRoute(router: Router, options: TokenRouterOptions): void {
  const path = options.paths?.token ?? "/token";
  const clients = options.clients ?? {};
  const grantTypes: GrantType[] = ["password", "refresh_token", ...(machineClients(clients) ? (["client_credentials"] as const) : [])];

  const parseForm = dependency({ body: form(tokenForm(grantTypes), { description: "OAuth2 token request form" }) }, function parseForm({ body }) {
    return body;
  });
  const authenticateClient = dependency({ request: HttpRequest, form: parseForm }, function authenticateClient({ request, form }) {
    return checkClient(clients, request, form);
  });

  const throttle = options.loginThrottle === false ? undefined : new LoginThrottle(options.tokens.store, options.loginThrottle);

  async function passwordGrant(grant: Extract<Grant, { type: "password" }>, client: Client, request: RequestView): Promise<TokenPair> {
    const attempt = await throttle?.attempt(grant.username, request.ip); // 429 past a limit, before any hashing
    let user: Awaited<ReturnType<typeof options.authenticate>>;
    try {
      user = await options.authenticate({ username: grant.username, password: grant.password, scopes: grant.scopes, client });
    } catch (error) {
      await attempt?.cancelled(); // e.g. a full hashing queue (503): no password was checked
      throw error;
    }
    if (!user) throw gatehouseError("GH_INVALID_CREDENTIALS", { detail: options.invalidCredentialsDetail });
    await attempt?.succeeded();
    return options.tokens.login({ subject: user.subject, scopes: user.scopes ?? grant.scopes, client: client.id });
  }

  async function refreshGrant(grant: Extract<Grant, { type: "refresh_token" }>, client: Client): Promise<TokenPair> {
    const result = await options.tokens.refreshTokens(grant.refreshToken, { client: client.id, scopes: grant.scopes });
    if (result.ok) return result;
    // RFC 6749 §5.2 invalid_grant / invalid_scope. A reused token has just revoked its family; say no more than "invalid".
    throw gatehouseError(result.reason === "scope" ? "GH_INVALID_SCOPE" : "GH_INVALID_GRANT");
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
    },
    async function issueToken({ form, client, request, response }) {
      const grant = requireGrant(form);
      const issued =
        grant.type === "password"
          ? await passwordGrant(grant, client, request)
          : grant.type === "refresh_token"
            ? await refreshGrant(grant, client)
            : await clientCredentialsGrant(options.tokens, client, grant.scopes);
      // RFC 6749 §5.1: responses carrying tokens must not be cached.
      response.headers["Cache-Control"] = "no-store";
      response.headers.Pragma = "no-cache";
      return tokenResponse(issued);
    },
  );
}

// Each grant's own fields (RFC 6749 §4.3.2, §6, §4.4.2: client_credentials needs none beyond the client).
const REQUIRED = {
  password: ["username", "password"],
  refresh_token: ["refresh_token"],
  client_credentials: [],
} as const satisfies Record<GrantType, readonly (keyof TokenForm)[]>;

/** The grant's own required fields; a missing one is FastAPI's 422 `missing`, as the seed's form reports it. */
function requireGrant(form: TokenForm): Grant {
  const scopes = splitScope(form.scope);
  const type = (form.grant_type ?? "password") as GrantType; // the form's pattern admits nothing else
  const missing = REQUIRED[type].filter((field) => form[field] === undefined);
  if (missing.length > 0) {
    throw new RequestValidationError(missing.map((field) => ({ type: "missing", loc: ["body", field], msg: "Field required", input: null })));
  }
  if (type === "password") return { type, username: form.username!, password: form.password!, scopes };
  if (type === "refresh_token") return { type, refreshToken: form.refresh_token!, scopes };
  return { type, scopes };
}

function tokenResponse(issued: TokenPair | IssuedAccess): z.input<typeof TokenResponse> {
  return {
    access_token: issued.accessToken,
    token_type: "bearer",
    ...(issued.expiresIn !== undefined ? { expires_in: issued.expiresIn } : {}),
    // RFC 6749 §4.4.3: no refresh token for client credentials; the client just asks again.
    ...("refreshToken" in issued ? { refresh_token: issued.refreshToken } : {}),
  };
}
