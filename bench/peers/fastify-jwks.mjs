/**
 * @module
 * The resource server as a Fastify user writes it: @fastify/jwt (fast-jwt) with get-jwks fetching the
 * issuer's keys by OIDC discovery, as get-jwks's README shows, answering what examples/resource-server.ts
 * answers on `GET /items` (scope `items:read`). get-jwks converts the JWK to a PEM (in JavaScript) on every
 * call; with `BENCH_CACHE_PEM=1` the PEM is kept per key, as a user who profiled it would.
 */
import jwt from "@fastify/jwt";
import Fastify from "fastify";
import buildGetJwks from "get-jwks";

const issuer = process.env.OIDC_ISSUER;
const port = Number(process.env.PORT);
const metadata = `Bearer resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource"`;
const getJwks = buildGetJwks({ providerDiscovery: true, issuersWhitelist: [issuer] });

const publicKey = (token) => getJwks.getPublicKey({ kid: token.header.kid, domain: token.payload.iss, alg: token.header.alg });
const pems = new Map();
const cachedPublicKey = (token) => {
  const key = `${token.payload.iss} ${token.header.kid} ${token.header.alg}`;
  if (!pems.has(key)) pems.set(key, publicKey(token).catch((error) => (pems.delete(key), Promise.reject(error))));
  return pems.get(key);
};

const app = Fastify({ logger: false });
await app.register(jwt, {
  decode: { complete: true },
  secret: (_request, token) => (process.env.BENCH_CACHE_PEM === "1" ? cachedPublicKey(token) : publicKey(token)),
  verify: { allowedIss: issuer, allowedAud: "api", algorithms: ["RS256", "PS256", "ES256", "EdDSA"] },
});

app.get("/items", async (request, reply) => {
  if (!/^Bearer \S/i.test(request.headers.authorization ?? "")) return reply.code(401).header("www-authenticate", metadata).send({ detail: "Not authenticated" });
  let payload;
  try {
    payload = await request.jwtVerify();
  } catch {
    return reply.code(401).header("www-authenticate", `${metadata}, error="invalid_token"`).send({ detail: "Could not validate credentials" });
  }
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (!scopes.includes("items:read")) return reply.code(403).header("www-authenticate", 'Bearer error="insufficient_scope", scope="items:read"').send({ detail: "Not enough permissions" });
  return [{ item_id: "Foo" }];
});

await app.listen({ port, host: "127.0.0.1" });
console.log("Fastify + @fastify/jwt + get-jwks listening");
