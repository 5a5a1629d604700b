/**
 * @module
 * Bench only: the seed app (examples/seed.ts) with `$GATEHOUSE_BENCH_REVOKED` tokens (default 1 000 000) in
 * its revocation set (`tokens.ledger.set`, internal: not in the published types) before it listens on `$PORT`. Run
 * it with `GATEHOUSE_STORE=memory` (the bench does). Without revocation support it prints `skipped: …` and
 * exits 3, and the bench reports scenario 4 as skipped.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";

function skip(reason: string): never {
  console.log(`skipped: ${reason}`);
  process.exit(3);
}

if (!existsSync(new URL("../../src/tokens/index.ts", import.meta.url))) skip("revocation not available (gatehouse/tokens does not exist yet)");
const seed = await import("../../examples/seed.ts");
if (!("tokens" in seed)) skip("revocation not available (examples/seed.ts has no token service)");
const { app, tokens } = seed;

const count = Number(process.env.GATEHOUSE_BENCH_REVOKED ?? 1_000_000);
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

await app.listen({ host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 19111) });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
