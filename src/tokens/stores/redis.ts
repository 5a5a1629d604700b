/**
 * @module gatehouse/tokens/redis — the store for many app instances, on ioredis. Revocations are keys
 * with a TTL (dropped by Redis when the tokens they concern have expired) and are published on a channel;
 * every instance applies what it hears to its local set. Messages sent while an instance is disconnected
 * are lost, so the instance reports itself down the moment its subscription drops and re-reads every
 * revocation once it is back. ioredis is an optional peer dependency, loaded when the first store is
 * created; this module is an entry point of its own so that only apps that import it need ioredis's types.
 */
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import type { Redis, RedisOptions } from "ioredis";
import { RevocationEntrySchema, type RevocationEntry } from "../types.ts";
import { withoutPassword } from "./location.ts";
import { CONSUME, REVOKE, SAVE } from "./redis-scripts.ts";
import { type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export interface RedisStoreOptions {
  /** Prefix of every key and of the channel, so that apps (and tests) can share a database. Default `gatehouse:`. */
  readonly prefix?: string;
  /** Extra ioredis options (timeouts, TLS, …). */
  readonly redis?: RedisOptions;
}

/**
 * A {@link TokenStore} on Redis. Two connections: one for commands, one subscribed to the channel.
 *
 * @example
 * const store = new RedisStore("redis://127.0.0.1:6379/0");
 */
export class RedisStore implements TokenStore {
  /** The package this store runs on, an optional peer dependency. */
  static readonly driver = "ioredis";
  readonly kind = "redis";
  /** The URL without its password. */
  readonly location: string;
  readonly prefix: string;
  readonly #channel: string;
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #watchers = new Watchers();
  #subscribed = false;
  #closed = false;
  /** Why the command connection is down, for `ping()` to say (ioredis itself only says "not writeable"). */
  #connectionError: unknown;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.location = withoutPassword(url);
    const { Redis } = loadPeer<typeof import("ioredis")>(RedisStore.driver, `the Redis token store (${this.location})`);
    this.prefix = options.prefix ?? "gatehouse:";
    this.#channel = `${this.prefix}revocations`;
    const common: RedisOptions = {
      // Fail fast while disconnected: the token layer answers 503 rather than letting requests hang.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 50, 1000),
      ...options.redis,
    };
    this.#cmd = new Redis(url, common);
    this.#sub = new Redis(url, { ...common, autoResubscribe: false, enableOfflineQueue: true });
    // Without listeners ioredis reports connection errors as unhandled; reachability goes through `down`/`up`.
    this.#cmd.on("error", (error: unknown) => (this.#connectionError = error));
    this.#cmd.on("ready", () => (this.#connectionError = undefined));
    this.#sub.on("error", () => {});
    this.#sub.on("ready", () => void this.#subscribe());
    this.#sub.on("close", () => this.#lost(gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the Redis subscription closed")));
    this.#sub.on("message", (_channel: string, message: string) => this.#heard(message));
  }

  async save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    const { consumed: _dropped, ...fresh } = record;
    const ttl = ttlMs === undefined ? "" : String(Math.max(1, Math.ceil(ttlMs)));
    await this.#cmd.eval(SAVE, 3, this.#key("rec", key), this.#key("sub", record.subject), this.#key("used", key), JSON.stringify(fresh), ttl, key, Date.now());
  }

  async find(key: string): Promise<StoredRecord | undefined> {
    const [raw, consumed] = await this.#cmd.mget(this.#key("rec", key), this.#key("used", key));
    return raw ? toRecord(raw, consumed ?? null) : undefined;
  }

  async findBySubject(subject: string): Promise<StoredRecord[]> {
    const index = this.#key("sub", subject);
    const [, keys] = (await this.#cmd.multi().zremrangebyscore(index, "-inf", Date.now()).zrange(index, 0, -1).exec()) ?? [];
    const members = (keys?.[1] as string[] | undefined) ?? [];
    if (members.length === 0) return [];
    const values = await this.#cmd.mget(...members.flatMap((key) => [this.#key("rec", key), this.#key("used", key)]));
    const found: StoredRecord[] = [];
    for (let i = 0; i < values.length; i += 2) {
      const raw = values[i];
      if (raw) found.push(toRecord(raw, values[i + 1] ?? null));
    }
    return found;
  }

  async consume(key: string): Promise<boolean> {
    return (await this.#cmd.eval(CONSUME, 2, this.#key("rec", key), this.#key("used", key), Date.now())) === 1;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    await this.#cmd.eval(REVOKE, 1, this.#key("rev", `${entry.type}:${entry.id}`), JSON.stringify(entry), Date.now(), this.#channel);
  }

  async revocations(): Promise<RevocationEntry[]> {
    const entries: RevocationEntry[] = [];
    const match = `${this.prefix.replace(/[*?[\]\\]/g, "\\$&")}rev:*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.#cmd.scan(cursor, "MATCH", match, "COUNT", 1000);
      cursor = next;
      if (keys.length === 0) continue;
      for (const raw of await this.#cmd.mget(...keys)) {
        const entry = raw === null ? undefined : parseEntry(raw);
        if (entry) entries.push(entry);
      }
    } while (cursor !== "0");
    return entries;
  }

  watch(events: StoreEvents): () => void {
    return this.#watchers.add(events);
  }

  /** Resolves only when commands work and the subscription is live: before that, revocations may be missed. */
  async ping(): Promise<void> {
    if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the Redis store is closed");
    if (this.#cmd.status !== "ready") {
      const reason = this.#connectionError instanceof Error ? this.#connectionError.message : `connection ${this.#cmd.status}`;
      throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: cannot reach Redis at ${this.location} (${reason})`, { cause: this.#connectionError });
    }
    await this.#cmd.ping();
    if (!this.#subscribed) throw gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: not subscribed to the Redis revocation channel yet");
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watchers.clear();
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }

  #key(kind: "rec" | "sub" | "used" | "rev", id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#sub.subscribe(this.#channel);
    } catch (error) {
      this.#lost(error);
      return;
    }
    this.#subscribed = true;
    this.#watchers.up();
  }

  #lost(error: unknown): void {
    if (!this.#subscribed) return;
    this.#subscribed = false;
    this.#watchers.down(error);
  }

  #heard(message: string): void {
    const entry = parseEntry(message);
    if (entry) this.#watchers.revoked(entry);
  }
}

function parseEntry(raw: string): RevocationEntry | undefined {
  try {
    const parsed = RevocationEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toRecord(raw: string, consumed: string | null): StoredRecord {
  const record = JSON.parse(raw) as StoredRecord;
  return consumed === null ? record : { ...record, consumed: Number(consumed) };
}
