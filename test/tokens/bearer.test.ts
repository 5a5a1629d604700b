/** bearerPrincipal: verification, RFC 6750 answers, scopes from the whole path, typed claims. */
import { SignJWT } from "jose";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { createApp, dependency, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore } from "gatehouse/tokens";
import { bearer } from "../helpers.ts";

const SECRET = "bearer-principal-test-secret-0123456789";
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0 });
const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Me.", items: "Items.", admin: "Admin." } });
const principal = bearerPrincipal({ tokens, scheme, claims: z.object({ sub: z.string(), tenant: z.string().optional() }) });
const user = dependency({ principal }, ({ principal }) => principal);

const app = createApp({ fastify: { logger: false } });
app.get("/me", { needs: { p: security(user, ["me"]) } }, ({ p }) => ({ subject: p.subject, scopes: p.scopes, tenant: p.claims.tenant ?? null }));
const nested = dependency({ u: security(user, ["me"]) }, ({ u }) => u);
app.get("/nested", { needs: { u: security(nested, ["items"]) } }, ({ u }) => u.subject);
afterAll(() => tokens.close());

async function login(scopes: string[], extra: Record<string, unknown> = {}) {
  const pair = await tokens.login({ subject: "alice", scopes });
  if (Object.keys(extra).length === 0) return pair.accessToken;
  return new SignJWT({ sub: "alice", scopes, ...extra }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(new TextEncoder().encode(SECRET));
}

describe("bearerPrincipal", () => {
  it("returns the principal: subject, the granted scopes the scheme declares, validated claims", async () => {
    const token = await login(["me", "unknown-scope"], { tenant: "acme" });
    const res = await app.inject({ url: "/me", headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ subject: "alice", scopes: ["me"], tenant: "acme" });
  });

  it("no token: 401 with the bare Bearer challenge (RFC 6750 §3.1: no error code)", async () => {
    const res = await app.inject("/me");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("a bad or revoked token: 401 invalid_token", async () => {
    const bad = await app.inject({ url: "/me", headers: bearer("nope") });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    const token = await login(["me"]);
    await tokens.revokeToken(token);
    const revoked = await app.inject({ url: "/me", headers: bearer(token) });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("too few scopes: 403 insufficient_scope naming every scope the path requires, outer first", async () => {
    const res = await app.inject({ url: "/nested", headers: bearer(await login(["me"])) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.headers["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="items me"');
    const ok = await app.inject({ url: "/nested", headers: bearer(await login(["me", "items"])) });
    expect(ok.statusCode).toBe(200);
  });

  it("claims that fail the schema make the token invalid", async () => {
    const token = await login(["me"], { tenant: 42 });
    const res = await app.inject({ url: "/me", headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("types the principal: scopes as the declared union, claims from the schema", () => {
    dependency({ principal }, ({ principal }) => {
      expectTypeOf(principal.scopes).toEqualTypeOf<readonly ("me" | "items" | "admin")[]>();
      expectTypeOf(principal.claims).toEqualTypeOf<{ sub: string; tenant?: string | undefined }>();
      expectTypeOf(principal.subject).toEqualTypeOf<string>();
    });
    // @ts-expect-error "itemz" is not declared by the scheme
    security(user, ["itemz"]);
  });
});

describe("token endpoints under app-level security", () => {
  it("stay reachable: /token, /revoke and /introspect are public routes, documented with security: []", async () => {
    const { tokenRouter } = await import("gatehouse/tokens");
    const guarded = createApp({ fastify: { logger: false }, dependencies: [security(user, ["me"])] });
    guarded.include(tokenRouter({ tokens, authenticate: ({ username }) => (username === "alice" ? { subject: "alice" } : undefined) }));
    guarded.get("/data", () => "secret");
    const login = await guarded.inject({ method: "POST", url: "/token", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "username=alice&password=x&scope=me" });
    expect(login.statusCode).toBe(200);
    expect((await guarded.inject("/data")).statusCode).toBe(401);
    expect((await guarded.inject({ url: "/data", headers: bearer(login.json().access_token) })).statusCode).toBe(200);
    const paths = guarded.openapi().paths;
    expect(paths["/token"]!.post!.security).toEqual([]);
    expect(paths["/data"]!.get!.security).toEqual([{ OAuth2PasswordBearer: ["me"] }]);
  });
});
