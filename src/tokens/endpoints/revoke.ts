/**
 * @module
 * `POST /revoke` (RFC 7009): parseForm → authenticateClient → revoke, 200 whatever the token.
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { HttpRequest } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { authenticateClient as checkClient } from "./client.ts";
import { documented, type TokenRouterOptions } from "./options.ts";

/** The form of `/revoke` and `/introspect`: the token, its type hint, and the client's credentials. */
export const TokenParamForm = z.object({
  token: z.string(),
  // RFC 7009 §2.1 / RFC 7662 §2.1: only a hint; the token's shape tells JWTs from refresh tokens anyway.
  token_type_hint: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional().meta({ format: "password" }),
});

/** Register `POST /revoke`. */
export function addRevokeRoute(router: Router, options: TokenRouterOptions): void {
  const path = options.paths?.revoke ?? "/revoke";
  const clients = options.clients ?? {};
  const parseForm = dependency({ body: form(TokenParamForm, { description: "RFC 7009 revocation request" }) }, function parseForm({ body }) {
    return body;
  });
  const authenticateClient = dependency({ request: HttpRequest, form: parseForm }, function authenticateClient({ request, form }) {
    return checkClient(clients, request, form);
  });

  router.post(
    path,
    { needs: { form: parseForm, client: authenticateClient }, includeInSchema: documented(options, path), tags: options.tags, name: "revokeToken", public: true },
    async function revoke({ form }) {
      // Holding a token is authority enough to end it: revocation only ever takes access away.
      await options.tokens.revokeToken(form.token);
      // RFC 7009 §2.2: an invalid or unknown token also gets 200; the client could not use it anyway.
      return {};
    },
  );
}
