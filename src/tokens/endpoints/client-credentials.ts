/**
 * @module
 * `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client gets an access token for itself,
 * no user involved. Read off the steps: requireMachineClient → grantedScopes → issue, with no refresh token.
 * The client was authenticated before (Basic or form, secrets compared in constant time: `client.ts`).
 */
import { gatehouseError } from "../../core/errors.ts";
import { expiresIn } from "../claims.ts";
import type { TokenService } from "../service.ts";
import type { Client, Clients } from "./client.ts";

/** An access token on its own: what this grant hands out. */
export interface IssuedAccess {
  readonly accessToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number | undefined;
  readonly scopes: readonly string[];
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Check every client's `scopes` at start-up; `true` when at least one client may use the grant, so that
 * `/token` only accepts (and documents) `client_credentials` when it can answer it.
 */
export function machineClients(clients: Clients): boolean {
  let any = false;
  for (const [id, config] of Object.entries(clients)) {
    if (config.scopes === undefined) continue;
    if (!Array.isArray(config.scopes) || !config.scopes.every((scope) => typeof scope === "string" && SCOPE_TOKEN.test(scope))) {
      throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: tokenRouter: clients["${id}"].scopes must be an array of scope names (no spaces, quotes or backslashes)`);
    }
    any = true;
  }
  return any;
}

/** Issue an access token to the authenticated client itself, with the requested (or all its) scopes. */
export async function clientCredentialsGrant(tokens: TokenService, client: Client, requested: readonly string[]): Promise<IssuedAccess> {
  const { id, allowed } = requireMachineClient(client);
  const scopes = grantedScopes(allowed, requested);
  // RFC 9068 §2.2: acting on its own behalf, the client is the subject; the issuer adds its `client_id` claim too.
  const { token, record } = await tokens.issue({ subject: id, scopes, client: id });
  return { accessToken: token, expiresIn: expiresIn(record), scopes };
}

function requireMachineClient(client: Client): { id: string; allowed: readonly string[] } {
  if (!client.confidential || client.id === null) {
    // RFC 6749 §4.4: only confidential clients may use this grant; §5.2 invalid_client: "no client authentication included".
    throw gatehouseError("GH_CLIENT_AUTHENTICATION_REQUIRED");
  }
  // RFC 6749 §5.2 unauthorized_client: an authenticated client that is not allowed this grant type.
  if (client.scopes === undefined) throw gatehouseError("GH_UNAUTHORIZED_CLIENT", { detail: "Client is not authorized to use the client_credentials grant" });
  return { id: client.id, allowed: client.scopes };
}

function grantedScopes(allowed: readonly string[], requested: readonly string[]): string[] {
  // RFC 6749 §3.3: a request without `scope` gets the pre-defined default, here every scope the client may have.
  if (requested.length === 0) return [...allowed];
  // RFC 6749 §5.2 invalid_scope: more than the client was configured with.
  if (!requested.every((scope) => allowed.includes(scope))) throw gatehouseError("GH_INVALID_SCOPE");
  return [...new Set(requested)];
}
