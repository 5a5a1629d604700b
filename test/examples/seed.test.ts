import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { bearer, postForm, SECRET_KEY } from "../helpers.ts";

const key = new TextEncoder().encode(SECRET_KEY);
const later = () => Math.floor(Date.now() / 1000) + 1800;

async function login(scope: string, username = "johndoe", password = "secret") {
  const res = await postForm(app, "/token", { username, password, scope });
  expect(res.statusCode).toBe(200);
  return res.json().access_token as string;
}

function forge(payload: Record<string, unknown>, secret: Uint8Array = key, alg = "HS256") {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(secret);
}

beforeAll(() => app.ready());
afterAll(() => app.close());

describe("seed example: /token", () => {
  it("issues an HS256 JWT with sub, scopes and a 30-minute exp", async () => {
    const res = await postForm(app, "/token", { username: "johndoe", password: "secret", scope: "me items" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
    expect(body.token_type).toBe("bearer");
    const payload = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString());
    expect(payload.sub).toBe("johndoe");
    expect(payload.scopes).toEqual(["me", "items"]);
    expect(Math.abs(payload.exp - later())).toBeLessThan(5);
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    for (const form of [{ username: "johndoe", password: "nope" }, { username: "nobody", password: "secret" }]) {
      const res = await postForm(app, "/token", form);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ detail: "Incorrect username or password" });
    }
  });

  it("answers a missing password with FastAPI's 422", async () => {
    const res = await postForm(app, "/token", { username: "johndoe" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body", "password"], msg: "Field required", input: null }] });
  });
});

describe("seed example: scopes", () => {
  const cases: [scope: string, route: string, status: number, detail: unknown, challenge: string | undefined][] = [
    ["", "/users/me/", 401, "Not enough permissions", 'Bearer scope="me"'],
    ["", "/users/me/items/", 401, "Not enough permissions", 'Bearer scope="items me"'],
    ["", "/status/", 200, { status: "ok" }, undefined],
    ["me", "/users/me/items/", 401, "Not enough permissions", 'Bearer scope="items me"'],
    ["me items", "/users/me/items/", 200, [{ item_id: "Foo", owner: "johndoe" }], undefined],
  ];
  it.each(cases)("scope %j on %s → %i", async (scope, route, status, body, challenge) => {
    const res = await app.inject({ url: route, headers: bearer(await login(scope)) });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(status === 200 ? body : { detail: body });
    expect(res.headers["www-authenticate"]).toBe(challenge);
  });

  it("/users/me/ never leaks hashed_password (response schema filters it)", async () => {
    const res = await app.inject({ url: "/users/me/", headers: bearer(await login("me")) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false });
  });

  // alice's seed hash is not of "secret2" (the oracle refuses that password too), so her token is minted here.
  it("a disabled user gets 400 Inactive user, but /status/ still answers", async () => {
    const token = await forge({ sub: "alice", scopes: ["me"], exp: later() });
    const me = await app.inject({ url: "/users/me/", headers: bearer(token) });
    expect(me.statusCode).toBe(400);
    expect(me.json()).toEqual({ detail: "Inactive user" });
    expect((await app.inject({ url: "/status/", headers: bearer(token) })).statusCode).toBe(200);
  });
});

describe("seed example: credentials FastAPI refuses", () => {
  const invalid = { detail: "Could not validate credentials" };
  const forged: [string, () => Promise<string> | string][] = [
    ["a wrong key", () => forge({ sub: "johndoe", scopes: [], exp: later() }, new TextEncoder().encode("not the key"))],
    ["another algorithm (HS512)", () => forge({ sub: "johndoe", scopes: [], exp: later() }, key, "HS512")],
    ["alg none", () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "johndoe", exp: later() })).toString("base64url")}.`],
    ["an expired token", () => forge({ sub: "johndoe", scopes: [], exp: Math.floor(Date.now() / 1000) - 60 })],
    ["no sub", () => forge({ scopes: [], exp: later() })],
    ["an unknown sub", () => forge({ sub: "mallory", scopes: [], exp: later() })],
    ["a sub that is not a string", () => forge({ sub: 42, scopes: [], exp: later() })],
    ["scopes that are not a list", () => forge({ sub: "johndoe", scopes: "me items", exp: later() })],
    ["garbage", () => "not-a-jwt"],
    ["an empty bearer", () => ""],
  ];
  it.each(forged)("%s → 401 Could not validate credentials", async (_name, make) => {
    const token = await make();
    const res = await app.inject({ url: "/status/", headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(invalid);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("a token without exp is accepted, as PyJWT accepts it", async () => {
    const res = await app.inject({ url: "/status/", headers: bearer(await forge({ sub: "johndoe", scopes: [] })) });
    expect(res.statusCode).toBe(200);
  });

  it("lower-case `bearer` works (the scheme is case-insensitive)", async () => {
    const res = await app.inject({ url: "/status/", headers: { authorization: `bearer ${await login("")}` } });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["a Basic header", "Basic am9obmRvZTpzZWNyZXQ="],
    ["a scheme alone", "Token abc"],
  ])("%s → 401 Not authenticated with `Bearer`", async (_name, authorization) => {
    const res = await app.inject({ url: "/users/me/items/", headers: authorization ? { authorization } : {} });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });
});

describe("seed example: claims PyJWT refuses", () => {
  it("an iat in the future → 401, as PyJWT's ImmatureSignatureError", async () => {
    const token = await forge({ sub: "johndoe", scopes: [], exp: later() + 60, iat: later() });
    const res = await app.inject({ url: "/status/", headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Could not validate credentials" });
  });

  it("an nbf in the future → 401", async () => {
    const token = await forge({ sub: "johndoe", scopes: [], exp: later() + 60, nbf: later() });
    expect((await app.inject({ url: "/status/", headers: bearer(token) })).statusCode).toBe(401);
  });
});
