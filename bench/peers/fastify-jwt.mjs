/**
 * @module
 * Fastify 5 with @fastify/jwt (fast-jwt) and @fastify/formbody: the seed app as a Fastify user writes it.
 */
import formbody from "@fastify/formbody";
import jwt from "@fastify/jwt";
import Fastify from "fastify";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes, SECRET_KEY } from "../lib/seed.mjs";

const app = Fastify({ logger: false });
await app.register(formbody);
await app.register(jwt, { secret: SECRET_KEY, verify: { algorithms: ["HS256"] } });

function reply(res, { status, body, challenge }) {
  if (challenge) res.header("www-authenticate", challenge);
  return res.code(status).send(body);
}

app.post("/token", async (request, res) => {
  const form = readLoginForm(request.body);
  if (form.error) return reply(res, form.error);
  const user = await authenticate(form.username, form.password);
  if (!user) return reply(res, incorrectLogin);
  const accessToken = app.jwt.sign({ sub: user.username, scopes: form.scopes, exp: expiry() });
  return { access_token: accessToken, token_type: "bearer" };
});

for (const [path, route] of Object.entries(routes)) {
  app.get(path, async (request, res) => {
    if (bearerToken(request.headers.authorization) === undefined) return reply(res, notAuthenticated);
    let payload;
    try {
      payload = await request.jwtVerify();
    } catch {
      payload = undefined;
    }
    return reply(res, answer(route, payload));
  });
}
app.setNotFoundHandler((_request, res) => res.code(404).send({ detail: "Not Found" }));

await app.listen({ port, host: "127.0.0.1" });
listening("Fastify + @fastify/jwt");
