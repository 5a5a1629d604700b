/**
 * @module gatehouse/tokens — tokens that can be revoked at any moment: a token service (issuer and verifier
 * on jose, refresh rotation with reuse detection, revocation that every instance honours), stores (SQLite,
 * memory; Redis from `gatehouse/tokens/redis`, PostgreSQL from `gatehouse/tokens/postgres`) behind one
 * interface, `bearerPrincipal` for the routes, the token endpoints as a router (an OAuth 2.1 authorization
 * server: authorization code + PKCE with consent pages, RFC 8414 metadata, JWKS), and a verifier of other
 * issuers' tokens (discovery, JWKS, introspection) with RFC 9728 resource metadata.
 *
 * @example
 * import { createTokenService, storeFromEnv, tokenRouter } from "gatehouse/tokens";
 * const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: storeFromEnv() });
 */
export { createTokenService, TokenService } from "./service.ts";
export type { RefreshResult, TokenLifetimes, TokenPair, TokenServiceOptions } from "./service.ts";
export { claimsFrom, expiresIn, revocationExpiry, splitScope } from "./claims.ts";
export type { AccessClaims, AccessTokenVerifier, VerifyFailure, VerifyResult } from "./claims.ts";
export { KeySet } from "./keys.ts";
export { secretFromEnv } from "./secret.ts";
export type { KeyOptions, KeySetOptions } from "./keys.ts";
export { INVALID_TOKEN_CHALLENGE, invalidToken, revokedToken, storeUnavailable } from "./errors.ts";
export type { RateLimiterFactory, RateLimitSpec } from "./types.ts";
export type { AccessTokenFormat, Clock, CodeGrant, CodeRedemption, Grant, Introspection, IssuedToken, IssueRequest, LedgerOptions, LedgerState, RevocationEntry, RevocationType, TokenKind, TokenRecord } from "./types.ts";
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
export type { AuthenticatedSubject, AuthorizationOptions, MeRoutesOptions, PasswordGrant, TokenRouterOptions } from "./endpoints/options.ts";
export type { LoginLimit, LoginThrottleOptions } from "./endpoints/throttle.ts";
export type { Client, ClientConfig, Clients, GrantType } from "./endpoints/client.ts";
export type { AuthorizationPages, ClientView, ConsentView, ErrorView, LoginView } from "./endpoints/authorize-pages.ts";
export { createRemoteVerifier, RemoteVerifier } from "./remote/verifier.ts";
export { ASYMMETRIC_ALGORITHMS } from "./remote/types.ts";
export type { AsymmetricAlgorithm, IntrospectionOptions, IssuerMetadata, IssuerOptions, RemoteVerifierOptions } from "./remote/types.ts";
export { ProtectedResource, protectedResource } from "./remote/resource.ts";
export type { ProtectedResourceMetadata, ProtectedResourceOptions } from "./remote/resource.ts";
export { ResourceBearer } from "./remote/scheme.ts";
export type { ResourceBearerOptions } from "./remote/scheme.ts";
