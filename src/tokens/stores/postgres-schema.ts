/**
 * @module
 * The PostgreSQL store's schema, created and migrated by gatehouse: `schema_version` holds the number of
 * migrations applied, and instances starting together migrate one at a time under an advisory lock. A
 * database migrated by a newer gatehouse is refused rather than misread.
 */
import type { Sql } from "postgres";
import { gatehouseError } from "../../core/errors.ts";

/** Each entry migrates from the version before it. Tables live in the store's schema (its `search_path`). */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE token_records (
    key text PRIMARY KEY, subject text NOT NULL, record text NOT NULL, expires_at bigint, consumed bigint
  );
  CREATE INDEX token_records_subject ON token_records (subject);
  CREATE INDEX token_records_expiry ON token_records (expires_at);
  CREATE TABLE revocations (
    type text NOT NULL, id text NOT NULL, at bigint NOT NULL, expires_at bigint, PRIMARY KEY (type, id)
  );
  CREATE INDEX revocations_expiry ON revocations (expires_at);`,
  // The login throttle's counters, in rate-limiter-flexible's own PostgreSQL layout (key, points, expire).
  `CREATE TABLE login_counters (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
  CREATE INDEX login_counters_expiry ON login_counters (expire);`,
];

/** The schema version this gatehouse writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Create the schema if missing and apply the migrations it lacks, in one transaction. */
export async function migrate(sql: Sql, schema: string): Promise<void> {
  await sql.begin(async (tx) => {
    // One instance at a time: the others wait here, then find nothing left to do.
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`gatehouse:${schema}`}))`;
    await tx`CREATE SCHEMA IF NOT EXISTS ${tx(schema)}`;
    await tx`CREATE TABLE IF NOT EXISTS ${tx(schema)}.schema_version (version integer NOT NULL)`;
    const [row] = await tx<{ version: number }[]>`SELECT version FROM ${tx(schema)}.schema_version`;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw gatehouseError("GH_STORE_SCHEMA_NEWER", `gatehouse/tokens: PostgreSQL schema "${schema}" is at version ${current}, newer than this gatehouse knows (${SCHEMA_VERSION})`);
    }
    if (current === SCHEMA_VERSION) return;
    await tx.unsafe(`SET LOCAL search_path TO "${schema}"`);
    for (const step of MIGRATIONS.slice(current)) await tx.unsafe(step);
    if (row) await tx`UPDATE ${tx(schema)}.schema_version SET version = ${SCHEMA_VERSION}`;
    else await tx`INSERT INTO ${tx(schema)}.schema_version (version) VALUES (${SCHEMA_VERSION})`;
  });
}
