/**
 * @module
 * The practical limit: node:http and node:crypto HS256 (createHmac, timingSafeEqual), no framework, no JWT library.
 */
import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { answer, authenticate, bearerToken, expiry, incorrectLogin, listening, notAuthenticated, port, readLoginForm, routes, SECRET_KEY } from "../lib/seed.mjs";

const key = createSecretKey(Buffer.from(SECRET_KEY));
const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

function sign(payload) {
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

/** The payload of a valid, unexpired HS256 token, else undefined. */
function verify(token) {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const expected = createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let payload;
  try {
    if (JSON.parse(Buffer.from(parts[0], "base64url").toString()).alg !== "HS256") return undefined;
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString());
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== "object") return undefined;
  if (payload.exp !== undefined && !(typeof payload.exp === "number" && payload.exp > Date.now() / 1000)) return undefined;
  return payload;
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
  const accessToken = sign({ sub: user.username, scopes: form.scopes, exp: expiry() });
  send(res, { status: 200, body: { access_token: accessToken, token_type: "bearer" } });
}

createServer((req, res) => {
  const q = req.url.indexOf("?");
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (req.method === "POST" && path === "/token") return void login(req, res);
  if (req.method !== "GET" || !Object.hasOwn(routes, path)) return send(res, { status: 404, body: { detail: "Not Found" } });
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) return send(res, notAuthenticated);
  send(res, answer(routes[path], verify(token)));
}).listen(port, "127.0.0.1", () => listening("raw node:http + node:crypto"));
