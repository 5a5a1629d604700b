/**
 * @module
 * The signed-in user's own tokens: list them, revoke one, revoke all, and create a personal token with
 * some of one's scopes (seed 003: give an app limited access, and take it back at any moment).
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { HTTPException } from "../../core/errors.ts";
import { body, path as pathParam } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { TokenKindSchema, type TokenRecord } from "../types.ts";
import { documented, type MeRoutesOptions, type TokenRouterOptions } from "./options.ts";

const TokenInfo = z.object({
  id: z.string(),
  kind: TokenKindSchema,
  scopes: z.array(z.string()),
  issued: z.string(),
  expires: z.string().nullable(),
  name: z.string().optional(),
});

/** Seconds; `null` for a token only revocation ends; absent for the service's default. */
const apiTokenRequest = (maxTtl: number) =>
  z.object({
    scopes: z.array(z.string()).default([]),
    expires_in: z.number().int().positive().max(maxTtl).nullable().optional(),
    name: z.string().max(100).optional(),
  });

const ApiTokenResponse = z.object({
  id: z.string(),
  access_token: z.string(),
  token_type: z.string(),
  scopes: z.array(z.string()),
  expires_in: z.number().int().nullable(),
});

/** Register the `/users/me/…` token routes. */
export function addMeRoutes(router: Router, options: TokenRouterOptions, me: MeRoutesOptions): void {
  const { tokens } = options;
  const prefix = me.prefix ?? "/users/me";
  const common = (path: string) => ({ dependencies: me.dependencies ?? [], tags: options.tags, includeInSchema: documented(options, path) });

  const currentToken = dependency({ token: me.token }, async function currentToken({ token }) {
    const result = await tokens.verify(token);
    if (!result.ok) throw result.error;
    return result.claims;
  });

  router.get(`${prefix}/tokens`, { ...common(`${prefix}/tokens`), needs: { claims: currentToken }, response: z.array(TokenInfo), name: "listMyTokens" }, async function listMyTokens({ claims }) {
    return (await tokens.listTokens(claims.sub)).map(toInfo);
  });

  router.delete(
    `${prefix}/tokens/{token_id}`,
    { ...common(`${prefix}/tokens/{token_id}`), needs: { claims: currentToken, token_id: pathParam(z.string()) }, status: 204, name: "revokeMyToken" },
    async function revokeMyToken({ claims, token_id }) {
      if (!(await tokens.revokeById(token_id, claims.sub))) throw new HTTPException(404, "Token not found");
    },
  );

  router.post(
    `${prefix}/tokens/revoke-all`,
    { ...common(`${prefix}/tokens/revoke-all`), needs: { claims: currentToken }, status: 204, name: "revokeAllMyTokens" },
    async function revokeAllMyTokens({ claims }) {
      await tokens.revokeSubject(claims.sub);
    },
  );

  router.post(
    `${prefix}/api-tokens`,
    { ...common(`${prefix}/api-tokens`), needs: { claims: currentToken, request: body(apiTokenRequest(tokens.ttl.apiMax)) }, response: ApiTokenResponse, status: 201, name: "createApiToken" },
    async function createApiToken({ claims, request }) {
      const mine = Array.isArray(claims.scopes) ? claims.scopes : [];
      const extra = request.scopes.filter((scope) => !mine.includes(scope));
      // A delegated token can only narrow what its creator holds.
      if (extra.length > 0) throw new HTTPException(403, `Cannot grant scopes you do not have: ${extra.join(" ")}`);
      const { token, record } = await tokens.issueApiToken({ subject: claims.sub, scopes: [...new Set(request.scopes)], ttl: request.expires_in, name: request.name });
      return {
        id: record.id,
        access_token: token,
        token_type: "bearer",
        scopes: [...record.scopes],
        expires_in: record.expiresAt === null ? null : Math.round((record.expiresAt - record.issuedAt) / 1000),
      };
    },
  );
}

function toInfo(record: TokenRecord): z.input<typeof TokenInfo> {
  return {
    id: record.id,
    kind: record.kind,
    scopes: [...record.scopes],
    issued: new Date(record.issuedAt).toISOString(),
    expires: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    ...(record.name !== undefined ? { name: record.name } : {}),
  };
}
