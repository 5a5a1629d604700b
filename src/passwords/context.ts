/**
 * @module
 * A password hashing context in the spirit of passlib's `CryptContext(schemes=[...], deprecated="auto")`:
 * hashes with the first scheme, verifies any listed scheme, and says when a stored hash should be
 * re-hashed. All hashing runs on libuv's thread pool, never on the event loop, and never on every core at
 * once: a burst of logins queues instead of starving the event loop of a CPU, and the queue is bounded, so
 * that past it a login is answered 503 at once instead of waiting behind a flood. bcrypt reads only a
 * password's first 72 bytes: a longer one is refused, never checked in part.
 */
import { gatehouseError, HTTPException } from "../core/errors.ts";
import { availableParallelism } from "node:os";
import * as argon2 from "@node-rs/argon2";
import * as bcrypt from "@node-rs/bcrypt";
import pLimit, { type LimitFunction } from "p-limit";

export type PasswordScheme = "argon2id" | "bcrypt";

export interface PasswordContextOptions {
  /** The first scheme hashes new passwords; the others are only verified. Default `["argon2id", "bcrypt"]`. */
  readonly schemes?: readonly PasswordScheme[];
  /** `"auto"` (default): every scheme but the first is deprecated, so `needsUpdate` is true for its hashes. */
  readonly deprecated?: "auto" | readonly PasswordScheme[];
  /** Argon2id cost; defaults follow OWASP's recommendation (19 MiB, 2 passes, 1 lane). */
  readonly argon2?: { readonly memoryCost?: number; readonly timeCost?: number; readonly parallelism?: number };
  /** bcrypt cost factor (default 12). */
  readonly bcryptRounds?: number;
  /**
   * How many hashes or verifications run at once; the others wait their turn. Default: one less than the
   * machine's cores (at least 1), so that a burst of logins always leaves a core to the event loop.
   */
  readonly concurrency?: number;
  /**
   * How many may wait for a turn; past that, `hash` and `verify` reject at once with a 503
   * (`GH_PASSWORD_QUEUE_FULL`, `Retry-After` the queue's expected wait). Default `16 × concurrency`.
   */
  readonly maxWaiting?: number;
}

/** bcrypt's input is at most 72 bytes; the rest of a longer password would not count (OpenBSD `bcrypt(3)`). */
export const BCRYPT_MAX_BYTES = 72;

/** Which scheme wrote a hash, from its prefix; `undefined` for a string that is no known hash. */
export function identify(hash: string): PasswordScheme | undefined {
  if (hash.startsWith("$argon2id$")) return "argon2id";
  if (/^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return "bcrypt";
  return undefined;
}

/**
 * @example
 * const passwords = new PasswordContext({ schemes: ["argon2id", "bcrypt"] });
 * if (await passwords.verify(form.password, user.hashedPassword)) { … }
 * if (passwords.needsUpdate(user.hashedPassword)) user.hashedPassword = await passwords.hash(form.password);
 */
export class PasswordContext {
  readonly schemes: readonly PasswordScheme[];
  readonly #deprecated: ReadonlySet<PasswordScheme>;
  readonly #argon2: { memoryCost: number; timeCost: number; parallelism: number };
  readonly #bcryptRounds: number;
  readonly #limit: LimitFunction;
  readonly #maxWaiting: number;
  /** Moving average of one hash's duration (ms), for the 503's `Retry-After`. */
  #averageMs = 100;
  #dummy: Promise<string> | undefined;

  constructor(options: PasswordContextOptions = {}) {
    this.schemes = options.schemes ?? ["argon2id", "bcrypt"];
    if (this.schemes.length === 0) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: PasswordContext needs at least one scheme in `schemes`");
    const deprecated = options.deprecated ?? "auto";
    this.#deprecated = new Set(deprecated === "auto" ? this.schemes.slice(1) : deprecated);
    this.#argon2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, ...options.argon2 };
    this.#bcryptRounds = options.bcryptRounds ?? 12;
    this.#limit = pLimit(options.concurrency ?? Math.max(1, availableParallelism() - 1));
    this.#maxWaiting = options.maxWaiting ?? 16 * this.#limit.concurrency;
    if (!(this.#maxWaiting >= 0)) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: PasswordContext `maxWaiting` must be a number ≥ 0");
  }

  /** Hashes and verifications running now (at most `concurrency`). */
  get running(): number {
    return this.#limit.activeCount;
  }

  /** Hashes and verifications waiting for a turn: a login backlog worth a metric. */
  get waiting(): number {
    return this.#limit.pendingCount;
  }

  /** Hash with the default (first) scheme; rejects with a 400 for a bcrypt password past 72 bytes, a 503 when the queue is full. */
  async hash(password: string): Promise<string> {
    const scheme = this.schemes[0]!;
    if (scheme === "bcrypt") refuseTruncation(password);
    return this.#run(() => (scheme === "argon2id" ? argon2.hash(password, this.#argon2) : bcrypt.hash(password, this.#bcryptRounds)));
  }

  /**
   * Whether `password` matches `hash`; `false` for a hash of an unlisted scheme or a malformed one. Rejects
   * with a 400 (`GH_PASSWORD_TOO_LONG`) for a password past 72 bytes against a bcrypt hash, and with a 503
   * (`GH_PASSWORD_QUEUE_FULL`) when too many verifications already wait.
   */
  async verify(password: string, hash: string): Promise<boolean> {
    const scheme = identify(hash);
    if (!scheme || !this.schemes.includes(scheme)) return false;
    if (scheme === "bcrypt") refuseTruncation(password);
    const verification = this.#run(() => (scheme === "argon2id" ? argon2.verify(hash, password) : bcrypt.verify(password, hash)));
    return verification.catch((error: unknown) => {
      if (error instanceof HTTPException) throw error; // the queue is full: not a wrong password
      return false;
    });
  }

  /** Run one hash in its turn, or refuse at once when the queue is full. */
  #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#limit.pendingCount >= this.#maxWaiting && this.#limit.activeCount >= this.#limit.concurrency) {
      const waitMs = ((this.#limit.pendingCount + 1) * this.#averageMs) / this.#limit.concurrency;
      return Promise.reject(gatehouseError("GH_PASSWORD_QUEUE_FULL", { headers: { "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))) } }));
    }
    return this.#limit(async () => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        this.#averageMs = 0.8 * this.#averageMs + 0.2 * (performance.now() - started);
      }
    });
  }

  /**
   * Spend the time of one verification and return `false`: call it when the user does not exist, so that
   * response time does not tell which usernames are real.
   */
  async dummyVerify(password: string): Promise<false> {
    // A hash refused while the queue was full is not kept: the next call tries again.
    this.#dummy ??= this.hash("gatehouse-dummy-password").catch((error: unknown) => {
      this.#dummy = undefined;
      throw error;
    });
    await this.verify(password, await this.#dummy);
    return false;
  }

  /** True when `hash` uses a deprecated scheme or weaker settings than the context's: re-hash on next login. */
  needsUpdate(hash: string): boolean {
    const scheme = identify(hash);
    if (!scheme || this.#deprecated.has(scheme) || scheme !== this.schemes[0]) return true;
    if (scheme === "bcrypt") return Number(hash.slice(4, 6)) < this.#bcryptRounds;
    const parsed = argon2.parseOptions(hash);
    return parsed.memoryCost < this.#argon2.memoryCost || parsed.timeCost < this.#argon2.timeCost;
  }

  /** passlib's `verify_and_update`: verification, plus a new hash when the old one should be upgraded. */
  async verifyAndUpdate(password: string, hash: string): Promise<{ valid: boolean; newHash: string | undefined }> {
    const valid = await this.verify(password, hash);
    return { valid, newHash: valid && this.needsUpdate(hash) ? await this.hash(password) : undefined };
  }
}

/** bcrypt would check only the first 72 bytes: refuse the password rather than accept any suffix. */
function refuseTruncation(password: string): void {
  if (Buffer.byteLength(password, "utf8") > BCRYPT_MAX_BYTES) throw gatehouseError("GH_PASSWORD_TOO_LONG");
}
