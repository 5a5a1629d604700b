/**
 * @module
 * Client authentication for the token, revocation and introspection endpoints (RFC 6749 §2.3): HTTP
 * Basic with the form-encoded client id and secret, or `client_id`/`client_secret` in the form. A client
 * without a secret is a public client; a secret must match a configured confidential client.
 */
import { gatehouseError, type HTTPException } from "../../core/errors.ts";
import type { RequestView } from "../../core/request.ts";
import { safeCompare } from "../../security/compare.ts";
import { HTTPBasic } from "../../security/http-basic.ts";

/** A confidential client. `introspect: false` keeps it off `/introspect`. */
export interface ClientConfig {
  readonly secret: string;
  readonly introspect?: boolean;
  /**
   * The scopes it may be granted with `grant_type=client_credentials` (RFC 6749 §4.4), acting on its own
   * behalf. Absent: it may not use that grant.
   */
  readonly scopes?: readonly string[];
}

export type Clients = Readonly<Record<string, ClientConfig>>;

/** Who is calling. `id: null` is an anonymous public client. */
export interface Client {
  readonly id: string | null;
  readonly confidential: boolean;
  readonly introspect: boolean;
  /** A confidential client's `ClientConfig.scopes`: what `client_credentials` may grant it. */
  readonly scopes?: readonly string[];
}

// Read outside any route's dependency tree: /token must document no security requirement (FastAPI's has none).
const basic = new HTTPBasic({ autoError: false });
// Compared against when the client id is unknown, so that an unknown id costs the same time as a wrong secret.
const NO_SECRET = "\u0000no client\u0000";

/** 401 `GH_INVALID_CLIENT`: client credentials that do not match (RFC 6749 §5.2 `invalid_client`). */
export function invalidClient(): HTTPException {
  return gatehouseError("GH_INVALID_CLIENT");
}

/** Authenticate the client of a token-endpoint request; throws 401 for wrong credentials. */
export function authenticateClient(clients: Clients, request: RequestView, form: { client_id?: string | undefined; client_secret?: string | undefined }): Client {
  const header = basic.extract(request);
  // Swagger UI sends `Authorization: Basic Og==` (empty id and secret) with every token request: that is a public client, not a failed client authentication.
  const viaHeader = header !== undefined && (header.username !== "" || header.password !== "");
  if (viaHeader && (form.client_id !== undefined || form.client_secret !== undefined)) {
    throw gatehouseError("GH_MULTIPLE_CLIENT_AUTHENTICATION"); // RFC 6749 §2.3
  }
  const id = (viaHeader ? formDecode(header.username) : form.client_id) || null;
  const secret = (viaHeader ? formDecode(header.password) : form.client_secret) || null;
  const config = id !== null && Object.hasOwn(clients, id) ? clients[id] : undefined;
  if (secret === null) {
    if (config) throw invalidClient(); // a confidential client's id without its secret
    return { id, confidential: false, introspect: false };
  }
  const matches = safeCompare(secret, config?.secret ?? NO_SECRET);
  if (!config || !matches) throw invalidClient();
  return { id, confidential: true, introspect: config.introspect ?? true, ...(config.scopes ? { scopes: config.scopes } : {}) };
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they go into the Basic header. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw invalidClient();
  }
}
