/**
 * `node --import tsx bench/verify.mjs`: what one `tokens.verify` costs in-process, without HTTP — the seed's
 * token repeated (cache hits), distinct valid tokens and distinct forged ones (every one a full check), with
 * the cache on and off; 50 verifications in flight, as 50 connections would keep. Prints the best and the
 * median of 8 rounds of CPU µs per verification: a quick check of the verifier alone on a noisy machine.
 */
import { createTokenService, MemoryStore } from "../src/tokens/index.ts";
import { SECRET_KEY } from "./lib/seed.mjs";
import { measureCases } from "./lib/in-flight.mjs";
import { distinctTokens, mintToken, WRONG_KEY } from "./lib/tokens.mjs";

const service = (cacheSize) => createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {}, cacheSize });
const on = service(10_000);
const off = service(0);
await Promise.all([on.ready(), off.ready()]);
// As headers, sliced per call as the bearer scheme does: V8 then hashes each token afresh, as it does per
// request (one string object verified again and again keeps its hash, and hid that cost).
const headers = (tokens) => tokens.map((token) => `Bearer ${token}`);
const hot = headers(Array(50_000).fill(mintToken()));
const valid = headers(distinctTokens(50_000));
const forged = headers(distinctTokens(50_000, WRONG_KEY));

const cases = [
  ["hot (one token), cache on", on, hot],
  ["distinct valid, cache on", on, valid],
  ["distinct valid, cache off", off, valid],
  ["distinct forged, cache on", on, forged],
];
await measureCases(cases.map(([name, tokens, list]) => [name, (header) => tokens.verify(header.slice(7)), list]), { count: 10_000, unit: "verify" });
console.log(`cache: ${JSON.stringify(on.verifiedCache.stats)}`);
await Promise.all([on.close(), off.close()]);
