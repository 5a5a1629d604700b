/**
 * Issue 17's last line: `examples/resource-server.ts` also works with `OIDC_ISSUER` pointing at gatehouse's
 * own `examples/oauth-server.ts`. Both run here over real sockets; the resource server finds the
 * authorization server by RFC 8414 discovery, fetches its JWKS, and verifies its ES256 RFC 9068 tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { freePort } from "../support/ports.ts";

process.env.GATEHOUSE_STORE = "memory";
delete process.env.GATEHOUSE_ISSUER;
const authorizationServer = await import("../../examples/oauth-server.ts");
let resourceServer: App;
let issuer = "";
let api = "";

beforeAll(async () => {
  issuer = await authorizationServer.app.listen({ host: "127.0.0.1", port: 0 });
  const port = await freePort();
  // oauth-server's RFC 9068 tokens name the issuer as their audience (it has no `audience` of its own).
  Object.assign(process.env, { OIDC_ISSUER: issuer, OIDC_AUDIENCE: issuer, HOST: "127.0.0.1", PORT: String(port) });
  delete process.env.RESOURCE_URL;
  ({ app: resourceServer } = await import("../../examples/resource-server.ts"));
  api = await resourceServer.listen({ host: "127.0.0.1", port });
});
afterAll(async () => {
  await resourceServer?.close();
  await authorizationServer.app.close();
});

/** A client-credentials token of oauth-server's `service` client (scope `items`). */
async function serviceToken(): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`service:${authorizationServer.SERVICE_SECRET}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=items",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("examples/resource-server.ts trusting examples/oauth-server.ts", () => {
  it("accepts the authorization server's tokens and enforces its own scopes", async () => {
    const token = await serviceToken();
    const me = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ sub: "service", scopes: ["items"], client_id: "service" });
    // oauth-server grants `items`, not this API's `items:read`: 403 with RFC 6750's challenge.
    const items = await fetch(`${api}/items`, { headers: { authorization: `Bearer ${token}` } });
    expect(items.status).toBe(403);
    expect(items.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="items:read"');
  });

  it("refuses a token once it is tampered with, and a missing one, with RFC 9728's challenge", async () => {
    const token = await serviceToken();
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "johndoe" })).toString("base64url")}.${signature}`;
    const metadata = `${api}/.well-known/oauth-protected-resource`;
    const refused = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${forged}` } });
    expect([refused.status, refused.headers.get("www-authenticate")]).toEqual([401, `Bearer resource_metadata="${metadata}", error="invalid_token"`]);
    const missing = await fetch(`${api}/me`);
    expect([missing.status, missing.headers.get("www-authenticate")]).toEqual([401, `Bearer resource_metadata="${metadata}"`]);
  });
});
