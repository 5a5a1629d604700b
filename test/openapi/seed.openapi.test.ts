/**
 * The seed's document against FastAPI's for seed 002: the seed serves more than the tutorial (revocation
 * adds routes), so its tutorial routes and their components are compared; tutorial.openapi.test.ts
 * compares the tutorial's whole document.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { expected, ref, validationError } from "./tutorial.ts";
import { expectValidOpenAPI31 } from "./validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

/** The tutorial's part of the seed's document: its four operations and what they reference. */
const TUTORIAL_PATHS = ["/token", "/users/me/", "/users/me/items/", "/status/"];

describe("seed example: /openapi.json", () => {
  it("documents the tutorial's routes as FastAPI does, in OpenAPI 3.1", async () => {
    const res = await app.inject("/openapi.json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const document = res.json();
    expect(document.openapi).toBe(expected.openapi);
    expect(document.info).toEqual(expected.info);
    for (const path of TUTORIAL_PATHS.slice(1)) expect(document.paths[path], path).toEqual(expected.paths[path as keyof typeof expected.paths]);
    const { schemas, securitySchemes } = document.components;
    for (const name of ["HTTPValidationError", "User", "ValidationError"] as const) expect(schemas[name], name).toEqual(expected.components.schemas[name]);
    expect(securitySchemes.OAuth2PasswordBearer).toEqual(expected.components.securitySchemes.OAuth2PasswordBearer);
  });

  // The seed's /token also takes grant_type=refresh_token (revocation), so only what both forms share is compared.
  it("documents the password form as FastAPI's Body_login_for_access_token_token_post, urlencoded", () => {
    const token = app.openapi().paths["/token"]!.post!;
    expect(token).toMatchObject({ summary: "Login For Access Token", operationId: "login_for_access_token_token_post" });
    expect(token.security).toBeUndefined();
    expect(token.requestBody!.content).toEqual({
      "application/x-www-form-urlencoded": { schema: ref("Body_login_for_access_token_token_post") },
    });
    const body = app.openapi().components!.schemas!.Body_login_for_access_token_token_post!;
    expect(body).toMatchObject({ title: "Body_login_for_access_token_token_post", type: "object" });
    const properties = body.properties as Record<string, Record<string, unknown>>;
    for (const field of ["grant_type", "username", "password", "scope", "client_id", "client_secret"]) {
      expect(properties[field], field).toMatchObject({ title: expected.components.schemas.Body_login_for_access_token_token_post.properties[field as "username"].title, type: "string" });
    }
    expect(properties.password!.format).toBe("password");
    expect(token.responses).toEqual({ "200": expected.paths["/token"].post.responses["200"], "422": validationError });
  });

  it("passes an OpenAPI 3.1 validator, every reference resolving", async () => {
    await expectValidOpenAPI31((await app.inject("/openapi.json")).json());
  });

  it("is generated once and served from the cache", async () => {
    expect(app.openapi()).toBe(app.openapi());
    const [a, b] = await Promise.all([app.inject("/openapi.json"), app.inject("/openapi.json")]);
    expect(a.body).toBe(b.body);
  });
});

