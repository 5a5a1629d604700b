/**
 * @module
 * The refresh grace window: after a rotation, the successor pair is kept for a few seconds, sealed with a
 * key derived from the refresh token it replaced, so that a retry of that same token (two tabs refreshing
 * at once, a response lost on the way) gets the same pair back instead of revoking the login. The store
 * holds only ciphertext: nobody without the old refresh token can open it, and it expires with the window.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { TokenStore } from "../stores/store.ts";
import { tokenHash } from "./ids.ts";

/** What a rotation handed out, as the retry gets it again. */
export interface SealedPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number | undefined;
  readonly scopes: readonly string[];
}

const PairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().optional(),
  scopes: z.array(z.string()),
});

const GraceRecordSchema = z.object({ subject: z.string(), successor: z.string(), sealed: z.string() });

/** The key the successor of `token` is kept under: apart from every token record (a hash or a `jti`). */
function graceKey(token: string): string {
  return `grace:${tokenHash(token)}`;
}

/** AES-256-GCM key of the sealed pair, derived from the old refresh token (HKDF-SHA256). */
function keyOf(token: string): Buffer {
  return Buffer.from(hkdfSync("sha256", token, "gatehouse refresh grace", "", 32));
}

/** Keep `pair`, the successor of `token`, for `ttlMs`. */
export function keepSuccessor(store: TokenStore, token: string, subject: string, pair: SealedPair, ttlMs: number): Promise<void> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(token), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(pair), "utf8"), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  return store.save(graceKey(token), { subject, successor: tokenHash(pair.refreshToken), sealed }, ttlMs);
}

/** The kept successor of `token` and the store key of its refresh token, or `undefined` (none, expired, not ours). */
export async function findSuccessor(store: TokenStore, token: string): Promise<{ pair: SealedPair; successorKey: string } | undefined> {
  const record = GraceRecordSchema.safeParse(await store.find(graceKey(token)));
  if (!record.success) return undefined;
  const raw = Buffer.from(record.data.sealed, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(token), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    const pair = PairSchema.safeParse(JSON.parse(json));
    return pair.success ? { pair: { ...pair.data, expiresIn: pair.data.expiresIn }, successorKey: record.data.successor } : undefined;
  } catch {
    return undefined;
  }
}
