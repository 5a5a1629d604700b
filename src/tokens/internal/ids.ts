/**
 * @module
 * Identifiers and the hash under which an opaque token is stored (the token itself never is). Token ids
 * (`jti`) and family ids are UUIDv7 (RFC 9562 §5.7): their first 48 bits are the issue time in epoch ms,
 * so that the revocation check can tell, to the millisecond and with no I/O, whether a token or a login
 * session began before a subject's "revoke all" — JWT's `iat` only has seconds.
 */
import { createHash, randomBytes } from "node:crypto";

/** 128 random bits, base64url: an id that says nothing about time. */
export function randomId(): string {
  return randomBytes(16).toString("base64url");
}

/** A UUIDv7 for the instant `ms` (epoch milliseconds): 48 bits of time, then the version, 74 random bits. */
export function timeOrderedId(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // RFC 9562 §4.2: version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 §4.1: variant 10
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The instant (epoch ms) a {@link timeOrderedId} was made for; `undefined` for any other id. */
export function idTime(id: string): number | undefined {
  if (id.length !== 36 || !UUID_V7.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** 256 random bits, base64url: an opaque refresh token. */
export function opaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a token, base64url: the key a refresh token is stored under, and the id of a JWT without `jti`. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
