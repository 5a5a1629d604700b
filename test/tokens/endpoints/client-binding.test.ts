/**
 * Issue 13 item 7, as an attacker over a real socket. RFC 7009 §2.1: an anonymous caller (or another
 * client) must not revoke a confidential client's tokens, here its refresh token, which would log the
 * client's user out. RFC 7662 §2.1: introspection is for the clients registered to do it, not for every
 * confidential client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "gatehouse/tokens";
import { tokenApp } from "../support.ts";

const { app } = tokenApp({ store: new MemoryStore() });
let base: string;
beforeAll(async () => {
  base = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(() => app.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
async function post(path: string, form: Record<string, string>, authorization?: string) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: authorization ? { authorization } : {}, body: new URLSearchParams(form) });
  return { status: res.status, body: await res.json() };
}

describe("tokens are bound to their client", () => {
  it("an anonymous caller cannot revoke a confidential client's refresh token (RFC 7009 §2.1)", async () => {
    // The confidential client `app` logs its user in and holds the refresh token.
    const login = await post("/token", { username: "alice", password: "wonderland", scope: "items" }, basic("app", "app-secret"));
    expect(login.status).toBe(200);
    const { refresh_token } = login.body as { refresh_token: string };
    // Someone who saw the token (a log line, a proxy) tries to end the session without the client's secret.
    const attack = await post("/revoke", { token: refresh_token });
    expect(attack).toEqual({ status: 400, body: { detail: "This token was not issued to this client" } });
    const otherClient = await post("/revoke", { token: refresh_token }, basic("rs", "rs-secret"));
    expect(otherClient.status).toBe(400);
    // The session lives on, and its client can still end it.
    const refreshed = await post("/token", { grant_type: "refresh_token", refresh_token }, basic("app", "app-secret"));
    expect(refreshed.status).toBe(200);
    const { refresh_token: next } = refreshed.body as { refresh_token: string };
    expect(await post("/revoke", { token: next }, basic("app", "app-secret"))).toEqual({ status: 200, body: {} });
    expect((await post("/token", { grant_type: "refresh_token", refresh_token: next }, basic("app", "app-secret"))).status).toBe(400);
  });

  it("a confidential client not registered with introspect: true cannot introspect (RFC 7662 §2.1)", async () => {
    const login = await post("/token", { username: "alice", password: "wonderland", scope: "items" });
    const { access_token } = login.body as { access_token: string };
    expect(await post("/introspect", { token: access_token }, basic("app", "app-secret"))).toEqual({ status: 401, body: { detail: "Invalid client credentials" } });
    expect(await post("/introspect", { token: access_token }, basic("rs", "rs-secret"))).toMatchObject({ status: 200, body: { active: true, sub: "alice" } });
  });
});
