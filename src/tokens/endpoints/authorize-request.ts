/**
 * @module
 * The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3), checked in the order that decides where an
 * error may go: until the client and its redirect URI are known good, only to an error page (§4.1.2.1:
 * "MUST NOT automatically redirect"); after that, back to the client with `error` and `state`.
 */
import { gatehouseError, type HTTPException } from "../../core/errors.ts";
import type { ScopeMap } from "../../security/oauth2.ts";
import { splitScope } from "../claims.ts";
import type { ClientRegistry, RegisteredClient } from "./client-registry.ts";
import { matchRedirectUri } from "./redirect-uri.ts";

/** A request that passed every check. */
export interface AuthorizationRequest {
  readonly client: RegisteredClient;
  /** Where the answer goes: the URI given, or the only one registered. */
  readonly redirectUri: string;
  /** Whether the request named it: then the token request must repeat it (RFC 6749 §4.1.3). */
  readonly redirectUriSent: boolean;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  /** RFC 7636 S256 `code_challenge`. */
  readonly challenge: string;
}

/** Checked: a good request, an error for the page, or an error for the client's redirect URI. */
export type CheckedRequest =
  | { readonly ok: true; readonly request: AuthorizationRequest }
  | { readonly ok: false; readonly page: HTTPException }
  | { readonly ok: false; readonly redirect: { readonly uri: string; readonly state: string | undefined; readonly error: HTTPException } };

type Query = Readonly<Record<string, string | string[] | undefined>>;

// RFC 7636 §4.2: S256 gives BASE64URL of 32 bytes, 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Check the query of `GET /authorize` (and of the forms that post back to it). */
export function checkAuthorizationRequest(query: Query, registry: ClientRegistry, scopeMap: ScopeMap): CheckedRequest {
  // RFC 6749 §3.1: parameters "MUST NOT be included more than once"; which one would count?
  const repeated = Object.keys(query).filter((name) => Array.isArray(query[name]));
  if (repeated.length > 0) return { ok: false, page: gatehouseError("GH_INVALID_AUTHORIZATION_REQUEST", { detail: `Repeated parameter: ${repeated.join(", ")}` }) };
  const param = (name: string) => (query[name] as string | undefined) || undefined;

  const clientId = param("client_id");
  const client = clientId === undefined ? undefined : registry.get(clientId);
  if (!client || client.redirectUris.length === 0) return { ok: false, page: gatehouseError("GH_UNKNOWN_CLIENT") };
  const redirectUriParam = param("redirect_uri") ?? null;
  const redirectUri = redirectUriParam === null ? soleRedirectUri(client) : matchRedirectUri(client, redirectUriParam) && redirectUriParam;
  if (!redirectUri) return { ok: false, page: gatehouseError("GH_INVALID_REDIRECT_URI") };

  // From here on the client hears about the error, with its state.
  const state = param("state");
  const toClient = (error: HTTPException): CheckedRequest => ({ ok: false, redirect: { uri: redirectUri, state, error } });
  const responseType = param("response_type");
  if (responseType === undefined) return toClient(gatehouseError("GH_INVALID_AUTHORIZATION_REQUEST", { detail: "response_type is required" }));
  if (responseType !== "code") return toClient(gatehouseError("GH_UNSUPPORTED_RESPONSE_TYPE"));
  if (!client.grants.has("authorization_code")) return toClient(gatehouseError("GH_UNAUTHORIZED_CLIENT", { detail: "Client is not authorized to use the authorization code" }));
  // OAuth 2.1 §4.1.1: PKCE for every client, and S256 only (RFC 7636's default `plain` is refused too).
  const challenge = param("code_challenge");
  if (challenge === undefined) return toClient(gatehouseError("GH_INVALID_AUTHORIZATION_REQUEST", { detail: "code_challenge is required (PKCE, S256)" }));
  if (param("code_challenge_method") !== "S256") return toClient(gatehouseError("GH_INVALID_AUTHORIZATION_REQUEST", { detail: "code_challenge_method must be S256" }));
  if (!S256_CHALLENGE.test(challenge)) return toClient(gatehouseError("GH_INVALID_AUTHORIZATION_REQUEST", { detail: "code_challenge must be 43 base64url characters" }));
  const scopes = requestedScopes(param("scope"), client, scopeMap);
  if (scopes === undefined) return toClient(gatehouseError("GH_INVALID_SCOPE", { detail: "Requested scopes are unknown or not allowed for this client" }));
  return { ok: true, request: { client, redirectUri, redirectUriSent: redirectUriParam !== null, scopes, state, challenge } };
}

/** OAuth 2.1 §2.3.2: without `redirect_uri`, only a client with a single registered one. */
function soleRedirectUri(client: RegisteredClient): string | undefined {
  return client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
}

/** The scopes asked for (RFC 6749 §3.3 default: all the client may have), or `undefined` when one is not allowed. */
function requestedScopes(scope: string | undefined, client: RegisteredClient, scopeMap: ScopeMap): readonly string[] | undefined {
  const allowed = client.scopes ?? Object.keys(scopeMap);
  const asked = scope === undefined ? allowed : [...new Set(splitScope(scope))];
  return asked.every((name) => allowed.includes(name) && Object.hasOwn(scopeMap, name)) ? asked : undefined;
}
