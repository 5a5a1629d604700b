/**
 * Issue 13 item 8 (RFC 7518 §3.2), as an attacker: a server signing with a short HS256 secret hands out one
 * token, the secret falls to a dictionary guess offline, and a token forged with it is accepted over a real
 * socket. Such a server must not start: its key set refuses the secret at construction (`GH_WEAK_KEY`).
 */
import { SignJWT, jwtVerify } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, security } from "gatehouse";
import { OAuth2PasswordBearer } from "gatehouse/security";
import { bearerPrincipal, createTokenService, MemoryStore, tokenRouter } from "gatehouse/tokens";
import { ConfigurationError } from "gatehouse";

const DICTIONARY = ["password", "changeme", "secret", "dev-secret"];
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

function build(secret: string) {
  const tokens = createTokenService({ keys: { signing: { alg: "HS256", secret } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {} });
  const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { admin: "Everything." } });
  const app = createApp();
  app.include(tokenRouter({ tokens, authenticate: ({ username, password }) => (username === "bob" && password === "builder" ? { subject: "bob", scopes: [] } : undefined) }));
  app.get("/admin/", { needs: { who: security(bearerPrincipal({ tokens, scheme }), ["admin"]) } }, ({ who }) => ({ admin: who.subject }));
  return app;
}

describe("a short HMAC secret", () => {
  it("is refused at construction, so no server can hand out tokens whose secret a dictionary finds", async () => {
    let built: ReturnType<typeof build> | undefined;
    let error: unknown;
    try {
      built = build("secret");
    } catch (caught) {
      error = caught;
    }
    if (built) {
      // Without the check: the attack works end to end.
      const app = built;
      close = () => app.close();
      const base = await app.listen({ port: 0 });
      const login = await fetch(`${base}/token`, { method: "POST", body: new URLSearchParams({ username: "bob", password: "builder" }) });
      const { access_token } = (await login.json()) as { access_token: string };
      let found: Uint8Array | undefined;
      for (const word of DICTIONARY) {
        const key = new TextEncoder().encode(word);
        if (await jwtVerify(access_token, key).then(() => true, () => false)) found = key;
      }
      const forged = await new SignJWT({ sub: "bob", scopes: ["admin"], jti: "x" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().sign(found!);
      const res = await fetch(`${base}/admin/`, { headers: { authorization: `Bearer ${forged}` } });
      expect({ status: res.status, body: await res.json() }, "a forged token was accepted").toEqual({ status: 401, body: expect.anything() });
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: "GH_WEAK_KEY", message: expect.stringContaining("needs at least 32 (RFC 7518 §3.2)") });
  });

  it("of 32 bytes is accepted and serves over a socket", async () => {
    const app = build("k".repeat(32));
    close = () => app.close();
    const base = await app.listen({ port: 0 });
    const res = await fetch(`${base}/token`, { method: "POST", body: new URLSearchParams({ username: "bob", password: "builder" }) });
    expect(res.status).toBe(200);
  });
});
