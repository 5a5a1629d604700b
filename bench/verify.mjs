/**
 * `node --import tsx bench/verify.mjs`: what one `tokens.verify` costs in-process, without HTTP — the seed's
 * token repeated (cache hits), distinct valid tokens and distinct forged ones (every one a full check), with
 * the cache on and off; 50 verifications in flight, as 50 connections would keep. Prints the best and the
 * median of 8 rounds of CPU µs per verification: a quick check of the verifier alone on a noisy machine.
 */
import { createTokenService, MemoryStore } from "../src/tokens/index.ts";
import { SECRET_KEY } from "./lib/seed.mjs";
import { distinctTokens, mintToken, WRONG_KEY } from "./lib/tokens.mjs";

const service = (cacheSize) => createTokenService({ keys: { signing: { alg: "HS256", secret: SECRET_KEY } }, store: new MemoryStore(), sweepIntervalMs: 0, onStateChange: () => {}, cacheSize });
const on = service(10_000);
const off = service(0);
await Promise.all([on.ready(), off.ready()]);
const hot = Array(50_000).fill(mintToken());
const valid = distinctTokens(50_000);
const forged = distinctTokens(50_000, WRONG_KEY);

async function round(tokens, list, from, count) {
  const cpu = process.cpuUsage();
  let next = from;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < from + count) await tokens.verify(list[next++ % list.length]);
  }));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / count;
}

const cases = [
  ["hot (one token), cache on", on, hot],
  ["distinct valid, cache on", on, valid],
  ["distinct valid, cache off", off, valid],
  ["distinct forged, cache on", on, forged],
];
const results = new Map(cases.map(([name]) => [name, []]));
let from = 0;
for (let r = 0; r < 8; r++) {
  for (const [name, tokens, list] of cases) {
    results.get(name).push(await round(tokens, list, from, 10_000));
    from += 10_000;
  }
}
for (const [name, values] of results) {
  values.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} best ${values[0].toFixed(2)}  median ${values[4].toFixed(2)} CPU µs/verify`);
}
console.log(`cache: ${JSON.stringify(on.verifiedCache.stats)}`);
await Promise.all([on.close(), off.close()]);
