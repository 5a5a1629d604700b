/**
 * `/authorize` and the client registry, in-process: pages an app replaces, a session cookie that was
 * tampered with, redirect URI rules, code expiry, and the misconfigurations refused at start-up.
 */
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError, createApp } from "gatehouse";
import { createTokenService, MemoryStore, tokenRouter, type TokenRouterOptions } from "gatehouse/tokens";
import { fakeClock, SECRET } from "../support.ts";

const VERIFIER = "v".repeat(43);
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const clock = fakeClock();
const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore({ now: clock.now }), now: clock.now, issuer: "https://as.example", sweepIntervalMs: 0, onStateChange: () => {} });
afterAll(() => tokens.close());

function server(overrides: Partial<TokenRouterOptions> = {}) {
  const app = createApp();
  app.include(
    tokenRouter({
      tokens,
      // bob may read, not write, whatever an app asks.
      authenticate: ({ username, password }) => (username === "alice" && password === "wonderland" ? { subject: "alice" } : username === "bob" && password === "builder" ? { subject: "bob", scopes: ["read"] } : undefined),
      clients: {
        one: { redirectUris: ["https://app.example/cb"], scopes: ["read"] },
        two: { redirectUris: ["https://app.example/a", "https://app.example/b"] },
      },
      authorization: { scopes: { read: "Read things.", write: "Write things." } },
      ...overrides,
    }),
  );
  return app;
}

const authorizeUrl = (params: Record<string, string>) => `/authorize?${new URLSearchParams({ response_type: "code", client_id: "one", code_challenge: CHALLENGE, code_challenge_method: "S256", ...params })}`;

describe("/authorize", () => {
  it("serves the app's own pages when it passes render functions", async () => {
    const app = server({ authorization: { scopes: { read: "Read things." }, pages: { login: (view) => `<p>custom login for ${view.client.name}, csrf ${view.csrf.length}</p>` } } });
    const res = await app.inject(authorizeUrl({}));
    expect([res.statusCode, res.headers["content-type"], res.body]).toEqual([200, "text/html; charset=utf-8", "<p>custom login for one, csrf 43</p>"]);
    await app.close();
  });

  it("without redirect_uri uses the only registered one; with several registered it needs one", async () => {
    const app = server();
    expect((await app.inject(authorizeUrl({}))).statusCode).toBe(200);
    const several = await app.inject(authorizeUrl({ client_id: "two" }));
    expect([several.statusCode, several.headers.location]).toEqual([400, undefined]);
    expect(several.body).toContain("Invalid redirect_uri");
    const repeated = await app.inject(`${authorizeUrl({})}&client_id=two`);
    expect([repeated.statusCode, repeated.body.includes("Repeated parameter: client_id")]).toEqual([400, true]);
    await app.close();
  });

  it("a session cookie that was tampered with is no session", async () => {
    const app = server();
    const login = await app.inject(authorizeUrl({}));
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(login.body)![1]!;
    const posted = await app.inject({ method: "POST", url: authorizeUrl({}), headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams({ csrf, username: "alice", password: "wonderland" }).toString() });
    expect(posted.statusCode).toBe(303);
    const session = String(posted.headers["set-cookie"]).split(";")[0]!;
    const [name, value] = session.split("=") as [string, string];
    const [payload, mac] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "admin" })).toString("base64url");
    const consent = await app.inject({ url: authorizeUrl({}), headers: { cookie: session } });
    expect(consent.body).toContain("Signed in as <strong>alice</strong>");
    const tampered = await app.inject({ url: authorizeUrl({}), headers: { cookie: `${name}=${forged}.${mac}` } });
    expect(tampered.body).toContain('name="password"'); // back to the login page
    await app.close();
  });

  it("grants no more than authenticate allows the user: the consent page and the code have only those scopes", async () => {
    const app = server();
    const url = authorizeUrl({ client_id: "two", redirect_uri: "https://app.example/a", scope: "read write" });
    const login = await app.inject(url);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(login.body)![1]!;
    const form = (fields: Record<string, string>, session: string) => app.inject({ method: "POST", url, headers: { cookie: session, "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams(fields).toString() });
    const posted = await form({ csrf, username: "bob", password: "builder" }, cookie);
    const session = String(posted.headers["set-cookie"]).split(";")[0]!;
    const consent = await app.inject({ url, headers: { cookie: session } });
    expect(consent.body).toContain("<code>read</code>");
    expect(consent.body).not.toContain("<code>write</code>");
    const decided = await form({ csrf: /name="csrf" value="([^"]+)"/.exec(consent.body)![1]!, decision: "allow" }, session);
    const code = new URL(String(decided.headers.location)).searchParams.get("code")!;
    expect(await tokens.redeemCode(code, { client: "two", redirectUri: "https://app.example/a", verifier: VERIFIER })).toMatchObject({ ok: true, scopes: ["read"] });
    await app.close();
  });

  it("a code lives a minute and is bound to its client and redirect URI", async () => {
    const code = await tokens.issueCode({ subject: "alice", client: "one", scopes: ["read"], redirectUri: "https://app.example/cb", redirectUriSent: false, challenge: CHALLENGE });
    expect(await tokens.redeemCode(code, { client: "two", redirectUri: null, verifier: VERIFIER })).toEqual({ ok: false, reason: "invalid" });
    clock.advance(61_000);
    expect(await tokens.redeemCode(code, { client: "one", redirectUri: null, verifier: VERIFIER })).toEqual({ ok: false, reason: "invalid" });
    const fresh = await tokens.issueCode({ subject: "alice", client: "one", scopes: ["read"], redirectUri: "https://app.example/cb", redirectUriSent: false, challenge: CHALLENGE });
    // Not named in the authorization request: the token request may leave it out, or repeat the one used.
    expect(await tokens.redeemCode(fresh, { client: "one", redirectUri: null, verifier: VERIFIER })).toMatchObject({ ok: true, scopes: ["read"] });
    const named = await tokens.issueCode({ subject: "alice", client: "one", scopes: ["read"], redirectUri: "https://app.example/cb", redirectUriSent: true, challenge: CHALLENGE });
    expect(await tokens.redeemCode(named, { client: "one", redirectUri: null, verifier: VERIFIER })).toEqual({ ok: false, reason: "invalid" });
    expect(await tokens.redeemCode(named, { client: "one", redirectUri: "https://app.example/cb", verifier: VERIFIER })).toMatchObject({ ok: true });
  });
});

describe("misconfiguration is refused at start-up", () => {
  it.each([
    [{ clients: { x: { grants: ["authorization_code" as const] } } }, /clients\["x"\]\.grants: authorization_code needs redirectUris/],
    [{ clients: { x: { grants: ["client_credentials" as const], scopes: [] } } }, /client_credentials needs a secret and scopes/],
    [{ clients: { x: { introspect: true } } }, /only a confidential client \(with a secret\) may introspect/],
    [{ clients: { x: { redirectUris: ["https://a.example/cb#frag"] } } }, /redirectUris must be absolute URIs without a fragment/],
    [{ clients: { x: { grants: ["implicit" as never] } } }, /unknown grant "implicit"/],
    [{ clients: { x: { firstParty: "yes" as never } } }, /clients\["x"\]\.firstParty must be a boolean/],
    [{ authorization: { scopes: {}, sessionSecret: "short" } }, /sessionSecret has 5 bytes; it needs at least 32/],
  ])("%#", (overrides, message) => {
    expect(() => server(overrides as Partial<TokenRouterOptions>)).toThrow(ConfigurationError);
    expect(() => server(overrides as Partial<TokenRouterOptions>)).toThrow(message);
  });

  it("an authorization server needs an issuer (RFC 8414 §2)", () => {
    const anonymous = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {} });
    expect(() => tokenRouter({ tokens: anonymous, authenticate: () => undefined, authorization: { scopes: {} } })).toThrow(/need the token service's `issuer`/);
    void anonymous.close();
  });
});
