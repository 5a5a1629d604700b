/** examples/typed-scopes.ts at run time (its compile-time side: test/types/typed-scopes.test-d.ts). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app, tokens } from "../../examples/typed-scopes.ts";
import { bearer, postForm } from "../helpers.ts";
import { expectValidOpenAPI31 } from "../openapi/validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

const token = async (scopes: string[]) => (await tokens.login({ subject: "johndoe", scopes })).accessToken;

describe("typed-scopes example", () => {
  it("a token from /token with `me` opens /users/me/, with the principal's typed fields", async () => {
    const login = await postForm(app, "/token", { username: "johndoe", password: "secret", scope: "me" });
    expect(login.statusCode).toBe(200);
    const res = await app.inject({ url: "/users/me/", headers: bearer(login.json().access_token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: "johndoe", scopes: ["me"], since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it("/users/me/items/ needs `items` and `me`: 403 naming both when one is missing", async () => {
    const res = await app.inject({ url: "/users/me/items/", headers: bearer(await token(["me"])) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="items me"');
    const ok = await app.inject({ url: "/users/me/items/", headers: bearer(await token(["me", "items"])) });
    expect([ok.statusCode, ok.json()]).toEqual([200, [{ item_id: "Foo", owner: "johndoe" }]]);
  });

  it("documents the scopes each route requires, as valid OpenAPI 3.1", async () => {
    const doc = (await app.inject("/openapi.json")).json();
    expect(doc.paths["/users/me/"].get.security).toEqual([{ OAuth2PasswordBearer: ["me"] }]);
    expect(doc.paths["/users/me/items/"].get.security).toEqual([{ OAuth2PasswordBearer: ["items", "me"] }]);
    await expectValidOpenAPI31(doc);
  });
});
