import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, dependency, security, SecurityScopes } from "gatehouse";
import { OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from "gatehouse/security";
import { expectNotAuthenticated, expectValue, openapiOf, repeated, useSchemeApp } from "./scheme-app.ts";

const auth = (...values: string[]) => (values.length === 1 ? { authorization: values[0]! } : repeated("authorization", ...values));

describe.each([true, false])("OAuth2PasswordBearer, autoError %s", (autoError) => {
  const app = useSchemeApp(new OAuth2PasswordBearer({ tokenUrl: "/token", autoError }));
  const get = (headers: Record<string, string>) => app.inject({ url: "/", headers });
  const expectAbsent = async (headers: Record<string, string>) => {
    const res = await get(headers);
    if (autoError) expectNotAuthenticated(res, "Bearer");
    else expectValue(res, null);
  };

  it("injects the token of a Bearer header, any case", async () => {
    expectValue(await get(auth("Bearer abc.def")), "abc.def");
    expectValue(await get(auth("bearer abc.def")), "abc.def");
  });

  it("injects an empty token for a bare `Bearer`, as FastAPI (the app's validation refuses it)", async () => {
    expectValue(await get(auth("Bearer")), "");
  });

  it("treats a missing header or another scheme as absent", async () => {
    await expectAbsent({});
    await expectAbsent(auth("Basic Zm9vOmJhcg=="));
    await expectAbsent(auth("Bearertoken"));
    await expectAbsent(auth("Other invalidauthorization"));
  });

  it("reads the first of repeated headers", async () => {
    expectValue(await get(auth("Bearer one", "Bearer two")), "one");
  });

  it("is documented with a password flow; no refreshUrl key when none given", async () => {
    expect(openapiOf(app)).toEqual({
      schemes: { OAuth2PasswordBearer: { type: "oauth2", flows: { password: { scopes: {}, tokenUrl: "/token" } } } },
      security: [{ OAuth2PasswordBearer: [] }],
    });
  });
});

describe("OAuth2PasswordBearer with scopes, refreshUrl and description", () => {
  const scheme = new OAuth2PasswordBearer({
    tokenUrl: "token",
    refreshUrl: "refresh",
    scopes: { me: "Read me", items: "Read items" },
    description: "OAuth2PasswordBearer security scheme",
  });
  const app = createApp();
  const user = dependency({ token: scheme, securityScopes: SecurityScopes }, ({ token, securityScopes }) => ({ token, scopes: securityScopes.scopes }));
  app.get("/items", { needs: { user: security(user, ["items"]) } }, ({ user }) => user);
  app.get("/me/items", { needs: { user: security(user, ["me", "items"]) } }, ({ user }) => user);
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it("documents flows in FastAPI's key order", () => {
    const schemes = app.openapi().components as { securitySchemes: Record<string, { flows: { password: object } }> };
    const model = schemes.securitySchemes.OAuth2PasswordBearer!;
    expect(model).toEqual({
      type: "oauth2",
      description: "OAuth2PasswordBearer security scheme",
      flows: { password: { refreshUrl: "refresh", scopes: { me: "Read me", items: "Read items" }, tokenUrl: "token" } },
    });
    expect(Object.keys(model)).toEqual(["type", "description", "flows"]);
    expect(Object.keys(model.flows.password)).toEqual(["refreshUrl", "scopes", "tokenUrl"]);
  });

  it("puts the scopes required on each path into the operation's requirement", () => {
    const paths = app.openapi().paths;
    expect(paths["/items"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["items"] }]);
    expect(paths["/me/items"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["me", "items"] }]);
  });

  it("gives SecurityScopes the same scopes at run time", async () => {
    const res = await app.inject({ url: "/me/items", headers: auth("Bearer t") });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ token: "t", scopes: ["me", "items"] });
  });
});

describe.each([true, false])("OAuth2AuthorizationCodeBearer, autoError %s", (autoError) => {
  const app = useSchemeApp(new OAuth2AuthorizationCodeBearer({ authorizationUrl: "authorize", tokenUrl: "token", autoError }));

  it("injects the bearer token", async () => {
    expectValue(await app.inject({ url: "/", headers: auth("Bearer xyz") }), "xyz");
  });

  it("treats a missing header or another scheme as absent", async () => {
    for (const headers of [{}, auth("Basic x"), auth("NotBearer x")]) {
      const res = await app.inject({ url: "/", headers });
      if (autoError) expectNotAuthenticated(res, "Bearer");
      else expectValue(res, null);
    }
  });

  it("documents an authorizationCode flow", async () => {
    const { schemes } = openapiOf(app) as { schemes: Record<string, { flows: { authorizationCode: object } }> };
    expect(schemes).toEqual({
      OAuth2AuthorizationCodeBearer: { type: "oauth2", flows: { authorizationCode: { scopes: {}, authorizationUrl: "authorize", tokenUrl: "token" } } },
    });
    expect(Object.keys(schemes.OAuth2AuthorizationCodeBearer!.flows.authorizationCode)).toEqual(["scopes", "authorizationUrl", "tokenUrl"]);
  });
});

describe.each([true, false])("OAuth2 with any flows, autoError %s", (autoError) => {
  const scheme = new OAuth2({
    autoError,
    description: "All four",
    flows: {
      authorizationCode: { authorizationUrl: "/authorize", tokenUrl: "/token", scopes: { a: "A" } },
      clientCredentials: { tokenUrl: "/token", scopes: { c: "C" } },
      password: { tokenUrl: "/token", refreshUrl: "/refresh", scopes: { p: "P" } },
      implicit: { authorizationUrl: "/authorize", scopes: { i: "I" } },
    },
  });
  const app = useSchemeApp(scheme);

  it("injects the whole Authorization value, whatever its scheme", async () => {
    expectValue(await app.inject({ url: "/", headers: auth("Bearer t") }), "Bearer t");
    expectValue(await app.inject({ url: "/", headers: auth("MAC id=1") }), "MAC id=1");
  });

  it("treats a missing or empty header as absent", async () => {
    for (const headers of [{}, auth("")]) {
      const res = await app.inject({ url: "/", headers });
      if (autoError) expectNotAuthenticated(res, "Bearer");
      else expectValue(res, null);
    }
  });

  it("documents every flow, in FastAPI's order whatever the order given", async () => {
    const { schemes } = openapiOf(app) as { schemes: Record<string, { flows: object }> };
    expect(schemes).toEqual({
      OAuth2: {
        type: "oauth2",
        description: "All four",
        flows: {
          implicit: { scopes: { i: "I" }, authorizationUrl: "/authorize" },
          password: { refreshUrl: "/refresh", scopes: { p: "P" }, tokenUrl: "/token" },
          clientCredentials: { scopes: { c: "C" }, tokenUrl: "/token" },
          authorizationCode: { scopes: { a: "A" }, authorizationUrl: "/authorize", tokenUrl: "/token" },
        },
      },
    });
    expect(Object.keys(schemes.OAuth2!.flows)).toEqual(["implicit", "password", "clientCredentials", "authorizationCode"]);
  });

  it("declares the scopes of all its flows", () => {
    expect([...scheme.declaredScopes].sort()).toEqual(["a", "c", "i", "p"]);
  });
});

describe("OAuth2 configuration", () => {
  it("defaults to no flows, as FastAPI's OAuthFlows()", () => {
    expect(new OAuth2().model).toEqual({ type: "oauth2", flows: {} });
  });

  it("defaults a flow's scopes to {} (for JavaScript callers that omit them)", () => {
    const flows = { clientCredentials: { tokenUrl: "/t" } } as unknown as { clientCredentials: { tokenUrl: string; scopes: {} } };
    expect(new OAuth2({ flows }).model).toEqual({ type: "oauth2", flows: { clientCredentials: { scopes: {}, tokenUrl: "/t" } } });
  });

  it("freezes the model so that no route can alter what another documents", () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "/t", scopes: { a: "A" } });
    expect(Object.isFrozen(scheme.model)).toBe(true);
    expect(() => {
      (scheme.model as { flows: { password: { scopes: Record<string, string> } } }).flows.password.scopes.b = "B";
    }).toThrow(TypeError);
  });

  it("rejects a flow without its required URL, naming it", () => {
    const flows = { implicit: { scopes: {} } } as unknown as { implicit: { authorizationUrl: string; scopes: {} } };
    expect(() => new OAuth2({ flows })).toThrow(/flows\.implicit\.authorizationUrl/);
    expect(() => new OAuth2PasswordBearer({ tokenUrl: "" })).toThrow(/tokenUrl/);
    expect(() => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "/a", tokenUrl: "/t", refreshUrl: "" })).toThrow(/refreshUrl/);
  });

  it("rejects an unknown flow name", () => {
    // @ts-expect-error not a flow
    expect(() => new OAuth2({ flows: { clientCredential: { tokenUrl: "/t", scopes: {} } } })).toThrow(/flows\.clientCredential/);
  });

  it("rejects scope descriptions that are not strings", () => {
    // @ts-expect-error scope descriptions are strings
    expect(() => new OAuth2PasswordBearer({ tokenUrl: "/t", scopes: { a: 1 } })).toThrow(/scopes/);
  });
});
