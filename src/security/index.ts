/** @module gatehouse/security — FastAPI's `fastapi.security`: every scheme, the password forms, and helpers. */
export { SecurityBase, isSecurityScheme, splitAuthorization } from "./base.ts";
export type { OAuthFlow, OAuthFlows, SchemeOptions, SchemeResult, SecuritySchemeObject } from "./base.ts";
export { OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from "./oauth2.ts";
export type { OAuth2AuthorizationCodeBearerOptions, OAuth2Options, OAuth2PasswordBearerOptions, ScopeMap } from "./oauth2.ts";
export { OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict } from "./oauth2-form.ts";
export type { OAuth2PasswordRequest } from "./oauth2-form.ts";
