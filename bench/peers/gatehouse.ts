/**
 * @module
 * Bench only: the seed app (examples/seed.ts) on `$HOST:$PORT`, as `npm start` serves it, with what the bench
 * sets from inside (through internals left out of the published types):
 * - `GATEHOUSE_BENCH_CACHE=N`: the verified-token cache holds N entries (`0`: off) instead of its default;
 * - `GATEHOUSE_BENCH_REVOKED=N`: N revoked tokens in the revocation set before it listens (run it with
 *   `GATEHOUSE_STORE=memory`, as the bench does). Without revocation support it prints `skipped: …` and exits 3;
 * - on its IPC channel (when the bench opened one), `{type: "cache-stats"}` is answered with the cache's counts.
 */
import { randomBytes } from "node:crypto";

function skip(reason: string): never {
  console.log(`skipped: ${reason}`);
  process.exit(3);
}

const seed = await import("../../examples/seed.ts");
const { app, tokens } = seed;

const cacheSize = process.env.GATEHOUSE_BENCH_CACHE;
if (cacheSize !== undefined) tokens.verifiedCache.resize(Number(cacheSize));

const count = Number(process.env.GATEHOUSE_BENCH_REVOKED ?? 0);
if (count > 0) {
  if (!("ledger" in tokens)) skip("revocation not available (the token service has no revocation set)");
  await tokens.ready();
  const now = Date.now();
  const started = performance.now();
  // Straight into the in-memory set every request is checked against: a real store (SQLite, Redis) keeps its
  // copy outside the heap, so going through the bench's memory store would double the heap for nothing.
  for (let i = 0; i < count; i++) {
    // Ids shaped like the issuer's jti; expiries spread over the next hour so that no sweep drops them mid-run.
    const id = randomBytes(16).toString("base64url");
    tokens.ledger.set.add({ type: "token", id, at: now, expiresAt: now + 3_600_000 + (i % 3600) * 1000 });
  }
  const size = tokens.ledger.set.size;
  if (size < count) skip(`only ${size} of ${count} revocations are in the set`);
  console.log(`${size.toLocaleString("en")} revoked in ${Math.round(performance.now() - started)} ms, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
}

process.on("message", (message: { type?: string }) => {
  if (message?.type === "cache-stats") process.send?.({ type: "cache-stats", stats: tokens.verifiedCache.stats });
});

await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 8000) });
console.log(`gatehouse (examples/seed.ts) on ${process.env.PORT ?? 8000}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
