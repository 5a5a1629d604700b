/**
 * @module
 * The start-up check of a Redis server's durability. Two settings can lose a revocation Redis already
 * acknowledged, silently: an eviction policy other than `noeviction` (under memory pressure Redis drops
 * keys — with `volatile-*`, first the records and consumed marks that carry a TTL, so refresh reuse goes
 * unnoticed; with `allkeys-*`, revocations too), and `appendonly no` (a restart forgets every write since
 * the last snapshot, or all of them). Such a server is refused with a message naming the setting, unless
 * the app accepts that risk in code.
 */
import type { Redis } from "ioredis";
import { gatehouseError } from "../../core/errors.ts";
import type { RedisRisk } from "./settings.ts";


const SAFE: Readonly<Record<RedisRisk, string>> = { "maxmemory-policy": "noeviction", appendonly: "yes" };

const WHY: Readonly<Record<RedisRisk, string>> = {
  "maxmemory-policy": "under memory pressure Redis evicts keys, and with them acknowledged revocations and refresh-token marks",
  appendonly: "a restart of Redis forgets the revocations written since its last snapshot (or all of them)",
};

/**
 * Check the server's settings; resolves whether its data survives a restart (AOF on). Rejects with
 * `GH_STORE_UNSAFE` (a `ConfigurationError`) for an unsafe setting not in `accepted`, and when the settings
 * cannot be read (`CONFIG` renamed or disabled) unless both are accepted.
 */
export async function checkRedisConfig(redis: Redis, url: string, accepted: readonly RedisRisk[]): Promise<boolean> {
  const values: Partial<Record<RedisRisk, string>> = {};
  for (const setting of Object.keys(SAFE) as RedisRisk[]) {
    try {
      const reply = (await redis.config("GET", setting)) as string[];
      values[setting] = reply[1];
    } catch (error) {
      if (isConnectionError(error)) throw error;
      if (accepted.includes(setting)) continue;
      throw gatehouseError("GH_STORE_UNSAFE", `gatehouse/tokens: cannot read Redis's \`${setting}\` at ${redact(url)} (CONFIG GET failed: ${(error as Error).message}); if it is "${SAFE[setting]}", accept the unverified setting in code: new RedisStore(url, { acceptUnsafe: ["${setting}"] })`);
    }
    if (values[setting] !== SAFE[setting] && !accepted.includes(setting)) {
      throw gatehouseError(
        "GH_STORE_UNSAFE",
        `gatehouse/tokens: Redis at ${redact(url)} has \`${setting} ${values[setting]}\`: ${WHY[setting]}. Set \`${setting} ${SAFE[setting]}\`, or accept the risk in code: new RedisStore(url, { acceptUnsafe: ["${setting}"] })`,
      );
    }
  }
  return values.appendonly === "yes";
}

/** Errors of the connection (not of the command) are outages, retried, not configuration. */
function isConnectionError(error: unknown): boolean {
  const message = (error as Error)?.message ?? "";
  return !/^ERR|^NOPERM|unknown command/i.test(message);
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
