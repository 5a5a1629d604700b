/**
 * @module
 * The SQLite store's schema and statements. The schema is versioned by `PRAGMA user_version` and migrated
 * at open. Every revocation row carries `seq`, a number from one counter that only grows (kept in
 * `store_meta`, so that pruning rows never lowers it): another process reads just the rows past the last
 * `seq` it saw.
 */
import type Database from "better-sqlite3";
import { gatehouseError } from "../../core/errors.ts";

/** Each entry migrates from the version before it; `user_version` is the number applied. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS token_records (
    key TEXT PRIMARY KEY, subject TEXT NOT NULL, record TEXT NOT NULL, expires_at INTEGER, consumed INTEGER
  );
  CREATE INDEX IF NOT EXISTS token_records_subject ON token_records (subject);
  CREATE INDEX IF NOT EXISTS token_records_expiry ON token_records (expires_at);
  CREATE TABLE IF NOT EXISTS revocations (
    type TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER, PRIMARY KEY (type, id)
  );
  CREATE INDEX IF NOT EXISTS revocations_expiry ON revocations (expires_at);
  CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT);`,
  // 2: a sequence, so that several processes on one file see each other's revocations.
  `ALTER TABLE revocations ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX revocations_seq ON revocations (seq);
  INSERT OR IGNORE INTO store_meta (key, value) VALUES ('revocation_seq', 0);
  DELETE FROM store_meta WHERE key = 'ping';`,
];

/** Bring the file's schema to the current version, in one transaction; refuse a file from a newer gatehouse. */
export function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current === MIGRATIONS.length) return;
  if (current > MIGRATIONS.length) throw gatehouseError("GH_STORE_SCHEMA_NEWER", `gatehouse/tokens: the SQLite file's schema is version ${current}, newer than this gatehouse knows (${MIGRATIONS.length})`);
  db.transaction(() => {
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

export const SQL = {
  save: "INSERT OR REPLACE INTO token_records (key, subject, record, expires_at, consumed) VALUES (?, ?, ?, ?, NULL)",
  find: "SELECT record, consumed FROM token_records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
  bySubject: "SELECT record, consumed FROM token_records WHERE subject = ? AND (expires_at IS NULL OR expires_at > ?)",
  consume: "UPDATE token_records SET consumed = ? WHERE key = ? AND consumed IS NULL AND (expires_at IS NULL OR expires_at > ?)",
  nextSeq: "UPDATE store_meta SET value = value + 1 WHERE key = 'revocation_seq' RETURNING value",
  // One row per (type, id): the later `at` and the later expiry win, NULL (never) being the latest.
  revoke: `INSERT INTO revocations (type, id, at, expires_at, seq) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (type, id) DO UPDATE SET at = max(at, excluded.at), seq = excluded.seq,
      expires_at = CASE WHEN expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE max(expires_at, excluded.expires_at) END`,
  revocations: "SELECT type, id, at, expires_at AS expiresAt FROM revocations WHERE expires_at IS NULL OR expires_at > ?",
  since: "SELECT type, id, at, expires_at AS expiresAt, seq FROM revocations WHERE seq > ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY seq",
  lastSeq: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'revocation_seq'",
  dataVersion: "PRAGMA data_version",
  pruneRecords: "DELETE FROM token_records WHERE expires_at IS NOT NULL AND expires_at <= ?",
  pruneRevocations: "DELETE FROM revocations WHERE expires_at IS NOT NULL AND expires_at <= ?",
} as const;

export type Statements = { [K in keyof typeof SQL]: Database.Statement };

/** Prepare every statement of {@link SQL} on `db`. */
export function prepare(db: Database.Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as Statements;
}
