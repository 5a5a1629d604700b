/**
 * Discovery and what the verifier refuses to trust: RFC 8414's document when OIDC's is missing, a document
 * naming another issuer, an answer too large to read, a redirect, and options that would let forged tokens
 * in (HS*, `none`, no audience, a plain-HTTP issuer on the network).
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "gatehouse";
import { createRemoteVerifier, type IssuerOptions } from "gatehouse/tokens";
import { discoveryUrls } from "../../../src/tokens/remote/discovery.ts";
import { TestProvider } from "./provider.ts";

let provider: TestProvider;
beforeAll(async () => (provider = await TestProvider.start()));
afterAll(() => provider.close());

/** A fake issuer answering `routes` (path → [status, body, headers]). */
async function fakeIssuer(routes: (origin: string) => Record<string, [number, string, Record<string, string>?]>): Promise<{ origin: string; server: Server }> {
  let origin = "";
  const server = createServer((req, res) => {
    const [status, body, headers] = routes(origin)[req.url ?? ""] ?? [404, "{}"];
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { origin, server };
}

async function causeOf(issuer: string, token: string): Promise<string> {
  const verifier = createRemoteVerifier({ issuers: [{ issuer, audience: "api" }], onIssuerError: () => {} });
  try {
    const result = await verifier.verify(token);
    expect(result.ok ? "accepted" : [result.reason, result.error.status, result.error.code]).toEqual(["unavailable", 503, "GH_ISSUER_UNAVAILABLE"]);
    return result.ok ? "" : String(result.error.cause);
  } finally {
    await verifier.close();
  }
}

describe("discovery", () => {
  it("asks OIDC's document first, then RFC 8414's, both placed as their RFCs say for an issuer with a path", () => {
    expect(discoveryUrls("https://id.example.com")).toEqual(["https://id.example.com/.well-known/openid-configuration", "https://id.example.com/.well-known/oauth-authorization-server"]);
    expect(discoveryUrls("https://id.example.com/realms/acme/")).toEqual([
      "https://id.example.com/realms/acme/.well-known/openid-configuration",
      "https://id.example.com/.well-known/oauth-authorization-server/realms/acme",
    ]);
  });

  it("falls back to RFC 8414 metadata when the OIDC document is not there", async () => {
    provider.missing.add("/.well-known/openid-configuration");
    const verifier = createRemoteVerifier({ issuers: [{ issuer: provider.issuer, audience: "api" }] });
    try {
      expect((await verifier.verify(await provider.token())).ok).toBe(true);
      expect([provider.count("/.well-known/openid-configuration"), provider.count("/.well-known/oauth-authorization-server")]).toEqual([1, 1]);
    } finally {
      provider.missing.clear();
      await verifier.close();
    }
  });

  it("refuses a document that names another issuer: its keys are not this issuer's", async () => {
    const token = await provider.token();
    const { origin, server } = await fakeIssuer(() => ({ "/.well-known/openid-configuration": [200, JSON.stringify({ issuer: provider.issuer, jwks_uri: `${provider.issuer}/jwks` })] }));
    try {
      // The token claims the fake issuer, whose document claims the real provider's identity and keys.
      expect(await causeOf(origin, await provider.sign({ iss: origin, aud: "api", sub: "x", exp: Math.floor(Date.now() / 1000) + 60 }))).toContain(`is for issuer "${provider.issuer}"`);
      expect(token).toBeTruthy();
    } finally {
      server.close();
    }
  });

  it("reads no more than 256 KiB of an answer, and follows no redirect", async () => {
    const huge = JSON.stringify({ keys: [{ kty: "oct", k: "x".repeat(300 * 1024) }] });
    const answers: [[number, string, Record<string, string>?], string][] = [
      [[200, huge], "longer than the 262144 bytes allowed"],
      [[200, huge, { "content-length": String(huge.length) }], "more than the 262144 allowed"],
      [[302, "{}", { location: `${provider.issuer}/jwks` }], "Expected 200 OK"],
    ];
    for (const [jwks, expected] of answers) {
      const { origin, server } = await fakeIssuer((self) => ({
        "/.well-known/openid-configuration": [200, JSON.stringify({ issuer: self, jwks_uri: `${self}/jwks` })],
        "/jwks": jwks,
      }));
      try {
        expect(await causeOf(origin, await provider.sign({ iss: origin, aud: "api", sub: "x", exp: Math.floor(Date.now() / 1000) + 60 }))).toContain(expected);
      } finally {
        server.close();
      }
    }
  });
});

describe("options that would let forged tokens in fail at start-up", () => {
  const base: IssuerOptions = { issuer: "https://id.example.com", audience: "api" };
  const cases: [string, Partial<IssuerOptions> | Record<string, unknown>, RegExp][] = [
    ["HS256", { algorithms: ["HS256"] }, /may only list asymmetric algorithms.*refused: HS256/],
    ["none", { algorithms: ["ES256", "none"] }, /refused: none/],
    ["no audience", { audience: undefined }, /`audience` must name this API/],
    ["an empty audience", { audience: [] }, /`audience` must name this API/],
    ["a plain-HTTP issuer on the network", { issuer: "http://id.example.com" }, /`issuer` must be an https URL/],
    ["a plain-HTTP JWKS", { jwksUri: "http://id.example.com/jwks" }, /`jwksUri` must be an https URL/],
    ["introspection without credentials", { introspection: { clientId: "rs" } }, /needs `clientId` and `clientSecret`/],
  ];
  for (const [name, change, message] of cases) {
    it(`refuses ${name}`, () => {
      const error = (() => {
        try {
          createRemoteVerifier({ issuers: [{ ...base, ...change } as IssuerOptions] });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code: "GH_INVALID_OPTION", message: expect.stringMatching(message) });
    });
  }

  it("accepts plain HTTP on a private network only when told to", async () => {
    const verifier = createRemoteVerifier({ issuers: [{ issuer: "http://keycloak:8080/realms/acme", audience: "api", allowHttp: true }] });
    expect(verifier.issuers).toEqual(["http://keycloak:8080/realms/acme"]);
    await verifier.close();
  });
});
