/**
 * @module
 * A password hashing context in the spirit of passlib's `CryptContext(schemes=[...], deprecated="auto")`:
 * hashes with the first scheme, verifies any listed scheme, and says when a stored hash should be
 * re-hashed. All hashing runs on libuv's thread pool, never on the event loop, and never on every core at
 * once: a burst of logins queues instead of starving the event loop of a CPU.
 */
import { gatehouseError } from "../core/errors.ts";
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
}

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
  #dummy: Promise<string> | undefined;

  constructor(options: PasswordContextOptions = {}) {
    this.schemes = options.schemes ?? ["argon2id", "bcrypt"];
    if (this.schemes.length === 0) throw gatehouseError("GH_INVALID_OPTION", "gatehouse: PasswordContext needs at least one scheme in `schemes`");
    const deprecated = options.deprecated ?? "auto";
    this.#deprecated = new Set(deprecated === "auto" ? this.schemes.slice(1) : deprecated);
    this.#argon2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, ...options.argon2 };
    this.#bcryptRounds = options.bcryptRounds ?? 12;
    this.#limit = pLimit(options.concurrency ?? Math.max(1, availableParallelism() - 1));
  }

  /** Hashes and verifications running now (at most `concurrency`). */
  get running(): number {
    return this.#limit.activeCount;
  }

  /** Hashes and verifications waiting for a turn: a login backlog worth a metric. */
  get waiting(): number {
    return this.#limit.pendingCount;
  }

  /** Hash with the default (first) scheme. */
  hash(password: string): Promise<string> {
    return this.#limit(() => (this.schemes[0] === "argon2id" ? argon2.hash(password, this.#argon2) : bcrypt.hash(password, this.#bcryptRounds)));
  }

  /** Whether `password` matches `hash`; `false` (never an exception) for a hash of an unlisted scheme or a malformed one. */
  async verify(password: string, hash: string): Promise<boolean> {
    const scheme = identify(hash);
    if (!scheme || !this.schemes.includes(scheme)) return false;
    try {
      return await this.#limit(() => (scheme === "argon2id" ? argon2.verify(hash, password) : bcrypt.verify(password, hash)));
    } catch {
      return false;
    }
  }

  /**
   * Spend the time of one verification and return `false`: call it when the user does not exist, so that
   * response time does not tell which usernames are real.
   */
  async dummyVerify(password: string): Promise<false> {
    await this.verify(password, await (this.#dummy ??= this.hash("gatehouse-dummy-password")));
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
