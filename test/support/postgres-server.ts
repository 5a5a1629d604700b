/**
 * A PostgreSQL server of the test's own: `initdb` into a temp dir, `pg_ctl` on a free port, TCP on
 * 127.0.0.1 only, trust auth, fsync off (it is thrown away). Run as the `postgres` user when this process
 * is root (PostgreSQL refuses to run as root). Never the machine's own server.
 */
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { PG_BIN } from "./services.ts";

const asRoot = process.getuid?.() === 0;

function run(binary: string, args: readonly string[]): void {
  const path = join(PG_BIN, binary);
  if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", path, ...args], { stdio: "ignore" });
  else execFileSync(path, args, { stdio: "ignore" });
}

export class PostgresServer {
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** initdb and start; a few seconds. */
  static async start(): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-pg-"));
    if (asRoot) {
      const { uid, gid } = userInfoOf("postgres");
      chownSync(dir, uid, gid);
    }
    run("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const server = new PostgresServer(await freePort(), dir);
    server.#start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Stop at once (`-m immediate`: no checkpoint, like a crash) and start again on the same port. */
  restart(): void {
    this.kill();
    this.#start();
  }

  /** Start it again after {@link kill}, on the same port. */
  start(): void {
    this.#start();
  }

  kill(): void {
    try {
      run("pg_ctl", ["-D", join(this.dir, "data"), "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
  }

  /** The postmaster's pid (to pause it with SIGSTOP in a test). */
  get pid(): number {
    return Number(readFileSync(join(this.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  }

  stop(): void {
    this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  #start(): void {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=50`;
    run("pg_ctl", ["-D", join(this.dir, "data"), "-o", options, "-l", join(this.dir, "log"), "-w", "-t", "30", "start"]);
  }
}

function userInfoOf(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) return { uid: userInfo().uid, gid: userInfo().gid };
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}
