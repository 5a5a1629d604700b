/** examples/public-and-optional.ts: app-level security, public routes, and an optional user, as documented. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app, tokens } from "../../examples/public-and-optional.ts";
import { bearer, postForm } from "../helpers.ts";
import { expectValidOpenAPI31 } from "../openapi/validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

const token = async (scopes: string[]) => (await tokens.login({ subject: "johndoe", scopes })).accessToken;

describe("public-and-optional example", () => {
  it("GET /health needs no credential", async () => {
    const res = await app.inject("/health");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("POST /token is public, and its token opens the app-level security", async () => {
    const login = await postForm(app, "/token", { username: "johndoe", password: "secret", scope: "items" });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 900 });
    const res = await app.inject({ url: "/items/", headers: bearer(login.json().access_token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ item_id: "Foo", owner: "johndoe" }]);
    const wrong = await postForm(app, "/token", { username: "johndoe", password: "nope" });
    expect([wrong.statusCode, wrong.json()]).toEqual([400, { detail: "Incorrect username or password" }]);
  });

  it("the app-level requirement: no token → 401 Bearer; a token without `items` → 403", async () => {
    const none = await app.inject("/items/");
    expect([none.statusCode, none.json(), none.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Bearer"]);
    const narrow = await app.inject({ url: "/items/", headers: bearer(await token([])) });
    expect([narrow.statusCode, narrow.json(), narrow.headers["www-authenticate"]]).toEqual([
      403,
      { detail: "Not enough permissions" },
      'Bearer error="insufficient_scope", scope="items"',
    ]);
  });

  it("the app-level use and the route's own share one verification", async () => {
    const headers = bearer(await token(["items"]));
    const verify = vi.spyOn(tokens, "verify");
    try {
      expect((await app.inject({ url: "/items/", headers })).statusCode).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it("GET /greeting greets a guest without a token, the user with one (any scope)", async () => {
    const guest = await app.inject("/greeting");
    expect([guest.statusCode, guest.json(), guest.headers["www-authenticate"]]).toEqual([200, { message: "Hello, guest" }, undefined]);
    const user = await app.inject({ url: "/greeting", headers: bearer(await token([])) });
    expect([user.statusCode, user.json()]).toEqual([200, { message: "Hello, johndoe" }]);
  });

  it("GET /greeting with a token that is sent but invalid → 401 invalid_token, not a guest", async () => {
    const res = await app.inject({ url: "/greeting", headers: bearer("not-a-token") });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Could not validate credentials" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("documents [] on public routes, {} among the optional route's alternatives, as valid OpenAPI 3.1", async () => {
    const doc = (await app.inject("/openapi.json")).json();
    expect(doc.paths["/health"].get.security).toEqual([]);
    expect(doc.paths["/token"].post.security).toEqual([]);
    expect(doc.paths["/greeting"].get.security).toEqual([{ OAuth2PasswordBearer: [] }, {}]);
    expect(doc.paths["/items/"].get.security).toEqual([{ OAuth2PasswordBearer: ["items"] }]);
    await expectValidOpenAPI31(doc);
  });
});
