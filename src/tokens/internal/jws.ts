/**
 * @module
 * A compact JWS (RFC 7515 §7.1) read as text, before any key is touched: the structural pre-check, canonical
 * base64url, strict JSON, and the header rules jose applies (`crit`, `b64`, `alg`). Every verifier reads a
 * token through here first — gatehouse's own and those of other issuers — so that garbage costs no crypto
 * and a token has one spelling only (a revoked token cannot come back re-encoded).
 */

/** The three segments of a compact JWS, and the signing input (`header.payload`, RFC 7515 §5.2). */
export interface CompactJws {
  readonly header: string;
  readonly payload: string;
  readonly signature: string;
  readonly signingInput: string;
}

/** Three non-empty runs of the base64url alphabet (RFC 4648 §5), no padding, no white space. */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * The segments of `token`, or `undefined` unless it is three canonically encoded base64url segments. RFC 7515
 * §2 forbids padding and line breaks; RFC 4648 §3.5 lets a decoder refuse a last character with bits set
 * beyond the data, and we do: jose would decode `…Q`, `…R`, `…Q=` and `…Q\t` alike, giving one token many
 * spellings. Checks the text only, so it takes no constant-time care: nothing secret is involved.
 */
export function splitCompact(token: string): CompactJws | undefined {
  if (!COMPACT.test(token)) return undefined;
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (!canonicalEnd(token, 0, first) || !canonicalEnd(token, first + 1, second) || !canonicalEnd(token, second + 1, token.length)) return undefined;
  return {
    header: token.slice(0, first),
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
    signingInput: token.slice(0, second),
  };
}

/** Whether the segment `token[start, end)` of the base64url alphabet has a length and a last character that only the canonical encoding has. */
function canonicalEnd(token: string, start: number, end: number): boolean {
  const rest = (end - start) % 4;
  if (rest === 0) return true;
  if (rest === 1) return false; // 6 bits: not a whole byte
  // 2 characters carry 1 byte (4 bits left over), 3 carry 2 (2 bits left over): those bits must be zero.
  return (ALPHABET.indexOf(token[end - 1]!) & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** Strict UTF-8, as jose decodes a header or a claims set: invalid bytes are an error, not U+FFFD; a BOM is dropped. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A JSON object decoded from a (canonical) base64url segment, or `undefined` for anything else. */
export function jsonObject(segment: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, "base64url")));
  } catch {
    return undefined;
  }
  // JSON.parse makes only plain objects and arrays: this is jose's `isObject` for its output.
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Whether a protected header passes jose's JWS rules for a JWT, `alg` on the allow-list included. RFC 7515
 * §4.1.11: every `crit` name must be understood and present — gatehouse, like jose, understands only `b64`;
 * RFC 7797 §6 then makes `b64` a boolean, and a JWT must not use an unencoded payload (`b64: false`).
 */
export function acceptableHeader(header: Readonly<Record<string, unknown>>, algorithms: ReadonlySet<string>): boolean {
  const { crit, alg } = header;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0) return false;
    for (const name of crit) {
      if (name !== "b64" || header.b64 === undefined) return false;
    }
    if (header.b64 !== true) return false;
  }
  return typeof alg === "string" && algorithms.has(alg);
}
