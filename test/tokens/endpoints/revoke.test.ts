import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "gatehouse/tokens";
import { bearer, postForm } from "../../helpers.ts";
import { tokenApp } from "../support.ts";

const { app } = tokenApp({ store: new MemoryStore() });
beforeAll(() => app.ready());
afterAll(() => app.close());

async function login() {
  return (await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items" })).json() as { access_token: string; refresh_token: string };
}

async function expectRevoked(token: string) {
  const res = await app.inject({ url: "/items/", headers: bearer(token) });
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ detail: "Token has been revoked" });
  expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
}

describe("POST /revoke (RFC 7009)", () => {
  it("revokes an access token: 200, then the token is refused", async () => {
    const { access_token } = await login();
    expect((await app.inject({ url: "/items/", headers: bearer(access_token) })).statusCode).toBe(200);
    const res = await postForm(app, "/revoke", { token: access_token, token_type_hint: "access_token" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    await expectRevoked(access_token);
  });

  it("revokes a refresh token with its session (RFC 7009 §2.1), whatever the hint says", async () => {
    const { access_token, refresh_token } = await login();
    expect((await postForm(app, "/revoke", { token: refresh_token, token_type_hint: "access_token" })).statusCode).toBe(200);
    await expectRevoked(access_token);
    expect((await postForm(app, "/token", { grant_type: "refresh_token", refresh_token })).statusCode).toBe(400);
  });

  it.each(["unknown", "ey.forged.jwt", ""])("answers 200 for an unknown token %j... or 422 when there is none", async (token) => {
    const res = await postForm(app, "/revoke", { token });
    if (token === "") {
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "token"], msg: "Field required", input: null }] });
    } else {
      expect([res.statusCode, res.json()]).toEqual([200, {}]);
    }
  });

  it("refuses wrong client credentials", async () => {
    const { access_token } = await login();
    const res = await postForm(app, "/revoke", { token: access_token, client_id: "app", client_secret: "wrong" });
    expect([res.statusCode, res.json(), res.headers["www-authenticate"]]).toEqual([401, { detail: "Invalid client credentials" }, "Basic"]);
    expect((await app.inject({ url: "/items/", headers: bearer(access_token) })).statusCode).toBe(200);
  });
});
