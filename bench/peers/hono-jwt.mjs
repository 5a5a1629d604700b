/**
 * @module
 * Hono on @hono/node-server with hono/jwt: the seed app as a Hono user writes it.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { sign, verify } from "hono/jwt";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes, SECRET_KEY } from "../lib/seed.mjs";

const app = new Hono();

function reply(c, { status, body, challenge }) {
  return c.json(body, status, challenge ? { "WWW-Authenticate": challenge } : undefined);
}

app.post("/token", async (c) => {
  const form = readLoginForm(await c.req.parseBody());
  if (form.error) return reply(c, form.error);
  const user = await authenticate(form.username, form.password);
  if (!user) return reply(c, incorrectLogin);
  const accessToken = await sign({ sub: user.username, scopes: form.scopes, exp: expiry() }, SECRET_KEY, "HS256");
  return c.json({ access_token: accessToken, token_type: "bearer" });
});

for (const [path, route] of Object.entries(routes)) {
  app.get(path, async (c) => {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) return reply(c, notAuthenticated);
    let payload;
    try {
      payload = await verify(token, SECRET_KEY, "HS256");
    } catch {
      payload = undefined;
    }
    return reply(c, answer(route, payload));
  });
}
app.notFound((c) => c.json({ detail: "Not Found" }, 404));

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => listening("Hono + hono/jwt"));
