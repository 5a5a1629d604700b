/**
 * @module
 * The signed-in user's own tokens, by grant: one entry per login or authorized app, per personal token
 * (`internal/grants.ts`); revoke one (everything of that grant), revoke all, and create a personal token
 * with some of one's scopes (seed 003: give an app limited access, and take it back at any moment). A
 * personal token never manages tokens; a token a third-party app obtained through `/authorize` sees and
 * revokes only its own app's grants and never creates a personal token (the server's own, `firstParty`,
 * apps act as the user); and creating one needs a recent password login (RFC 9470). Otherwise a stolen
 * access token, or an app the user let read their items, could turn itself into a long-lived token that
 * outlives its own revocation, or end the user's other sessions.
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { body, path as pathParam } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { bearerPrincipal } from "../bearer.ts";
import { expiresIn } from "../claims.ts";
import type { Grant } from "../types.ts";
import { documented, type Endpoints, type MeRoutesOptions } from "./options.ts";

const GrantInfo = z
  .object({
    id: z.string().meta({ description: "DELETE it to revoke everything of this grant" }),
    kind: z.enum(["session", "personal", "access"]).meta({ description: "session: a login or an authorized app (its refreshes included)" }),
    client: z.string().nullable(),
    scopes: z.array(z.string()),
    issued: z.string(),
    last_used: z.string().meta({ description: "The latest token it issued (a login, a refresh)" }),
    expires: z.string().nullable(),
    name: z.string().optional(),
  })
  .meta({ id: "GrantInfo" });

/** Seconds, at most `maxTtl`; `null` (where the service allows it) for a token only revocation ends; absent for the service's default. */
const apiTokenRequest = (maxTtl: number, nonExpiring: boolean) => {
  const seconds = z.number().int().positive().max(maxTtl);
  return z.object({
    scopes: z.array(z.string()).default([]),
    expires_in: (nonExpiring ? seconds.nullable() : seconds).optional(),
    name: z.string().max(100).optional(),
  });
};

const ApiTokenResponse = z.object({
  id: z.string(),
  access_token: z.string(),
  token_type: z.string(),
  scopes: z.array(z.string()),
  expires_in: z.number().int().nullable(),
});

/** Register the `/users/me/…` token routes. */
export function addMeRoutes(router: Router, endpoints: Endpoints, me: MeRoutesOptions): void {
  const { options, registry } = endpoints;
  const passwordGrant = endpoints.grants.has("password");
  const { tokens } = options;
  const prefix = me.prefix ?? "/users/me";
  const common = (path: string) => ({ dependencies: me.dependencies ?? [], tags: options.tags, includeInSchema: documented(options, path) });

  const maxAuthAge = me.maxAuthAge ?? 600;
  const token = bearerPrincipal({ tokens, scheme: me.token, name: "currentToken" });
  // A personal token is given to an app: it may use the API, never hand out or take back tokens. A
  // third-party app's token manages only what the user gave that app (`app`: its client id).
  const caller = dependency({ token }, function tokenOwner({ token }) {
    if (token.claims.token_kind === "personal") throw gatehouseError("GH_PERSONAL_TOKEN_REFUSED");
    return { subject: token.subject, claims: token.claims, app: registry.delegated(token.claims.client_id, passwordGrant) ? token.claims.client_id : undefined };
  });
  const grantsOf = async (caller: { subject: string; app: string | undefined }) => (await tokens.listGrants(caller.subject)).filter((grant) => caller.app === undefined || grant.client === caller.app);
  // RFC 9470 §3: a personal token outlives the session that makes it, so ask for a password entered just now;
  // and only the user mints one, not an app acting for them.
  const recentLogin = dependency({ caller }, function recentLogin({ caller }) {
    if (caller.app !== undefined) throw gatehouseError("GH_DELEGATED_TOKEN_REFUSED");
    const authTime = caller.claims.auth_time;
    if (authTime === undefined || tokens.now() / 1000 - authTime > maxAuthAge) {
      throw gatehouseError("GH_LOGIN_TOO_OLD", {
        headers: { "WWW-Authenticate": `Bearer error="insufficient_user_authentication", error_description="More recent authentication is required", max_age="${maxAuthAge}"` },
      });
    }
    return caller;
  });

  router.get(`${prefix}/tokens`, { ...common(`${prefix}/tokens`), needs: { caller }, response: z.array(GrantInfo), name: "listMyTokens" }, async function listMyTokens({ caller }) {
    return (await grantsOf(caller)).map(toInfo);
  });

  router.delete(
    `${prefix}/tokens/{token_id}`,
    { ...common(`${prefix}/tokens/{token_id}`), needs: { caller, token_id: pathParam(z.string()) }, status: 204, name: "revokeMyToken" },
    async function revokeMyToken({ caller, token_id }) {
      if (caller.app !== undefined && !(await grantsOf(caller)).some((grant) => grant.id === token_id)) throw gatehouseError("GH_TOKEN_NOT_FOUND");
      if (!(await tokens.revokeById(token_id, caller.subject))) throw gatehouseError("GH_TOKEN_NOT_FOUND");
    },
  );

  router.post(
    `${prefix}/tokens/revoke-all`,
    { ...common(`${prefix}/tokens/revoke-all`), needs: { caller }, status: 204, name: "revokeAllMyTokens" },
    async function revokeAllMyTokens({ caller }) {
      if (caller.app === undefined) return tokens.revokeSubject(caller.subject);
      // An app signs the user out of that app only: each of its grants, refresh families included.
      for (const grant of await grantsOf(caller)) await tokens.revokeById(grant.id, caller.subject);
    },
  );

  router.post(
    `${prefix}/api-tokens`,
    {
      ...common(`${prefix}/api-tokens`),
      needs: { caller: recentLogin, request: body(apiTokenRequest(tokens.ttl.apiMax, tokens.nonExpiringApiTokens)) },
      response: ApiTokenResponse,
      status: 201,
      name: "createApiToken",
    },
    async function createApiToken({ caller, request }) {
      const mine = caller.claims.scopes;
      const extra = request.scopes.filter((scope) => !mine.includes(scope));
      // A delegated token can only narrow what its creator holds.
      if (extra.length > 0) throw gatehouseError("GH_SCOPE_NOT_HELD", { detail: `Cannot grant scopes you do not have: ${extra.join(" ")}` });
      const { token, record } = await tokens.issueApiToken({ subject: caller.subject, scopes: [...new Set(request.scopes)], ttl: request.expires_in, name: request.name });
      return {
        id: record.id,
        access_token: token,
        token_type: "bearer",
        scopes: [...record.scopes],
        expires_in: expiresIn(record) ?? null,
      };
    },
  );
}

function toInfo(grant: Grant): z.input<typeof GrantInfo> {
  return {
    id: grant.id,
    kind: grant.kind,
    client: grant.client,
    scopes: [...grant.scopes],
    issued: new Date(grant.grantedAt).toISOString(),
    last_used: new Date(grant.lastUsed).toISOString(),
    expires: grant.expiresAt === null ? null : new Date(grant.expiresAt).toISOString(),
    ...(grant.name !== undefined ? { name: grant.name } : {}),
  };
}
