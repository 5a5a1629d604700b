/**
 * @module
 * The embedded default store, on better-sqlite3. The database is in WAL mode with `synchronous = FULL`:
 * every commit fsyncs the write-ahead log, so a revocation is on disk before `revoke` resolves and
 * survives a crash or power loss (NORMAL would only survive a crash of the process).
 * One process serves revocations from it; several processes on one file do not see each other's.
 * better-sqlite3 is an optional peer dependency, loaded when the first store is opened.
 */
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import type Database from "better-sqlite3";
import { resolve } from "node:path";
import { millis, systemClock } from "../internal/clock.ts";
import type { Clock, RevocationEntry } from "../types.ts";
import { type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export interface SqliteStoreOptions {
  /** The clock TTLs are measured with; tests pass a fake one. */
  readonly now?: Clock;
  /** How often, at most, expired rows are deleted (on the next write). Default 60 000 ms. */
  readonly pruneIntervalMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS token_records (
  key TEXT PRIMARY KEY, subject TEXT NOT NULL, record TEXT NOT NULL, expires_at INTEGER, consumed INTEGER
);
CREATE INDEX IF NOT EXISTS token_records_subject ON token_records (subject);
CREATE INDEX IF NOT EXISTS token_records_expiry ON token_records (expires_at);
CREATE TABLE IF NOT EXISTS revocations (
  type TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER, PRIMARY KEY (type, id)
);
CREATE INDEX IF NOT EXISTS revocations_expiry ON revocations (expires_at);
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT);
`;

const SQL = {
  save: "INSERT OR REPLACE INTO token_records (key, subject, record, expires_at, consumed) VALUES (?, ?, ?, ?, NULL)",
  find: "SELECT record, consumed FROM token_records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
  bySubject: "SELECT record, consumed FROM token_records WHERE subject = ? AND (expires_at IS NULL OR expires_at > ?)",
  consume: "UPDATE token_records SET consumed = ? WHERE key = ? AND consumed IS NULL AND (expires_at IS NULL OR expires_at > ?)",
  // One row per (type, id): the later `at` and the later expiry win, NULL (never) being the latest.
  revoke: `INSERT INTO revocations (type, id, at, expires_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (type, id) DO UPDATE SET at = max(at, excluded.at),
      expires_at = CASE WHEN expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE max(expires_at, excluded.expires_at) END`,
  revocations: "SELECT type, id, at, expires_at AS expiresAt FROM revocations WHERE expires_at IS NULL OR expires_at > ?",
  pruneRecords: "DELETE FROM token_records WHERE expires_at IS NOT NULL AND expires_at <= ?",
  pruneRevocations: "DELETE FROM revocations WHERE expires_at IS NOT NULL AND expires_at <= ?",
  ping: "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('ping', ?)",
} as const;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/**
 * The better-sqlite3 handle, as far as backups, inspection and tests need it. Declared here so that the
 * published types need neither better-sqlite3's types (a separate `@types` package) nor `any`.
 */
export interface SqliteDatabase {
  /** `false` once closed. */
  readonly open: boolean;
  /** The file's path. */
  readonly name: string;
  prepare(sql: string): { run(...params: unknown[]): { changes: number }; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  exec(sql: string): unknown;
  /** An online backup into `destination` (better-sqlite3's `backup`). */
  backup(destination: string): Promise<unknown>;
  close(): unknown;
}
type Row = { record: string; consumed: number | null };

/**
 * A {@link TokenStore} in one SQLite file, created if missing (its directory must exist; `openStore`
 * creates it).
 *
 * @example
 * const store = new SqliteStore(".gatehouse/tokens.db");
 */
export class SqliteStore implements TokenStore {
  /** The package this store runs on, an optional peer dependency. */
  static readonly driver = "better-sqlite3";
  readonly kind = "sqlite";
  readonly location: string;
  readonly #now: Clock;
  readonly #pruneIntervalMs: number;
  readonly #watchers = new Watchers();
  #db: Database.Database;
  #sql: Statements;
  #prunedAt = 0;
  #closed = false;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.#now = options.now ?? systemClock;
    this.#pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.location = path === ":memory:" ? "sqlite::memory:" : `sqlite:${resolve(path)}`;
    [this.#db, this.#sql] = open(path, false);
  }

  /** The better-sqlite3 handle (for backups, inspection, and tests that pull the plug). */
  get database(): SqliteDatabase {
    return this.#db;
  }

  async save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    const { consumed: _dropped, ...fresh } = record;
    const now = millis(this.#now);
    this.#sql.save.run(key, record.subject, JSON.stringify(fresh), ttlMs === undefined ? null : now + ttlMs);
    this.#prune(now);
  }

  async find(key: string): Promise<StoredRecord | undefined> {
    const row = this.#sql.find.get(key, millis(this.#now)) as Row | undefined;
    return row && toRecord(row);
  }

  async findBySubject(subject: string): Promise<StoredRecord[]> {
    return (this.#sql.bySubject.all(subject, millis(this.#now)) as Row[]).map(toRecord);
  }

  async consume(key: string): Promise<boolean> {
    const now = millis(this.#now);
    return this.#sql.consume.run(now, key, now).changes === 1;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    const now = millis(this.#now);
    this.#sql.revoke.run(entry.type, entry.id, entry.at, entry.expiresAt);
    this.#prune(now);
    // Only this process reads this file's revocations as they happen; other instances load them at start-up.
    this.#watchers.revoked(entry);
  }

  async revocations(): Promise<RevocationEntry[]> {
    return this.#sql.revocations.all(millis(this.#now)) as RevocationEntry[];
  }

  watch(events: StoreEvents): () => void {
    return this.#watchers.add(events);
  }

  /** Reopens a closed handle (the file must still exist: an empty new one would forget every revocation) and tries a write. */
  async ping(): Promise<void> {
    if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the SQLite store is closed");
    if (!this.#db.open) [this.#db, this.#sql] = open(this.path, true);
    this.#sql.ping.run(String(millis(this.#now)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watchers.clear();
    if (this.#db.open) this.#db.close();
  }

  #prune(now: number): void {
    if (now - this.#prunedAt < this.#pruneIntervalMs) return;
    this.#prunedAt = now;
    this.#sql.pruneRecords.run(now);
    this.#sql.pruneRevocations.run(now);
  }
}

function open(path: string, fileMustExist: boolean): [Database.Database, Statements] {
  const Driver = loadPeer<typeof Database>(SqliteStore.driver, `the SQLite token store (${resolve(path)})`);
  const db = new Driver(path, { fileMustExist });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    const sql = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as Statements;
    return [db, sql];
  } catch (error) {
    db.close();
    throw error;
  }
}

function toRecord(row: Row): StoredRecord {
  const record = JSON.parse(row.record) as StoredRecord;
  return row.consumed === null ? record : { ...record, consumed: row.consumed };
}
