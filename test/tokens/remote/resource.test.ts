/**
 * RFC 9728: where the metadata lives for a resource with or without a path, the challenge every 401
 * carries, the scheme's OpenAPI (OpenID Connect or OAuth2 at the issuer), its scope names at compile time,
 * and `bearerPrincipal` over any verifier.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { createApp, dependency, security } from "gatehouse";
import { bearerPrincipal, protectedResource, type AccessClaims, type AccessTokenVerifier, type VerifyResult } from "gatehouse/tokens";
import { invalidToken } from "gatehouse/tokens";
import { bearer } from "../../helpers.ts";

const scopes = { "items:read": "Read items.", "items:write": "Create items." };
const resource = protectedResource({ resource: "https://api.example.com", authorizationServers: ["https://id.example.com"], scopes });

/** A verifier of our own: the interface is all bearerPrincipal needs. */
const verifier: AccessTokenVerifier = {
  async verify(token: string): Promise<VerifyResult> {
    if (token !== "good") return { ok: false, reason: "invalid", error: invalidToken() };
    const claims: AccessClaims = { sub: "alice", jti: "t1", scopes: ["items:read", "openid"], client_id: "app" };
    return { ok: true, claims };
  },
};

describe("protected resource metadata", () => {
  it("lives between the host and the resource's path (RFC 9728 §3.1)", () => {
    const at = (url: string) => protectedResource({ resource: url, authorizationServers: ["https://id.example.com"] }).metadataUrl;
    expect(at("https://api.example.com")).toBe("https://api.example.com/.well-known/oauth-protected-resource");
    expect(at("https://api.example.com/")).toBe("https://api.example.com/.well-known/oauth-protected-resource");
    expect(at("https://api.example.com/v1/mcp")).toBe("https://api.example.com/.well-known/oauth-protected-resource/v1/mcp");
    expect(at("http://127.0.0.1:8000")).toBe("http://127.0.0.1:8000/.well-known/oauth-protected-resource");
    for (const bad of ["https://api.example.com/#x", "http://api.example.com", "not a url"]) expect(() => at(bad)).toThrow(/`resource` must be an https URL/);
  });

  it("is served at that path and points every 401 there", async () => {
    const api = protectedResource({ resource: "https://api.example.com/v1", authorizationServers: ["https://id.example.com"], scopes, documentation: "https://docs.example.com" });
    const principal = bearerPrincipal({ tokens: verifier, scheme: api.bearer() });
    const app = createApp({ fastify: { logger: false } });
    app.include(api.router());
    app.get("/v1/items", { needs: { p: security(principal, ["items:read"]) } }, () => []);
    const metadata = await app.inject("/.well-known/oauth-protected-resource/v1");
    expect(metadata.statusCode).toBe(200);
    expect(metadata.json()).toEqual({
      resource: "https://api.example.com/v1",
      authorization_servers: ["https://id.example.com"],
      scopes_supported: ["items:read", "items:write"],
      bearer_methods_supported: ["header"],
      resource_documentation: "https://docs.example.com",
    });
    const challenge = 'Bearer resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/v1"';
    const none = await app.inject("/v1/items");
    expect([none.statusCode, none.headers["www-authenticate"], none.json()]).toEqual([401, challenge, { detail: "Not authenticated" }]);
    const empty = await app.inject({ url: "/v1/items", headers: { authorization: "Bearer " } });
    expect([empty.statusCode, empty.headers["www-authenticate"]]).toEqual([401, challenge]);
    const bad = await app.inject({ url: "/v1/items", headers: bearer("bad") });
    expect([bad.statusCode, bad.headers["www-authenticate"], bad.json()]).toEqual([401, `${challenge}, error="invalid_token"`, { detail: "Could not validate credentials" }]);
    expect((await app.inject({ url: "/v1/items", headers: bearer("good") })).statusCode).toBe(200);
  });
});

describe("the resource's bearer scheme", () => {
  it("documents OpenID Connect at the first issuer by default, or OAuth2's authorization code flow at its endpoints", async () => {
    expect(resource.bearer().model).toEqual({ type: "openIdConnect", openIdConnectUrl: "https://id.example.com/.well-known/openid-configuration" });
    const oauth2 = resource.bearer({ schemeName: "Issuer", authorizationUrl: "https://id.example.com/auth", tokenUrl: "https://id.example.com/token" });
    expect(oauth2.model).toEqual({ type: "oauth2", flows: { authorizationCode: { scopes, authorizationUrl: "https://id.example.com/auth", tokenUrl: "https://id.example.com/token" } } });
    expect(() => resource.bearer({ authorizationUrl: "https://id.example.com/auth" })).toThrow(/`authorizationUrl` with `tokenUrl`/);
    const app = createApp({ fastify: { logger: false } });
    const principal = bearerPrincipal({ tokens: verifier, scheme: oauth2 });
    app.get("/items", { needs: { p: security(principal, ["items:write"]) } }, () => []);
    await app.ready();
    expect(app.openapi().paths["/items"]!.get!.security).toEqual([{ Issuer: ["items:write"] }]);
    const res = await app.inject({ url: "/items", headers: bearer("good") });
    expect([res.statusCode, res.headers["www-authenticate"]]).toEqual([403, 'Bearer error="insufficient_scope", scope="items:write"']);
  });

  it("types the principal with the resource's scope names, and refuses others at compile time", () => {
    const principal = bearerPrincipal({ tokens: verifier, scheme: resource.bearer() });
    dependency({ principal }, ({ principal }) => {
      expectTypeOf(principal.scopes).toEqualTypeOf<readonly ("items:read" | "items:write")[]>();
      expectTypeOf(principal.claims).toEqualTypeOf<AccessClaims>();
    });
    security(principal, ["items:read"]);
    // @ts-expect-error "items:delete" is not one of the resource's scopes
    security(principal, ["items:delete"]);
  });
});
