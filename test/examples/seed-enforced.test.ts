/** The library-enforced seed: the same API, with the checks done by bearerPrincipal. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app, tokens } from "../../examples/seed-enforced.ts";
import { bearer, postForm } from "../helpers.ts";
import { expectValidOpenAPI31 } from "../openapi/validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

async function login(scope: string) {
  const res = await postForm(app, "/token", { username: "johndoe", password: "secret", scope });
  expect(res.statusCode).toBe(200);
  return res.json().access_token as string;
}

describe("seed, library-enforced", () => {
  it("serves the seed's routes with the seed's bodies", async () => {
    const token = await login("me items");
    const items = await app.inject({ url: "/users/me/items/", headers: bearer(token) });
    expect(items.statusCode).toBe(200);
    expect(items.json()).toEqual([{ item_id: "Foo", owner: "johndoe" }]);
    const me = await app.inject({ url: "/users/me/", headers: bearer(token) });
    expect(me.json()).toEqual({ username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false });
  });

  it("answers too few scopes with RFC 6750's 403 insufficient_scope", async () => {
    const res = await app.inject({ url: "/users/me/items/", headers: bearer(await login("me")) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="items me"');
  });

  it("refuses a token the moment it is revoked", async () => {
    const token = await login("me");
    expect((await app.inject({ url: "/status/", headers: bearer(token) })).statusCode).toBe(200);
    const revoke = await postForm(app, "/revoke", { token });
    expect(revoke.statusCode).toBe(200);
    const after = await app.inject({ url: "/status/", headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    expect(tokens.state).toBe("ready");
  });

  it("documents the same security as the faithful port, and is valid OpenAPI 3.1", async () => {
    const document = app.openapi();
    await expectValidOpenAPI31(document);
    expect(document.paths["/users/me/items/"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["items", "me"] }]);
    expect(document.paths["/status/"]!.get!.security).toEqual([{ OAuth2PasswordBearer: [] }]);
  });
});
