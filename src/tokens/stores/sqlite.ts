/**
 * @module
 * The embedded default store, on better-sqlite3. The database is in WAL mode with `synchronous = FULL`:
 * every commit fsyncs the write-ahead log, so a revocation is on disk before `revoke` resolves and
 * survives a crash or power loss (NORMAL would only survive a crash of the process).
 *
 * Several processes may share one file (a cluster, PM2, a rolling restart): each polls `PRAGMA
 * data_version` every `pollMs` (a read of shared memory, no I/O) and, when another connection has
 * committed, reads the revocation rows past the last `seq` it saw. **Bound:** a revocation made by one
 * process reaches the others within `pollMs` (default 20 ms) plus one read; a poll that fails reports the
 * store down (503) until one succeeds. A lock held by another connection never blocks the event loop:
 * `busy_timeout` is 0 and a busy statement is retried asynchronously until `lockWaitMs`, then rejects.
 *
 * better-sqlite3 is an optional peer dependency, loaded when the first store is opened.
 */
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type Database from "better-sqlite3";
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import { millis, systemClock } from "../internal/clock.ts";
import type { Clock, RevocationEntry } from "../types.ts";
import { migrate, prepare, type Statements } from "./sqlite-schema.ts";
import { storedRecord, type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export interface SqliteStoreOptions {
  /** The clock TTLs are measured with; tests pass a fake one. */
  readonly now?: Clock;
  /** How often, at most, expired rows are deleted (on the next write). Default 60 000 ms. */
  readonly pruneIntervalMs?: number;
  /** How often other processes' revocations are looked for. Default 20 ms. */
  readonly pollMs?: number;
  /** How long a statement keeps retrying while another connection holds the lock, then rejects. Default 1 000 ms. */
  readonly lockWaitMs?: number;
}

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
  /** A PRAGMA statement's result (`simple`: its first value). */
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
  /** `fn` run as one transaction, each time the returned function is called. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /** An online backup into `destination` (better-sqlite3's `backup`). */
  backup(destination: string): Promise<unknown>;
  close(): unknown;
}

type Row = { record: string; consumed: number | null };
type SeqRow = RevocationEntry & { seq: number };

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
  readonly #pollMs: number;
  readonly #lockWaitMs: number;
  readonly #watchers = new Watchers();
  #db: Database.Database;
  #sql: Statements;
  #prunedAt = 0;
  #poller: NodeJS.Timeout | undefined;
  /** The connection's `data_version` at the last poll; `undefined` after a reopen (a new connection counts anew). */
  #dataVersion: number | undefined;
  /** The highest `seq` this instance has read. */
  #seq = 0;
  #pollFailed = false;
  #closed = false;

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.#now = options.now ?? systemClock;
    this.#pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 20;
    this.#lockWaitMs = options.lockWaitMs ?? 1000;
    this.location = path === ":memory:" ? "sqlite::memory:" : `sqlite:${resolve(path)}`;
    [this.#db, this.#sql] = open(path, false);
    this.#seq = Number(this.#sql.lastSeq.pluck().get());
  }

  /** The better-sqlite3 handle (for backups, inspection, and tests that pull the plug). */
  get database(): SqliteDatabase {
    return this.#db;
  }

  save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    const { consumed: _dropped, ...fresh } = record;
    return this.#run((sql, now) => {
      sql.save.run(key, record.subject, JSON.stringify(fresh), ttlMs === undefined ? null : now + ttlMs);
      this.#prune(now);
    });
  }

  find(key: string): Promise<StoredRecord | undefined> {
    return this.#run((sql, now) => {
      const row = sql.find.get(key, now) as Row | undefined;
      return row && storedRecord(row.record, row.consumed);
    });
  }

  findBySubject(subject: string): Promise<StoredRecord[]> {
    return this.#run((sql, now) => (sql.bySubject.all(subject, now) as Row[]).map((row) => storedRecord(row.record, row.consumed)));
  }

  consume(key: string): Promise<boolean> {
    return this.#run((sql, now) => sql.consume.run(now, key, now).changes === 1);
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    await this.#run((sql, now) =>
      this.#db
        .transaction(() => {
          const seq = Number(sql.nextSeq.pluck().get());
          sql.revoke.run(entry.type, entry.id, entry.at, entry.expiresAt, seq);
          this.#prune(now);
        })
        .immediate(),
    );
    this.#watchers.revoked(entry);
  }

  revocations(): Promise<RevocationEntry[]> {
    return this.#run((sql, now) =>
      this.#db.transaction(() => {
        // One read transaction: the rows and the counter they are complete up to.
        this.#seq = Math.max(this.#seq, Number(sql.lastSeq.pluck().get()));
        return sql.revocations.all(now) as RevocationEntry[];
      })(),
    );
  }

  watch(events: StoreEvents): () => void {
    this.#poller ??= setInterval(() => this.#poll(), this.#pollMs).unref();
    return this.#watchers.add(events);
  }

  /** Reopens a closed handle (the file must still exist: an empty new one would forget every revocation) and reads; never writes, so a locked file still answers. */
  ping(): Promise<void> {
    return this.#run((sql) => void sql.lastSeq.get());
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poller);
    this.#watchers.clear();
    if (this.#db.open) this.#db.close();
  }

  /**
   * Run statements on the open handle (reopening it if it was closed). While another connection holds the
   * lock, retry after a short, growing pause — the event loop stays free — and reject after `lockWaitMs`.
   */
  async #run<T>(statements: (sql: Statements, now: number) => T): Promise<T> {
    const deadline = Date.now() + this.#lockWaitMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the SQLite store is closed");
      try {
        return statements(this.#handle(), millis(this.#now));
      } catch (error) {
        if (!isBusy(error)) throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: SQLite ${this.path}: ${(error as Error).message}`, { cause: error });
        if (Date.now() + pause > deadline) {
          throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: SQLite ${this.path} is locked by another connection for more than ${this.#lockWaitMs} ms`, { cause: error });
        }
      }
      await sleep(pause);
    }
  }

  #handle(): Statements {
    if (!this.#db.open) {
      [this.#db, this.#sql] = open(this.path, true);
      this.#dataVersion = undefined;
    }
    return this.#sql;
  }

  /** Announce the revocations other processes committed since the last poll; report the store down while polling fails. */
  #poll(): void {
    if (this.#closed) return;
    try {
      const sql = this.#handle();
      const version = sql.dataVersion.pluck().get() as number;
      if (version !== this.#dataVersion) {
        this.#dataVersion = version;
        for (const { seq, ...entry } of sql.since.all(this.#seq, millis(this.#now)) as SeqRow[]) {
          this.#seq = Math.max(this.#seq, seq);
          this.#watchers.revoked(entry);
        }
      }
      if (this.#pollFailed) {
        this.#pollFailed = false;
        this.#watchers.up();
      }
    } catch (error) {
      if (this.#pollFailed) return;
      this.#pollFailed = true;
      this.#watchers.down(gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: SQLite ${this.path}: cannot read other processes' revocations (${(error as Error).message})`, { cause: error }));
    }
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
    // Opening and migrating happen at start-up (or on recovery), where a short synchronous wait is fine.
    db.pragma("busy_timeout = 1000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    migrate(db);
    // On the request path a lock is waited for asynchronously (`#run`), never inside SQLite.
    db.pragma("busy_timeout = 0");
    return [db, prepare(db)];
  } catch (error) {
    db.close();
    throw error;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

