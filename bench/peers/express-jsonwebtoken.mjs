/**
 * @module
 * Express 5 with jsonwebtoken: the seed app as an Express user writes it.
 */
import express from "express";
import jwt from "jsonwebtoken";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes, SECRET_KEY } from "../lib/seed.mjs";

const app = express();

function reply(res, { status, body, challenge }) {
  if (challenge) res.set("WWW-Authenticate", challenge);
  res.status(status).json(body);
}

app.post("/token", express.urlencoded({ extended: false }), async (req, res) => {
  const form = readLoginForm(req.body);
  if (form.error) return reply(res, form.error);
  const user = await authenticate(form.username, form.password);
  if (!user) return reply(res, incorrectLogin);
  const accessToken = jwt.sign({ sub: user.username, scopes: form.scopes, exp: expiry() }, SECRET_KEY, { algorithm: "HS256" });
  res.json({ access_token: accessToken, token_type: "bearer" });
});

for (const [path, route] of Object.entries(routes)) {
  app.get(path, (req, res) => {
    const token = bearerToken(req.get("authorization"));
    if (token === undefined) return reply(res, notAuthenticated);
    let payload;
    try {
      payload = jwt.verify(token, SECRET_KEY, { algorithms: ["HS256"] });
    } catch {
      payload = undefined;
    }
    reply(res, answer(route, payload));
  });
}
app.use((_req, res) => res.status(404).json({ detail: "Not Found" }));

app.listen(port, "127.0.0.1", () => listening("Express 5 + jsonwebtoken"));
