/**
 * @module gatehouse/tokens — tokens that can be revoked at any moment: an issuer and verifier on jose,
 * refresh rotation with reuse detection, revocation that every instance honours, stores (SQLite, Redis,
 * memory) behind one interface, and the token endpoints as a router.
 *
 * @example
 * import { createTokenService, storeFromEnv, tokenRouter } from "gatehouse/tokens";
 * const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv() });
 */
export { createTokenService, TokenService } from "./service.ts";
export type { RefreshResult, TokenPair, TokenServiceOptions } from "./service.ts";
export type { Introspection } from "./manage.ts";
export { KeySet } from "./keys.ts";
export type { KeyOptions, KeySetOptions } from "./keys.ts";
export { TokenIssuer } from "./issuer.ts";
export type { IssuedToken, IssueRequest } from "./issuer.ts";
export { TokenVerifier } from "./verifier.ts";
export type { InspectedToken, VerifyFailure, VerifyResult } from "./verifier.ts";
export { RevocationSet } from "./revocation.ts";
export type { RevocationSubject } from "./revocation.ts";
export { RefreshTokens } from "./refresh.ts";
export type { Family, RotateResult } from "./refresh.ts";
export { Ledger } from "./ledger.ts";
export type { LedgerOptions, LedgerState } from "./ledger.ts";
export { INVALID_TOKEN_CHALLENGE, invalidToken, revokedToken, TokenStoreUnavailable } from "./errors.ts";
export { millis } from "./types.ts";
export type { AccessClaims, Clock, RevocationEntry, RevocationType, TokenKind, TokenRecord } from "./types.ts";
export { MemoryStore } from "./stores/memory.ts";
export type { MemoryStoreOptions } from "./stores/memory.ts";
export { SqliteStore } from "./stores/sqlite.ts";
export type { SqliteStoreOptions } from "./stores/sqlite.ts";
export { RedisStore } from "./stores/redis.ts";
export type { RedisStoreOptions } from "./stores/redis.ts";
export { DEFAULT_STORE_URL, openStore, storeFromEnv } from "./stores/open.ts";
export type { OpenStoreOptions } from "./stores/open.ts";
export type { StoredRecord, StoreEvents, TokenStore } from "./stores/store.ts";
export { bearerPrincipal } from "./bearer.ts";
export type { BearerPrincipalOptions, Principal } from "./bearer.ts";
export { tokenRouter } from "./endpoints/router.ts";
export type { AuthenticatedSubject, MeRoutesOptions, PasswordGrant, TokenRouterOptions } from "./endpoints/options.ts";
export type { Client, ClientConfig, Clients } from "./endpoints/client.ts";
