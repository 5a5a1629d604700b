/**
 * @module
 * The PostgreSQL store's LISTEN connection: a dedicated one (a pooled connection may be handed to another
 * statement), whose notifications go to the store's {@link Subscription}. When it closes the subscription
 * is lost at once and LISTEN is tried again every 100 ms (the driver reconnects); when it falls silent (a
 * missed heartbeat) it is replaced by a new connection, the old one ended without waiting.
 */
import type { Sql } from "postgres";
import { gatehouseError } from "../../core/errors.ts";
import type { Subscription } from "./channel.ts";

/** The driver's hooks for one connection: its notifications (`onnotify`, not in the driver's types) and its end. */
export interface ListenHooks {
  readonly onnotify: (channel: string, payload: string) => void;
  readonly onclose: () => void;
}

export class ListenConnection {
  #current: Sql | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    readonly channel: string,
    readonly subscription: Subscription,
    /** Opens a connection of its own with these hooks; rejects only when the driver cannot be loaded. */
    readonly connect: (hooks: ListenHooks) => Promise<Sql>,
  ) {}

  /** Listen on a new connection, ending the current one (which may be silently dead). */
  async replace(): Promise<void> {
    if (this.#closed) return;
    const old = this.#current;
    let listener: Sql | undefined;
    try {
      listener = await this.connect({
        onnotify: (channel, payload) => {
          if (channel === this.channel) this.subscription.heard(payload);
        },
        onclose: () => {
          if (this.#current !== listener || !listener) return;
          this.subscription.lost(gatehouseError("GH_STORE_FAILED", "gatehouse/tokens: the PostgreSQL LISTEN connection closed"));
          this.#schedule(listener);
        },
      });
    } catch {
      // No driver: every statement of the store rejects with why, and the ledger reports it.
      return;
    }
    this.#current = listener;
    void old?.end({ timeout: 0 }).catch(() => {});
    await this.#listen(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const current = this.#current;
    this.#current = undefined;
    await current?.end({ timeout: 0 });
  }

  async #listen(listener: Sql): Promise<void> {
    if (this.#closed || this.#current !== listener) return;
    try {
      await listener.unsafe(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.subscription.lost(error);
      this.#schedule(listener);
      return;
    }
    this.subscription.opened();
  }

  #schedule(listener: Sql): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#listen(listener), 100).unref();
  }
}
