import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "gatehouse/tokens";
import { bearer, postForm } from "../../helpers.ts";
import { tokenApp } from "../support.ts";

const { app } = tokenApp({ store: new MemoryStore() });
beforeAll(() => app.ready());
afterAll(() => app.close());

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });
const login = (headers: Record<string, string> = {}, form: Record<string, string> = {}) =>
  postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items", ...form }, headers);

describe("POST /token, password grant", () => {
  it("returns the seed's fields plus expires_in and refresh_token, not cacheable", async () => {
    const res = await login();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.stringMatching(/^ey/), token_type: "bearer", expires_in: 900, refresh_token: expect.any(String), scope: "items" });
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers.pragma).toBe("no-cache");
    expect((await app.inject({ url: "/items/", headers: bearer(res.json().access_token) })).statusCode).toBe(200);
  });

  it("a wrong password is the seed's 400", async () => {
    const res = await login({}, { password: "nope" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Incorrect username or password" });
    expect(res.headers["www-authenticate"]).toBeUndefined();
  });

  it("a missing password is FastAPI's 422, field by field", async () => {
    const res = await postForm(app, "/token", { username: "alice" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] });
  });

  it("an unknown grant_type is a 422 pattern mismatch", async () => {
    const res = await login({}, { grant_type: "client_credentials" });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "string_pattern_mismatch", loc: ["body", "grant_type"] });
  });

  it("Swagger UI's `Authorization: Basic Og==` (empty id and secret) is a public client, not a failed login", async () => {
    const res = await login({ authorization: "Basic Og==" });
    expect(res.statusCode).toBe(200);
  });

  it("a confidential client authenticates with Basic or with the form", async () => {
    expect((await login(basic("app", "app-secret"))).statusCode).toBe(200);
    expect((await login({}, { client_id: "app", client_secret: "app-secret" })).statusCode).toBe(200);
  });

  it.each([
    ["a wrong secret", basic("app", "wrong"), {}],
    ["an unknown client with a secret", basic("mallory", "x"), {}],
    ["a confidential client's id without its secret", {}, { client_id: "app" }],
    ["a wrong secret in the form", {}, { client_id: "app", client_secret: "wrong" }],
  ])("%s → 401 Invalid client credentials with the Basic challenge", async (_name, headers, form) => {
    const res = await login(headers, form);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid client credentials" });
    expect(res.headers["www-authenticate"]).toBe("Basic");
  });

  it("two client authentication methods at once → 400", async () => {
    const res = await login(basic("app", "app-secret"), { client_id: "app", client_secret: "app-secret" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Use one client authentication method: Basic or the form, not both" });
  });
});

describe("POST /token, refresh grant", () => {
  it("rotates; replaying an older generation is refused and ends the session", async () => {
    const first = (await login()).json();
    const res = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(second).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 900, refresh_token: expect.any(String), scope: "items" });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    // Once the successor has been used, the first token is a replay even inside the grace window.
    const third = (await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: second.refresh_token })).json();

    const replay = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({ detail: "Invalid refresh token" });
    for (const token of [first.access_token, second.access_token, third.access_token]) {
      const items = await app.inject({ url: "/items/", headers: bearer(token) });
      expect(items.statusCode).toBe(401);
      expect(items.json()).toEqual({ detail: "Token has been revoked" });
      expect(items.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    }
    expect((await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: third.refresh_token })).statusCode).toBe(400);
  });

  it("needs refresh_token (422), the same client (400) and no wider scope (400)", async () => {
    const missing = await postForm(app, "/token", { grant_type: "refresh_token" });
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "refresh_token"], msg: "Field required", input: null }] });

    const { refresh_token } = (await login(basic("app", "app-secret"))).json();
    const otherClient = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token });
    expect([otherClient.statusCode, otherClient.json()]).toEqual([400, { detail: "Invalid refresh token" }]);
    const wider = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token, scope: "items me" }, basic("app", "app-secret"));
    expect([wider.statusCode, wider.json()]).toEqual([400, { detail: "Requested scopes exceed those granted" }]);
    const ok = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token }, basic("app", "app-secret"));
    expect(ok.statusCode).toBe(200);
  });
});

describe("OpenAPI", () => {
  it("/token documents its form and no security requirement; /introspect its Basic client credentials", async () => {
    const doc = (await app.inject({ url: "/openapi.json" })).json();
    const token = doc.paths["/token"].post;
    expect(token.security).toBeUndefined();
    expect(Object.keys(token.requestBody.content)).toEqual(["application/x-www-form-urlencoded"]);
    expect(doc.paths["/introspect"].post.security).toEqual([{ TokenClientBasic: [] }]);
    expect(doc.components.securitySchemes.TokenClientBasic).toMatchObject({ type: "http", scheme: "basic" });
  });
});
