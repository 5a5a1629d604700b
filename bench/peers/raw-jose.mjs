/**
 * @module
 * node:http and jose (jwtVerify / SignJWT), no framework: what the seed does minus Fastify and gatehouse.
 */
import { createServer } from "node:http";
import { jwtVerify, SignJWT } from "jose";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes, SECRET_KEY } from "../lib/seed.mjs";

const secretKey = new TextEncoder().encode(SECRET_KEY);

async function verify(token) {
  try {
    return (await jwtVerify(token, secretKey, { algorithms: ["HS256"] })).payload;
  } catch {
    return undefined;
  }
}

function send(res, { status, body, challenge }) {
  const json = JSON.stringify(body);
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(json) };
  if (challenge) headers["www-authenticate"] = challenge;
  res.writeHead(status, headers).end(json);
}

async function login(req, res) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  const form = readLoginForm(Object.fromEntries(new URLSearchParams(raw)));
  if (form.error) return send(res, form.error);
  const user = await authenticate(form.username, form.password);
  if (!user) return send(res, incorrectLogin);
  const accessToken = await new SignJWT({ sub: user.username, scopes: form.scopes })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setExpirationTime(expiry())
    .sign(secretKey);
  send(res, { status: 200, body: { access_token: accessToken, token_type: "bearer" } });
}

createServer(async (req, res) => {
  const q = req.url.indexOf("?");
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (req.method === "POST" && path === "/token") return login(req, res);
  if (req.method !== "GET" || !Object.hasOwn(routes, path)) return send(res, { status: 404, body: { detail: "Not Found" } });
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) return send(res, notAuthenticated);
  send(res, answer(routes[path], await verify(token)));
}).listen(port, "127.0.0.1", () => listening("raw node:http + jose"));
