/**
 * @module
 * `bearerPrincipal`: the dependency FastAPI's tutorial makes every user write by hand (`get_current_user`),
 * done by the library. It reads the bearer token through the app's OAuth2 scheme, verifies it (signature,
 * time, revocation), enforces the scopes the route requires through `security(…, scopes)`, and returns a
 * typed principal. RFC 6750 §3.1 decides the answers: no token → 401 `Bearer`; a bad one → 401
 * `Bearer error="invalid_token"`; too few scopes → 403 `Bearer error="insufficient_scope", scope="…"`.
 */
import type { z } from "zod";
import { dependency, type Dependency } from "../core/dependency.ts";
import { gatehouseError, type HTTPException } from "../core/errors.ts";
import { SecurityScopes } from "../core/scopes.ts";
import type { ScopeName, ScopesOf } from "../core/types.ts";
import type { SecurityBase } from "../security/base.ts";
import type { AccessClaims, AccessTokenVerifier } from "./claims.ts";
import { invalidToken } from "./errors.ts";

/** Who made the request, as the token says. `S` is the scheme's declared scope names. */
export interface Principal<S extends string = string, C = AccessClaims> {
  /** The token's `sub`: a username, or a client id for client-credentials tokens. */
  readonly subject: string;
  /** The scopes the token grants, limited to those the scheme declares (when it declares any). */
  readonly scopes: readonly S[];
  /** The token's id (`jti`), e.g. to revoke it. */
  readonly tokenId: string;
  /** The token's claims (`claims.ts`), or what the `claims` schema made of them when one is given. */
  readonly claims: C;
}

export interface BearerPrincipalOptions<Scheme extends SecurityBase<string, string>, Claims extends z.ZodType | undefined> {
  /** What verifies the token: the app's `TokenService`, a `RemoteVerifier` for other issuers, or anything with `verify`. */
  readonly tokens: AccessTokenVerifier;
  /** Where the token comes from: the app's `OAuth2PasswordBearer`, `OAuth2ClientCredentials`, … */
  readonly scheme: Scheme;
  /** A schema for the claims the app relies on; a token whose claims fail it is an invalid token. */
  readonly claims?: Claims;
  /** The detail of the 403; default FastAPI tutorial's `Not enough permissions`. */
  readonly insufficientScopeDetail?: string;
  readonly name?: string;
}

type ClaimsOf<Claims> = Claims extends z.ZodType ? z.output<Claims> : AccessClaims;

/**
 * A dependency that verifies the request's bearer token and enforces the route's scopes.
 *
 * @example
 * const principal = bearerPrincipal({ tokens, scheme: oauth2Scheme });
 * const getCurrentUser = dependency({ principal }, ({ principal }) => getUser(principal.subject));
 * app.get("/users/me/items/", { needs: { user: security(getCurrentUser, ["items"]) } }, …);
 */
export function bearerPrincipal<const Scheme extends SecurityBase<string, string>, const Claims extends z.ZodType | undefined = undefined>(
  options: BearerPrincipalOptions<Scheme, Claims>,
): Dependency<Principal<ScopeName<Scheme>, ClaimsOf<Claims>>, ScopesOf<Scheme>> {
  const { tokens, scheme, claims: schema } = options;
  const declared = scheme.declaredScopes && scheme.declaredScopes.length > 0 ? new Set(scheme.declaredScopes) : undefined;
  const detail = options.insufficientScopeDetail;
  const refuse = refusing(scheme.challenge);
  return dependency(
    { token: scheme, securityScopes: SecurityScopes },
    async ({ token, securityScopes }): Promise<Principal<ScopeName<Scheme>, ClaimsOf<Claims>>> => {
      const verified = await tokens.verify(token);
      if (!verified.ok) throw refuse(verified.error); // 401 invalid_token, or 503 while the token cannot be checked
      const { scopes } = verified.claims;
      if (!securityScopes.scopes.every((scope) => scopes.includes(scope))) {
        // RFC 6750 §3.1: 403, naming every scope the request needs, not only the missing ones.
        throw gatehouseError("GH_INSUFFICIENT_SCOPE", { detail, headers: { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${securityScopes.scopeStr}"` } });
      }
      let claims: unknown = verified.claims;
      if (schema) {
        const parsed = schema.safeParse(verified.claims);
        if (!parsed.success) throw refuse(invalidToken());
        claims = parsed.data;
      }
      return {
        subject: verified.claims.sub,
        scopes: (declared ? scopes.filter((s) => declared.has(s)) : scopes) as ScopeName<Scheme>[],
        tokenId: verified.claims.jti,
        claims: claims as ClaimsOf<Claims>,
      };
    },
    // The app does not serve until the token store has been read (or its start-up wait fails).
    { name: options.name ?? "bearerPrincipal", ...(tokens.ready ? { ready: (timeoutMs: number) => tokens.ready!({ timeoutMs }) } : {}) },
  );
}

/**
 * The 401s of a scheme whose challenge carries parameters (RFC 9728's `resource_metadata`): the same
 * challenge with RFC 6750's `error="invalid_token"` added, built once. Other answers pass unchanged.
 */
function refusing(challenge: string): (error: HTTPException) => HTTPException {
  if (!challenge.startsWith("Bearer ")) return (error) => error;
  const headers = Object.freeze({ "WWW-Authenticate": `${challenge}, error="invalid_token"` });
  return (error) => (error.status === 401 && error.code ? gatehouseError(error.code, { detail: error.detail, headers, cause: error.cause }) : error);
}
