import { describe, expect, it } from "vitest";
import { createApp, dependency } from "gatehouse";
import { APIKeyHeader, APIKeyQuery, HTTPBasic, HTTPBearer, OAuth2, OAuth2PasswordBearer, type SecurityBase } from "gatehouse/security";

/** An app with one route per scheme, readied: what start-up says about their names. */
async function startWith(...schemes: SecurityBase<unknown, string>[]) {
  const app = createApp();
  schemes.forEach((scheme, i) => app.get(`/r${i}`, { needs: { value: scheme } }, ({ value }) => ({ value: value ?? null })));
  try {
    await app.ready();
    return { app, schemes: (app.openapi().components as { securitySchemes: Record<string, unknown> } | undefined)?.securitySchemes };
  } finally {
    await app.close();
  }
}

describe("scheme names", () => {
  it("default to the class name", async () => {
    const { schemes } = await startWith(new APIKeyQuery({ name: "k" }), new HTTPBasic(), new OAuth2PasswordBearer({ tokenUrl: "/t" }));
    expect(Object.keys(schemes!)).toEqual(["APIKeyQuery", "HTTPBasic", "OAuth2PasswordBearer"]);
  });

  it("let one scheme serve many routes, documented once", async () => {
    const bearer = new HTTPBearer();
    const { schemes } = await startWith(bearer, bearer, bearer);
    expect(schemes).toEqual({ HTTPBearer: { type: "http", scheme: "bearer" } });
  });

  it("let two instances with the same definition share a name", async () => {
    const { schemes } = await startWith(new HTTPBearer({ bearerFormat: "JWT" }), new HTTPBearer({ bearerFormat: "JWT", autoError: false }));
    expect(schemes).toEqual({ HTTPBearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } });
  });

  it("keep two differently named uses of one header apart", async () => {
    const { schemes } = await startWith(new APIKeyHeader({ name: "x-key", schemeName: "A" }), new APIKeyHeader({ name: "x-key", schemeName: "B" }));
    expect(schemes).toEqual({ A: { type: "apiKey", in: "header", name: "x-key" }, B: { type: "apiKey", in: "header", name: "x-key" } });
  });
});

describe("two different schemes under one name fail start-up", () => {
  const conflicts: [string, SecurityBase<unknown, string>, SecurityBase<unknown, string>][] = [
    ["different API key names", new APIKeyHeader({ name: "x-key" }), new APIKeyHeader({ name: "x-other" })],
    ["different kinds", new APIKeyHeader({ name: "x", schemeName: "Auth" }), new HTTPBearer({ schemeName: "Auth" })],
    ["different descriptions", new HTTPBasic({ description: "one" }), new HTTPBasic({ description: "two" })],
    ["a bearerFormat on one only", new HTTPBearer(), new HTTPBearer({ bearerFormat: "JWT" })],
    ["different token URLs", new OAuth2PasswordBearer({ tokenUrl: "/a" }), new OAuth2PasswordBearer({ tokenUrl: "/b" })],
    ["different scopes", new OAuth2PasswordBearer({ tokenUrl: "/t", scopes: { a: "A" } }), new OAuth2PasswordBearer({ tokenUrl: "/t", scopes: { b: "B" } })],
    [
      "different flows",
      new OAuth2({ flows: { clientCredentials: { tokenUrl: "/t", scopes: {} } } }),
      new OAuth2({ flows: { implicit: { authorizationUrl: "/a", scopes: {} } } }),
    ],
  ];

  it.each(conflicts)("%s", async (_, first, second) => {
    const failure = startWith(first, second);
    await expect(failure).rejects.toThrow(TypeError);
    await expect(startWith(first, second)).rejects.toThrow(`two different security schemes are both named "${first.schemeName}"`);
  });

  it("also when the second use is deep in a dependency tree of another route", async () => {
    const app = createApp();
    app.get("/a", { needs: { key: new APIKeyQuery({ name: "a" }) } }, () => null);
    const inner = dependency({ key: new APIKeyQuery({ name: "b" }) }, ({ key }) => key);
    const outer = dependency({ inner }, ({ inner }) => inner);
    app.get("/b", { needs: { outer } }, () => null);
    await expect(app.ready()).rejects.toThrow(/"APIKeyQuery"/);
    await app.close();
  });

  it("also for a route left out of the document", async () => {
    const app = createApp();
    app.get("/a", { needs: { key: new APIKeyQuery({ name: "a" }) } }, () => null);
    app.get("/hidden", { needs: { key: new APIKeyQuery({ name: "b" }) }, includeInSchema: false }, () => null);
    await expect(app.ready()).rejects.toThrow(TypeError);
    await app.close();
  });
});
