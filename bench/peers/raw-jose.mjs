/**
 * @module
 * node:http and jose (jwtVerify / SignJWT), no framework: what the seed does minus Fastify and gatehouse.
 */
import { jwtVerify, SignJWT } from "jose";
import { serveRaw } from "../lib/raw-http.mjs";
import { SECRET_KEY } from "../lib/seed.mjs";

const secretKey = new TextEncoder().encode(SECRET_KEY);

async function verify(token) {
  try {
    return (await jwtVerify(token, secretKey, { algorithms: ["HS256"] })).payload;
  } catch {
    return undefined;
  }
}

function sign(payload) {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secretKey);
}

serveRaw("raw node:http + jose", { sign, verify });
