/**
 * A real identity provider for the resource-server tests: panva's `oidc-provider`, on a free loopback port,
 * issuing RFC 9068 JWT access tokens (ES256) and opaque ones by resource indicator (RFC 8707) through the
 * client credentials grant. It counts the requests to each path, can rotate its keys without changing its
 * address, and can go down (refusing connections, or accepting them and never answering).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import Provider from "oidc-provider";
import { freePort } from "../../support/ports.ts";

export const CLIENT = { id: "svc", secret: "svc-secret-0123456789abcdef" };
/** The resource server's own client, for RFC 7662 introspection. */
export const RESOURCE_CLIENT = { id: "resource-server", secret: "rs-secret-0123456789abcdef" };
export const SCOPES = "items:read items:write";

/** Resource indicators and the resource servers they stand for. */
const RESOURCES: Record<string, { audience: string; accessTokenFormat: "jwt" | "opaque" }> = {
  "urn:gatehouse:api": { audience: "api", accessTokenFormat: "jwt" },
  "urn:gatehouse:other": { audience: "other", accessTokenFormat: "jwt" },
  "urn:gatehouse:opaque": { audience: "api", accessTokenFormat: "opaque" },
  "urn:gatehouse:opaque-other": { audience: "other", accessTokenFormat: "opaque" },
};

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function signingKey(kid: string, alg = "ES256"): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg, use: "sig" } };
}

export class TestProvider {
  /** Requests per path (`/jwks`, `/.well-known/openid-configuration`, `/token/introspection`, …). */
  readonly fetches = new Map<string, number>();
  /** `up`; `refuse`: connections are closed at once; `hang`: requests are never answered. */
  mode: "up" | "refuse" | "hang" = "up";
  /** Paths answered 404 (e.g. to make discovery fall back). */
  readonly missing = new Set<string>();
  keys: SigningKey[] = [];
  #handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #server = createServer((req, res) => this.#serve(req, res));

  private constructor(readonly issuer: string) {}

  /** Start on `port` (default: one the OS says is free). */
  static async start(port?: number): Promise<TestProvider> {
    port ||= await freePort();
    const provider = new TestProvider(`http://127.0.0.1:${port}`);
    provider.#server.on("connection", (socket) => {
      provider.#sockets.add(socket);
      socket.once("close", () => provider.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => provider.#server.listen(port, "127.0.0.1", resolve));
    await provider.useKeys([await signingKey("key-1")]);
    return provider;
  }

  /** Serve these keys from now on, signing with the first: a rotation at the same address. */
  async useKeys(keys: SigningKey[]): Promise<void> {
    this.keys = keys;
    this.#handler = quietly(() => configure(this.issuer, keys)).callback();
  }

  count(path: string): number {
    return this.fetches.get(path) ?? 0;
  }

  /** An access token from the token endpoint (client credentials, RFC 8707 `resource`). */
  async token(options: { scope?: string; resource?: string } = {}): Promise<string> {
    const res = await fetch(`${this.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(CLIENT.id, CLIENT.secret) },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: options.scope ?? SCOPES, resource: options.resource ?? "urn:gatehouse:api" }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  /** Revoke a token at the provider (RFC 7009). */
  async revoke(token: string): Promise<void> {
    const res = await fetch(`${this.issuer}/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(CLIENT.id, CLIENT.secret) },
      body: new URLSearchParams({ token }),
    });
    if (res.status !== 200) throw new Error(`revocation endpoint: ${res.status}`);
  }

  /** A JWT signed with one of the provider's own keys: what the provider could issue, claims of our choosing. */
  sign(payload: JWTPayload, header: Record<string, unknown> = {}, key: SigningKey = this.keys[0]!): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: key.kid, ...header }).sign(key.privateKey);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", this.issuer).pathname;
    this.fetches.set(path, (this.fetches.get(path) ?? 0) + 1);
    if (this.mode === "refuse") return void req.socket.destroy();
    if (this.mode === "hang") return;
    if (this.missing.has(path)) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found"}');
    this.#handler!(req, res);
  }
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

function configure(issuer: string, keys: SigningKey[]): Provider {
  return new Provider(issuer, {
    clients: [
      { client_id: CLIENT.id, client_secret: CLIENT.secret, grant_types: ["client_credentials"], redirect_uris: [], response_types: [], scope: SCOPES },
      { client_id: RESOURCE_CLIENT.id, client_secret: RESOURCE_CLIENT.secret, grant_types: [], redirect_uris: [], response_types: [] },
    ],
    jwks: { keys: keys.map((key) => key.jwk) },
    clientDefaults: { id_token_signed_response_alg: "ES256" },
    scopes: ["openid", ...SCOPES.split(" ")],
    ttl: { ClientCredentials: 300 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => "urn:gatehouse:api",
        getResourceServerInfo: (_ctx, indicator) => {
          const server = RESOURCES[indicator];
          if (!server) throw new Error(`unknown resource ${indicator}`);
          return { ...server, scope: SCOPES, accessTokenTTL: 300, jwt: { sign: { alg: "ES256" } } };
        },
      },
    },
  });
}

/** oidc-provider warns about this machine's Node and its in-memory adapter on every start: noise here. */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => (String(args[0]).startsWith("oidc-provider WARNING") ? undefined : warn(...args));
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}
