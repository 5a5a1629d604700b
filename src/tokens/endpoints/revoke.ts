/**
 * @module
 * `POST /revoke` (RFC 7009): parseForm → authenticateClient → revoke, which checks that the token was
 * issued to the requesting client (§2.1), and answers 200 for a token it does not know (§2.2).
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { HttpRequest } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { authenticateClient as checkClient } from "./client.ts";
import { documented, type Endpoints } from "./options.ts";

/** The form of `/revoke` and `/introspect`: the token, its type hint, and the client's credentials. */
export const TokenParamForm = z.object({
  token: z.string(),
  // RFC 7009 §2.1 / RFC 7662 §2.1: only a hint; the token's shape tells JWTs from refresh tokens anyway.
  token_type_hint: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional().meta({ format: "password" }),
});

/** Register `POST /revoke`. */
export function addRevokeRoute(router: Router, endpoints: Endpoints): void {
  const { options, registry } = endpoints;
  const path = endpoints.paths.revoke;
  const parseForm = dependency({ body: form(TokenParamForm, { description: "RFC 7009 revocation request" }) }, function parseForm({ body }) {
    return body;
  });
  const authenticateClient = dependency({ request: HttpRequest, form: parseForm }, function authenticateClient({ request, form }) {
    return checkClient(registry, request, form);
  });

  router.post(
    path,
    { needs: { form: parseForm, client: authenticateClient }, includeInSchema: documented(options, path), tags: options.tags, name: "revokeToken", public: true, errorStyle: endpoints.errorStyle },
    async function revoke({ form, client }) {
      // RFC 7009 §2.1: "verifies whether the token was issued to the client making the revocation request";
      // otherwise anyone could end a confidential client's tokens by naming no client at all.
      const outcome = await options.tokens.revokeClientToken(form.token, client.id);
      if (outcome === "other-client") throw gatehouseError("GH_TOKEN_OF_ANOTHER_CLIENT");
      // RFC 7009 §2.2: an invalid or unknown token also gets 200; the client could not use it anyway.
      return {};
    },
  );
}
