/**
 * @module
 * The seed app on bare node:http, for the two peers that differ only in how they sign and verify tokens
 * (node:crypto by hand, or jose): routing, the login form and the JSON answers live here once.
 */
import { createServer } from "node:http";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes } from "./seed.mjs";

function send(res, { status, body, challenge }) {
  const json = JSON.stringify(body);
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(json) };
  if (challenge) headers["www-authenticate"] = challenge;
  res.writeHead(status, headers).end(json);
}

async function login(req, res, sign) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  const form = readLoginForm(Object.fromEntries(new URLSearchParams(raw)));
  if (form.error) return send(res, form.error);
  const user = await authenticate(form.username, form.password);
  if (!user) return send(res, incorrectLogin);
  const accessToken = await sign({ sub: user.username, scopes: form.scopes, exp: expiry() });
  send(res, { status: 200, body: { access_token: accessToken, token_type: "bearer" } });
}

/**
 * Serve the seed with `sign(payload)` → token and `verify(token)` → payload or undefined. A synchronous
 * `verify` answers without a promise, as a hand-written server would.
 */
export function serveRaw(name, { sign, verify }) {
  createServer((req, res) => {
    const q = req.url.indexOf("?");
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (req.method === "POST" && path === "/token") return void login(req, res, sign);
    if (req.method !== "GET" || !Object.hasOwn(routes, path)) return send(res, { status: 404, body: { detail: "Not Found" } });
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return send(res, notAuthenticated);
    const payload = verify(token);
    if (payload instanceof Promise) return void payload.then((p) => send(res, answer(routes[path], p)));
    send(res, answer(routes[path], payload));
  }).listen(port, "127.0.0.1", () => listening(name));
}
