/**
 * @module
 * Login throttling for the password grant, on `rate-limiter-flexible` counters (memory, or the token
 * store's shared ones: Redis, PostgreSQL). Three limits, checked in this order, each counting failed logins:
 * per client network, per (account, client network) — the tight one, which stops one client guessing one
 * password —, and per account across every network, which stops a distributed guess. An attempt is
 * counted before the password is checked, so that a burst of concurrent guesses cannot all slip through,
 * and handed back when the login succeeds. A client that the first two limits refuse stops counting
 * against the account, so a single attacker cannot lock the account out for everyone: that takes
 * failures from `perAccount.points / perAccountAndIp.points` networks, and lasts one window. Memory is
 * bounded the same way: a network refused by `perIp` adds no counter, so each network holds at most
 * `perIp.points` of them per window.
 */
import { isIPv4 } from "node:net";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { gatehouseError } from "../../core/errors.ts";
import { tokenHash } from "../internal/ids.ts";
import type { TokenStore } from "../stores/store.ts";
import type { RateLimiterFactory } from "../types.ts";

/** `points` failed logins per `duration` seconds; past them, 429 until the window ends. */
export interface LoginLimit {
  readonly points: number;
  readonly duration: number;
}

/** How the password grant is throttled; each limit `null` to switch it off. */
export interface LoginThrottleOptions {
  /** One account from one client network (an IPv4 address, an IPv6 /64). Default 10 per 15 minutes. */
  readonly perAccountAndIp?: LoginLimit | null;
  /** One client network, any account (offices behind one NAT share it). Default 100 per 15 minutes. */
  readonly perIp?: LoginLimit | null;
  /** One account, from every network. Default 100 per 15 minutes. */
  readonly perAccount?: LoginLimit | null;
  /** Where counters live. Default: the token store's shared counters when it has them (Redis, PostgreSQL), else this process's memory. */
  readonly limiter?: RateLimiterFactory;
}

const WINDOW = 15 * 60;
const DEFAULTS = { perAccountAndIp: { points: 10, duration: WINDOW }, perIp: { points: 100, duration: WINDOW }, perAccount: { points: 100, duration: WINDOW } };

type Scope = keyof typeof DEFAULTS;
const ORDER: readonly Scope[] = ["perIp", "perAccountAndIp", "perAccount"];

/** A login attempt that was let through: say how it ended. */
export interface LoginAttempt {
  /** The password was right: the attempt does not count. */
  succeeded(): Promise<void>;
  /** The check could not be made (e.g. the hashing queue was full): the attempt does not count. */
  cancelled(): Promise<void>;
}

export class LoginThrottle {
  readonly #limits: { scope: Scope; limiter: RateLimiterAbstract }[] = [];

  constructor(store: TokenStore, options: LoginThrottleOptions = {}) {
    const factory = options.limiter ?? (store.rateLimiter ? store.rateLimiter.bind(store) : (spec) => new RateLimiterMemory(spec));
    for (const scope of ORDER) {
      const limit = options[scope] === undefined ? DEFAULTS[scope] : options[scope];
      if (limit === null) continue;
      if (!(limit.points >= 1 && limit.duration >= 1)) throw gatehouseError("GH_INVALID_OPTION", `gatehouse/tokens: loginThrottle.${scope} needs points ≥ 1 and duration ≥ 1 second`);
      const spec = { keyPrefix: `login:${scope}:`, points: limit.points, duration: limit.duration };
      // While a shared store is down, this instance still counts on its own.
      this.#limits.push({ scope, limiter: factory({ ...spec, insuranceLimiter: new RateLimiterMemory(spec) }) });
    }
  }

  /** Count an attempt for `username` from `ip`; rejects with 429 and `Retry-After` when a limit is reached. */
  async attempt(username: string, ip: string): Promise<LoginAttempt> {
    const account = tokenHash(username.normalize("NFKC").toLowerCase());
    const network = networkOf(ip);
    const keys: Record<Scope, string> = { perAccountAndIp: `${account}:${network}`, perIp: network, perAccount: account };
    const counted: { limiter: RateLimiterAbstract; key: string; scope: Scope }[] = [];
    for (const { scope, limiter } of this.#limits) {
      try {
        await limiter.consume(keys[scope]);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw gatehouseError("GH_TOO_MANY_LOGINS", { headers: { "Retry-After": String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))) } });
      }
      counted.push({ limiter, key: keys[scope], scope });
    }
    const giveBack = async () => {
      await Promise.all(counted.map(({ limiter, key }) => limiter.reward(key, 1)));
    };
    return {
      async succeeded() {
        // A right password also ends the run of failures of this account from this network.
        await Promise.all(counted.map(({ limiter, key, scope }) => (scope === "perAccountAndIp" ? limiter.delete(key) : limiter.reward(key, 1))));
      },
      cancelled: giveBack,
    };
  }
}

/** The client's network: an IPv4 address (also when IPv4-mapped), or the /64 of an IPv6 one — one host's usual share. */
export function networkOf(ip: string): string {
  const mapped = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (isIPv4(mapped) || !mapped.includes(":")) return mapped;
  const [head = "", tail = ""] = mapped.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = mapped.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
