/**
 * @module
 * Every error gatehouse raises, in one table: a stable `GH_…` code, its HTTP status (or the moment it is
 * raised, for misconfiguration and store failures), the RFC 6749 / 6750 / 9470 `error` code where OAuth
 * defines one, and what it means. The README's error table is checked against this one, as Fastify checks
 * `lib/errors.js` against `Errors.md`. Build errors with `gatehouseError` (`errors.ts`), never by hand.
 */

/** The `error` values of RFC 6749 §4.1.2.1/§5.2, RFC 6750 §3.1, RFC 7009 §2.2.1 and RFC 9470 §3. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "unsupported_response_type"
  | "unsupported_token_type"
  | "invalid_token"
  | "insufficient_scope"
  | "insufficient_user_authentication"
  | "server_error"
  | "temporarily_unavailable";

/** An error answered to a request: its status, its default `detail`, its OAuth code and challenge. */
export interface HttpErrorSpec {
  readonly status: number;
  readonly detail: string;
  readonly oauth?: OAuthErrorCode;
  /** The response's headers by default: a `WWW-Authenticate` challenge, a `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly summary: string;
}

/** An error thrown to the program, never sent: misconfiguration (start-up), misuse, or a store failure. */
export interface ProgramErrorSpec {
  /** `startup`: a `TypeError` thrown once, at construction or `ready()`; `usage`: a call made out of order; `store`: I/O (a token store, or another issuer). */
  readonly raised: "startup" | "usage" | "store";
  readonly summary: string;
}

const http = (status: number, detail: string, summary: string, extra: { oauth?: OAuthErrorCode; headers?: Record<string, string> } = {}): HttpErrorSpec =>
  Object.freeze({ status, detail, summary, ...extra });
const challenge = (value: string) => Object.freeze({ "WWW-Authenticate": value });
const startup = (summary: string): ProgramErrorSpec => Object.freeze({ raised: "startup", summary });
const usage = (summary: string): ProgramErrorSpec => Object.freeze({ raised: "usage", summary });
const store = (summary: string): ProgramErrorSpec => Object.freeze({ raised: "store", summary });

/** RFC 6750 §3.1: the token is expired, revoked, malformed or invalid for other reasons. */
export const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** The catalog. Order is the README's. */
export const ERROR_CATALOG = Object.freeze({
  // Requests: security schemes and validation.
  GH_NOT_AUTHENTICATED: http(401, "Not authenticated", "A security scheme found no credential (FastAPI's answer); the challenge is the scheme's."),
  GH_REQUEST_VALIDATION: http(422, "Unprocessable Entity", "Parameters or body failed their schema; `detail` lists FastAPI's (pydantic 2's) issues."),
  GH_JSON_INVALID: http(422, "JSON decode error", "A body sent as JSON is not JSON, or nests deeper than 256 levels (FastAPI's `json_invalid`)."),
  GH_BODY_PARSE_FAILED: http(400, "There was an error parsing the body", "The body could not be read as its content type says (e.g. a truncated multipart body)."),
  GH_FILE_NOT_ACCEPTED: http(400, "File uploads are not accepted here", "A multipart body carried a file part; no gatehouse route reads files, so none is buffered."),
  GH_CLIENT_ERROR: http(400, "Bad Request", "Fastify or Node refused the request before any route ran (bad URL, parameter too long, headers too large, body too large, …); the status is theirs."),
  GH_NOT_FOUND: http(404, "Not Found", "No route for this method and path."),
  GH_SHUTTING_DOWN: http(503, "Service Unavailable", "The app is closing: a request that arrives on an open connection is refused, and the connection closed.", { headers: { Connection: "close" } }),
  GH_RESPONSE_VALIDATION: http(500, "Internal Server Error", "The handler's result failed the route's response schema: a bug, logged, never shown."),
  GH_INTERNAL: http(500, "Internal Server Error", "A dependency or handler threw something that is not an HTTPException: a bug, logged, never shown."),

  // Requests: bearer tokens (RFC 6750).
  GH_INVALID_TOKEN: http(401, "Could not validate credentials", "The bearer token is malformed, badly signed, expired or lacks a claim.", { oauth: "invalid_token", headers: challenge(INVALID_TOKEN_CHALLENGE) }),
  GH_REVOKED_TOKEN: http(401, "Token has been revoked", "The bearer token was revoked (itself, its login session, or every token of its subject).", { oauth: "invalid_token", headers: challenge(INVALID_TOKEN_CHALLENGE) }),
  GH_INSUFFICIENT_SCOPE: http(403, "Not enough permissions", "The token lacks a scope the route requires; the challenge names every scope needed.", { oauth: "insufficient_scope" }),
  GH_STORE_UNAVAILABLE: http(503, "Token store unavailable: revocations cannot be checked right now; try again shortly", "The token store cannot be reached, so no revocation answer can be trusted (fail closed); `Retry-After` says when to try again.", { oauth: "temporarily_unavailable", headers: { "Retry-After": "1" } }),
  GH_ISSUER_UNAVAILABLE: http(503, "Token issuer unavailable: the token cannot be checked right now; try again shortly", "The token's issuer (its discovery document, keys or introspection endpoint) cannot be reached or answers wrongly, and what is known here cannot decide (fail closed); `Retry-After` says when to try again.", { oauth: "temporarily_unavailable", headers: { "Retry-After": "5" } }),

  // Requests: the token endpoints (RFC 6749 §5.2, RFC 7009, RFC 7662).
  GH_INVALID_CLIENT: http(401, "Invalid client credentials", "Client authentication failed: an unknown client, a wrong secret, or a confidential client's id without its secret.", { oauth: "invalid_client", headers: challenge("Basic") }),
  GH_CLIENT_AUTHENTICATION_REQUIRED: http(401, "Client authentication required", "The grant or endpoint is for confidential clients, and none authenticated.", { oauth: "invalid_client", headers: challenge("Basic") }),
  GH_MULTIPLE_CLIENT_AUTHENTICATION: http(400, "Use one client authentication method: Basic or the form, not both", "The client authenticated twice (RFC 6749 §2.3).", { oauth: "invalid_request" }),
  GH_UNAUTHORIZED_CLIENT: http(400, "Client is not authorized to use this grant", "An authenticated client asked for a grant it is not allowed.", { oauth: "unauthorized_client" }),
  GH_INVALID_SCOPE: http(400, "Requested scopes exceed those granted", "The request asks for more scopes than the grant or the client allows.", { oauth: "invalid_scope" }),
  GH_INVALID_CREDENTIALS: http(400, "Incorrect username or password", "The password grant's username or password is wrong (the seed's answer).", { oauth: "invalid_grant" }),
  GH_INVALID_GRANT: http(400, "Invalid refresh token", "The refresh token is unknown, expired, revoked, of another client, or was used before (its family is then revoked).", { oauth: "invalid_grant" }),
  GH_TOO_MANY_LOGINS: http(429, "Too many failed logins; try again later", "The password grant's throttle refused the attempt (too many failures for this account from this network, from this network, or for this account); `Retry-After` says when.", { oauth: "temporarily_unavailable", headers: { "Retry-After": "900" } }),
  GH_PASSWORD_TOO_LONG: http(400, "Password is longer than 72 bytes, the most bcrypt can check", "A password past 72 bytes met bcrypt (a bcrypt hash, or hashing with bcrypt), which would ignore the rest: refused, never checked in part.", { oauth: "invalid_request" }),
  GH_PASSWORD_QUEUE_FULL: http(503, "Too many logins in progress; try again shortly", "`PasswordContext` already has `maxWaiting` hashes waiting; `Retry-After` is the queue's expected wait.", { oauth: "temporarily_unavailable", headers: { "Retry-After": "1" } }),
  GH_INVALID_AUTHORIZATION_CODE: http(400, "Invalid authorization code", "The authorization code is unknown, expired, of another client or redirect URI, fails its PKCE verifier, or was used before (what it issued is then revoked).", { oauth: "invalid_grant" }),
  GH_UNSUPPORTED_GRANT_TYPE: http(400, "Unsupported grant type", "The `grant_type` is not one this token endpoint answers.", { oauth: "unsupported_grant_type" }),
  GH_TOKEN_OF_ANOTHER_CLIENT: http(400, "This token was not issued to this client", "RFC 7009 §2.1: `/revoke` was asked to revoke a token issued to another client.", { oauth: "unauthorized_client" }),

  // Requests: the authorization endpoint (RFC 6749 §4.1.2.1): an error page, or a redirect to the client.
  GH_UNKNOWN_CLIENT: http(400, "Unknown client", "`/authorize` names no registered client that may use the authorization code: an error page, never a redirect.", { oauth: "invalid_request" }),
  GH_INVALID_REDIRECT_URI: http(400, "Invalid redirect_uri", "The redirect URI is not registered for the client (or is missing while several are): an error page, never a redirect.", { oauth: "invalid_request" }),
  GH_INVALID_AUTHORIZATION_REQUEST: http(400, "Invalid authorization request", "An authorization request parameter is missing, repeated or malformed (PKCE with S256 is required); sent to the redirect URI.", { oauth: "invalid_request" }),
  GH_UNSUPPORTED_RESPONSE_TYPE: http(400, "Only response_type=code is supported", "Anything but the authorization code flow (OAuth 2.1 has no implicit grant); sent to the redirect URI.", { oauth: "unsupported_response_type" }),
  GH_ACCESS_DENIED: http(403, "The user denied the request", "The user pressed Deny on the consent page; sent to the redirect URI.", { oauth: "access_denied" }),
  GH_FORM_EXPIRED: http(403, "This form has expired; please try again", "A login or consent form came without the session cookie and CSRF token it was made for.", { oauth: "invalid_request" }),

  // Requests: the signed-in user's own tokens.
  GH_TOKEN_NOT_FOUND: http(404, "Token not found", "No live token of yours has this id."),
  GH_SCOPE_NOT_HELD: http(403, "Cannot grant scopes you do not have", "A personal token may only narrow the scopes of the token that creates it."),
  GH_PERSONAL_TOKEN_REFUSED: http(403, "A personal token cannot list, create or revoke tokens", "The user's own token routes refuse personal tokens: one never mints or manages tokens (it may still revoke itself on `/revoke`)."),
  GH_DELEGATED_TOKEN_REFUSED: http(403, "A token of an app cannot create personal tokens", "A token a third-party app obtained through `/authorize` (a client with the `authorization_code` grant that is not `firstParty`) never mints a personal token, which would outlive the app's own grant; at `/users/me/tokens` it sees and revokes only that app's grants."),
  GH_LOGIN_TOO_OLD: http(401, "More recent authentication is required", "Creating a personal token needs a password login within `maxAuthAge` (default 10 minutes); the challenge says so (RFC 9470 `max_age`).", { oauth: "insufficient_user_authentication" }),

  // The program: misconfiguration at start-up, calls out of order, store I/O.
  GH_INVALID_OPTION: startup("An option or argument has the wrong type or value; the message names it."),
  GH_INVALID_KEY: startup("A signing or verification key is missing, malformed, or of the wrong type for its `alg`."),
  GH_WEAK_KEY: startup("An HMAC secret is shorter than its hash (RFC 7518 §3.2): at least 32 bytes for HS256, 48 for HS384, 64 for HS512."),
  GH_INVALID_ROUTE: startup("A route's path, method or handler is malformed."),
  GH_DEPENDENCY_CYCLE: startup("A dependency needs itself, directly or through others; the message shows the cycle."),
  GH_NOT_INJECTABLE: startup("Something in `needs` is neither a dependency, a scheme, a parameter nor a marker."),
  GH_UNDECLARED_SCOPE: startup("`security(dep, scopes)` requires a scope that the tree's OAuth2 scheme does not declare."),
  GH_SCHEME_NAME_CONFLICT: startup("Two different security schemes share one `schemeName`."),
  GH_OPERATION_ID_CONFLICT: startup("Two routes share one `operationId`."),
  GH_INVALID_STORE_URL: startup("`GATEHOUSE_STORE` (or the store URL) is not one gatehouse knows."),
  GH_STORE_UNSAFE: startup("The store's server can silently lose acknowledged revocations (Redis `maxmemory-policy` other than `noeviction`, `appendonly no`); the message names the setting and the option that accepts it."),
  GH_MISSING_PEER: startup("An optional package the configuration needs (a store driver, ReDoc) is not installed; the message names it and how to install it."),
  GH_STORE_SCHEMA_NEWER: startup("The store's schema is newer than this gatehouse knows (a newer version migrated it): run that version, or restore the data it started from."),
  GH_STORE_OPEN_FAILED: store("The store could not be opened (e.g. the SQLite file's directory cannot be created); the message names its absolute path."),
  GH_NOT_READY: usage("Compiled routes or the OpenAPI document were asked for before `await app.ready()`."),
  GH_ROUTE_AFTER_START: usage("A route was added after the app started, or to a router already included (it would never be served; Fastify refuses late routes too)."),
  GH_STORE_CLOSED: store("A store was used after `close()`."),
  GH_STORE_FAILED: store("A store operation failed (unreachable, timed out, refused); the token layer answers GH_STORE_UNAVAILABLE."),
  GH_ISSUER_FAILED: store("A request to another issuer failed (unreachable, timed out, not 200, too large, not JSON, another `issuer`); the routes answer GH_ISSUER_UNAVAILABLE."),
  GH_STORE_UNREACHABLE: store("The token store could not be reached at start-up within the timeout (`tokens.ready({ timeoutMs })`, `app.ready()`, `listen()`); the message names the store, its address and the last error."),
} as const satisfies Record<`GH_${string}`, HttpErrorSpec | ProgramErrorSpec>);

type Catalog = typeof ERROR_CATALOG;

/** Every code gatehouse raises. */
export type ErrorCode = keyof Catalog;
/** The codes answered to a request. */
export type HttpErrorCode = { [C in ErrorCode]: Catalog[C] extends HttpErrorSpec ? C : never }[ErrorCode];
/** The codes thrown to the program. */
export type ProgramErrorCode = Exclude<ErrorCode, HttpErrorCode>;

/** Whether a code is answered to a request. */
export function isHttpErrorCode(code: ErrorCode): code is HttpErrorCode {
  return "status" in ERROR_CATALOG[code];
}
