/**
 * @module
 * The tokens the scenarios send, minted with node:crypto in the bench process: the seed's token for the
 * hot path, and rings of distinct tokens (more than the verified-token cache holds) for the cold path.
 */
import { createHmac, randomBytes } from "node:crypto";
import { SECRET_KEY } from "./seed.mjs";

const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const HEADER = part({ alg: "HS256", typ: "JWT" });

function signed(claims, secret) {
  const input = `${HEADER}.${part(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** The seed's token for johndoe with scopes "me items", valid 30 minutes; every server accepts it. */
export function mintToken() {
  return signed({ sub: "johndoe", scopes: ["me", "items"], exp: Math.floor(Date.now() / 1000) + 1800 }, SECRET_KEY);
}

/** A secret no server knows: what a scanner's or an attacker's tokens are signed with. */
export const WRONG_KEY = "a key of the right length that no server under test knows, 64 chars";

/**
 * `count` distinct tokens for johndoe, each as `/token` issues them (`sub`, `scopes`, `iat`, `exp`, a random
 * `jti`), signed with `secret`. They live 4 hours: longer than a full bench.
 */
export function distinctTokens(count, secret = SECRET_KEY) {
  const iat = Math.floor(Date.now() / 1000) - 1;
  return Array.from({ length: count }, () => signed({ sub: "johndoe", scopes: ["me", "items"], iat, exp: iat + 4 * 3600, jti: randomBytes(16).toString("base64url") }, secret));
}

/**
 * A scenario's `clientRequests`: connection `k` of `connections` sends its own slice of `tokens`, round and
 * round from position `from`: no two connections share a token, and a token comes back only after the whole
 * slice, while the other connections send theirs.
 */
export function slices(tokens) {
  return (k, connections, from = 0) => {
    const size = Math.ceil(tokens.length / connections);
    return Array.from({ length: size }, (_, j) => ({ headers: { authorization: `Bearer ${tokens[(k * size + ((from + j) % size)) % tokens.length]}` } }));
  };
}
