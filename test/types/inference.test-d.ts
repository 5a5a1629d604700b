/** Result types flow from dependencies into handlers with no casts, and nothing user-facing is `any`. */
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { createApp, dependency, depends, form, HttpRequest, query, security, SecurityScopes, type RequestView } from "gatehouse";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm, type OAuth2PasswordRequest } from "gatehouse/security";

const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items." } });
const optionalScheme = new OAuth2PasswordBearer({ tokenUrl: "token", autoError: false });
interface User {
  name: string;
  scopes: string[];
}

const getUser = dependency({ securityScopes: SecurityScopes, token: scheme }, async ({ securityScopes, token }) => {
  expectTypeOf(token).toEqualTypeOf<string>();
  expectTypeOf(securityScopes).toEqualTypeOf<SecurityScopes>();
  return { name: token, scopes: [...securityScopes.scopes] } satisfies User as User;
});

describe("inference", () => {
  it("carries a dependency's awaited result into the handler", () => {
    const app = createApp();
    app.get("/me", { needs: { user: security(getUser, ["me"]), plain: depends(getUser), direct: getUser } }, ({ user, plain, direct }) => {
      expectTypeOf(user).toEqualTypeOf<User>();
      expectTypeOf(plain).toEqualTypeOf<User>();
      expectTypeOf(direct).toEqualTypeOf<User>();
      return user.name;
    });
  });

  it("types parameters from their Zod schemas and markers by what they inject", () => {
    const app = createApp();
    app.post(
      "/x",
      { needs: { limit: query(z.coerce.number().default(10)), body: form(z.object({ a: z.string() })), req: HttpRequest, login: OAuth2PasswordRequestForm } },
      ({ limit, body, req, login }) => {
        expectTypeOf(limit).toEqualTypeOf<number>();
        expectTypeOf(body).toEqualTypeOf<{ a: string }>();
        expectTypeOf(req).toEqualTypeOf<RequestView>();
        expectTypeOf(login).toEqualTypeOf<OAuth2PasswordRequest>();
      },
    );
  });

  it("an autoError: false scheme injects `string | undefined`", () => {
    dependency({ token: optionalScheme }, ({ token }) => expectTypeOf(token).toEqualTypeOf<string | undefined>());
  });

  it("checks scope names against the scheme's declared scopes", () => {
    security(getUser, ["me", "items"]);
    // @ts-expect-error "itemz" is not declared by the scheme in getUser's tree
    security(getUser, ["itemz"]);
    const outer = dependency({ user: security(getUser, ["me"]) }, ({ user }) => user);
    // the declared names travel up through every dependency that uses getUser
    // @ts-expect-error
    security(outer, ["mee"]);
    // a tree with no scope map accepts any scope
    const free = dependency({ t: optionalScheme }, ({ t }) => t);
    security(free, ["anything"]);
  });

  it("checks a handler's result against the response schema", () => {
    const app = createApp();
    const Out = z.object({ id: z.number() });
    app.get("/ok", { response: Out }, () => ({ id: 1 }));
    // @ts-expect-error a string id does not satisfy the response schema
    app.get("/bad", { response: Out }, () => ({ id: "1" }));
  });

  it("nothing the user sees is any", () => {
    expectTypeOf(getUser).not.toBeAny();
    const d = dependency(() => 1);
    expectTypeOf(d).not.toBeAny();
    app: {
      const a = createApp();
      a.get("/x", { needs: { n: d } }, ({ n }) => {
        expectTypeOf(n).not.toBeAny();
        expectTypeOf(n).toEqualTypeOf<number>();
      });
    }
  });
});

describe("alternatives", () => {
  it("anyOf injects the union of its alternatives' results, optional adds undefined", async () => {
    const { anyOf, optional } = await import("gatehouse");
    const a = dependency(() => ({ kind: "a" as const }));
    const b = dependency(() => ({ kind: "b" as const }));
    const maybe = dependency({ t: optionalScheme }, ({ t }) => t);
    const app = createApp();
    app.get("/x", { needs: { either: anyOf(a, security(getUser, ["me"])), opt: optional(b), m: anyOf(maybe) } }, ({ either, opt, m }) => {
      expectTypeOf(either).toEqualTypeOf<{ kind: "a" } | User>();
      expectTypeOf(opt).toEqualTypeOf<{ kind: "b" } | undefined>();
      expectTypeOf(m).toEqualTypeOf<string>();
    });
    // the declared scope names survive anyOf
    // @ts-expect-error
    security(anyOf(a, getUser), ["nope"]);
  });
});
