import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, dependency, security } from "gatehouse";
import { OpenIdConnect } from "gatehouse/security";
import { expectNotAuthenticated, expectValue, openapiOf, useSchemeApp } from "./scheme-app.ts";

const url = "https://id.example.com/.well-known/openid-configuration";

describe.each([true, false])("OpenIdConnect, autoError %s", (autoError) => {
  const app = useSchemeApp(new OpenIdConnect({ openIdConnectUrl: url, autoError }));
  const expectAbsent = async (headers: Record<string, string>) => {
    const res = await app.inject({ url: "/", headers });
    if (autoError) expectNotAuthenticated(res, "Bearer");
    else expectValue(res, null);
  };

  it("injects the whole Authorization value", async () => {
    expectValue(await app.inject({ url: "/", headers: { authorization: "Bearer id.token.sig" } }), "Bearer id.token.sig");
    expectValue(await app.inject({ url: "/", headers: { authorization: "Other foobar" } }), "Other foobar");
  });

  it("treats a missing or empty header as absent", async () => {
    await expectAbsent({});
    await expectAbsent({ authorization: "" });
  });

  it("is documented as {type: openIdConnect, openIdConnectUrl}", async () => {
    expect(openapiOf(app)).toEqual({ schemes: { OpenIdConnect: { type: "openIdConnect", openIdConnectUrl: url } }, security: [{ OpenIdConnect: [] }] });
  });
});

describe("OpenIdConnect with a description, used with scopes", () => {
  const oidc = new OpenIdConnect({ openIdConnectUrl: "/openid", description: "OpenIdConnect security scheme" });
  const app = createApp();
  const user = dependency({ authorization: oidc }, ({ authorization }) => authorization);
  app.get("/me", { needs: { user: security(user, ["openid", "profile"]) } }, ({ user }) => ({ user }));
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it("documents the description after the type", () => {
    const model = (app.openapi().components as { securitySchemes: Record<string, object> }).securitySchemes.OpenIdConnect!;
    expect(model).toEqual({ type: "openIdConnect", description: "OpenIdConnect security scheme", openIdConnectUrl: "/openid" });
    expect(Object.keys(model)).toEqual(["type", "description", "openIdConnectUrl"]);
  });

  it("carries the path's scopes into the requirement, as FastAPI does for OAuth2 and OpenID Connect", () => {
    expect(app.openapi().paths["/me"]!.get!.security).toEqual([{ OpenIdConnect: ["openid", "profile"] }]);
  });

  it("rejects a missing discovery URL at construction", () => {
    // @ts-expect-error openIdConnectUrl is required
    expect(() => new OpenIdConnect({})).toThrow(/openIdConnectUrl/);
  });
});
