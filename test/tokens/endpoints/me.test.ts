import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "gatehouse/tokens";
import { bearer, postForm } from "../../helpers.ts";
import { tokenApp } from "../support.ts";

const { app } = tokenApp({ store: new MemoryStore(), allowNonExpiringApiTokens: true });
beforeAll(() => app.ready());
afterAll(() => app.close());

async function login(username = "alice", password = "wonderland", scope = "items me") {
  return (await postForm(app, "/token", { username, password, scope })).json() as { access_token: string; refresh_token: string };
}
const list = async (token: string) => (await app.inject({ url: "/users/me/tokens", headers: bearer(token) })).json() as { id: string; kind: string }[];

describe("/users/me/tokens", () => {
  it("needs a bearer token", async () => {
    const res = await app.inject({ url: "/users/me/tokens" });
    expect([res.statusCode, res.json(), res.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Bearer"]);
  });

  it("lists my grants: one entry per login (its access and refresh tokens together), with client and times", async () => {
    const { access_token, refresh_token } = await login();
    await postForm(app, "/token", { grant_type: "refresh_token", refresh_token });
    const res = await app.inject({ url: "/users/me/tokens", headers: bearer(access_token) });
    expect(res.statusCode).toBe(200);
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.json()).toEqual([{ id: expect.any(String), kind: "session", client: null, scopes: ["items", "me"], issued: iso, last_used: iso, expires: iso }]);
  });

  it("DELETE /users/me/tokens/{id} revokes one of mine (204), 404 for anyone else's", async () => {
    const mine = await login();
    const other = await login();
    const bobs = await login("bob", "builder");
    const otherId = JSON.parse(Buffer.from(other.access_token.split(".")[1]!, "base64url").toString()).jti;
    const bobId = JSON.parse(Buffer.from(bobs.access_token.split(".")[1]!, "base64url").toString()).jti;

    const notMine = await app.inject({ method: "DELETE", url: `/users/me/tokens/${bobId}`, headers: bearer(mine.access_token) });
    expect([notMine.statusCode, notMine.json()]).toEqual([404, { detail: "Token not found" }]);
    const res = await app.inject({ method: "DELETE", url: `/users/me/tokens/${otherId}`, headers: bearer(mine.access_token) });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe("");
    const refused = await app.inject({ url: "/items/", headers: bearer(other.access_token) });
    expect([refused.statusCode, refused.headers["www-authenticate"]]).toEqual([401, 'Bearer error="invalid_token"']);
    expect((await list(mine.access_token)).map((t) => t.id)).not.toContain(otherId);
    expect((await app.inject({ url: "/items/", headers: bearer(bobs.access_token) })).statusCode).toBe(200);
  });

  it("POST /users/me/tokens/revoke-all ends every token of mine, the one used included; others keep theirs", async () => {
    const a = await login();
    const b = await login();
    const bob = await login("bob", "builder");
    const res = await app.inject({ method: "POST", url: "/users/me/tokens/revoke-all", headers: bearer(a.access_token) });
    expect(res.statusCode).toBe(204);
    for (const token of [a.access_token, b.access_token]) {
      const refused = await app.inject({ url: "/items/", headers: bearer(token) });
      expect([refused.statusCode, refused.json(), refused.headers["www-authenticate"]]).toEqual([401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"']);
    }
    expect((await postForm(app, "/token", { grant_type: "refresh_token", refresh_token: b.refresh_token })).statusCode).toBe(400);
    expect((await app.inject({ url: "/items/", headers: bearer(bob.access_token) })).statusCode).toBe(200);
    const again = await login();
    expect((await app.inject({ url: "/items/", headers: bearer(again.access_token) })).statusCode).toBe(200);
  });
});

describe("POST /users/me/api-tokens", () => {
  it("creates a personal token with some of my scopes (201), which works and is listed", async () => {
    const { access_token } = await login();
    const res = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { scopes: ["items"], name: "photo uploader" } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({ id: expect.any(String), access_token: expect.any(String), token_type: "bearer", scopes: ["items"], expires_in: 30 * 86_400 });
    expect((await app.inject({ url: "/items/", headers: bearer(body.access_token) })).statusCode).toBe(200);
    expect(await list(access_token)).toContainEqual(expect.objectContaining({ id: body.id, kind: "personal", name: "photo uploader", scopes: ["items"] }));
  });

  it("without expiry when expires_in is null; only revocation ends it", async () => {
    const { access_token } = await login();
    const res = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { scopes: [], expires_in: null } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.expires_in).toBeNull();
    expect(body.access_token).toMatch(/^gatehouse_pat_[0-9A-Za-z]{54}$/);
    expect((await list(access_token)).find((t) => t.id === body.id)).toMatchObject({ expires: null });
    expect((await postForm(app, "/revoke", { token: body.access_token })).statusCode).toBe(200);
    expect((await list(access_token)).map((t) => t.id)).not.toContain(body.id);
  });

  it("refuses scopes I do not have (403) and a bad body (422)", async () => {
    const { access_token } = await login("alice", "wonderland", "me");
    const wider = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { scopes: ["me", "items", "admin"] } });
    expect([wider.statusCode, wider.json()]).toEqual([403, { detail: "Cannot grant scopes you do not have: items admin" }]);
    const bad = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { scopes: "me", expires_in: -1 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail.map((issue: { loc: unknown[] }) => issue.loc)).toEqual([["body", "scopes"], ["body", "expires_in"]]);
    const tooLong = await app.inject({ method: "POST", url: "/users/me/api-tokens", headers: bearer(access_token), payload: { expires_in: 366 * 86_400 } });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().detail[0]).toMatchObject({ type: "less_than_equal", loc: ["body", "expires_in"], ctx: { le: 365 * 86_400 } });
  });
});
