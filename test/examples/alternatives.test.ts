/** examples/alternatives.ts: an API key or a token (first that works), and both together, as documented. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app, tokens } from "../../examples/alternatives.ts";
import { bearer, postForm } from "../helpers.ts";
import { expectValidOpenAPI31 } from "../openapi/validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

const KEY = { "x-api-key": "ci-key-4f9a2b7c1d8e3f60" };
const token = async (scopes: string[]) => (await tokens.login({ subject: "johndoe", scopes })).accessToken;

describe("alternatives example: GET /items/ takes an API key or a token", () => {
  it("a valid API key is enough", async () => {
    const res = await app.inject({ url: "/items/", headers: KEY });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ item_id: "Foo", caller: "ci-pipeline", via: "api-key" }]);
  });

  it("a token from /token with items:read is enough", async () => {
    const login = await postForm(app, "/token", { username: "johndoe", password: "secret", scope: "items:read" });
    expect(login.statusCode).toBe(200);
    const res = await app.inject({ url: "/items/", headers: bearer(login.json().access_token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ item_id: "Foo", caller: "johndoe", via: "token" }]);
  });

  it("the first that works wins: with a valid key, the token is never verified", async () => {
    const headers = { ...KEY, ...bearer(await token(["items:read"])) };
    const verify = vi.spyOn(tokens, "verify");
    try {
      const res = await app.inject({ url: "/items/", headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()[0].via).toBe("api-key");
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
  });

  it("a wrong key and no token: the key's refusal", async () => {
    const res = await app.inject({ url: "/items/", headers: { "x-api-key": "guess" } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid API key" });
    expect(res.headers["www-authenticate"]).toBe("APIKey");
  });

  it("a wrong key but a good token: the token is tried next", async () => {
    const res = await app.inject({ url: "/items/", headers: { "x-api-key": "guess", ...bearer(await token(["items:read"])) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()[0].via).toBe("token");
  });

  it("no credential at all: 401 offering both challenges", async () => {
    const res = await app.inject("/items/");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("APIKey, Bearer");
  });

  it("a token without items:read: 403 insufficient_scope", async () => {
    const res = await app.inject({ url: "/items/", headers: bearer(await token(["deploy"])) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="items:read"');
  });
});

describe("alternatives example: POST /deploys needs the key and a token together", () => {
  it("both → 201", async () => {
    const res = await app.inject({ method: "POST", url: "/deploys", headers: { ...KEY, ...bearer(await token(["deploy"])) } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ pipeline: "ci-pipeline", approvedBy: "johndoe" });
  });

  it("either alone → 401 asking for the other", async () => {
    const keyOnly = await app.inject({ method: "POST", url: "/deploys", headers: KEY });
    expect([keyOnly.statusCode, keyOnly.json(), keyOnly.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Bearer"]);
    const tokenOnly = await app.inject({ method: "POST", url: "/deploys", headers: bearer(await token(["deploy"])) });
    expect([tokenOnly.statusCode, tokenOnly.json(), tokenOnly.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "APIKey"]);
  });
});

describe("alternatives example: OpenAPI", () => {
  it("writes anyOf as alternatives and the pair as one requirement, as valid OpenAPI 3.1", async () => {
    const doc = (await app.inject("/openapi.json")).json();
    expect(doc.paths["/items/"].get.security).toEqual([{ ApiKey: [] }, { OAuth2PasswordBearer: ["items:read"] }]);
    expect(doc.paths["/deploys"].post.security).toEqual([{ ApiKey: [], OAuth2PasswordBearer: ["deploy"] }]);
    expect(doc.paths["/token"].post.security).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["ApiKey", "OAuth2PasswordBearer"]);
    expect(doc.components.securitySchemes.ApiKey).toEqual({ type: "apiKey", in: "header", name: "X-API-Key" });
    await expectValidOpenAPI31(doc);
  });
});
