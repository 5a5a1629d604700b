/**
 * @module
 * HS256 by hand on node:crypto (createHmac, timingSafeEqual), no JWT library: the practical limit of
 * verification, shared by the raw node:http peer and the Fastify one that measures the engine's floor.
 */
import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import { SECRET_KEY } from "./seed.mjs";

const key = createSecretKey(Buffer.from(SECRET_KEY));
const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

export function sign(payload) {
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

/** The payload of a valid, unexpired HS256 token, else undefined. */
export function verify(token) {
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
