/** @module gatehouse/security — FastAPI's `fastapi.security`: every scheme, the password forms, and helpers. */
export { SecurityBase, isSecurityScheme, splitAuthorization } from "./base.ts";
export type { OAuthFlow, OAuthFlows, SchemeOptions, SchemeResult, SecuritySchemeObject } from "./base.ts";
export { APIKeyCookie, APIKeyHeader, APIKeyQuery } from "./api-key.ts";
export type { APIKeyOptions } from "./api-key.ts";
export { HTTPBase, HTTPBearer, HTTPDigest } from "./http.ts";
export type { HTTPAuthorizationCredentials, HTTPBaseOptions, HTTPBasicCredentials, HTTPBearerOptions } from "./http.ts";
export { HTTPBasic } from "./http-basic.ts";
export type { HTTPBasicOptions } from "./http-basic.ts";
export { OAuth2, OAuth2AuthorizationCodeBearer, OAuth2ClientCredentials, OAuth2PasswordBearer } from "./oauth2.ts";
export type { OAuth2AuthorizationCodeBearerOptions, OAuth2ClientCredentialsOptions, OAuth2Options, OAuth2PasswordBearerOptions, ScopeMap } from "./oauth2.ts";
export { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "./oauth2-form.ts";
export type { OAuth2PasswordRequest } from "./oauth2-form.ts";
export { OpenIdConnect } from "./open-id-connect.ts";
export type { OpenIdConnectOptions } from "./open-id-connect.ts";
export { safeCompare } from "./compare.ts";
