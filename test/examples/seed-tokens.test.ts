/**
 * The seed example with seed 003's revocable tokens mounted (on its default store, SQLite, here in a temp
 * file): tokens are revoked for real, also across a restart, and the seed's own behaviour is unchanged.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { App } from "gatehouse";
import { bearer, postForm, SECRET_KEY } from "../helpers.ts";

process.env.GATEHOUSE_STORE = `sqlite:${join(mkdtempSync(join(tmpdir(), "gatehouse-seed-")), "tokens.db")}`;

/** Import the example afresh: a new app and token service on the same SQLite file, as after a restart. */
async function boot(): Promise<App> {
  vi.resetModules();
  const { app } = (await import("../../examples/seed.ts")) as { app: App };
  await app.ready();
  return app;
}

let app: App;
beforeAll(async () => {
  app = await boot();
});
afterAll(() => app.close());

async function login(scope = "me items") {
  const res = await postForm(app, "/token", { username: "johndoe", password: "secret", scope });
  expect(res.statusCode).toBe(200);
  return res.json() as { access_token: string; token_type: string; expires_in: number; refresh_token: string };
}

const revokedAnswer = [401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"'];
const answer = (res: { statusCode: number; json(): unknown; headers: Record<string, unknown> }) => [res.statusCode, res.json(), res.headers["www-authenticate"]];

describe("seed example with revocable tokens", () => {
  it("/token returns the seed's fields plus refresh_token and expires_in; the JWT gains jti, iat and auth_time", async () => {
    const body = await login();
    expect(body).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 1800, refresh_token: expect.any(String), scope: "me items" });
    const payload = JSON.parse(Buffer.from(body.access_token.split(".")[1]!, "base64url").toString());
    expect(payload).toEqual({ sub: "johndoe", scopes: ["me", "items"], exp: payload.iat + 1800, iat: expect.any(Number), auth_time: payload.iat, jti: expect.any(String), fam: expect.any(String) });
  });

  it("a token works, is revoked, is refused with Bearer error=\"invalid_token\", and still after a restart", async () => {
    const { access_token } = await login();
    const kept = await login();
    expect((await app.inject({ url: "/users/me/", headers: bearer(access_token) })).statusCode).toBe(200);
    expect((await postForm(app, "/revoke", { token: access_token })).statusCode).toBe(200);
    for (const url of ["/users/me/", "/users/me/items/", "/status/"]) {
      expect(answer(await app.inject({ url, headers: bearer(access_token) }))).toEqual(revokedAnswer);
    }
    await app.close();
    app = await boot();
    expect(answer(await app.inject({ url: "/users/me/items/", headers: bearer(access_token) }))).toEqual(revokedAnswer);
    expect((await app.inject({ url: "/users/me/items/", headers: bearer(kept.access_token) })).statusCode).toBe(200);
  });

  it("FastAPI's own tokens (no jti, no iat) still work, and can be revoked", async () => {
    const fastapiToken = await new SignJWT({ sub: "johndoe", scopes: ["me"] })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 1800)
      .sign(new TextEncoder().encode(SECRET_KEY));
    expect((await app.inject({ url: "/users/me/", headers: bearer(fastapiToken) })).statusCode).toBe(200);
    await postForm(app, "/revoke", { token: fastapiToken });
    expect(answer(await app.inject({ url: "/users/me/", headers: bearer(fastapiToken) }))).toEqual(revokedAnswer);
  });

  it("refresh rotation, and reuse of an older generation ends the session", async () => {
    const first = await login();
    const once = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(once.statusCode).toBe(200);
    // A retry of the same token inside the grace window gets the same pair, not a logout.
    const retry = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(retry.json()).toEqual(once.json());
    const rotated = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: once.json().refresh_token });
    expect(rotated.statusCode).toBe(200);
    expect((await app.inject({ url: "/users/me/items/", headers: bearer(rotated.json().access_token) })).statusCode).toBe(200);
    const replay = await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect([replay.statusCode, replay.json()]).toEqual([400, { detail: "Invalid refresh token" }]);
    expect(answer(await app.inject({ url: "/users/me/items/", headers: bearer(rotated.json().access_token) }))).toEqual(revokedAnswer);
  });

  it("/users/me/tokens needs the seed's active user with scope me", async () => {
    const noScope = await login("");
    const res = await app.inject({ url: "/users/me/tokens", headers: bearer(noScope.access_token) });
    expect(answer(res)).toEqual([401, { detail: "Not enough permissions" }, 'Bearer scope="me"']);
    const me = await login("me");
    const listed = await app.inject({ url: "/users/me/tokens", headers: bearer(me.access_token) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().length).toBeGreaterThan(0);
  });

  it("a personal token with the items scope reads items; revoke-all ends it with everything else", async () => {
    const { access_token } = await login();
    const created = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { scopes: ["me", "items"] } });
    expect(created.statusCode).toBe(201);
    const personal = created.json().access_token as string;
    expect((await app.inject({ url: "/users/me/items/", headers: bearer(personal) })).json()).toEqual([{ item_id: "Foo", owner: "johndoe" }]);
    expect((await app.inject({ method: "POST", url: "/users/me/tokens/revoke-all", headers: bearer(access_token) })).statusCode).toBe(204);
    for (const token of [personal, access_token]) expect(answer(await app.inject({ url: "/users/me/items/", headers: bearer(token) }))).toEqual(revokedAnswer);
  });

  it("/introspect answers the documented resource-server client only", async () => {
    const { access_token } = await login("me");
    const basic = `Basic ${Buffer.from("resource-server:a3f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7").toString("base64")}`;
    const res = await postForm(app, "/introspect", { token: access_token }, { authorization: basic });
    expect(res.json()).toMatchObject({ active: true, sub: "johndoe", scope: "me", token_type: "access_token" });
    expect((await postForm(app, "/introspect", { token: access_token })).statusCode).toBe(401);
  });

  it("the OpenAPI document still shows only the seed's routes and scheme (parity with FastAPI)", async () => {
    const doc = (await app.inject({ url: "/openapi.json" })).json();
    expect(Object.keys(doc.paths).sort()).toEqual(["/status/", "/token", "/users/me/", "/users/me/items/"]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(["OAuth2PasswordBearer"]);
    expect(doc.paths["/token"].post.security).toBeUndefined();
    expect(Object.keys(doc.paths["/token"].post.requestBody.content)).toEqual(["application/x-www-form-urlencoded"]);
  });
});
