/**
 * @module gatehouse/tokens/redis — the store for many app instances, on ioredis. Revocations live in one hash (the index every instance
 * re-reads after an outage, so resync never scans the keyspace; those an older version wrote as keys of
 * their own are moved into it once) and are published on a channel; every instance applies what it hears
 * to its local set.
 *
 * **Bound:** a revocation reaches the other instances in one PUBLISH (p99 a few ms on one host). Messages
 * sent while an instance's subscription is down are lost, so the instance fails closed whenever it cannot
 * prove the subscription alive: at once when the connection closes, and after `heartbeatMisses` (default 5)
 * unanswered beats of `heartbeatMs` (default 100 ms) when it dies silently (a NAT or load balancer dropping
 * it), then reconnects and re-reads. A Redis that lost its data (restarted empty, flushed, restarted without
 * persistence) gets a new epoch; every instance then writes back what it holds and none trusts the store
 * until `settleMs` (default 2 000 ms) after the epoch began, so an instance started meanwhile never accepts
 * what the others refuse. A Redis that can lose acknowledged writes by configuration (`maxmemory-policy`
 * other than `noeviction`, `appendonly no`) is refused (`GH_STORE_UNSAFE`) unless `acceptUnsafe` names it.
 *
 * ioredis is an optional peer dependency, loaded when the first store is created; this module is an entry
 * point of its own so that only apps that import it need ioredis's types.
 */
import type { Redis, RedisOptions } from "ioredis";
import { RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { gatehouseError } from "../../core/errors.ts";
import { loadPeer } from "../../core/peer.ts";
import { randomId } from "../internal/ids.ts";
import type { RateLimitSpec, RevocationEntry } from "../types.ts";
import { parseEntry, Subscription } from "./channel.ts";
import { withoutPassword } from "./location.ts";
import { CONSUME, EPOCH, HEARTBEAT, REVOKE, SAVE } from "./redis-scripts.ts";
import { checkRedisConfig } from "./redis-config.ts";
import type { RedisRisk, RedisSettings } from "./settings.ts";
import { storedRecord, type StoredRecord, type StoreEvents, type TokenStore } from "./store.ts";
import { Watchers } from "./watchers.ts";

export type { RedisRisk, RedisSettings } from "./settings.ts";

/** The Redis store's options: {@link RedisSettings}, and ioredis's own. */
export interface RedisStoreOptions extends RedisSettings {
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
  /** Kept private: it may carry a password. */
  readonly #url: string;
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #watchers = new Watchers();
  readonly #subscription: Subscription;
  readonly #acceptUnsafe: readonly RedisRisk[];
  readonly #settleMs: number;
  /** Whether Redis keeps its data across a restart; known once the configuration was checked. */
  #durable: boolean | undefined;
  /** The data set this instance last synced with. */
  #epoch: string | undefined;
  /** Whether revocations an older gatehouse wrote as keys of their own are in the index. */
  #adopted = false;
  #closed = false;
  /** Why the command connection is down, for `ping()` to say (ioredis itself only says "not writeable"). */
  #connectionError: unknown;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.#url = url;
    this.location = withoutPassword(url);
    const { Redis } = loadPeer<typeof import("ioredis")>(RedisStore.driver, `the Redis token store (${this.location})`);
    this.prefix = options.prefix ?? "gatehouse:";
    this.#channel = `${this.prefix}revocations`;
    this.#acceptUnsafe = options.acceptUnsafe ?? [];
    this.#settleMs = options.settleMs ?? 2000;
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
    this.#subscription = new Subscription(this.#watchers, {
      intervalMs: options.heartbeatMs ?? 100,
      misses: options.heartbeatMisses ?? 5,
      send: (beat) => this.#beat(beat),
      missed: (error) => {
        this.#subscription.lost(error);
        // The socket may look open forever: drop it and subscribe on a new one.
        this.#sub.disconnect(true);
      },
      error: (message) => gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: Redis ${message}`),
    });
    // Without listeners ioredis reports connection errors as unhandled; reachability goes through `down`/`up`.
    this.#cmd.on("error", (error: unknown) => (this.#connectionError = error));
    this.#cmd.on("ready", () => (this.#connectionError = undefined));
    this.#sub.on("error", () => {});
    this.#sub.on("ready", () => void this.#subscribe());
    this.#sub.on("close", () => this.#subscription.lost(gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the Redis subscription closed")));
    this.#sub.on("message", (_channel: string, message: string) => this.#subscription.heard(message));
  }

  async save(key: string, record: StoredRecord, ttlMs?: number): Promise<void> {
    const { consumed: _dropped, ...fresh } = record;
    const ttl = ttlMs === undefined ? "" : String(Math.max(1, Math.ceil(ttlMs)));
    await this.#cmd.eval(SAVE, 3, this.#key("rec", key), this.#key("sub", record.subject), this.#key("used", key), JSON.stringify(fresh), ttl, key, Date.now());
  }

  async find(key: string): Promise<StoredRecord | undefined> {
    const [raw, consumed] = await this.#cmd.mget(this.#key("rec", key), this.#key("used", key));
    return raw ? storedRecord(raw, consumed ?? null) : undefined;
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
      if (raw) found.push(storedRecord(raw, values[i + 1] ?? null));
    }
    return found;
  }

  async consume(key: string): Promise<boolean> {
    return (await this.#cmd.eval(CONSUME, 2, this.#key("rec", key), this.#key("used", key), Date.now())) === 1;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    await this.#cmd.eval(REVOKE, 2, this.#index, `${this.#index}:expiry`, `${entry.type}:${entry.id}`, JSON.stringify(entry), Date.now(), this.#channel);
  }

  /** The index, read with HSCAN: gatehouse's revocations only, however many other keys the database holds. */
  async revocations(): Promise<RevocationEntry[]> {
    this.#connected();
    this.#adopted ||= await this.#adoptLegacy();
    const entries: RevocationEntry[] = [];
    const now = Date.now();
    let cursor = "0";
    do {
      const [next, fields] = await this.#cmd.hscan(this.#index, cursor, "COUNT", 1000);
      cursor = next;
      for (let i = 1; i < fields.length; i += 2) {
        const entry = parseEntry(fields[i]!);
        if (entry && (entry.expiresAt === null || entry.expiresAt > now)) entries.push(entry);
      }
    } while (cursor !== "0");
    return entries;
  }

  watch(events: StoreEvents): () => void {
    return this.#watchers.add(events);
  }

  /**
   * Resolves only when Redis is safe by configuration, its data set has not changed under this instance
   * (or has settled since), and the subscription is live.
   */
  async ping(): Promise<void> {
    if (this.#closed) throw gatehouseError("GH_STORE_CLOSED", "gatehouse/tokens: the Redis store is closed");
    this.#connected();
    this.#durable ??= await checkRedisConfig(this.#cmd, this.#url, this.#acceptUnsafe);
    const run = /run_id:(\w+)/.exec(await this.#cmd.info("server"))?.[1] ?? "";
    const [id, at, now] = (await this.#cmd.eval(EPOCH, 1, this.#epochKey, randomId(), run, this.#durable ? "1" : "0")) as [string, string, string];
    this.#epoch = id;
    const settling = Number(at) + this.#settleMs - Number(now);
    if (settling > 0) {
      throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: Redis lost its data (new epoch); waiting ${settling} ms more for every instance to write back its revocations`);
    }
    if (!this.#subscription.live) throw gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the Redis revocation channel is not proven live yet");
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscription.stop();
    this.#watchers.clear();
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }

  /** Login counters shared by every instance, on the command connection (one Lua call per count). */
  rateLimiter(spec: RateLimitSpec): RateLimiterAbstract {
    // Not ready (disconnected): count in the insurance limiter at once rather than wait for a timeout.
    return new RateLimiterRedis({ ...spec, storeClient: this.#cmd, keyPrefix: `${this.prefix}${spec.keyPrefix}`, rejectIfRedisNotReady: true });
  }


  /**
   * Revocations an older gatehouse wrote as `rev:*` keys go into the index, once per Redis data set (a
   * marker key says it was done): the one SCAN gatehouse makes, so that an upgrade forgets no revocation.
   */
  async #adoptLegacy(): Promise<boolean> {
    const marker = `${this.#index}:adopted`;
    if (await this.#cmd.exists(marker)) return true;
    const match = `${this.prefix.replace(/[*?[\]\\]/g, "\\$&")}rev:*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.#cmd.scan(cursor, "MATCH", match, "COUNT", 1000);
      cursor = next;
      if (keys.length === 0) continue;
      for (const raw of await this.#cmd.mget(...keys)) {
        const entry = raw === null ? undefined : parseEntry(raw);
        if (entry) await this.revoke(entry);
      }
    } while (cursor !== "0");
    await this.#cmd.set(marker, "1");
    return true;
  }

  /** Fails with why the command connection is down (ioredis itself only says "not writeable"). */
  #connected(): void {
    if (this.#cmd.status === "ready") return;
    const reason = this.#connectionError instanceof Error ? this.#connectionError.message : `connection ${this.#cmd.status}`;
    throw gatehouseError("GH_STORE_FAILED", `gatehouse/tokens: cannot reach Redis at ${this.location} (${reason})`, { cause: this.#connectionError });
  }

  get #index(): string {
    return `${this.prefix}revocation-index`;
  }

  get #epochKey(): string {
    return `${this.prefix}epoch`;
  }

  #key(kind: "rec" | "sub" | "used", id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#sub.subscribe(this.#channel);
    } catch (error) {
      this.#subscription.lost(error);
      return;
    }
    this.#subscription.opened();
  }

  /** One beat; once synced, sent only while the data set is the one this instance synced with. */
  async #beat(beat: string): Promise<void> {
    if (this.#epoch === undefined) {
      await this.#cmd.publish(this.#channel, beat);
      return;
    }
    const same = await this.#cmd.eval(HEARTBEAT, 1, this.#epochKey, this.#epoch, this.#channel, beat);
    if (same === 0) {
      this.#epoch = undefined;
      this.#watchers.down(gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: Redis lost its data (the epoch changed): re-reading and writing back"));
    }
  }
}

