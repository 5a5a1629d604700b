/**
 * @module
 * Bench only: put `$GATEHOUSE_BENCH_REVOKED` token revocations (default 1 000 000) into the store
 * `$GATEHOUSE_STORE` names, in bulk and in its own tables or keys (one `revoke` per entry would take an
 * hour of fsyncs), so that the servers started on it load them as any instance loads its store at
 * start-up. Ids are shaped like the issuer's; expiries spread over the hour after the next one.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import postgres from "postgres";
import { openStore, SqliteStore } from "gatehouse/tokens";
import { RedisStore } from "gatehouse/tokens/redis";
import { PostgresStore } from "gatehouse/tokens/postgres";

const url = process.env.GATEHOUSE_STORE ?? "memory";
const count = Number(process.env.GATEHOUSE_BENCH_REVOKED ?? 1_000_000);
const store = openStore(url, { redis: { acceptUnsafe: ["appendonly"] } });
const now = Date.now();
const entry = (i: number) => ({ id: randomBytes(16).toString("base64url"), expiresAt: now + 3_600_000 + (i % 3600) * 1000 });
const CHUNK = 10_000;
const started = performance.now();

if (store instanceof SqliteStore) {
  const db = store.database;
  const insert = db.prepare("INSERT OR IGNORE INTO revocations (type, id, at, expires_at, seq) VALUES ('token', ?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const { id, expiresAt } = entry(i);
      insert.run(id, now, expiresAt, i + 1);
    }
    db.prepare("UPDATE store_meta SET value = ? WHERE key = 'revocation_seq'").run(count);
  })();
} else if (store instanceof RedisStore) {
  const redis = new Redis(url);
  for (let i = 0; i < count; i += CHUNK) {
    const pipeline = redis.pipeline();
    for (let j = i; j < Math.min(count, i + CHUNK); j++) {
      const { id, expiresAt } = entry(j);
      pipeline.hset(`${store.prefix}revocation-index`, `token:${id}`, JSON.stringify({ type: "token", id, at: now, expiresAt }));
      pipeline.zadd(`${store.prefix}revocation-index:expiry`, expiresAt, `token:${id}`);
    }
    await pipeline.exec();
  }
  redis.disconnect();
} else if (store instanceof PostgresStore) {
  await store.revocations(); // creates the schema
  const sql = postgres(url, { onnotice: () => {} });
  await sql`INSERT INTO ${sql(store.schema)}.revocations (type, id, at, expires_at)
    SELECT 'token', encode(gen_random_bytes(16), 'base64'), ${now}::bigint, ${now + 3_600_000}::bigint + (i % 3600) * 1000 FROM generate_series(1, ${count}) AS i`.catch(async () => {
    // No pgcrypto: md5 of the number is as good an id here.
    await sql`INSERT INTO ${sql(store.schema)}.revocations (type, id, at, expires_at)
      SELECT 'token', md5(i::text || ${String(now)}), ${now}::bigint, ${now + 3_600_000}::bigint + (i % 3600) * 1000 FROM generate_series(1, ${count}) AS i`;
  });
  await sql.end();
}
await store.close();
console.log(`${count.toLocaleString("en")} revocations put into ${store.kind} in ${Math.round(performance.now() - started)} ms`);
