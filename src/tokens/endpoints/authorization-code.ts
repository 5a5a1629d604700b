/**
 * @module
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5): a client trades the code `/authorize`
 * gave it, with the PKCE verifier and the same redirect URI, for the tokens of a new grant. Only the
 * client the code was issued to can redeem it, once; a second attempt revokes what the first issued.
 */
import { gatehouseError } from "../../core/errors.ts";
import type { TokenPair, TokenService } from "../service.ts";
import type { Client } from "./client.ts";

/** Exchange the code; throws `invalid_grant` (RFC 6749 §5.2) for any code that is not good for this request. */
export async function authorizationCodeGrant(tokens: TokenService, client: Client, grant: { code: string; redirectUri: string | null; verifier: string }): Promise<TokenPair> {
  // RFC 6749 §4.1.3: client_id is required of a client that does not authenticate; only registered ones get codes.
  if (client.id === null) throw gatehouseError("GH_INVALID_AUTHORIZATION_CODE");
  const result = await tokens.redeemCode(grant.code, { client: client.id, redirectUri: grant.redirectUri, verifier: grant.verifier });
  if (!result.ok) throw gatehouseError("GH_INVALID_AUTHORIZATION_CODE");
  return result;
}
