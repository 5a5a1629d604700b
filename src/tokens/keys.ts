/**
 * @module
 * The key set: one key signs, several verify (the signing key and older ones kept during a rotation),
 * chosen by the token's `kid`. Keys are turned into Node `KeyObject`s once, at construction, and
 * anything wrong with them is a `TypeError` then, naming the option.
 */
import { ConfigurationError, gatehouseError } from "../core/errors.ts";
import { createPrivateKey, createPublicKey, createSecretKey, KeyObject } from "node:crypto";
// jose's JWK, not node:crypto's JsonWebKey: the published types must compile against every @types/node.
import { exportJWK, type JWK, type JWSHeaderParameters } from "jose";

/** One key. HMAC algorithms take `secret`; the others `privateKey` (to sign) or `publicKey` (to verify). */
export interface KeyOptions {
  /** Put in the header of tokens it signs; tokens without `kid` are checked with the signing key. */
  readonly kid?: string;
  readonly alg: string;
  /** HS256/HS384/HS512: the shared secret; a string counts as its UTF-8 bytes, as PyJWT reads it. */
  readonly secret?: string | Uint8Array;
  /** PEM (PKCS#8), JWK or `KeyObject`. */
  readonly privateKey?: string | JWK | KeyObject;
  /** PEM (SPKI), JWK or `KeyObject`. */
  readonly publicKey?: string | JWK | KeyObject;
}

export interface KeySetOptions {
  /** The key new tokens are signed with (it also verifies). */
  readonly signing: KeyOptions;
  /** Keys that only verify: the previous signing keys, until their tokens have expired. */
  readonly verification?: readonly KeyOptions[];
}

/** A key ready for use: its `kid`, its algorithm, and the Node `KeyObject`s made once. */
export interface PreparedKey {
  readonly kid: string | undefined;
  readonly alg: string;
  /** Verifies (a public key, or the secret). */
  readonly key: KeyObject;
  /** Signs (the private key, or the secret); only on the signing key. */
  readonly signKey?: KeyObject;
}

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
const MIN_SECRET_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

const KEY_TYPES: Record<string, string> = {
  HS256: "secret", HS384: "secret", HS512: "secret",
  RS256: "rsa", RS384: "rsa", RS512: "rsa", PS256: "rsa", PS384: "rsa", PS512: "rsa",
  ES256: "ec", ES384: "ec", ES512: "ec", EdDSA: "ed25519", Ed25519: "ed25519",
};

/**
 * Signing and verification keys, prepared once.
 *
 * @example
 * const keys = new KeySet({ signing: { kid: "2025-06", alg: "HS256", secret: SECRET_KEY }, verification: [oldKey] });
 */
export class KeySet {
  readonly signing: PreparedKey;
  /** The algorithm allow-list: the algorithms of the configured keys, nothing else. */
  readonly algorithms: readonly string[];
  readonly #byKid = new Map<string, PreparedKey>();
  readonly #withoutKid: PreparedKey[] = [];
  readonly #verifying: readonly PreparedKey[];

  constructor(options: KeySetOptions) {
    if (!options?.signing) throw gatehouseError("GH_INVALID_KEY", "gatehouse/tokens: keys.signing is required");
    this.signing = prepare(options.signing, "keys.signing", true);
    const verifying = (this.#verifying = [this.signing, ...(options.verification ?? []).map((key, i) => prepare(key, `keys.verification[${i}]`, false))]);
    for (const key of verifying) {
      if (key.kid === undefined) this.#withoutKid.push(key);
      else if (this.#byKid.has(key.kid)) throw gatehouseError("GH_INVALID_KEY", `gatehouse/tokens: two keys share the kid "${key.kid}"`);
      else this.#byKid.set(key.kid, key);
    }
    this.algorithms = Object.freeze([...new Set(verifying.map((key) => key.alg))]);
  }

  /** The key that verifies a token with this header; throws (jose then refuses the token) when none does. */
  readonly verificationKey = (header: JWSHeaderParameters): KeyObject => {
    const key = this.keyFor(header);
    if (!key) throw new Error("no key for this token's kid and alg");
    return key.key;
  };

  /** Whether tokens are signed with a private key, so that others can verify them with the public one. */
  get asymmetric(): boolean {
    return KEY_TYPES[this.signing.alg] !== "secret";
  }

  /**
   * The public keys as a JWK Set (RFC 7517 §5), for `/.well-known/jwks.json`: the signing key and the keys
   * kept for verification, each with its `kid`, `alg` and `use: sig`. Secrets (HS*) are never in it.
   */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const asymmetric = this.#verifying.filter((key) => KEY_TYPES[key.alg] !== "secret");
    const keys = await Promise.all(
      asymmetric.map(async (key) => ({ ...(await exportJWK(key.key)), ...(key.kid === undefined ? {} : { kid: key.kid }), alg: key.alg, use: "sig" })),
    );
    return { keys };
  }

  /** @internal The key a token with this header names (by `kid`, else by `alg`), or `undefined`: the verifiers' one choice of key. */
  keyFor(header: { readonly kid?: unknown; readonly alg?: unknown }): PreparedKey | undefined {
    const { kid, alg } = header;
    const key = kid === undefined ? this.#withoutKid.find((k) => k.alg === alg) ?? this.#signingFor(alg) : typeof kid === "string" ? this.#byKid.get(kid) : undefined;
    return key?.alg === alg ? key : undefined;
  }

  #signingFor(alg: unknown): PreparedKey | undefined {
    return this.signing.alg === alg ? this.signing : undefined;
  }
}

function prepare(options: KeyOptions, name: string, signs: boolean): PreparedKey {
  const type = KEY_TYPES[options.alg];
  if (!type) throw gatehouseError("GH_INVALID_KEY", `gatehouse/tokens: ${name}.alg must be one of ${Object.keys(KEY_TYPES).join(", ")} (got ${JSON.stringify(options.alg)})`);
  try {
    if (type === "secret") {
      if (options.secret === undefined || options.secret.length === 0) throw new TypeError(`${name}.secret is required for ${options.alg}`);
      const bytes = typeof options.secret === "string" ? Buffer.from(options.secret, "utf8") : options.secret;
      const least = MIN_SECRET_BYTES[options.alg]!;
      // RFC 7518 §3.2 ("a key of the same size as the hash output or larger MUST be used"): a short secret
      // is found by offline guessing from any one token, and then every token can be forged.
      if (bytes.length < least) {
        throw gatehouseError("GH_WEAK_KEY", `gatehouse/tokens: ${name}.secret has ${bytes.length} bytes; ${options.alg} needs at least ${least} (RFC 7518 §3.2). Generate one with: openssl rand -hex 32`);
      }
      const key = createSecretKey(bytes);
      return { kid: options.kid, alg: options.alg, key, signKey: signs ? key : undefined };
    }
    const material = signs ? options.privateKey : (options.publicKey ?? options.privateKey);
    if (material === undefined) throw new TypeError(`${name}.${signs ? "privateKey" : "publicKey"} is required for ${options.alg}`);
    const signKey = signs ? asPrivate(material) : undefined;
    const key = signKey ? createPublicKey(signKey) : asPublic(material);
    const actual = key.asymmetricKeyType;
    if (actual !== type) throw new TypeError(`${name}: a ${actual} key cannot be used with ${options.alg}`);
    return { kid: options.kid, alg: options.alg, key, signKey };
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw gatehouseError("GH_INVALID_KEY", `gatehouse/tokens: ${message.startsWith(name) ? message : `${name}: ${message}`}`, { cause: error });
  }
}

function asPrivate(material: string | JWK | KeyObject): KeyObject {
  if (typeof material === "string") return createPrivateKey(material);
  if (material instanceof KeyObject) return material;
  return createPrivateKey({ key: material, format: "jwk" });
}

function asPublic(material: string | JWK | KeyObject): KeyObject {
  if (typeof material === "string") return createPublicKey(material);
  if (material instanceof KeyObject) return material.type === "private" ? createPublicKey(material) : material;
  return createPublicKey({ key: material, format: "jwk" });
}
