/**
 * @module
 * The seed app on Fastify 5 with @fastify/formbody, for the peers that differ only in how they sign and
 * verify tokens (@fastify/jwt, or node:crypto by hand): routing, the login form and the answers live here once.
 */
import formbody from "@fastify/formbody";
import Fastify from "fastify";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes } from "./seed.mjs";

function reply(res, { status, body, challenge }) {
  if (challenge) res.header("www-authenticate", challenge);
  return res.code(status).send(body);
}

/**
 * Serve the seed. `setup(app)` registers what signing needs, then `sign(app, payload)` → token and
 * `verify(request, token)` → payload or undefined (or a promise of either).
 */
export async function serveFastify(name, { setup = async () => {}, sign, verify }) {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  await setup(app);

  app.post("/token", async (request, res) => {
    const form = readLoginForm(request.body);
    if (form.error) return reply(res, form.error);
    const user = await authenticate(form.username, form.password);
    if (!user) return reply(res, incorrectLogin);
    const accessToken = await sign(app, { sub: user.username, scopes: form.scopes, exp: expiry() });
    return { access_token: accessToken, token_type: "bearer" };
  });

  for (const [path, route] of Object.entries(routes)) {
    app.get(path, async (request, res) => {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) return reply(res, notAuthenticated);
      return reply(res, answer(route, await verify(request, token)));
    });
  }
  app.setNotFoundHandler((_request, res) => res.code(404).send({ detail: "Not Found" }));

  await app.listen({ port, host: "127.0.0.1" });
  listening(name);
}
