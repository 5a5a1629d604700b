/**
 * @module
 * The shapes the token layer works with: what is recorded of each issued token, what a revocation is,
 * and the injectable clock. What a verified token is lives in `claims.ts`.
 */
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";

/** `access`: from `/token`; `refresh`: the opaque token that renews them; `api`: a personal token. */
export const TokenKindSchema = z.enum(["access", "refresh", "api"]);
export type TokenKind = z.infer<typeof TokenKindSchema>;

/**
 * What the issuer records of a token it issues, so that a user can list and revoke their tokens.
 * Times are epoch milliseconds; `expiresAt: null` is a token only revocation ends.
 */
export type TokenRecord = {
  /** `jti` of an access or API token; the family id of a refresh token (one live refresh token per family). */
  readonly id: string;
  readonly subject: string;
  readonly kind: TokenKind;
  readonly scopes: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number | null;
  /** The refresh family (login session) a token belongs to. */
  readonly family?: string;
  /** When the family ends, whatever the rotations (refresh tokens only). */
  readonly familyExpiresAt?: number;
  /** The OAuth client the token was issued to; `null` for a public client. */
  readonly client?: string | null;
  /** A personal token's label. */
  readonly name?: string;
  /** Set by the store when a refresh token is used (epoch ms). */
  readonly consumed?: number;
  /** A personal token's SHA-256 (base64url): the token itself is never stored. */
  readonly hash?: string;
  /** When the user last entered their password, for the tokens of a login session (OIDC `auth_time`, epoch seconds). */
  readonly authTime?: number;
};

export const TokenRecordSchema = z.looseObject({
  id: z.string(),
  subject: z.string(),
  kind: TokenKindSchema,
  scopes: z.array(z.string()),
  issuedAt: z.number(),
  expiresAt: z.number().nullable(),
  family: z.string().optional(),
  familyExpiresAt: z.number().optional(),
  client: z.string().nullable().optional(),
  name: z.string().optional(),
  consumed: z.number().optional(),
  hash: z.string().optional(),
  authTime: z.number().optional(),
});

/** A stored record, or `undefined` when what the store holds is not one (e.g. written by another version). */
export function parseRecord(stored: unknown): TokenRecord | undefined {
  const parsed = TokenRecordSchema.safeParse(stored);
  return parsed.success ? (parsed.data as TokenRecord) : undefined;
}

/** What is revoked: one token (by `jti`), a whole refresh family, or every token of a subject issued before `at`. */
export type RevocationType = "token" | "family" | "subject";

/** One revocation. `at` is when it happened (for a subject: the not-before time); times in epoch ms. */
export type RevocationEntry = {
  readonly type: RevocationType;
  readonly id: string;
  readonly at: number;
  /** After this, every token it could concern has expired anyway; `null`: keep it for good. */
  readonly expiresAt: number | null;
};

export const RevocationEntrySchema = z.object({
  type: z.enum(["token", "family", "subject"]),
  id: z.string(),
  at: z.number(),
  expiresAt: z.number().nullable(),
});

/** Current time as epoch milliseconds or a `Date`; tests pass a fake one. */
export type Clock = () => number | Date;

/** What to issue an access or personal token for (`tokens.issue`). */
export interface IssueRequest {
  readonly subject: string;
  readonly scopes: readonly string[];
  /** Default `access`. */
  readonly kind?: "access" | "api";
  /** Lifetime in seconds; `null`: no `exp` (only revocation ends the token). Default: `accessTokenTtl`. */
  readonly ttl?: number | null;
  /** The refresh family the token belongs to; the token never outlives it. */
  readonly family?: { readonly id: string; readonly expiresAt: number };
  readonly client?: string | null;
  readonly name?: string;
  /** When the user entered their password (epoch seconds): the token's `auth_time` (RFC 9470). */
  readonly authTime?: number;
  /** More claims; they cannot override the registered ones set here. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** A signed token and what was recorded of it. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** `syncing`: first read in progress; `ready`: the set is current; `down`: the store is unreachable. */
export type LedgerState = "syncing" | "ready" | "down";

/** How the service watches its store. */
export interface LedgerOptions {
  /** Delay between attempts to reach a store that is down. Default 250 ms. */
  readonly retryMs?: number;
  /** How long a request waits for the first read before answering 503. Default 2 000 ms. */
  readonly syncWaitMs?: number;
  /** Told of every change of state; defaults to a one-line warning when the store goes down or comes back. */
  readonly onStateChange?: (state: LedgerState, error?: unknown) => void;
}

/** RFC 7662 §2.2 response: `{ active: false }` for anything not currently usable. */
export type Introspection =
  | { readonly active: false }
  | {
      readonly active: true;
      readonly token_type: "access_token" | "refresh_token";
      readonly scope: string;
      readonly sub: string;
      readonly username: string;
      readonly client_id?: string;
      readonly exp?: number;
      readonly iat?: number;
      readonly jti?: string;
    };

/** What a counter of login attempts needs: `points` per `duration` seconds under `keyPrefix`. */
export interface RateLimitSpec {
  readonly keyPrefix: string;
  readonly points: number;
  readonly duration: number;
  /** Where to count while the shared store cannot be reached (this instance's memory). */
  readonly insuranceLimiter?: RateLimiterAbstract;
}

/** Builds a `rate-limiter-flexible` limiter for a spec: memory, Redis, PostgreSQL, … */
export type RateLimiterFactory = (spec: RateLimitSpec) => RateLimiterAbstract;
/**
 * One entry of the user's view of their tokens: a login session or an authorized app (`session`, one
 * refresh family), a personal token, or an access token issued on its own. Times in epoch ms.
 */
export interface Grant {
  /** Revokes everything of the grant (`revokeById`). */
  readonly id: string;
  readonly kind: "session" | "personal" | "access";
  /** The app it was granted to; `null` for a login without a registered client. */
  readonly client: string | null;
  readonly scopes: readonly string[];
  readonly grantedAt: number;
  /** The latest token it issued (a login, a refresh). */
  readonly lastUsed: number;
  /** When its last token expires; `null`: never. */
  readonly expiresAt: number | null;
  /** A personal token's label. */
  readonly name?: string;
}

/** How access tokens are written: the seed's JWT, or RFC 9068's JWT access token profile. */
export type AccessTokenFormat = "jwt" | "at+jwt";

/** What the user consented to, as a code carries it to the token endpoint. */
export interface CodeGrant {
  readonly subject: string;
  readonly client: string;
  readonly scopes: readonly string[];
  /** Where the code was sent: the request's redirect URI, or the client's only one. */
  readonly redirectUri: string;
  /** Whether the authorization request named it (then the token request must repeat it). */
  readonly redirectUriSent: boolean;
  /** RFC 7636 `code_challenge`, method S256. */
  readonly challenge: string;
  /** When the user logged in (epoch s). */
  readonly authTime?: number;
}

/** What the token request presents along with the code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface CodeRedemption {
  readonly client: string;
  /** The token request's `redirect_uri`, `null` when absent. */
  readonly redirectUri: string | null;
  readonly verifier: string;
}

/** A refresh family (one login session or authorized app): its id and when it ends (epoch ms). */
export interface Family {
  readonly id: string;
  readonly expiresAt: number;
}
