/** examples/client-credentials.ts: a machine client's token from /token, used on scope-checked routes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/client-credentials.ts";
import { bearer, postForm } from "../helpers.ts";
import { expectValidOpenAPI31 } from "../openapi/validator.ts";

beforeAll(() => app.ready());
afterAll(() => app.close());

const basic = { authorization: `Basic ${Buffer.from("reports-bot:bot-secret").toString("base64")}` };

async function machineToken(scope: string, viaForm = false): Promise<string> {
  const res = viaForm
    ? await postForm(app, "/token", { grant_type: "client_credentials", scope, client_id: "reports-bot", client_secret: "bot-secret" })
    : await postForm(app, "/token", { grant_type: "client_credentials", scope }, basic);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 900, scope: scope || "reports:read reports:write" });
  expect(res.headers["cache-control"]).toBe("no-store");
  return res.json().access_token;
}

describe("client-credentials example", () => {
  it("a token got with Basic reads reports as the client", async () => {
    const res = await app.inject({ url: "/reports", headers: bearer(await machineToken("reports:read")) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ id: 1, title: "Quarterly numbers", readBy: "reports-bot", scopes: ["reports:read"] }]);
  });

  it("a token got with the form and no scope carries every scope of the client", async () => {
    const res = await app.inject({ method: "POST", url: "/reports", headers: bearer(await machineToken("", true)) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 2, createdBy: "reports-bot" });
  });

  it("a token without the route's scope → 403 insufficient_scope", async () => {
    const res = await app.inject({ method: "POST", url: "/reports", headers: bearer(await machineToken("reports:read")) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="reports:write"');
  });

  it("no token → 401 Bearer; a bad one → 401 invalid_token; a wrong client secret → 401 Basic", async () => {
    const none = await app.inject("/reports");
    expect([none.statusCode, none.json(), none.headers["www-authenticate"]]).toEqual([401, { detail: "Not authenticated" }, "Bearer"]);
    const bad = await app.inject({ url: "/reports", headers: bearer("not-a-token") });
    expect([bad.statusCode, bad.json(), bad.headers["www-authenticate"]]).toEqual([401, { detail: "Could not validate credentials" }, 'Bearer error="invalid_token"']);
    const wrong = await postForm(app, "/token", { grant_type: "client_credentials", client_id: "reports-bot", client_secret: "nope" });
    expect([wrong.statusCode, wrong.json(), wrong.headers["www-authenticate"]]).toEqual([401, { detail: "Invalid client credentials" }, "Basic"]);
  });

  it("documents the client-credentials flow and each route's scopes, as valid OpenAPI 3.1", async () => {
    const doc = (await app.inject("/openapi.json")).json();
    expect(doc.components.securitySchemes).toEqual({
      OAuth2ClientCredentials: {
        type: "oauth2",
        flows: { clientCredentials: { tokenUrl: "/token", scopes: { "reports:read": "Read reports.", "reports:write": "Write reports." } } },
      },
    });
    expect(doc.paths["/reports"].get.security).toEqual([{ OAuth2ClientCredentials: ["reports:read"] }]);
    expect(doc.paths["/reports"].post.security).toEqual([{ OAuth2ClientCredentials: ["reports:write"] }]);
    expect(doc.paths["/token"].post.security).toBeUndefined();
    await expectValidOpenAPI31(doc);
  });
});
