/**
 * @module
 * Random identifiers and the hash under which an opaque token is stored (the token itself never is).
 */
import { createHash, randomBytes } from "node:crypto";

/** 128 random bits, base64url: token ids (`jti`) and family ids. */
export function randomId(): string {
  return randomBytes(16).toString("base64url");
}

/** 256 random bits, base64url: an opaque refresh token. */
export function opaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a token, base64url: the key a refresh token is stored under, and the id of a JWT without `jti`. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
