/**
 * @module
 * Is this token signed by one of our keys, and do its claims hold? HS256/384/512 are checked here,
 * synchronously, with node:crypto (a `createHmac` on the key prepared at start-up, `timingSafeEqual`):
 * jose goes through WebCrypto, which imports the key again and hops to the thread pool on every call, and
 * that was most of the cost of a token not seen before. Every other algorithm goes to jose. Both paths
 * refuse the same tokens: the text first (`jws.ts`), then jose's header rules, the key, the signature, and
 * jose's claim rules (`jwt-rules.ts`); `test/tokens/jws-equivalence.test.ts` holds the HMAC path to jose.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import type { KeySet, PreparedKey } from "../keys.ts";
import { acceptableHeader, jsonObject, splitCompact, type CompactJws } from "./jws.ts";
import { claimFailure, joseOptions, type ClaimFailure, type ClaimRules } from "./jwt-rules.ts";

/** What the check found: not ours (malformed, or not signed by a key of ours), or a signed claims set and whether its claims hold. */
export type Checked = { readonly signed: false } | { readonly signed: true; readonly payload: JWTPayload; readonly failure: ClaimFailure | undefined };

/** RFC 7518 §3.2: the hash of each HMAC algorithm, and the length of its signature in base64url characters. */
const HMAC: Readonly<Record<string, { readonly hash: string; readonly chars: number }>> = {
  HS256: { hash: "sha256", chars: 43 },
  HS384: { hash: "sha384", chars: 64 },
  HS512: { hash: "sha512", chars: 86 },
};

/** A header that passed the rules, with the key it names. */
interface Accepted {
  readonly header: Readonly<Record<string, unknown>>;
  readonly key: PreparedKey;
}

const NOT_OURS: Checked = Object.freeze({ signed: false });
/** Distinct header texts remembered: an issuer uses a handful; a flood of others never holds more. */
const HEADERS_KEPT = 64;

export class Signatures {
  readonly #algorithms: ReadonlySet<string>;
  readonly #jose: Omit<JWTVerifyOptions, "currentDate">;
  /** Header text → the verdict on it: a pure function of the text and the (immutable) key set. */
  readonly #headers = new Map<string, Accepted | null>();

  constructor(
    readonly keys: KeySet,
    readonly rules: ClaimRules,
  ) {
    this.#algorithms = new Set(keys.algorithms);
    this.#jose = joseOptions(rules, keys.algorithms);
  }

  /** Check `token` at `nowMs`: synchronously for HMAC keys, through jose for the others. */
  check(token: string, nowMs: number): Checked | Promise<Checked> {
    const jws = splitCompact(token);
    if (!jws) return NOT_OURS;
    const accepted = this.#accept(jws.header);
    if (!accepted) return NOT_OURS;
    const hmac = HMAC[accepted.key.alg];
    return hmac ? this.#hmac(jws, accepted, hmac, nowMs) : this.#viaJose(token, nowMs);
  }

  #accept(segment: string): Accepted | null {
    let accepted = this.#headers.get(segment);
    if (accepted !== undefined) return accepted;
    const header = jsonObject(segment);
    const key = header && acceptableHeader(header, this.#algorithms) ? this.keys.keyFor(header) : undefined;
    accepted = header && key ? { header, key } : null;
    // A flood of other headers starts the memo over (cheaper than finding the oldest entry of a churned Map).
    if (this.#headers.size >= HEADERS_KEPT) this.#headers.clear();
    this.#headers.set(segment, accepted);
    return accepted;
  }

  #hmac(jws: CompactJws, { header, key }: Accepted, hmac: { readonly hash: string; readonly chars: number }, nowMs: number): Checked {
    // The length is public (it follows from the algorithm): a wrong one is refused before any crypto.
    if (jws.signature.length !== hmac.chars) return NOT_OURS;
    const expected = createHmac(hmac.hash, key.key).update(jws.signingInput).digest();
    if (!timingSafeEqual(Buffer.from(jws.signature, "base64url"), expected)) return NOT_OURS;
    const payload = jsonObject(jws.payload);
    if (!payload) return NOT_OURS; // jose's JWTInvalid: signed, but not a claims set
    return { signed: true, payload, failure: claimFailure(header, payload, this.rules, nowMs) };
  }

  async #viaJose(token: string, nowMs: number): Promise<Checked> {
    try {
      const issuer = typeof this.rules.issuer === "function" ? this.rules.issuer() : undefined;
      const options = { ...this.#jose, currentDate: new Date(nowMs), ...(issuer === undefined ? {} : { issuer }) };
      const { payload } = await jwtVerify(token, this.keys.verificationKey, options);
      return { signed: true, payload, failure: undefined };
    } catch (error) {
      // jose checks the signature before the claims: a claim failure carries a genuine payload.
      if (error instanceof errors.JWTExpired) return { signed: true, payload: error.payload, failure: "expired" };
      if (error instanceof errors.JWTClaimValidationFailed) return { signed: true, payload: error.payload, failure: "invalid" };
      return NOT_OURS;
    }
  }
}
