/**
 * @module
 * The shapes the token layer works with: what is recorded of each issued token, what a revocation is,
 * the claims of a verified access token, and the injectable clock.
 */
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

/** The claims of an access token that passed verification. `jti` is derived from the token when it has none. */
export interface AccessClaims {
  readonly sub: string;
  readonly jti: string;
  readonly scopes?: unknown;
  readonly iat?: number;
  readonly exp?: number;
  readonly fam?: string;
  readonly [claim: string]: unknown;
}

/** Current time as epoch milliseconds or a `Date`; tests pass a fake one. */
export type Clock = () => number | Date;

/** The clock's reading in epoch milliseconds. */
export function millis(clock: Clock): number {
  const now = clock();
  return typeof now === "number" ? now : now.getTime();
}

export const systemClock: Clock = Date.now;
