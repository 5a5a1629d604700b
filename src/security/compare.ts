/**
 * @module
 * Constant-time comparison of secrets (API keys, Basic passwords), so that response time does not tell
 * an attacker how much of a guess was right.
 */
import { gatehouseError } from "../core/errors.ts";
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether two secrets are equal, in time independent of where they differ and of their lengths.
 * Both sides are hashed with SHA-256 first: `timingSafeEqual` needs equal lengths, and checking the
 * lengths beforehand would itself leak the secret's length. Strings are compared as UTF-8.
 *
 * @example
 * // Compare both before deciding, so a wrong username takes as long as a wrong password.
 * const userOk = safeCompare(credentials.username, "admin");
 * const passwordOk = safeCompare(credentials.password, ADMIN_PASSWORD);
 * if (!(userOk && passwordOk)) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": "Basic" });
 */
export function safeCompare(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (!isSecret(a) || !isSecret(b)) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: safeCompare compares strings or bytes");
  return timingSafeEqual(sha256(a), sha256(b));
}

function isSecret(value: unknown): value is string | Uint8Array {
  return typeof value === "string" || value instanceof Uint8Array;
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash("sha256").update(value).digest();
}
