/**
 * examples/oauth-server.ts driven by a real OAuth client, openid-client (panva's), over a socket on port 0:
 * discovery, authorization code + PKCE through the login and consent pages, refresh with its grace
 * window, reuse, client credentials, revocation, introspection and every RFC 6749 §5.2 error. The access
 * tokens are verified independently with jose against `jwks_uri`, as another service would.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consent, formOf, visit } from "./oauth-flow.ts";

process.env.GATEHOUSE_STORE = "memory";
const { app, SERVICE_SECRET, tokens } = await import("../../examples/oauth-server.ts");

let base: string;
let demo: client.Configuration;
let service: client.Configuration;
/** Swagger UI at /docs: the server's own, first-party, client. */
let docs: client.Configuration;
const insecure = { execute: [client.allowInsecureRequests] }; // http on loopback, in a test

beforeAll(async () => {
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  demo = await client.discovery(new URL(base), "demo-app", undefined, client.None(), { ...insecure, algorithm: "oauth2" });
  service = await client.discovery(new URL(base), "service", undefined, client.ClientSecretBasic(SERVICE_SECRET), insecure);
  docs = await client.discovery(new URL(base), "docs", undefined, client.None(), { ...insecure, algorithm: "oauth2" });
});
afterAll(() => app.close());

/** The whole browser part: an authorization URL with PKCE, login, consent; then the code exchanged by openid-client. */
async function authorize(options: { scope?: string; port?: number; host?: string; as?: "demo-app" | "docs" } = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const app = options.as === "docs" ? docs : demo;
  const redirect_uri = `http://${options.host ?? "127.0.0.1"}:${options.port ?? 53682}${options.as === "docs" ? "/docs/oauth2-redirect" : "/callback"}`;
  const url = client.buildAuthorizationUrl(app, { redirect_uri, scope: options.scope ?? "me items", state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" });
  const callback = await consent(base, url.href);
  const tokens = await client.authorizationCodeGrant(app, callback, { pkceCodeVerifier: verifier, expectedState: state });
  return { tokens, callback, verifier, redirect_uri };
}

async function get(path: string, token: string) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json(), challenge: res.headers.get("www-authenticate") };
}

/**
 * The §5.2 error openid-client reports, with the response's status and challenge. (A 401 with a
 * `WWW-Authenticate` challenge it reports as the challenge, leaving the body unread.)
 */
async function oauthError(pending: Promise<unknown>) {
  const error = await pending.then(() => undefined, (caught: unknown) => caught);
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const { status, response } = error;
    return { status, body: await response.json(), challenge: response.headers.get("www-authenticate"), cache: response.headers.get("cache-control") };
  }
  expect(error).toBeInstanceOf(client.ResponseBodyError);
  const { status, cause, response } = error as client.ResponseBodyError;
  return { status, body: cause, challenge: response.headers.get("www-authenticate"), cache: response.headers.get("cache-control") };
}

describe("oauth-server example with openid-client", () => {
  it("publishes RFC 8414 metadata, also as openid-configuration", async () => {
    const metadata = demo.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      revocation_endpoint: `${base}/revoke`,
      introspection_endpoint: `${base}/introspect`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      scopes_supported: ["me", "items"],
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    });
    expect([...(metadata.grant_types_supported ?? [])].sort()).toEqual(["authorization_code", "client_credentials", "refresh_token"]);
    expect(service.serverMetadata().issuer).toBe(base); // discovered through /.well-known/openid-configuration
  });

  it("authorization code + PKCE: login, consent, code, tokens that jose verifies against jwks_uri (RFC 9068)", async () => {
    const { tokens, callback } = await authorize();
    expect(callback.searchParams.get("iss")).toBe(base); // RFC 9207
    expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 900, scope: "me items", refresh_token: expect.any(String) });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(demo.serverMetadata().jwks_uri!)), { issuer: base, audience: base, typ: "at+jwt", algorithms: ["ES256"] });
    expect(payload).toMatchObject({ sub: "johndoe", client_id: "demo-app", scope: "me items", iss: base, aud: base, jti: expect.any(String) });
    expect(await get("/users/me/items/", tokens.access_token)).toMatchObject({ status: 200, body: [{ item_id: "Foo", owner: "johndoe" }] });
    expect(await get("/users/me/", tokens.access_token)).toMatchObject({ status: 200, body: { username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false } });
    expect(await get("/items/", tokens.access_token)).toMatchObject({ status: 200, body: [{ item_id: "Foo", owner: "johndoe" }] });
  });

  it("a loopback redirect URI matches with any port, on 127.0.0.1 and localhost (RFC 8252 §7.3)", async () => {
    expect((await authorize({ port: 41111 })).tokens.access_token).toBeTruthy();
    expect((await authorize({ host: "localhost", port: 8 })).tokens.access_token).toBeTruthy();
  });

  it("too few scopes: 403 insufficient_scope naming every scope needed (RFC 6750 §3.1)", async () => {
    const { tokens } = await authorize({ scope: "me" });
    expect(await get("/users/me/items/", tokens.access_token)).toEqual({ status: 403, body: { detail: "Not enough permissions" }, challenge: 'Bearer error="insufficient_scope", scope="items me"' });
    expect(await get("/users/me/", tokens.access_token)).toMatchObject({ status: 200 });
  });

  it("refresh rotates; a retry inside the grace window gets the same pair; an older generation revokes the grant", async () => {
    const { tokens } = await authorize();
    const first = await client.refreshTokenGrant(demo, tokens.refresh_token!);
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    // Two tabs refreshing at once: the second gets what the first got, and nobody is logged out.
    const retry = await client.refreshTokenGrant(demo, tokens.refresh_token!);
    expect([retry.access_token, retry.refresh_token]).toEqual([first.access_token, first.refresh_token]);
    const second = await client.refreshTokenGrant(demo, first.refresh_token!);
    expect(await get("/users/me/", second.access_token)).toMatchObject({ status: 200 });
    // The original token again: its successor has been used, so this is a stolen copy.
    expect(await oauthError(client.refreshTokenGrant(demo, tokens.refresh_token!))).toMatchObject({ status: 400, body: { error: "invalid_grant" }, cache: "no-store" });
    expect(await get("/users/me/", second.access_token)).toEqual({ status: 401, body: { detail: "Token has been revoked" }, challenge: 'Bearer error="invalid_token"' });
    expect(await oauthError(client.refreshTokenGrant(demo, second.refresh_token!))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("a code is single-use: a second exchange is invalid_grant and revokes the tokens of the first", async () => {
    const { tokens, callback, verifier } = await authorize();
    const again = client.authorizationCodeGrant(demo, callback, { pkceCodeVerifier: verifier, expectedState: callback.searchParams.get("state")! });
    expect(await oauthError(again)).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: "Invalid authorization code" } });
    expect(await get("/users/me/", tokens.access_token)).toMatchObject({ status: 401, challenge: 'Bearer error="invalid_token"' });
    expect(await oauthError(client.refreshTokenGrant(demo, tokens.refresh_token!))).toMatchObject({ body: { error: "invalid_grant" } });
  });

  it("a code is bound to its PKCE verifier and redirect URI", async () => {
    const state = client.randomState();
    const verifier = client.randomPKCECodeVerifier();
    const redirect_uri = "http://127.0.0.1:5000/callback";
    const url = client.buildAuthorizationUrl(demo, { redirect_uri, scope: "me", state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" });
    const callback = await consent(base, url.href);
    const code = callback.searchParams.get("code")!;
    const wrongVerifier = client.genericGrantRequest(demo, "authorization_code", { code, redirect_uri, code_verifier: client.randomPKCECodeVerifier() });
    expect(await oauthError(wrongVerifier)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const wrongRedirect = client.genericGrantRequest(demo, "authorization_code", { code, redirect_uri: "http://127.0.0.1:5001/callback", code_verifier: verifier });
    expect(await oauthError(wrongRedirect)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // Refused attempts did not use it up.
    expect((await client.genericGrantRequest(demo, "authorization_code", { code, redirect_uri, code_verifier: verifier })).access_token).toBeTruthy();
  });

  it("client credentials (Basic and post), for GET /items/ as the client itself", async () => {
    const basic = await client.clientCredentialsGrant(service, { scope: "items" });
    expect(basic).toMatchObject({ token_type: "bearer", scope: "items", expires_in: 900 });
    expect(basic.refresh_token).toBeUndefined();
    expect(await get("/items/", basic.access_token)).toMatchObject({ status: 200, body: [{ item_id: "Foo", owner: "service" }] });
    // No `me` scope, and no user: the scope check refuses first (RFC 6750 §3.1).
    expect(await get("/users/me/", basic.access_token)).toMatchObject({ status: 403, challenge: 'Bearer error="insufficient_scope", scope="me"' });
    const post = await client.discovery(new URL(base), "service", undefined, client.ClientSecretPost(SERVICE_SECRET), insecure);
    expect((await client.clientCredentialsGrant(post)).scope).toBe("items");
  });

  it("revocation (RFC 7009) by the client ends the grant; introspection (RFC 7662) for the service only", async () => {
    const { tokens } = await authorize();
    expect(await client.tokenIntrospection(service, tokens.access_token)).toMatchObject({ active: true, sub: "johndoe", client_id: "demo-app", scope: "me items", token_type: "access_token" });
    expect(await client.tokenIntrospection(service, tokens.refresh_token!)).toMatchObject({ active: true, token_type: "refresh_token", client_id: "demo-app" });
    expect(await oauthError(client.tokenIntrospection(demo, tokens.access_token))).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    await client.tokenRevocation(demo, tokens.refresh_token!);
    expect(await get("/users/me/", tokens.access_token)).toMatchObject({ status: 401, body: { detail: "Token has been revoked" } });
    expect(await client.tokenIntrospection(service, tokens.access_token)).toEqual({ active: false });
    // RFC 7009 §2.1: the service cannot revoke demo-app's tokens.
    const other = await authorize();
    expect(await oauthError(client.tokenRevocation(service, other.tokens.access_token))).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    expect(await get("/users/me/", other.tokens.access_token)).toMatchObject({ status: 200 });
  });

  it("the user sees one entry per authorized app (refreshes included) and revoking it ends that app's access", async () => {
    const app1 = await authorize();
    const refreshed = await client.refreshTokenGrant(demo, app1.tokens.refresh_token!);
    const list = async (token: string) => (await get("/users/me/tokens", token)).body as { id: string; client: string | null; kind: string; scopes: string[]; last_used: string }[];
    // The grant's id is the family its tokens carry (`fam`), the same before and after the refresh.
    const { fam } = JSON.parse(Buffer.from(refreshed.access_token.split(".")[1]!, "base64url").toString()) as { fam: string };
    // The user signs in at the docs (the server's own client) to see and manage their grants.
    const user = await authorize({ as: "docs", scope: "me" });
    const entries = (await list(user.tokens.access_token)).filter((grant) => grant.id === fam);
    expect(entries).toEqual([expect.objectContaining({ id: fam, kind: "session", client: "demo-app", scopes: ["me", "items"] })]);
    const entry = entries[0];
    const second = await authorize();
    const res = await fetch(`${base}/users/me/tokens/${entry!.id}`, { method: "DELETE", headers: { authorization: `Bearer ${user.tokens.access_token}` } });
    expect(res.status).toBe(204);
    expect(await get("/users/me/", refreshed.access_token)).toMatchObject({ status: 401, body: { detail: "Token has been revoked" } });
    expect(await oauthError(client.refreshTokenGrant(demo, refreshed.refresh_token!))).toMatchObject({ body: { error: "invalid_grant" } });
    // The other authorization is another grant: untouched.
    expect(await get("/users/me/", second.tokens.access_token)).toMatchObject({ status: 200 });
    expect((await list(user.tokens.access_token)).some((grant) => grant.id === entry!.id)).toBe(false);
  });

  it("a third-party app's token never mints a personal token and manages only its own grants; the user's own sign-in (docs) does both", async () => {
    // The attack: demo-app was allowed `me items`; within minutes of the login its token carries a fresh
    // auth_time, enough to mint a personal token that would outlive the revocation of demo-app's grant, or
    // to list and end the user's other sessions.
    const send = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    };
    const user = await authorize({ as: "docs", scope: "me items" });
    const app = await authorize();
    const familyOf = (token: string) => (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { fam: string }).fam;

    expect(await send("POST", "/users/me/api-tokens", app.tokens.access_token, { scopes: ["items"] })).toEqual({ status: 403, body: { detail: "A token of an app cannot create personal tokens" } });
    const seen = (await send("GET", "/users/me/tokens", app.tokens.access_token)).body as { id: string; client: string }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((grant) => grant.client === "demo-app")).toBe(true);
    expect(seen.some((grant) => grant.id === familyOf(app.tokens.access_token))).toBe(true);
    // The user's docs session is not the app's to see or end.
    expect(await send("DELETE", `/users/me/tokens/${familyOf(user.tokens.access_token)}`, app.tokens.access_token)).toEqual({ status: 404, body: { detail: "Token not found" } });
    expect(await send("POST", "/users/me/tokens/revoke-all", app.tokens.access_token)).toEqual({ status: 204, body: undefined });
    expect(await get("/users/me/", app.tokens.access_token)).toMatchObject({ status: 401, body: { detail: "Token has been revoked" } });
    expect(await get("/users/me/", user.tokens.access_token)).toMatchObject({ status: 200 });

    // A client removed from the configuration since it got its tokens is still an app, not the user.
    const removed = await tokens.login({ subject: "johndoe", scopes: ["me", "items"], client: "removed-app" });
    expect(await send("POST", "/users/me/api-tokens", removed.accessToken, { scopes: ["items"] })).toMatchObject({ status: 403 });

    // The user, signed in at the server's own docs, sees every grant and mints a personal token.
    const all = (await send("GET", "/users/me/tokens", user.tokens.access_token)).body as { client: string | null }[];
    expect(all.some((grant) => grant.client === "docs")).toBe(true);
    const minted = await send("POST", "/users/me/api-tokens", user.tokens.access_token, { scopes: ["items"], name: "ci" });
    expect(minted).toMatchObject({ status: 201, body: { token_type: "bearer", scopes: ["items"] } });
  });

  it("answers every RFC 6749 §5.2 error as RFC 6749 says", async () => {
    const wrongSecret = await client.discovery(new URL(base), "service", undefined, client.ClientSecretBasic("not-the-secret"), insecure);
    expect(await oauthError(client.clientCredentialsGrant(wrongSecret))).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Invalid client credentials" }, challenge: "Basic", cache: "no-store" });
    expect(await oauthError(client.genericGrantRequest(demo, "authorization_code", { code: "x" }))).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "code_verifier: Field required" } });
    expect(await oauthError(client.genericGrantRequest(demo, "authorization_code", { code: "x", code_verifier: client.randomPKCECodeVerifier() }))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await oauthError(client.genericGrantRequest(service, "refresh_token", { refresh_token: "x" }))).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    expect(await oauthError(client.genericGrantRequest(demo, "password", { username: "johndoe", password: "secret" }))).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    expect(await oauthError(client.clientCredentialsGrant(service, { scope: "me" }))).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await oauthError(client.clientCredentialsGrant(demo))).toMatchObject({ status: 401, body: { error: "invalid_client" }, challenge: "Basic" });
  });
});

describe("the authorization endpoint refuses as RFC 6749 §4.1.2.1 says", () => {
  const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  const query = (params: Record<string, string>) => `${base}/authorize?${new URLSearchParams({ response_type: "code", client_id: "demo-app", redirect_uri: "http://127.0.0.1:7000/callback", state: "s1", code_challenge: challenge, code_challenge_method: "S256", ...params })}`;

  it.each([
    ["an unknown client", { client_id: "evil" }, "Unknown client"],
    ["an unregistered redirect URI", { redirect_uri: "https://evil.example/callback" }, "Invalid redirect_uri"],
    ["a look-alike of a loopback URI", { redirect_uri: "http://127.0.0.1.evil.example/callback" }, "Invalid redirect_uri"],
    ["credentials smuggled into a loopback URI", { redirect_uri: "http://127.0.0.1:80@evil.example/callback" }, "Invalid redirect_uri"],
    ["another path on the loopback host", { redirect_uri: "http://127.0.0.1:7000/callback/../admin" }, "Invalid redirect_uri"],
  ])("%s: an error page, never a redirect", async (_, params, text) => {
    const page = await visit(query(params));
    expect([page.status, page.headers.get("location"), page.headers.get("content-type")]).toEqual([400, null, "text/html; charset=utf-8"]);
    expect(page.body).toContain(text);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it.each([
    ["no PKCE", { code_challenge: "" }, "invalid_request"],
    ["PKCE plain", { code_challenge_method: "plain" }, "invalid_request"],
    ["the implicit grant", { response_type: "token" }, "unsupported_response_type"],
    ["a scope the client may not have", { scope: "admin" }, "invalid_scope"],
  ])("%s: sent back to the client with error and state", async (_, params, error) => {
    const page = await visit(query(params));
    expect(page.status).toBe(303);
    const location = new URL(page.headers.get("location")!);
    expect([location.origin + location.pathname, location.searchParams.get("error"), location.searchParams.get("state"), location.searchParams.get("iss")]).toEqual(["http://127.0.0.1:7000/callback", error, "s1", base]);
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("deny: access_denied with the state, and no code", async () => {
    const location = await consent(base, query({}), { decision: "deny" });
    expect([location.searchParams.get("error"), location.searchParams.get("state"), location.searchParams.get("code")]).toEqual(["access_denied", "s1", null]);
  });

  it("a wrong password or a disabled user stays on the login page", async () => {
    for (const [username, password] of [["johndoe", "wrong"], ["alice", "secret"], ["nobody", "secret"]] as const) {
      const login = await visit(query({}));
      const form = formOf(base, login);
      const posted = await visit(form.action, { cookie: login.cookie, form: { csrf: form.csrf, username, password } });
      expect([posted.status, posted.headers.get("location")]).toEqual([400, null]);
      expect(posted.body).toContain("Incorrect username or password");
    }
  });

  it("CSRF: a login or consent form without its session's token is refused, and logs nobody in", async () => {
    const login = await visit(query({}));
    const form = formOf(base, login);
    // Posted from another site: no cookie (SameSite) and a token of its own.
    const forged = await visit(form.action, { form: { csrf: form.csrf, username: "johndoe", password: "secret" } });
    expect([forged.status, forged.headers.get("location")]).toEqual([403, null]);
    expect(forged.body).toContain("This form has expired");
    const wrongToken = await visit(form.action, { cookie: login.cookie, form: { csrf: "x".repeat(43), username: "johndoe", password: "secret" } });
    expect(wrongToken.status).toBe(403);
    // Logged in, then a forged consent: no code.
    const posted = await visit(form.action, { cookie: login.cookie, form: { csrf: form.csrf, username: "johndoe", password: "secret" } });
    const decided = await visit(form.action, { cookie: posted.cookie, form: { csrf: form.csrf, decision: "allow" } });
    expect([decided.status, decided.headers.get("location")]).toEqual([403, null]);
  });
});
