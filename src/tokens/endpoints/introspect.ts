/**
 * @module
 * `POST /introspect` (RFC 7662), for resource servers: parseForm → authenticateResourceServer →
 * introspect. It requires a confidential client's credentials, so that nobody can probe tokens with it.
 */
import { dependency } from "../../core/dependency.ts";
import { HttpRequest, HttpResponse } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { HTTPBasic } from "../../security/http-basic.ts";
import { authenticateClient, invalidClient } from "./client.ts";
import { documented, type TokenRouterOptions } from "./options.ts";
import { TokenParamForm } from "./revoke.ts";

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
      const client = authenticateClient(clients, request, form);
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
      // Clients call it to check a token: app- or router-level security must not stand in the way.
      public: true,
    },
    async function introspect({ form, response }) {
      response.headers["Cache-Control"] = "no-store";
      // RFC 7662 §2.2: revoked, expired, unknown or malformed tokens are all just {"active": false}.
      return options.tokens.introspect(form.token);
    },
  );
}
