/**
 * @module
 * Client authentication for the token, revocation and introspection endpoints (RFC 6749 §2.3): HTTP
 * Basic with the form-encoded client id and secret, or `client_id`/`client_secret` in the form. A
 * registered client with a secret must present it; a registered public client (or, for the password grant,
 * an unregistered one, as FastAPI's tutorial and Swagger UI send any id) only names itself.
 */
import { gatehouseError, type HTTPException } from "../../core/errors.ts";
import type { RequestView } from "../../core/request.ts";
import { safeCompare } from "../../security/compare.ts";
import { HTTPBasic } from "../../security/http-basic.ts";
import type { ClientRegistry, GrantType, RegisteredClient } from "./client-registry.ts";

export type { ClientConfig, Clients, GrantType } from "./client-registry.ts";

/** Who is calling. `id: null` is an anonymous public client. */
export interface Client {
  readonly id: string | null;
  /** Authenticated with its secret. */
  readonly confidential: boolean;
  /** Known to the registry (public or confidential). */
  readonly registered: boolean;
  /** May call `/introspect`. */
  readonly introspect: boolean;
  /** The scopes it may be granted (`ClientConfig.scopes`). */
  readonly scopes?: readonly string[];
  /** The grants it may use. */
  readonly grants: ReadonlySet<GrantType>;
}

// Read outside any route's dependency tree: /token must document no security requirement (FastAPI's has none).
const basic = new HTTPBasic({ autoError: false });
// Compared against when the client id is unknown, so that an unknown id costs the same time as a wrong secret.
const NO_SECRET = "\u0000no client\u0000";
/** What an unregistered public client may do: the seed's password grant and its refreshes. */
const UNREGISTERED_GRANTS: ReadonlySet<GrantType> = new Set(["password", "refresh_token"]);

/** 401 `GH_INVALID_CLIENT`: client credentials that do not match (RFC 6749 §5.2 `invalid_client`). */
export function invalidClient(): HTTPException {
  return gatehouseError("GH_INVALID_CLIENT");
}

/** Authenticate the client of a token-endpoint request; throws 401 for wrong credentials. */
export function authenticateClient(registry: ClientRegistry, request: RequestView, form: { client_id?: string | undefined; client_secret?: string | undefined }): Client {
  const header = basic.extract(request);
  // Swagger UI sends `Authorization: Basic Og==` (empty id and secret) with every token request: that is a public client, not a failed client authentication.
  const viaHeader = header !== undefined && (header.username !== "" || header.password !== "");
  if (viaHeader && (form.client_id !== undefined || form.client_secret !== undefined)) {
    throw gatehouseError("GH_MULTIPLE_CLIENT_AUTHENTICATION"); // RFC 6749 §2.3
  }
  const id = (viaHeader ? formDecode(header.username) : form.client_id) || null;
  const secret = (viaHeader ? formDecode(header.password) : form.client_secret) || null;
  const registered = id === null ? undefined : registry.get(id);
  if (secret === null) {
    if (registered?.secret !== undefined) throw invalidClient(); // a confidential client's id without its secret
    return registered ? clientOf(registered, false) : { id, confidential: false, registered: false, introspect: false, grants: UNREGISTERED_GRANTS };
  }
  const matches = safeCompare(secret, registered?.secret ?? NO_SECRET);
  if (registered?.secret === undefined || !matches) throw invalidClient();
  return clientOf(registered, true);
}

function clientOf(client: RegisteredClient, confidential: boolean): Client {
  return { id: client.id, confidential, registered: true, introspect: confidential && client.introspect, grants: client.grants, ...(client.scopes ? { scopes: client.scopes } : {}) };
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they go into the Basic header. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw invalidClient();
  }
}
