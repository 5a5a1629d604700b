/**
 * @module
 * `POST /introspect` (RFC 7662), for resource servers: parseForm → authenticateResourceServer →
 * introspect. It requires the credentials of a confidential client registered with `introspect: true`, so
 * that nobody else can probe tokens with it (RFC 7662 §2.1, §4).
 */
import { dependency } from "../../core/dependency.ts";
import { gatehouseError } from "../../core/errors.ts";
import { HttpRequest, HttpResponse } from "../../core/markers.ts";
import { form } from "../../core/params.ts";
import type { Router } from "../../core/router.ts";
import { HTTPBasic } from "../../security/http-basic.ts";
import { authenticateClient, invalidClient } from "./client.ts";
import { documented, type Endpoints } from "./options.ts";
import { TokenParamForm } from "./revoke.ts";

/** Register `POST /introspect`. */
export function addIntrospectRoute(router: Router, endpoints: Endpoints): void {
  const { options, registry } = endpoints;
  const path = endpoints.paths.introspect;
  // No credential at all: its 401 (in the `oauth` style, `invalid_client`).
  const scheme = new HTTPBasic({ schemeName: "TokenClientBasic", description: "A confidential client's id and secret (RFC 7662 §2.1)." });
  const parseForm = dependency({ body: form(TokenParamForm, { description: "RFC 7662 introspection request" }) }, function parseForm({ body }) {
    return body;
  });
  const authenticateResourceServer = dependency(
    { credentials: scheme, request: HttpRequest, form: parseForm },
    function authenticateResourceServer({ request, form }) {
      const client = authenticateClient(registry, request, form);
      if (!client.confidential) throw gatehouseError("GH_CLIENT_AUTHENTICATION_REQUIRED");
      if (!client.introspect) throw invalidClient();
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
      errorStyle: endpoints.errorStyle,
    },
    async function introspect({ form, response }) {
      response.headers["Cache-Control"] = "no-store";
      // RFC 7662 §2.2: revoked, expired, unknown or malformed tokens are all just {"active": false}.
      return options.tokens.introspect(form.token);
    },
  );
}
