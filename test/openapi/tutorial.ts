/**
 * Seed 002's tutorial as FastAPI documents it (the oracle's 3.0.2 document, `shared/oracle`), written in
 * OpenAPI 3.1's idioms (`type: [..., "null"]` for `Optional`), plus what Zod adds (password formats, the
 * regex anchored as FastAPI ≥ 0.100 writes it, `additionalProperties: false` on responses, which are
 * filtered), and the tutorial's routes with their handlers reduced to stubs.
 */
import { z } from "zod";
import { createApp, dependency, depends, security, SecurityScopes } from "gatehouse";
import { OAuth2PasswordBearer, OAuth2PasswordRequestForm } from "gatehouse/security";

const json = (schema: object) => ({ "application/json": { schema } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (schema: object) => ({ description: "Successful Response", content: json(schema) });
export const validationError = { description: "Validation Error", content: json(ref("HTTPValidationError")) };
const nullable = (title: string, type: string) => ({ title, type: [type, "null"] });

export const expected = {
  openapi: "3.1.0",
  info: { title: "gatehouse", version: "0.1.0" },
  paths: {
    "/token": {
      post: {
        summary: "Login For Access Token",
        operationId: "login_for_access_token_token_post",
        requestBody: {
          description: "OAuth2 password request form",
          content: { "application/x-www-form-urlencoded": { schema: ref("Body_login_for_access_token_token_post") } },
          required: true,
        },
        responses: { "200": ok(ref("Token")), "422": validationError },
      },
    },
    "/users/me/": {
      get: {
        summary: "Read Users Me",
        operationId: "read_users_me_users_me__get",
        responses: { "200": ok(ref("User")) },
        security: [{ OAuth2PasswordBearer: ["me"] }],
      },
    },
    "/users/me/items/": {
      get: {
        summary: "Read Own Items",
        operationId: "read_own_items_users_me_items__get",
        responses: { "200": ok({}) },
        security: [{ OAuth2PasswordBearer: ["items", "me"] }],
      },
    },
    "/status/": {
      get: {
        summary: "Read System Status",
        operationId: "read_system_status_status__get",
        responses: { "200": ok({}) },
        security: [{ OAuth2PasswordBearer: [] }],
      },
    },
  },
  components: {
    schemas: {
      Body_login_for_access_token_token_post: {
        title: "Body_login_for_access_token_token_post",
        type: "object",
        properties: {
          grant_type: { title: "Grant Type", type: "string", pattern: "^password$" },
          username: { title: "Username", type: "string" },
          password: { title: "Password", type: "string", format: "password" },
          scope: { title: "Scope", type: "string", default: "" },
          client_id: { title: "Client Id", type: "string" },
          client_secret: { title: "Client Secret", type: "string", format: "password" },
        },
        required: ["username", "password"],
      },
      HTTPValidationError: {
        title: "HTTPValidationError",
        type: "object",
        properties: { detail: { title: "Detail", type: "array", items: ref("ValidationError") } },
      },
      Token: {
        title: "Token",
        type: "object",
        properties: { access_token: { title: "Access Token", type: "string" }, token_type: { title: "Token Type", type: "string" } },
        required: ["access_token", "token_type"],
        additionalProperties: false,
      },
      User: {
        title: "User",
        type: "object",
        properties: {
          username: { title: "Username", type: "string" },
          email: nullable("Email", "string"),
          full_name: nullable("Full Name", "string"),
          disabled: nullable("Disabled", "boolean"),
        },
        required: ["username"],
        additionalProperties: false,
      },
      ValidationError: {
        title: "ValidationError",
        type: "object",
        properties: {
          loc: { title: "Location", type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
          msg: { title: "Message", type: "string" },
          type: { title: "Error Type", type: "string" },
        },
        required: ["loc", "msg", "type"],
      },
    },
    securitySchemes: {
      OAuth2PasswordBearer: {
        type: "oauth2",
        flows: { password: { scopes: { me: "Read information about the current user.", items: "Read items." }, tokenUrl: "token" } },
      },
    },
  },
};

/**
 * The tutorial's routes and declarations as seed 002 writes them, handlers reduced to stubs. Zod ids are
 * global: call it only in a test file that does not also load examples/seed.ts.
 */
export async function tutorialApp() {
  const Token = z.object({ access_token: z.string(), token_type: z.string() }).meta({ id: "Token" });
  const User = z.object({ username: z.string(), email: z.string().nullish(), full_name: z.string().nullish(), disabled: z.boolean().nullish() }).meta({ id: "User" });
  const oauth2Scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read information about the current user.", items: "Read items." } });
  const getCurrentUser = dependency({ securityScopes: SecurityScopes, token: oauth2Scheme }, async function getCurrentUser() {
    return { username: "johndoe" };
  });
  const getCurrentActiveUser = dependency({ currentUser: security(getCurrentUser, ["me"]) }, async function getCurrentActiveUser({ currentUser }) {
    return currentUser;
  });
  const tutorial = createApp();
  tutorial.post("/token", { needs: { formData: OAuth2PasswordRequestForm }, response: Token }, async function loginForAccessToken() {
    return { access_token: "", token_type: "bearer" };
  });
  tutorial.get("/users/me/", { needs: { currentUser: depends(getCurrentActiveUser) }, response: User }, async function readUsersMe({ currentUser }) {
    return currentUser;
  });
  tutorial.get("/users/me/items/", { needs: { currentUser: security(getCurrentActiveUser, ["items"]) } }, async function readOwnItems() {
    return [];
  });
  tutorial.get("/status/", { needs: { currentUser: depends(getCurrentUser) } }, async function readSystemStatus() {
    return { status: "ok" };
  });
  await tutorial.ready();
  return tutorial;
}
