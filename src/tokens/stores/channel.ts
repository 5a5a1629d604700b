/**
 * @module
 * A store's revocation channel as its instance subscribes to it (Redis PUBLISH/SUBSCRIBE, PostgreSQL
 * NOTIFY/LISTEN): what it hears (revocations as JSON, and heartbeats), and whether it is proven alive.
 * Every `intervalMs` a numbered beat is sent through the channel and must come back on the subscription.
 * A connection a NAT or a load balancer dropped silently delivers nothing and reports nothing; more than
 * `misses` beats outstanding is that silence, reported to `missed` so that the store fails closed and
 * reconnects. Counting beats rather than measuring time keeps a busy event loop (which sends late too)
 * from looking like a dead subscription.
 */
import { randomId } from "../internal/ids.ts";
import { RevocationEntrySchema, type RevocationEntry } from "../types.ts";
import type { Watchers } from "./watchers.ts";

export interface HeartbeatOptions {
  /** Time between beats, ms. */
  readonly intervalMs: number;
  /** Beats that may be outstanding before the subscription counts as dead. */
  readonly misses: number;
  /** Send one beat through the channel (its text is what {@link Heartbeat.heard} must be given back). */
  readonly send: (beat: string) => Promise<unknown>;
  /** The subscription stayed silent: told once per silence. */
  readonly missed: (error: Error) => void;
  /** Builds the error `missed` gets (the store's catalog error). */
  readonly error: (message: string) => Error;
}

/** The prefix of every beat; messages starting with it are beats, not revocations. */
export const BEAT_PREFIX = "hb:";

class Heartbeat {
  readonly #id = `${BEAT_PREFIX}${randomId()}:`;
  #sent = 0;
  #heard = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly options: HeartbeatOptions) {}

  /** Start beating (again), with nothing outstanding. */
  start(): void {
    this.stop();
    this.#heard = this.#sent;
    this.#timer = setInterval(() => setImmediate(() => this.#beat()), this.options.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Whether the subscription answered recently enough: running and at most `misses` beats outstanding. */
  get live(): boolean {
    return this.#timer !== undefined && this.#sent - this.#heard <= this.options.misses;
  }

  /** Give every message heard on the channel; `true` when it was a beat (this instance's or another's). */
  heard(message: string): boolean {
    if (!message.startsWith(BEAT_PREFIX)) return false;
    if (message.startsWith(this.#id)) this.#heard = Math.max(this.#heard, Number(message.slice(this.#id.length)) || 0);
    return true;
  }

  // Run from setImmediate after the timer: replies that arrived while the loop was busy are read first.
  #beat(): void {
    if (this.#timer === undefined) return;
    if (this.#sent - this.#heard > this.options.misses) {
      this.stop();
      this.options.missed(this.options.error(`no heartbeat came back through the subscription for ${this.options.misses} beats of ${this.options.intervalMs} ms`));
      return;
    }
    this.#sent++;
    // A failed send stays outstanding: if sending keeps failing, the silence is reported all the same.
    this.options.send(`${this.#id}${this.#sent}`).catch(() => {});
  }
}

/** A subscription to the channel: opened, lost, what it hears, and whether it is live. */
export class Subscription {
  readonly #heartbeat: Heartbeat;
  #open = false;

  constructor(
    readonly watchers: Watchers,
    heartbeat: HeartbeatOptions,
  ) {
    this.#heartbeat = new Heartbeat(heartbeat);
  }

  /** Open and answering its heartbeat: no revocation can be missed. */
  get live(): boolean {
    return this.#open && this.#heartbeat.live;
  }

  /** The subscription is (again) in place: beat, and tell the watchers to re-read. */
  opened(): void {
    this.#open = true;
    this.#heartbeat.start();
    this.watchers.up();
  }

  /** The subscription closed or fell silent: tell the watchers once. */
  lost(error: unknown): void {
    this.#heartbeat.stop();
    if (!this.#open) return;
    this.#open = false;
    this.watchers.down(error);
  }

  /** A message on the channel: a heartbeat, or a revocation for the watchers. */
  heard(message: string): void {
    if (this.#heartbeat.heard(message)) return;
    const entry = parseEntry(message);
    if (entry) this.watchers.revoked(entry);
  }

  stop(): void {
    this.#heartbeat.stop();
  }
}

/** A revocation as a store writes it to its channel or its index (JSON), or `undefined` when it is not one. */
export function parseEntry(raw: string): RevocationEntry | undefined {
  try {
    const parsed = RevocationEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
