/**
 * Issue 13 item 3, over a real socket: a token without `jti` (FastAPI's kind) is known by a hash, so a
 * revoked one must not come back in another spelling. jose accepts a signature whose last character has
 * other unused bits, an added `=`, or white space inside; ECDSA accepts `(r, n − s)` as well as `(r, s)`.
 * Before the fix each of these variants got a 200 after its token was revoked. And a token the verified-token
 * cache holds (found by its signature's last characters) is a hit only for its exact text.
 */
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { MemoryStore, type TokenService } from "gatehouse/tokens";
import { SECRET_KEY } from "../helpers.ts";
import { tokenApp } from "./support.ts";

process.env.GATEHOUSE_STORE = "memory";
const seed = (await import("../../examples/seed.ts")) as { app: App; tokens: TokenService };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const later = () => Math.floor(Date.now() / 1000) + 1800;

/** Every other spelling of `token` that jose decodes to the same bytes. */
function respellings(token: string): string[] {
  const last = ALPHABET.indexOf(token.at(-1)!);
  const rest = token.split(".")[2]!.length % 4; // 43 characters for HS256: 2 unused bits, 3 other last characters
  const unused = rest === 2 ? 0x0f : 0x03;
  const lastChars = Array.from({ length: unused }, (_, i) => ALPHABET[last ^ (i + 1)]!);
  return [...lastChars.map((c) => token.slice(0, -1) + c), `${token}=`, `${token}==`, `${token.slice(0, -4)} ${token.slice(-4)}`, `${token.slice(0, -4)}\t${token.slice(-4)}`];
}

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(app.fastify.server.address() as AddressInfo).port}`;
}

async function get(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return [res.status, await res.json(), res.headers.get("www-authenticate")];
}

let base = "";
beforeAll(async () => {
  base = await listen(seed.app);
});
afterAll(() => seed.app.close());

describe("a revoked token without jti, replayed in another spelling", () => {
  it("the seed refuses every re-encoding, before and after the revocation", async () => {
    const token = await new SignJWT({ sub: "johndoe", scopes: ["me", "items"] }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setExpirationTime(later()).sign(new TextEncoder().encode(SECRET_KEY));
    const url = `${base}/users/me/items/`;
    const invalid = [401, { detail: "Could not validate credentials" }, 'Bearer scope="items me"'];
    expect(await get(url, token)).toEqual([200, [{ item_id: "Foo", owner: "johndoe" }], null]);
    for (const variant of respellings(token)) expect(await get(url, variant)).toEqual(invalid);

    expect(await seed.tokens.revokeToken(token)).toBe(true);
    expect(await get(url, token)).toEqual([401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"']);
    for (const variant of respellings(token)) expect(await get(url, variant)).toEqual(invalid);
    // Nor can a variant be revoked in its place, or mistaken for another token.
    expect(await seed.tokens.revokeToken(`${token}=`)).toBe(false);
  });
});

describe("a token the verified-token cache holds, its signature under another payload", () => {
  it("is refused, and the cached token still answers from the cache", async () => {
    const key = new TextEncoder().encode(SECRET_KEY);
    const genuine = await new SignJWT({ sub: "johndoe", scopes: ["me"], jti: "cached-one" }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setExpirationTime(later()).sign(key);
    const [header, , signature] = genuine.split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "alice", scopes: ["me"], jti: "cached-one", exp: later() })).toString("base64url");
    const forged = `${header}.${payload}.${signature}`;
    const url = `${base}/users/me/`;
    const johndoe = [200, { username: "johndoe", email: "johndoe@example.com", full_name: "John Doe", disabled: false }, null];
    for (let seen = 0; seen < 3; seen++) expect(await get(url, genuine)).toEqual(johndoe); // the second puts it in the cache
    const hits = seed.tokens.verifiedCache.stats.hits;
    expect(await get(url, forged)).toEqual([401, { detail: "Could not validate credentials" }, 'Bearer scope="me"']);
    expect(seed.tokens.verifiedCache.stats.hits).toBe(hits);
    expect(await get(url, genuine)).toEqual(johndoe);
    expect(seed.tokens.verifiedCache.stats.hits).toBe(hits + 1);
  });
});

describe("a revoked ES256 token without jti, replayed with its malleated signature", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { app, tokens } = tokenApp({ store: new MemoryStore(), keys: { signing: { kid: "ec1", alg: "ES256", privateKey } } });
  let ecBase = "";
  beforeAll(async () => {
    ecBase = await listen(app);
  });
  afterAll(() => app.close());

  /** The same signature with s replaced by n − s (P-256's group order): valid for any ECDSA verifier. */
  function twin(token: string): string {
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const bytes = Buffer.from(signature, "base64url");
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = BigInt(`0x${bytes.subarray(32).toString("hex")}`);
    const flipped = Buffer.from((n - s).toString(16).padStart(64, "0"), "hex");
    return `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), flipped]).toString("base64url")}`;
  }

  it("the twin is the same token to revocation", async () => {
    const token = await new SignJWT({ sub: "alice", scopes: ["items"] }).setProtectedHeader({ alg: "ES256", kid: "ec1" }).setExpirationTime(later()).sign(privateKey);
    const url = `${ecBase}/items/`;
    const ok = [200, [{ item_id: "Foo", owner: "alice" }], null];
    expect(await get(url, token)).toEqual(ok);
    expect(await get(url, twin(token))).toEqual(ok); // a valid signature: jose (and every ECDSA verifier) accepts it
    expect(await tokens.revokeToken(token)).toBe(true);
    const revoked = [401, { detail: "Token has been revoked" }, 'Bearer error="invalid_token"'];
    expect(await get(url, token)).toEqual(revoked);
    expect(await get(url, twin(token))).toEqual(revoked);
  });
});
