/** `POST /token` with `grant_type=client_credentials` (RFC 6749 §4.4), client authentication per §2.3.1. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "gatehouse";
import { createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { postForm } from "../../helpers.ts";
import { SECRET } from "../support.ts";

const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {} });
const app = createApp();
app.include(
  tokenRouter({
    tokens,
    authenticate: ({ username, password, scopes }) => (username === "alice" && password === "wonderland" ? { subject: username, scopes } : undefined),
    clients: {
      "reports-bot": { secret: "bot-secret", scopes: ["reports:read", "reports:write"] },
      // A client id with characters that must be form-encoded in the Basic header (RFC 6749 §2.3.1).
      "svc:ä": { secret: "p@ss:wörd", scopes: [] },
      "resource-server": { secret: "rs-secret" },
    },
  }),
);
app.fastify.addHook("onClose", () => tokens.close());
beforeAll(() => app.ready());
afterAll(() => app.close());

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
const grant = (form: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  postForm(app, "/token", { grant_type: "client_credentials", ...form }, headers);

async function claimsOf(accessToken: string) {
  const verified = await tokens.verify(accessToken);
  if (!verified.ok) throw new Error(`token did not verify: ${verified.reason}`);
  return verified.claims;
}

describe("POST /token, client_credentials grant", () => {
  it("HTTP Basic: an access token for the client itself, every scope it may have, no refresh token, not cacheable", async () => {
    const res = await grant({}, basic("reports-bot", "bot-secret"));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.stringMatching(/^ey/), token_type: "bearer", expires_in: 900, scope: "reports:read reports:write" });
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers.pragma).toBe("no-cache");
    const claims = await claimsOf(res.json().access_token);
    expect(claims).toMatchObject({ sub: "reports-bot", client_id: "reports-bot", scopes: ["reports:read", "reports:write"] });
    expect(claims.fam).toBeUndefined(); // no login session: nothing to refresh
  });

  it("form authentication (client_id + client_secret) with a subset of the scopes", async () => {
    const res = await grant({ client_id: "reports-bot", client_secret: "bot-secret", scope: "reports:read reports:read" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).not.toHaveProperty("refresh_token");
    expect((await claimsOf(res.json().access_token)).scopes).toEqual(["reports:read"]);
  });

  it("Basic credentials are form-decoded first (RFC 6749 §2.3.1)", async () => {
    const res = await grant({}, basic(formEncode("svc:ä"), formEncode("p@ss:wörd")));
    expect(res.statusCode).toBe(200);
    expect(await claimsOf(res.json().access_token)).toMatchObject({ sub: "svc:ä", scopes: [] });
  });

  it("more scopes than the client was configured with → 400 (invalid_scope)", async () => {
    const res = await grant({ scope: "reports:read admin" }, basic("reports-bot", "bot-secret"));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Requested scopes exceed those granted" });
    expect(res.headers["www-authenticate"]).toBeUndefined();
  });

  it("both Basic and the form at once → 400", async () => {
    const res = await grant({ client_id: "reports-bot", client_secret: "bot-secret" }, basic("reports-bot", "bot-secret"));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Use one client authentication method: Basic or the form, not both" });
  });

  it.each([
    ["a wrong secret (Basic)", {}, basic("reports-bot", "wrong")],
    ["a wrong secret (form)", { client_id: "reports-bot", client_secret: "wrong" }, {}],
    ["an unknown client", {}, basic("mallory", "bot-secret")],
    ["a confidential client's id without its secret", { client_id: "reports-bot" }, {}],
  ])("%s → 401 Invalid client credentials with the Basic challenge", async (_name, form: Record<string, string>, headers: Record<string, string>) => {
    const res = await grant(form, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid client credentials" });
    expect(res.headers["www-authenticate"]).toBe("Basic");
  });

  it.each([
    ["no client authentication at all", {}, {}],
    ["a public client (an id, no secret)", { client_id: "some-spa" }, {}],
    ["Swagger UI's empty `Basic Og==`", {}, { authorization: "Basic Og==" }],
  ])("%s → 401: only confidential clients may use this grant", async (_name, form: Record<string, string>, headers: Record<string, string>) => {
    const res = await grant(form, headers);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: "Client authentication required" });
    expect(res.headers["www-authenticate"]).toBe("Basic");
  });

  it("a confidential client configured without scopes → 400 (unauthorized_client)", async () => {
    const res = await grant({}, basic("resource-server", "rs-secret"));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Client is not authorized to use the client_credentials grant" });
  });

  it("the token can be revoked by its client (RFC 7009 §2.1: not by anyone else)", async () => {
    const { access_token } = (await grant({}, basic("reports-bot", "bot-secret"))).json();
    const anonymous = await postForm(app, "/revoke", { token: access_token });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([400, { detail: "This token was not issued to this client" }]);
    expect((await tokens.verify(access_token)).ok).toBe(true);
    expect((await postForm(app, "/revoke", { token: access_token }, basic("reports-bot", "bot-secret"))).statusCode).toBe(200);
    expect(await tokens.verify(access_token)).toMatchObject({ ok: false, reason: "revoked" });
  });

  it("the password grant still works beside it, with its refresh token", async () => {
    const res = await postForm(app, "/token", { username: "alice", password: "wonderland", scope: "x" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 900, refresh_token: expect.any(String), scope: "x" });
  });

  it("the form documents client_credentials among the grant types", () => {
    const form = app.openapi().components!.schemas!.Body_login_for_access_token_token_post as { properties: Record<string, { pattern?: string }> };
    expect(form.properties.grant_type!.pattern).toBe("^(password|refresh_token|client_credentials)$");
  });
});

describe("configuration", () => {
  const router = (scopes: unknown) =>
    tokenRouter({ tokens, authenticate: () => undefined, clients: { bot: { secret: "s", scopes: scopes as string[] } } });

  it.each([[["two words"]], [['quo"te']], ["reports"], [[""]]])("scopes %j → TypeError naming the option", (scopes) => {
    expect(() => router(scopes)).toThrow(TypeError);
    expect(() => router(scopes)).toThrow(expect.objectContaining({ code: "GH_INVALID_OPTION", message: 'gatehouse/tokens: tokenRouter: clients["bot"].scopes must be an array of scope names (no spaces, quotes or backslashes)' }));
  });

  it("without any client allowed the grant, client_credentials is not accepted (422, as any unknown grant_type)", async () => {
    const plain = createApp();
    plain.include(tokenRouter({ tokens, authenticate: () => undefined, clients: { rs: { secret: "rs-secret" } } }));
    const res = await postForm(plain, "/token", { grant_type: "client_credentials" }, basic("rs", "rs-secret"));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "string_pattern_mismatch", loc: ["body", "grant_type"], input: "client_credentials" });
    await plain.close();
  });
});
