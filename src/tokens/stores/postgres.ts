/**
 * @module gatehouse/tokens/postgres — the store for many instances on a database most teams already run,
 * on the `postgres` package (an optional peer dependency, loaded when the first store is made; this module
 * is an entry point of its own so that only apps that import it need its types). Revocations are rows committed before
 * `revoke` resolves (PostgreSQL's durable commit), announced by NOTIFY in the same statement, so that a
 * revocation is never announced without being stored nor stored without being announced.
 *
 * **Bound:** NOTIFY reaches every listening instance at commit (p99 a few ms on one host). The LISTEN
 * connection is a dedicated one: when it closes the instance reports itself down at once, re-listens and
 * re-reads; a heartbeat NOTIFY every `heartbeatMs` (default 100 ms) must come back on it, and after
 * `heartbeatMisses` (default 5) unanswered ones it counts as silently dead (a NAT or load balancer dropping
 * it): down, replaced, re-read. Every statement has a deadline (`timeoutMs`, also PostgreSQL's
 * `lock_timeout` and `statement_timeout`), so a locked table or a hung server answers 503, never hangs.
 */
import type { Sql } from "postgres";
import type postgres from "postgres";
import { RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import { millis, systemClock } from "../internal/clock.ts";
import { withDeadline } from "../internal/deadline.ts";
import type { Clock, RateLimitSpec, RevocationEntry } from "../types.ts";
import { Subscription } from "./channel.ts";
import { withoutPassword } from "./location.ts";
import type { PostgresStoreOptions } from "./settings.ts";
import { ListenConnection } from "./postgres-listen.ts";
import { migrate } from "./postgres-schema.ts";
import { storedRecord, type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export type { PostgresStoreOptions } from "./settings.ts";

type RecordRow = { record: string; consumed: string | null };
type RevocationRow = { type: RevocationEntry["type"]; id: string; at: string; expires_at: string | null };

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;
/** Revocations read per statement at start-up and after an outage. */
const PAGE = 10_000;

/**
 * A {@link TokenStore} on PostgreSQL.
 *
 * @example
 * const store = new PostgresStore("postgres://app@db.internal/app", { schema: "gatehouse" });
 */
export class PostgresStore implements TokenStore {
  /** The package this store runs on, an optional peer dependency. */
  static readonly driver = "postgres";
  readonly kind = "postgres";
  /** The URL without its password. */
  readonly location: string;
  readonly schema: string;
  readonly #now: Clock;
  readonly #channel: string;
  readonly #timeoutMs: number;
  readonly #pruneIntervalMs: number;
  readonly #watchers = new Watchers();
  readonly #subscription: Subscription;
  readonly #driver: Promise<typeof postgres>;
  readonly #pool: Promise<Sql>;
  #migrated: Promise<void> | undefined;
  readonly #listen: ListenConnection;
  #prunedAt = 0;
  #closed = false;

  constructor(
    url: string,
    readonly options: PostgresStoreOptions = {},
  ) {
    this.schema = options.schema ?? "gatehouse";
    if (!IDENTIFIER.test(this.schema)) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: PostgreSQL \`schema\` must be a lower-case identifier (got "${this.schema}")`);
    this.#now = options.now ?? systemClock;
    this.#channel = `${this.schema}_revocations`;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.location = withoutPassword(url);
    // A missing driver is a start-up error naming the package (GH_MISSING_PEER), not a later 503.
    this.#driver = Promise.resolve(loadPeer<typeof postgres>(PostgresStore.driver, `the PostgreSQL token store (${this.location})`));
    this.#pool = this.#driver.then((driver) => driver(url, this.#connection({ max: options.max ?? 4, fetch_types: false })));
    this.#pool.catch(() => {});
    this.#subscription = new Subscription(this.#watchers, {
      intervalMs: options.heartbeatMs ?? 100,
      misses: options.heartbeatMisses ?? 5,
      send: (beat) => this.#query((sql) => sql`SELECT pg_notify(${this.#channel}, ${beat})`),
      missed: (error) => {
        this.#subscription.lost(error);
        // The socket may look open forever: end it and listen on a new connection.
        void this.#listen.replace();
      },
      error: (message) => gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: PostgreSQL ${message}`),
    });
    this.#listen = new ListenConnection(this.#channel, this.#subscription, async (hooks) => {
      const driver = await this.#driver;
      // Passed as a variable: `onnotify` is the driver's own hook (its `listen` uses it) but not in its types.
      const options = { ...this.#connection({ max: 1, idle_timeout: 0, max_lifetime: null, fetch_types: false }), ...hooks };
      return driver(url, options);
    });
    void this.#listen.replace();
  }

  save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    const { consumed: _dropped, ...fresh } = record;
    return this.#query(async (sql, now) => {
      await sql`INSERT INTO token_records (key, subject, record, expires_at, consumed)
        VALUES (${key}, ${record.subject}, ${JSON.stringify(fresh)}, ${ttlMs === undefined ? null : now + ttlMs}, NULL)
        ON CONFLICT (key) DO UPDATE SET subject = excluded.subject, record = excluded.record, expires_at = excluded.expires_at, consumed = NULL`;
      await this.#prune(sql, now);
    });
  }

  find(key: string): Promise<StoredRecord | undefined> {
    return this.#query(async (sql, now) => {
      const [row] = await sql<RecordRow[]>`SELECT record, consumed FROM token_records WHERE key = ${key} AND (expires_at IS NULL OR expires_at > ${now})`;
      return row && storedRecord(row.record, row.consumed);
    });
  }

  findBySubject(subject: string): Promise<StoredRecord[]> {
    return this.#query(async (sql, now) => {
      const rows = await sql<RecordRow[]>`SELECT record, consumed FROM token_records WHERE subject = ${subject} AND (expires_at IS NULL OR expires_at > ${now})`;
      return rows.map((row) => storedRecord(row.record, row.consumed));
    });
  }

  consume(key: string): Promise<boolean> {
    return this.#query(async (sql, now) => {
      const result = await sql`UPDATE token_records SET consumed = ${now} WHERE key = ${key} AND consumed IS NULL AND (expires_at IS NULL OR expires_at > ${now})`;
      return result.count === 1;
    });
  }

  /** One statement: the merged row is written and NOTIFY'd together, and committed before this resolves. */
  revoke(entry: RevocationEntry): Promise<void> {
    return this.#query(async (sql, now) => {
      await sql`WITH merged AS (
          INSERT INTO revocations (type, id, at, expires_at) VALUES (${entry.type}, ${entry.id}, ${entry.at}, ${entry.expiresAt})
          ON CONFLICT (type, id) DO UPDATE SET at = GREATEST(revocations.at, excluded.at),
            expires_at = CASE WHEN revocations.expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE GREATEST(revocations.expires_at, excluded.expires_at) END
          RETURNING type, id, at, expires_at
        )
        SELECT pg_notify(${this.#channel}, json_build_object('type', type, 'id', id, 'at', at, 'expiresAt', expires_at)::text) FROM merged`;
      await this.#prune(sql, now);
    });
  }

  /**
   * Every live revocation, read in pages in primary-key order, each page a statement of its own within the
   * deadline: a million revocations take many pages, never one statement past `timeoutMs`. What is revoked
   * meanwhile comes by NOTIFY, which the instance already listens to while it reads.
   */
  async revocations(): Promise<RevocationEntry[]> {
    const entries: RevocationEntry[] = [];
    let after: { type: string; id: string } | undefined;
    for (;;) {
      const page = await this.#query((sql, now) =>
        after === undefined
          ? sql<RevocationRow[]>`SELECT type, id, at, expires_at FROM revocations WHERE expires_at IS NULL OR expires_at > ${now} ORDER BY type, id LIMIT ${PAGE}`
          : sql<RevocationRow[]>`SELECT type, id, at, expires_at FROM revocations WHERE (type, id) > (${after.type}, ${after.id}) AND (expires_at IS NULL OR expires_at > ${now}) ORDER BY type, id LIMIT ${PAGE}`,
      );
      for (const row of page) entries.push(toEntry(row));
      if (page.length < PAGE) return entries;
      after = page[page.length - 1]!;
    }
  }

  watch(events: StoreEvents): () => void {
    return this.#watchers.add(events);
  }

  /**
   * The login throttle's counters, shared by every instance on this database: rate-limiter-flexible's
   * PostgreSQL limiter, its statements run through this store's pool and deadline (a failure counts in the
   * spec's in-memory insurance limiter instead). Expired counters go with the store's pruning.
   */
  rateLimiter(spec: RateLimitSpec): RateLimiterAbstract {
    const client = {
      query: async ({ text, values }: { text: string; values: postgres.ParameterOrJSON<never>[] }) => {
        const rows = await this.#query((sql) => sql.unsafe(text, values));
        return { rows, rowCount: rows.count };
      },
    };
    return new RateLimiterPostgres({ ...spec, storeClient: client, storeType: "pool", schemaName: this.schema, tableName: "login_counters", tableCreated: true, clearExpiredByTimeout: false });
  }

  /** Resolves when a statement runs, the schema is current, and the LISTEN connection answers its heartbeat. */
  async ping(): Promise<void> {
    await this.#query((sql) => sql`SELECT 1`);
    if (!this.#subscription.live) throw gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the PostgreSQL LISTEN connection is not proven live yet");
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscription.stop();
    this.#watchers.clear();
    await Promise.all([this.#listen.close(), this.#pool.then((sql) => sql.end({ timeout: 0 }), () => {})]);
  }

  /** Run statements on the migrated pool within the deadline; every failure is a `GH_STORE_FAILED` rejection. */
  async #query<T>(statements: (sql: Sql, now: number) => Promise<T>): Promise<T> {
    if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the PostgreSQL store is closed");
    const late = () => gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: PostgreSQL did not answer within ${this.#timeoutMs} ms`);
    try {
      return await withDeadline(this.#migratedPool().then((sql) => statements(sql, millis(this.#now))), this.#timeoutMs, late);
    } catch (error) {
      if (error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("GH_")) throw error;
      throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  }

  async #migratedPool(): Promise<Sql> {
    const sql = await this.#pool;
    // Retried after a failure (the server may come up later); done once it succeeds.
    this.#migrated ??= migrate(sql, this.schema).catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    await this.#migrated;
    return sql;
  }

  #connection<E extends object>(extra: E) {
    const ms = this.#timeoutMs;
    return {
      ...extra,
      connect_timeout: Math.ceil(this.#timeoutMs / 1000),
      onnotice: () => {},
      connection: { application_name: "gatehouse", search_path: this.schema, lock_timeout: ms, statement_timeout: ms },
    };
  }

  async #prune(sql: Sql, now: number): Promise<void> {
    if (now - this.#prunedAt < this.#pruneIntervalMs) return;
    this.#prunedAt = now;
    await sql`DELETE FROM token_records WHERE expires_at IS NOT NULL AND expires_at <= ${now}`;
    await sql`DELETE FROM revocations WHERE expires_at IS NOT NULL AND expires_at <= ${now}`;
    await sql`DELETE FROM login_counters WHERE expire IS NOT NULL AND expire <= ${now}`;
  }
}

function toEntry(row: RevocationRow): RevocationEntry {
  return { type: row.type, id: row.id, at: Number(row.at), expiresAt: row.expires_at === null ? null : Number(row.expires_at) };
}

