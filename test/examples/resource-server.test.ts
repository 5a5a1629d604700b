/**
 * `examples/resource-server.ts` against a real identity provider (oidc-provider, ES256 RFC 9068 tokens by
 * resource indicator), over real sockets: the issue's contract (routes, bodies, 401/403 challenges, RFC 9728
 * metadata) and every forgery a resource server must refuse.
 */
import { spawn } from "node:child_process";
import { createHmac, createPublicKey } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { freePort } from "../support/ports.ts";
import { signingKey, TestProvider } from "../tokens/remote/provider.ts";

let provider: TestProvider;
let app: App;
let base: string;
let metadataUrl: string;

beforeAll(async () => {
  provider = await TestProvider.start();
  const port = await freePort();
  Object.assign(process.env, { OIDC_ISSUER: provider.issuer, GATEHOUSE_STORE: "memory", PORT: String(port), HOST: "127.0.0.1" });
  delete process.env.OIDC_AUDIENCE;
  delete process.env.RESOURCE_URL;
  ({ app } = await import("../../examples/resource-server.ts"));
  await app.listen({ host: "127.0.0.1", port });
  base = `http://127.0.0.1:${port}`;
  metadataUrl = `${base}/.well-known/oauth-protected-resource`;
});
afterAll(async () => {
  await app?.close();
  await provider?.close();
});

function call(path: string, token?: string, method = "GET") {
  return fetch(`${base}${path}`, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

async function expectRefused(token: string) {
  const res = await call("/items", token);
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ detail: "Could not validate credentials" });
  expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl}", error="invalid_token"`);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

describe("examples/resource-server.ts with oidc-provider", () => {
  it("accepts the provider's tokens: /me, /items, POST /items", async () => {
    const token = await provider.token();
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: "api", scope: "items:read items:write" });
    const me = await call("/me", token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ sub: "svc", scopes: ["items:read", "items:write"], client_id: "svc" });
    const items = await call("/items", token);
    expect([items.status, await items.json()]).toEqual([200, [{ item_id: "Foo" }]]);
    const created = await call("/items", token, "POST");
    expect([created.status, await created.json()]).toEqual([201, { ok: true }]);
  });

  it("no token: 401 pointing at the RFC 9728 metadata, which names the issuer and the scopes", async () => {
    const res = await call("/items");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl}"`);
    const metadata = await fetch(metadataUrl);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get("access-control-allow-origin")).toBe("*");
    expect(await metadata.json()).toEqual({
      resource: base,
      authorization_servers: [provider.issuer],
      scopes_supported: ["items:read", "items:write"],
      bearer_methods_supported: ["header"],
      resource_name: "gatehouse example resource server",
    });
  });

  it("too few scopes: 403 insufficient_scope naming the scope", async () => {
    const token = await provider.token({ scope: "items:read" });
    expect((await call("/items", token)).status).toBe(200);
    const res = await call("/items", token, "POST");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="items:write"');
  });

  it("refuses a token for another audience, and one of another issuer", async () => {
    await expectRefused(await provider.token({ resource: "urn:gatehouse:other" }));
    const stranger = await TestProvider.start();
    try {
      await expectRefused(await stranger.token());
      // Claiming our issuer (and our provider's kid) does not help a key our provider never published.
      const claims = decodeJwt(await provider.token());
      await expectRefused(await stranger.sign(claims));
    } finally {
      await stranger.close();
    }
  });

  it("refuses expired tokens, tokens not yet valid, and tokens from the future", async () => {
    const claims = decodeJwt(await provider.token());
    await expectRefused(await provider.sign({ ...claims, iat: now() - 600, exp: now() - 60 }));
    await expectRefused(await provider.sign({ ...claims, nbf: now() + 60 }));
    await expectRefused(await provider.sign({ ...claims, iat: now() + 60, exp: now() + 600 }));
    // Within the leeway (5 s) an expired token still passes: clocks drift.
    expect((await call("/items", await provider.sign({ ...claims, exp: now() - 2 }))).status).toBe(200);
  });

  it("refuses a tampered token, alg none, and HS256 keyed with the provider's public key", async () => {
    const token = await provider.token({ scope: "items:read" });
    const [header, , signature] = token.split(".");
    const payload = { ...decodeJwt(token), scope: "items:read items:write" };
    await expectRefused(`${header}.${b64(payload)}.${signature}`);
    await expectRefused(`${b64({ alg: "none", typ: "at+jwt" })}.${b64(payload)}.`);
    const pem = createPublicKey({ key: provider.keys[0]!.jwk as never, format: "jwk" }).export({ type: "spki", format: "pem" });
    for (const secret of [pem, JSON.stringify(provider.keys[0]!.jwk)]) {
      const input = `${b64({ alg: "HS256", typ: "at+jwt", kid: provider.keys[0]!.kid })}.${b64(payload)}`;
      await expectRefused(`${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`);
    }
  });

  it("refuses an unknown kid after asking the provider once, however many such tokens arrive", async () => {
    const claims = decodeJwt(await provider.token());
    const before = provider.count("/jwks");
    const rogue = await signingKey("key-unknown");
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => provider.sign({ ...claims, jti: `forged-${i}` }, {}, rogue)));
    await Promise.all(forged.map(expectRefused));
    for (const token of forged.slice(0, 5)) await expectRefused(token);
    expect(provider.count("/jwks") - before).toBeLessThanOrEqual(1);
  });

  it("documents OpenID Connect at the issuer, with each route's scopes", async () => {
    const document = await (await fetch(`${base}/openapi.json`)).json();
    expect(document.components.securitySchemes).toEqual({
      ResourceBearer: { type: "openIdConnect", openIdConnectUrl: `${provider.issuer}/.well-known/openid-configuration` },
    });
    expect(document.paths["/items"].get.security).toEqual([{ ResourceBearer: ["items:read"] }]);
    expect(document.paths["/items"].post.security).toEqual([{ ResourceBearer: ["items:write"] }]);
    expect(document.paths["/me"].get.security).toEqual([{ ResourceBearer: [] }]);
    expect(document.paths["/.well-known/oauth-protected-resource"]).toBeUndefined();
  });

  it("runs as `npm run example -- resource-server`, and refuses to start without OIDC_ISSUER", async () => {
    const port = await freePort();
    const env = { ...process.env, OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: "api", GATEHOUSE_STORE: "memory", PORT: String(port) };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "resource-server"], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => String(chunk).includes("resource-server") && resolve());
        child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/items`, { headers: { authorization: `Bearer ${await provider.token()}` } });
      expect([res.status, await res.json()]).toEqual([200, [{ item_id: "Foo" }]]);
    } finally {
      child.kill("SIGTERM");
    }
    const { OIDC_ISSUER: _, ...without } = env;
    const failed = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", "resource-server"], { env: without, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    failed.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const code = await new Promise((resolve) => failed.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("set OIDC_ISSUER");
  }, 60_000);
});
