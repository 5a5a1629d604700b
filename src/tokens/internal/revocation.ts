/**
 * @module
 * The in-memory revocation set every request is checked against: token id → expiry, family → expiry,
 * subject → not-before. A check is at most three `Map` lookups, no I/O. Entries are dropped once every
 * token they could concern has expired, so memory stays bounded by the tokens still alive.
 */
import type { RevocationEntry } from "../types.ts";
import { idTime } from "./ids.ts";

/** What a check needs of a token: its id, subject, refresh family and issue time (JWT seconds, maybe fractional). */
export interface RevocationSubject {
  readonly jti: string;
  readonly sub: string;
  readonly fam?: string | undefined;
  readonly iat?: number | undefined;
  /** The exact issue time (epoch ms) of a token whose ids do not carry it (a personal token's record). */
  readonly issuedAtMs?: number | undefined;
}

/** Expiries are grouped in buckets of this many ms, so a sweep visits only what has expired. */
const BUCKET_MS = 10_000;
const TYPE_CODE = { token: "t", family: "f", subject: "s" } as const;

/**
 * Revoked tokens, families and subjects, current as of the last entry added.
 *
 * @example
 * const set = new RevocationSet();
 * set.add({ type: "token", id: claims.jti, at: Date.now(), expiresAt: claims.exp * 1000 });
 * set.isRevoked(claims); // true
 */
export class RevocationSet {
  readonly #tokens = new Map<string, number>();
  readonly #families = new Map<string, number>();
  readonly #subjects = new Map<string, { notBefore: number; expiresAt: number }>();
  /** Bucket number → type code + id of the entries expiring in it. */
  readonly #buckets = new Map<number, string[]>();

  /** Add (or widen) an entry. A later not-before or expiry wins; a `null` expiry is kept for good. */
  add(entry: RevocationEntry): void {
    const expiresAt = entry.expiresAt ?? Infinity;
    if (entry.type === "subject") {
      const known = this.#subjects.get(entry.id);
      const next = { notBefore: Math.max(known?.notBefore ?? -Infinity, entry.at), expiresAt: Math.max(known?.expiresAt ?? -Infinity, expiresAt) };
      this.#subjects.set(entry.id, next);
      if (next.expiresAt !== known?.expiresAt) this.#schedule("subject", entry.id, next.expiresAt);
      return;
    }
    const map = entry.type === "token" ? this.#tokens : this.#families;
    const known = map.get(entry.id);
    if (known !== undefined && known >= expiresAt) return;
    map.set(entry.id, expiresAt);
    this.#schedule(entry.type, entry.id, expiresAt);
  }

  /**
   * Whether a token is revoked: its id, its family, or its subject at or after the moment it (or its
   * login session) began — see {@link began}. The subject lookup is the last of three `Map` reads.
   */
  isRevoked(token: RevocationSubject): boolean {
    if (this.#tokens.has(token.jti)) return true;
    if (token.fam !== undefined && this.#families.has(token.fam)) return true;
    const subject = this.#subjects.get(token.sub);
    return subject !== undefined && began(token) <= subject.notBefore;
  }

  hasToken(id: string): boolean {
    return this.#tokens.has(id);
  }

  hasFamily(id: string): boolean {
    return this.#families.has(id);
  }

  /** Tokens of `subject` issued before this time (epoch ms) are revoked. */
  subjectNotBefore(subject: string): number | undefined {
    return this.#subjects.get(subject)?.notBefore;
  }

  /**
   * Every entry held, as the store would hold it, for re-publishing to a store that lost them (a token's
   * or family's own `at` is not kept: `at` gives the moment of re-publishing instead).
   */
  *entries(at: number): Generator<RevocationEntry> {
    const expiry = (expiresAt: number) => (expiresAt === Infinity ? null : expiresAt);
    for (const [id, expiresAt] of this.#tokens) yield { type: "token", id, at, expiresAt: expiry(expiresAt) };
    for (const [id, expiresAt] of this.#families) yield { type: "family", id, at, expiresAt: expiry(expiresAt) };
    for (const [id, { notBefore, expiresAt }] of this.#subjects) yield { type: "subject", id, at: notBefore, expiresAt: expiry(expiresAt) };
  }

  /** Number of entries held. */
  get size(): number {
    return this.#tokens.size + this.#families.size + this.#subjects.size;
  }

  /** Drop every entry whose expiry is at or before `now` (epoch ms); returns how many were dropped. */
  sweep(now: number): number {
    let dropped = 0;
    const due = Math.floor(now / BUCKET_MS);
    // Entries of the current bucket that expire later this bucket; scheduled again after the loop.
    const later: [RevocationEntry["type"], string, number][] = [];
    for (const [bucket, keys] of this.#buckets) {
      if (bucket > due) continue;
      this.#buckets.delete(bucket);
      for (const key of keys) {
        const type = key[0] === "t" ? "token" : key[0] === "f" ? "family" : "subject";
        const id = key.slice(1);
        const expiresAt = type === "subject" ? this.#subjects.get(id)?.expiresAt : (type === "token" ? this.#tokens : this.#families).get(id);
        if (expiresAt === undefined) continue;
        if (expiresAt > now) {
          // A widened entry already sits in its later bucket; only one expiring later in this bucket waits here.
          if (Math.floor(expiresAt / BUCKET_MS) <= due) later.push([type, id, expiresAt]);
        }
        else if (type === "subject") dropped += Number(this.#subjects.delete(id));
        else dropped += Number((type === "token" ? this.#tokens : this.#families).delete(id));
      }
    }
    for (const [type, id, expiresAt] of later) this.#schedule(type, id, expiresAt);
    return dropped;
  }

  #schedule(type: RevocationEntry["type"], id: string, expiresAt: number): void {
    if (expiresAt === Infinity) return;
    const bucket = Math.floor(expiresAt / BUCKET_MS);
    const keys = this.#buckets.get(bucket);
    const key = TYPE_CODE[type] + id;
    if (keys) keys.push(key);
    else this.#buckets.set(bucket, [key]);
  }
}

/**
 * When a token began, in epoch ms, for a subject's not-before ("revoke all" at T revokes whatever began at
 * or before T). A token of a login session began when the session did (its family id's time), so that a
 * refresh rotated while "revoke all" runs is revoked with its session (issue 13 item 2); any other token
 * when its `jti` says. Neither may be later than the second `iat` names. Without such ids (FastAPI's
 * tokens, ids of older versions) the `iat` second itself counts, so a token of the same second as the
 * not-before is revoked; without `iat` a token cannot prove it came later, and is revoked.
 */
function began(token: RevocationSubject): number {
  if (token.issuedAtMs !== undefined) return token.issuedAtMs;
  const latest = token.iat === undefined ? Infinity : Math.floor(token.iat) * 1000 + 999;
  const exact = (token.fam === undefined ? undefined : idTime(token.fam)) ?? idTime(token.jti);
  if (exact !== undefined) return Math.min(exact, latest);
  return token.iat === undefined ? -Infinity : Math.floor(token.iat) * 1000;
}
