/**
 * @module
 * `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662). Revocation: parseForm → authenticateClient
 * → revoke, 200 whatever the token. Introspection is for resource servers: it requires a confidential
 * client's HTTP Basic credentials, so that nobody can probe tokens with it.
 */
import { z } from "zod";
import { dependency } from "../../core/dependency.ts";
import { HttpRequest, HttpResponse } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { HTTPBasic } from "../../security/http-basic.ts";
import { authenticateClient as checkClient, invalidClient } from "./client.ts";
import { documented, type TokenRouterOptions } from "./options.ts";

const TokenParamForm = z.object({
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

/** Register `POST /introspect`. */
export function addIntrospectRoute(router: Router, options: TokenRouterOptions): void {
  const path = options.paths?.introspect ?? "/introspect";
  const clients = options.clients ?? {};
  const scheme = new HTTPBasic({ schemeName: "TokenClientBasic", description: "A confidential client's id and secret (RFC 7662 §2.1)." });
  const parseForm = dependency({ body: form(TokenParamForm, { description: "RFC 7662 introspection request" }) }, function parseForm({ body }) {
    return body;
  });
  const authenticateResourceServer = dependency(
    { credentials: scheme, request: HttpRequest, form: parseForm },
    function authenticateResourceServer({ request, form }) {
      const client = checkClient(clients, request, form);
      if (!client.confidential || !client.introspect) throw invalidClient();
      return client;
    },
  );

  router.post(
    path,
    {
      needs: { form: parseForm, client: authenticateResourceServer, response: HttpResponse },
      includeInSchema: documented(options, path),
      tags: options.tags,
      name: "introspectToken",
      // Clients call it to get (or check) a token: app- or router-level security must not stand in the way.
      public: true,
    },
    async function introspect({ form, response }) {
      response.headers["Cache-Control"] = "no-store";
      // RFC 7662 §2.2: revoked, expired, unknown or malformed tokens are all just {"active": false}.
      return options.tokens.introspect(form.token);
    },
  );
}
