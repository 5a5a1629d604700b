/**
 * @module
 * Personal (API) tokens, seed 003's "token you give an app": opaque strings in the shape secret scanners
 * know (GitHub's `ghp_…`): a prefix, the token's id, a random secret and a CRC32 checksum, all base62.
 * Garbage fails the checksum before any lookup. The store keeps the record under the id with only the
 * token's SHA-256, never the token; a bounded in-memory cache of records answers repeat requests, and
 * revocation is the in-memory revocation set's, by id, as for every other token (fail closed while the
 * store is down). Revoking by id, listing and revoke-all therefore treat them like access tokens.
 */
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import type { AccessClaims, VerifyResult } from "../claims.ts";
import { verifyFailure } from "../errors.ts";
import { ttlUntil } from "../stores/store.ts";
import { parseRecord, type Clock, type IssuedToken, type TokenRecord } from "../types.ts";
import { millis } from "./clock.ts";
import type { Ledger } from "./ledger.ts";
import type { RevocationSubject } from "./revocation.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LENGTH = 16; // ≈ 95 bits: unique, and shown in listings
const SECRET_LENGTH = 32; // ≈ 190 bits
const CHECKSUM_LENGTH = 6; // 62⁶ > 2³²

export interface PersonalTokenOptions {
  readonly now: Clock;
  /** Scanner-friendly prefix, e.g. `gatehouse_pat_`. */
  readonly prefix: string;
  /** Leeway past `expiresAt`, ms (the service's clock tolerance). */
  readonly toleranceMs: number;
  /** Records remembered in memory; 0: every request reads the store. */
  readonly cacheSize: number;
}

/** A personal token's record as verification needs it. */
interface Known {
  readonly record: TokenRecord;
  readonly hash: Buffer;
  readonly claims: AccessClaims;
  /** What the revocation set checks: the id, the subject, and the exact issue time. */
  readonly revocation: RevocationSubject;
}

export class PersonalTokens {
  readonly #shape: RegExp;
  /** Records by id, oldest first; a hit still checks the token's hash, its expiry and revocation. */
  readonly #cache = new Map<string, Known>();

  constructor(
    readonly ledger: Ledger,
    readonly options: PersonalTokenOptions,
  ) {
    this.#shape = new RegExp(`^${options.prefix}[0-9A-Za-z]{${ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH}}$`);
  }

  /** Whether `token` is meant as a personal token (its prefix); it may still be garbage. */
  owns(token: string): boolean {
    return token.startsWith(this.options.prefix);
  }

  /** Issue a personal token and record it (with its hash only); rejects with a 503 when the store cannot. */
  async issue(request: { subject: string; scopes: readonly string[]; ttl: number | null; name?: string }): Promise<IssuedToken> {
    const now = millis(this.options.now);
    const id = randomBase62(ID_LENGTH);
    const body = `${this.options.prefix}${id}${randomBase62(SECRET_LENGTH)}`;
    const token = body + checksum(body);
    const issuedAt = now; // exact: a "revoke all" is exact to the ms, and a token's id says no time
    const record: TokenRecord = {
      id,
      subject: request.subject,
      kind: "api",
      scopes: [...request.scopes],
      issuedAt,
      expiresAt: request.ttl === null ? null : issuedAt + request.ttl * 1000,
      hash: sha256(token).toString("base64url"),
      ...(request.name !== undefined ? { name: request.name } : {}),
    };
    await this.ledger.use((store) => store.save(id, record, ttlUntil(record.expiresAt, now)));
    return { token, record };
  }

  /** Verify a personal token: shape and checksum, then its record (cached), hash, expiry and revocation. */
  async verify(token: string): Promise<VerifyResult> {
    const checked = await this.#check(token);
    return "claims" in checked ? { ok: true, claims: checked.claims } : checked;
  }

  /** The record of a genuine, live personal token (for `/revoke`); `undefined` otherwise; rejects with a 503 while the store is down. */
  async find(token: string): Promise<TokenRecord | undefined> {
    const checked = await this.#check(token);
    if ("record" in checked) return checked.record;
    if (checked.reason === "unavailable") throw checked.error;
    return undefined;
  }

  async #check(token: string): Promise<Known | Extract<VerifyResult, { ok: false }>> {
    const id = this.#idOf(token);
    if (id === undefined) return verifyFailure("invalid");
    let known = this.#cache.get(id);
    if (known === undefined) {
      try {
        known = await this.#load(id);
      } catch {
        return verifyFailure("unavailable"); // the store is down: fail closed
      }
      if (known === undefined) return verifyFailure("invalid");
      this.#remember(id, known);
    }
    // Constant time: the id is public (listings show it), the rest of the token is the secret.
    if (!timingSafeEqual(sha256(token), known.hash)) return verifyFailure("invalid");
    const { record } = known;
    if (record.expiresAt !== null && millis(this.options.now) > record.expiresAt + this.options.toleranceMs) return verifyFailure("expired");
    if (this.ledger.state !== "ready" && !(await this.ledger.trusted())) return verifyFailure("unavailable");
    if (this.ledger.set.isRevoked(known.revocation)) return verifyFailure("revoked");
    return known;
  }

  /** The id inside a well-formed token whose checksum holds; `undefined` for anything else (no lookup). */
  #idOf(token: string): string | undefined {
    if (!this.#shape.test(token)) return undefined;
    const body = token.slice(0, -CHECKSUM_LENGTH);
    if (checksum(body) !== token.slice(-CHECKSUM_LENGTH)) return undefined;
    return body.slice(this.options.prefix.length, this.options.prefix.length + ID_LENGTH);
  }

  async #load(id: string): Promise<Known | undefined> {
    const record = parseRecord(await this.ledger.use((store) => store.find(id)));
    if (record?.kind !== "api" || typeof record.hash !== "string") return undefined;
    const claims: AccessClaims = Object.freeze({
      sub: record.subject,
      jti: record.id,
      scopes: Object.freeze([...record.scopes]),
      iat: Math.floor(record.issuedAt / 1000),
      ...(record.expiresAt !== null ? { exp: Math.floor(record.expiresAt / 1000) } : {}),
      token_kind: "personal",
    });
    return { record, hash: Buffer.from(record.hash, "base64url"), claims, revocation: { jti: record.id, sub: record.subject, issuedAtMs: record.issuedAt } };
  }

  #remember(id: string, known: Known): void {
    if (this.options.cacheSize <= 0) return;
    if (this.#cache.size >= this.options.cacheSize) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, known);
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function randomBase62(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/** CRC32 of the token's text, as 6 base62 digits: lets scanners and this module tell a token from a typo. */
function checksum(body: string): string {
  let value = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}
