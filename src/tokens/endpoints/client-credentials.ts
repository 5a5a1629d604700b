/**
 * @module
 * `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client gets an access token for itself,
 * no user involved. Read off the steps: grantedScopes → issue, with no refresh token. The client was
 * authenticated (`client.ts`) and allowed the grant (`token.ts` requireAllowed) before.
 */
import { gatehouseError } from "../../core/errors.ts";
import { expiresIn } from "../claims.ts";
import type { TokenService } from "../service.ts";
import type { Client } from "./client.ts";

/** An access token on its own: what this grant hands out. */
export interface IssuedAccess {
  readonly accessToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number | undefined;
  readonly scopes: readonly string[];
}

/** Issue an access token to the authenticated client itself, with the requested (or all its) scopes. */
export async function clientCredentialsGrant(tokens: TokenService, client: Client, requested: readonly string[]): Promise<IssuedAccess> {
  const id = client.id!; // a confidential client always has one
  const scopes = grantedScopes(client.scopes ?? [], requested);
  // RFC 9068 §2.2: acting on its own behalf, the client is the subject; the issuer adds its `client_id` claim too.
  const { token, record } = await tokens.issue({ subject: id, scopes, client: id });
  return { accessToken: token, expiresIn: expiresIn(record), scopes };
}

function grantedScopes(allowed: readonly string[], requested: readonly string[]): string[] {
  // RFC 6749 §3.3: a request without `scope` gets the pre-defined default, here every scope the client may have.
  if (requested.length === 0) return [...allowed];
  // RFC 6749 §5.2 invalid_scope: more than the client was configured with.
  if (!requested.every((scope) => allowed.includes(scope))) throw gatehouseError("GH_INVALID_SCOPE");
  return [...new Set(requested)];
}
