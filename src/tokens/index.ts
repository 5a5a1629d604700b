/**
 * @module gatehouse/tokens — tokens that can be revoked at any moment: a token service (issuer and verifier
 * on jose, refresh rotation with reuse detection, revocation that every instance honours), stores (SQLite,
 * memory; Redis from `gatehouse/tokens/redis`) behind one interface, `bearerPrincipal` for the routes, and
 * the token endpoints as a router.
 *
 * @example
 * import { createTokenService, storeFromEnv, tokenRouter } from "gatehouse/tokens";
 * const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv() });
 */
export { createTokenService, TokenService } from "./service.ts";
export type { RefreshResult, TokenLifetimes, TokenPair, TokenServiceOptions } from "./service.ts";
export { claimsFrom, expiresIn, revocationExpiry, splitScope } from "./claims.ts";
export type { AccessClaims, VerifyFailure, VerifyResult } from "./claims.ts";
export { KeySet } from "./keys.ts";
export type { KeyOptions, KeySetOptions } from "./keys.ts";
export { INVALID_TOKEN_CHALLENGE, invalidToken, revokedToken, storeUnavailable } from "./errors.ts";
export type { Clock, Introspection, IssuedToken, IssueRequest, LedgerOptions, LedgerState, RevocationEntry, RevocationType, TokenKind, TokenRecord } from "./types.ts";
export { MemoryStore } from "./stores/memory.ts";
export type { MemoryStoreOptions } from "./stores/memory.ts";
export { SqliteStore } from "./stores/sqlite.ts";
export type { SqliteDatabase, SqliteStoreOptions } from "./stores/sqlite.ts";
export { DEFAULT_STORE_URL, openStore, storeFromEnv } from "./stores/open.ts";
export type { OpenStoreOptions } from "./stores/open.ts";
export type { StoredRecord, StoreEvents, TokenStore } from "./stores/store.ts";
export { bearerPrincipal } from "./bearer.ts";
export type { BearerPrincipalOptions, Principal } from "./bearer.ts";
export { tokenRouter } from "./endpoints/router.ts";
export type { AuthenticatedSubject, MeRoutesOptions, PasswordGrant, TokenRouterOptions } from "./endpoints/options.ts";
export type { Client, ClientConfig, Clients } from "./endpoints/client.ts";
