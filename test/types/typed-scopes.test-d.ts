/** Scope names declared by a scheme are checked at compile time, and what handlers receive is typed, never `any`. */
import { describe, expectTypeOf, it } from "vitest";
import { anyOf, createApp, dependency, optional, security, SecurityScopes, type ScopeName } from "gatehouse";
import { APIKeyHeader, OAuth2ClientCredentials } from "gatehouse/security";
import { bearerPrincipal, type AccessClaims, type Principal } from "gatehouse/tokens";
import { currentUser, oauth2Scheme, principal, tokens } from "../../examples/typed-scopes.ts";

type Scope = "me" | "items";
type User = { username: string; scopes: readonly Scope[]; since: Date };

describe("typed scopes (examples/typed-scopes.ts)", () => {
  it("the scheme's scope map becomes a union that travels up every dependency", () => {
    expectTypeOf<ScopeName<typeof oauth2Scheme>>().toEqualTypeOf<Scope>();
    expectTypeOf<ScopeName<typeof principal>>().toEqualTypeOf<Scope>();
    expectTypeOf<ScopeName<typeof currentUser>>().toEqualTypeOf<Scope>();
  });

  it("security() takes only declared scope names", () => {
    security(currentUser, ["items"]);
    security(currentUser, ["me", "items"]);
    security(principal, ["me"]);
    // @ts-expect-error "itemz" is not a scope of oauth2Scheme
    security(currentUser, ["itemz"]);
    // @ts-expect-error nor directly on the principal
    security(principal, ["admin"]);
    // @ts-expect-error nor among valid ones
    security(currentUser, ["me", "itemz"]);
  });

  it("the principal's scopes are the union, its claims the schema's output", () => {
    dependency({ p: security(principal, ["me"]) }, ({ p }) => {
      expectTypeOf(p).not.toBeAny();
      expectTypeOf(p).toEqualTypeOf<Principal<Scope, { sub: string; iat: number }>>();
      expectTypeOf(p.scopes).toEqualTypeOf<readonly Scope[]>();
      expectTypeOf(p.claims.iat).toEqualTypeOf<number>();
    });
  });

  it("handlers receive the dependency's result, not any", () => {
    const app = createApp();
    app.get("/x", { needs: { user: security(currentUser, ["items"]), maybe: optional(currentUser), scopes: SecurityScopes } }, ({ user, maybe, scopes }) => {
      expectTypeOf(user).not.toBeAny();
      expectTypeOf(user).toEqualTypeOf<User>();
      expectTypeOf(user.scopes).toEqualTypeOf<readonly Scope[]>();
      expectTypeOf(maybe).toEqualTypeOf<User | undefined>();
      expectTypeOf(scopes).toEqualTypeOf<SecurityScopes>();
      return user.username;
    });
  });

  it("anyOf keeps both the values and the scope names of its alternatives", () => {
    const keyUser = dependency({ key: new APIKeyHeader({ name: "x-key" }) }, ({ key }) => ({ key }));
    expectTypeOf<ScopeName<typeof keyUser>>().toEqualTypeOf<string>(); // no scope map: any name
    const either = anyOf(keyUser, security(currentUser, ["items"]));
    expectTypeOf<ScopeName<typeof either>>().toEqualTypeOf<Scope>();
    security(either, ["me"]);
    // @ts-expect-error the union still excludes undeclared names
    security(either, ["itemz"]);
    dependency({ caller: either }, ({ caller }) => {
      expectTypeOf(caller).not.toBeAny();
      expectTypeOf(caller).toEqualTypeOf<{ key: string } | User>();
    });
  });

  it("works the same for a client-credentials scheme", () => {
    const machine = new OAuth2ClientCredentials({ tokenUrl: "/token", scopes: { "reports:read": "Read.", "reports:write": "Write." } });
    const client = bearerPrincipal({ tokens, scheme: machine });
    security(client, ["reports:read"]);
    // @ts-expect-error not declared by the scheme
    security(client, ["reports:delete"]);
    dependency({ c: security(client, ["reports:write"]) }, ({ c }) => {
      expectTypeOf(c.scopes).toEqualTypeOf<readonly ("reports:read" | "reports:write")[]>();
      expectTypeOf(c.claims).toEqualTypeOf<AccessClaims>();
    });
  });
});
