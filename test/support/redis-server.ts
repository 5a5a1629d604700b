/**
 * A redis-server of the test's own, on a free port in a temp dir, started without daemonizing so that it
 * is this process's child (stopped by its own pid, never by name). Keeps nothing on disk unless told.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, waitFor } from "./ports.ts";

export class RedisServer {
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly args: readonly string[],
  ) {}

  /** Start one; `args` are extra redis-server options, e.g. `["--maxmemory-policy", "allkeys-lru"]`. */
  static async start(args: readonly string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), "gatehouse-redis-")), args);
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** A client of the test's own (no retries), closed by the caller. */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    return client;
  }

  /** Kill it (SIGKILL: no last save) and start it again on the same port: empty unless it persists. */
  async restart(): Promise<void> {
    await this.kill();
    await this.#spawn();
  }

  /** Start it again after {@link kill}, on the same port and dir. */
  start(): Promise<void> {
    return this.#spawn();
  }

  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Pause the server process (SIGSTOP): connections stay open, nothing answers — a hung server. */
  pause(): void {
    this.#child?.kill("SIGSTOP");
  }

  resume(): void {
    this.#child?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir, ...this.args], { stdio: "ignore" });
    this.#child = child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const client = this.client();
      try {
        return (await client.ping()) === "PONG";
      } finally {
        client.disconnect();
      }
    }, 10_000, `redis-server on port ${this.port}`);
  }
}
