import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "gatehouse/tokens";
import { postForm } from "../../helpers.ts";
import { fakeClock, tokenApp } from "../support.ts";

const clock = fakeClock();
const store = new MemoryStore({ now: clock.now });
const { app } = tokenApp({ store, now: clock.now, retryMs: 20 });
beforeAll(() => app.ready());
afterAll(() => app.close());

const rs = { authorization: `Basic ${Buffer.from("rs:rs-secret").toString("base64")}` };
const introspect = (token: string, headers: Record<string, string> = rs) => postForm(app, "/introspect", { token }, headers);
async function login() {
  return (await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "items me" })).json() as { access_token: string; refresh_token: string };
}

describe("POST /introspect (RFC 7662)", () => {
  it("needs a confidential client allowed to introspect", async () => {
    const { access_token } = await login();
    const none = await introspect(access_token, {});
    expect([none.statusCode, none.json(), none.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Basic"]);
    const wrong = await introspect(access_token, { authorization: `Basic ${Buffer.from("rs:nope").toString("base64")}` });
    expect([wrong.statusCode, wrong.json(), wrong.headers["www-authenticate"]]).toEqual([401, { detail: "Invalid client credentials" }, "Basic"]);
    const notAllowed = await introspect(access_token, { authorization: `Basic ${Buffer.from("app:app-secret").toString("base64")}` });
    expect(notAllowed.statusCode).toBe(401);
  });

  it("describes an active access token", async () => {
    const { access_token } = await login();
    const res = await introspect(access_token);
    expect(res.statusCode).toBe(200);
    const iat = Math.floor(clock.now() / 1000);
    expect(res.json()).toEqual({ active: true, token_type: "access_token", scope: "items me", sub: "alice", username: "alice", iat, exp: iat + 900, jti: expect.any(String) });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("names the client a token was issued to", async () => {
    const app_ = { authorization: `Basic ${Buffer.from("app:app-secret").toString("base64")}` };
    const { access_token } = (await postForm(app, "/token", { username: "alice", password: "wonderland" }, app_)).json();
    expect((await introspect(access_token)).json()).toMatchObject({ active: true, client_id: "app" });
  });

  it("describes an active refresh token, inactive once used", async () => {
    const { refresh_token } = await login();
    expect((await introspect(refresh_token)).json()).toMatchObject({ active: true, token_type: "refresh_token", scope: "items me", sub: "alice" });
    await postForm(app, "/token", { grant_type: "refresh_token", refresh_token });
    expect((await introspect(refresh_token)).json()).toEqual({ active: false });
  });

  it("says only {active: false} for revoked, expired, unknown and malformed tokens", async () => {
    const revoked = await login();
    await postForm(app, "/revoke", { token: revoked.access_token });
    const expiring = await login();
    clock.advance(3600_000);
    for (const token of [revoked.access_token, expiring.access_token, "unknown", "e30.e30.x"]) {
      const res = await introspect(token);
      expect([res.statusCode, res.json()]).toEqual([200, { active: false }]);
    }
  });

  it("fails closed with 503 while the store is down", async () => {
    const { access_token } = await login();
    store.setAvailable(false);
    const res = await introspect(access_token);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ detail: "Token store unavailable: revocations cannot be checked right now; try again shortly" });
    expect(res.headers["retry-after"]).toBe("1");
    store.setAvailable(true);
  });
});
