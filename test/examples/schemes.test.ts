import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "gatehouse";
import type { LightMyRequestResponse } from "fastify";
import { app, requireAdmin } from "../../examples/schemes.ts";
import { postForm } from "../helpers.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
const basic = (userPass: string) => ({ authorization: `Basic ${Buffer.from(userPass).toString("base64")}` });

function expectOk(res: LightMyRequestResponse, body: unknown) {
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual(body);
  expect(res.headers["www-authenticate"]).toBeUndefined();
}

function expect401(res: LightMyRequestResponse, challenge: string) {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ detail: "Not authenticated" });
  expect(res.headers["www-authenticate"]).toBe(challenge);
}

describe("schemes example: API keys", () => {
  it("GET /apikey/header", async () => {
    expectOk(await get("/apikey/header", { "x-key": "k1" }), { key: "k1" });
    expectOk(await get("/apikey/header", { "X-Key": "k2" }), { key: "k2" });
    expect401(await get("/apikey/header"), "APIKey");
    expect401(await get("/apikey/header", { "x-key": "" }), "APIKey");
    expect401(await get("/apikey/header", { authorization: "Bearer k" }), "APIKey");
  });

  it("GET /apikey/query", async () => {
    expectOk(await get("/apikey/query?api_key=q1"), { key: "q1" });
    expectOk(await get("/apikey/query?api_key=first&api_key=last"), { key: "last" });
    expect401(await get("/apikey/query"), "APIKey");
    expect401(await get("/apikey/query?api_key="), "APIKey");
    expect401(await get("/apikey/query?other=q1"), "APIKey");
  });

  it("GET /apikey/cookie", async () => {
    expectOk(await get("/apikey/cookie", { cookie: "session=c1" }), { key: "c1" });
    expectOk(await get("/apikey/cookie", { cookie: "a=1; session=c2; b=2" }), { key: "c2" });
    expect401(await get("/apikey/cookie"), "APIKey");
    expect401(await get("/apikey/cookie", { cookie: "session=" }), "APIKey");
    expect401(await get("/apikey/cookie", { cookie: "sessionid=c3" }), "APIKey");
  });

  it("GET /apikey/optional answers null instead of 401", async () => {
    expectOk(await get("/apikey/optional", { "x-key": "k" }), { key: "k" });
    expectOk(await get("/apikey/optional"), { key: null });
    expectOk(await get("/apikey/optional", { "x-key": "" }), { key: null });
  });
});

describe("schemes example: HTTP", () => {
  it("GET /basic", async () => {
    expectOk(await get("/basic", basic("alice:wonder:land")), { username: "alice", password: "wonder:land" });
    expectOk(await get("/basic", { authorization: `basic ${Buffer.from("a:b").toString("base64")}` }), { username: "a", password: "b" });
    for (const headers of [{}, { authorization: "Bearer x" }, { authorization: "Basic notabase64token" }, basic("nocolon"), basic("j\u00f6rg:pw")]) {
      expect401(await get("/basic", headers), 'Basic realm="gatehouse"');
    }
  });

  it("GET /bearer", async () => {
    expectOk(await get("/bearer", { authorization: "Bearer abc" }), { scheme: "Bearer", credentials: "abc" });
    for (const headers of [{}, { authorization: "Bearer" }, { authorization: "Basic abc" }, { authorization: "Token abc" }] as Record<string, string>[]) {
      expect401(await get("/bearer", headers), "Bearer");
    }
  });

  it("GET /digest", async () => {
    expectOk(await get("/digest", { authorization: 'Digest username="u", response="r"' }), { scheme: "Digest", credentials: 'username="u", response="r"' });
    for (const headers of [{}, { authorization: "Digest" }, { authorization: "Bearer abc" }] as Record<string, string>[]) {
      expect401(await get("/digest", headers), "Digest");
    }
  });
});

describe("schemes example: OAuth2 and OpenID Connect", () => {
  it("GET /oauth2/code gives the token and the scopes required on the path", async () => {
    expectOk(await get("/oauth2/code", { authorization: "Bearer t0k" }), { token: "t0k", scopes: ["read"] });
    expect401(await get("/oauth2/code"), "Bearer");
    expect401(await get("/oauth2/code", { authorization: "Basic t0k" }), "Bearer");
  });

  it("GET /oauth2/custom gives the whole Authorization value", async () => {
    expectOk(await get("/oauth2/custom", { authorization: "Bearer t0k" }), { authorization: "Bearer t0k" });
    expectOk(await get("/oauth2/custom", { authorization: "whatever" }), { authorization: "whatever" });
    expect401(await get("/oauth2/custom"), "Bearer");
  });

  it("GET /oidc gives the whole Authorization value", async () => {
    expectOk(await get("/oidc", { authorization: "Bearer id-token" }), { authorization: "Bearer id-token" });
    expect401(await get("/oidc"), "Bearer");
    expect401(await get("/oidc", { authorization: "" }), "Bearer");
  });
});

describe("schemes example: GET /either", () => {
  it("takes the key", async () => {
    expectOk(await get("/either", { "x-key": "k" }), { via: "key", value: "k" });
  });

  it("takes the bearer token", async () => {
    expectOk(await get("/either", { authorization: "Bearer t" }), { via: "bearer", value: "t" });
  });

  it("prefers the key when both are sent", async () => {
    expectOk(await get("/either", { "x-key": "k", authorization: "Bearer t" }), { via: "key", value: "k" });
  });

  it("answers 401 with the Bearer challenge when neither is usable", async () => {
    for (const headers of [{}, { "x-key": "" }, { authorization: "Basic dTpw" }, { authorization: "Bearer" }] as Record<string, string>[]) {
      expect401(await get("/either", headers), "Bearer");
    }
  });
});

describe("schemes example: the password forms", () => {
  const full = { grant_type: "password", username: "johndoe", password: "secret", scope: "read  write", client_id: "cid", client_secret: "cs" };
  const full200 = { grant_type: "password", username: "johndoe", password: "secret", scopes: ["read", "write"], client_id: "cid", client_secret: "cs" };

  it.each(["/login", "/login/strict"])("POST %s with every field", async (url) => {
    expectOk(await postForm(app, url, full), full200);
  });

  it("POST /login with only username and password: absent fields are null, scopes empty", async () => {
    expectOk(await postForm(app, "/login", { username: "u", password: "p" }), {
      grant_type: null,
      username: "u",
      password: "p",
      scopes: [],
      client_id: null,
      client_secret: null,
    });
  });

  it("POST /login/strict without grant_type is FastAPI's 422", async () => {
    const res = await postForm(app, "/login/strict", { username: "u", password: "p" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "grant_type"], msg: "Field required", input: null }] });
  });

  it.each(["/login", "/login/strict"])("POST %s with another grant_type is a 422", async (url) => {
    const res = await postForm(app, url, { grant_type: "client_credentials", username: "u", password: "p" });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "string_pattern_mismatch", loc: ["body", "grant_type"], input: "client_credentials" });
  });

  it.each(["/login", "/login/strict"])("POST %s without a password is a 422", async (url) => {
    const res = await postForm(app, url, { grant_type: "password", username: "u" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] });
  });
});

describe("schemes example: OpenAPI", () => {
  it("lists every scheme object exactly as FastAPI writes it", () => {
    expect((app.openapi().components as { securitySchemes: unknown }).securitySchemes).toEqual({
      APIKeyHeader: { type: "apiKey", in: "header", name: "x-key" },
      APIKeyQuery: { type: "apiKey", in: "query", name: "api_key" },
      APIKeyCookie: { type: "apiKey", in: "cookie", name: "session" },
      OptionalKey: { type: "apiKey", in: "header", name: "x-key" },
      HTTPBasic: { type: "http", scheme: "basic" },
      HTTPBearer: { type: "http", description: "JWT access token", scheme: "bearer", bearerFormat: "JWT" },
      HTTPDigest: { type: "http", scheme: "digest" },
      OAuth2AuthorizationCodeBearer: {
        type: "oauth2",
        flows: {
          authorizationCode: {
            refreshUrl: "/refresh",
            scopes: { read: "Read things", write: "Write things" },
            authorizationUrl: "/authorize",
            tokenUrl: "/token",
          },
        },
      },
      OAuth2: {
        type: "oauth2",
        flows: { implicit: { scopes: {}, authorizationUrl: "/authorize" }, clientCredentials: { scopes: {}, tokenUrl: "/token" } },
      },
      OpenIdConnect: { type: "openIdConnect", openIdConnectUrl: "/.well-known/openid-configuration" },
      EitherKey: { type: "apiKey", in: "header", name: "x-key" },
      EitherBearer: { type: "http", scheme: "bearer" },
    });
  });

  it("gives each operation its security requirement, with scopes for OAuth2", () => {
    const paths = app.openapi().paths;
    const security = (path: string, method = "get") => paths[path]?.[method]?.security;
    expect(security("/apikey/header")).toEqual([{ APIKeyHeader: [] }]);
    expect(security("/apikey/query")).toEqual([{ APIKeyQuery: [] }]);
    expect(security("/apikey/cookie")).toEqual([{ APIKeyCookie: [] }]);
    expect(security("/apikey/optional")).toEqual([{ OptionalKey: [] }]);
    expect(security("/basic")).toEqual([{ HTTPBasic: [] }]);
    expect(security("/bearer")).toEqual([{ HTTPBearer: [] }]);
    expect(security("/digest")).toEqual([{ HTTPDigest: [] }]);
    expect(security("/oauth2/code")).toEqual([{ OAuth2AuthorizationCodeBearer: ["read"] }]);
    expect(security("/oauth2/custom")).toEqual([{ OAuth2: [] }]);
    expect(security("/oidc")).toEqual([{ OpenIdConnect: [] }]);
    expect(security("/either")).toEqual([{ EitherKey: [] }, { EitherBearer: [] }]);
    expect(security("/login", "post")).toBeUndefined();
    expect(security("/login/strict", "post")).toBeUndefined();
  });

  it("serves the same at /openapi.json", async () => {
    const res = await get("/openapi.json");
    expect(res.statusCode).toBe(200);
    expect(res.json().components.securitySchemes).toEqual(JSON.parse(JSON.stringify(app.openapi().components)).securitySchemes);
  });
});

describe("schemes example: requireAdmin checks Basic credentials in constant time", () => {
  const admin = createApp();
  admin.get("/admin", { needs: { user: requireAdmin } }, ({ user }) => ({ user }));
  beforeAll(() => admin.ready());
  afterAll(() => admin.close());

  it("lets the admin in", async () => {
    const res = await admin.inject({ url: "/admin", headers: basic("admin:correct horse battery staple") });
    expectOk(res, { user: "admin" });
  });

  it.each([
    ["a wrong password", "admin:Tr0ub4dor&3"],
    ["a wrong username", "root:correct horse battery staple"],
    ["a password prefix", "admin:correct horse"],
    ["empty credentials", ":"],
  ])("refuses %s with the same answer", async (_, userPass) => {
    const res = await admin.inject({ url: "/admin", headers: basic(userPass) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Incorrect username or password" });
    expect(res.headers["www-authenticate"]).toBe('Basic realm="gatehouse"');
  });

  it("still answers 401 Not authenticated without credentials", async () => {
    expect401(await admin.inject({ url: "/admin" }), 'Basic realm="gatehouse"');
  });
});
