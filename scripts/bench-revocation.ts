/**
 * Per-request cost of the revocation check with N revoked tokens in the set (default 1 000 000):
 * `npx tsx scripts/bench-revocation.ts [N]`. Measures `RevocationSet.isRevoked` (hits and misses) and a
 * whole `verify()` (HS256 signature + claims + lookup) with the full set against an empty one.
 * Not a test: numbers depend on the machine; read them as orders of magnitude.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createTokenService, MemoryStore } from "gatehouse/tokens";
import { RevocationSet } from "../src/tokens/internal/revocation.ts";

const N = Number(process.argv[2] ?? 1_000_000);
const LOOKUPS = 5_000_000;
const now = Date.now();

function ids(count: number): string[] {
  return Array.from({ length: count }, () => randomBytes(16).toString("base64url"));
}

function measure(label: string, run: () => number): number {
  run(); // warm up the JIT on the same code path
  const started = performance.now();
  const ops = run();
  const ns = ((performance.now() - started) * 1e6) / ops;
  console.log(`${label.padEnd(58)} ${ns.toFixed(1).padStart(7)} ns/op`);
  return ns;
}

const heapBefore = process.memoryUsage().heapUsed;
const set = new RevocationSet();
const revoked = ids(N);
const fillStart = performance.now();
for (let i = 0; i < N; i++) set.add({ type: "token", id: revoked[i]!, at: now, expiresAt: now + ((i % 1800) + 1) * 1000 });
const fillMs = performance.now() - fillStart;
global.gc?.();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
console.log(`revocation set: ${set.size.toLocaleString("en")} revoked tokens, filled in ${fillMs.toFixed(0)} ms, ~${heapMb.toFixed(0)} MB heap (ids included)`);

// Claims as a verified token carries them; prepared up front so only the lookup is timed.
const live = ids(100_000).map((jti) => ({ jti, sub: "alice", fam: "f", iat: Math.floor(now / 1000) }));
const hits = revoked.slice(0, 100_000).map((jti) => ({ jti, sub: "alice", fam: "f", iat: Math.floor(now / 1000) }));
let sink = 0;
measure(`isRevoked, live token (miss), ${N.toLocaleString("en")} in the set`, () => {
  for (let i = 0; i < LOOKUPS; i++) sink += set.isRevoked(live[i % live.length]!) ? 1 : 0;
  return LOOKUPS;
});
measure(`isRevoked, revoked token (hit), ${N.toLocaleString("en")} in the set`, () => {
  for (let i = 0; i < LOOKUPS; i++) sink += set.isRevoked(hits[i % hits.length]!) ? 1 : 0;
  return LOOKUPS;
});
const empty = new RevocationSet();
measure("isRevoked, live token, empty set", () => {
  for (let i = 0; i < LOOKUPS; i++) sink += empty.isRevoked(live[i % live.length]!) ? 1 : 0;
  return LOOKUPS;
});

// The whole verification a request pays, with and without the million entries.
const options = { keys: { signing: { alg: "HS256", secret: "bench-secret-0123456789abcdef0123456789" } }, sweepIntervalMs: 0, onStateChange: () => {} };
const full = createTokenService({ ...options, store: new MemoryStore() });
const bare = createTokenService({ ...options, store: new MemoryStore() });
await Promise.all([full.ready(), bare.ready()]);
for (let i = 0; i < N; i++) full.ledger.set.add({ type: "token", id: revoked[i]!, at: now, expiresAt: now + 3_600_000 });
const { accessToken } = await full.login({ subject: "alice", scopes: ["me", "items"] });
async function verifyLoop(service: typeof full): Promise<number> {
  const count = 100_000;
  for (let i = 0; i < count; i++) if (!(await service.verify(accessToken)).ok) throw new Error("token refused");
  return count;
}
for (const [label, service] of [["verify() (HS256 + claims + lookup), empty set", bare], [`verify(), ${N.toLocaleString("en")} in the set`, full]] as const) {
  await verifyLoop(service);
  const started = performance.now();
  const ops = await verifyLoop(service);
  console.log(`${label.padEnd(58)} ${(((performance.now() - started) * 1e6) / ops).toFixed(0).padStart(7)} ns/op`);
}
await Promise.all([full.close(), bare.close()]);
if (sink === -1) console.log(sink);
