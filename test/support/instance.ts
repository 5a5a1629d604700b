/**
 * App instances in processes of their own (`instance-main.ts`), driven over real sockets: what several
 * processes of one deployment do to each other is what the fault suite tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OpenStoreOptions } from "gatehouse/tokens";
import { waitFor } from "./ports.ts";

const main = fileURLToPath(new URL("./instance-main.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

/** What an instance opens: a store URL and its options. */
export interface InstanceStore {
  readonly url: string;
  readonly options?: OpenStoreOptions;
}

/** An HTTP answer, read whole. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface Session {
  readonly access_token: string;
  readonly refresh_token: string;
}

export class Instance {
  /** Every line the process printed, stdout and stderr. */
  readonly lines: string[] = [];
  #state = "syncing";

  private constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {}

  /** Start a process on `store` and resolve once it listens. */
  static async start(name: string, store: InstanceStore, env: Record<string, string> = {}): Promise<Instance> {
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      cwd: root,
      env: { ...process.env, GATEHOUSE_STORE: store.url, GATEHOUSE_TEST_STORE_OPTIONS: JSON.stringify(store.options ?? {}), GATEHOUSE_LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const instance = new Instance(child, name);
    let port = 0;
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = "";
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop()!;
        for (const line of lines) {
          instance.lines.push(line);
          if (line.startsWith("listening ")) port = Number(line.slice("listening ".length));
          if (line.startsWith("state ")) instance.#state = line.split(" ")[1]!;
        }
      });
    }
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`instance ${name} exited with ${child.exitCode}: ${instance.lines.slice(-5).join(" | ")}`);
      return port > 0;
    }, 60_000, `instance ${name} to listen`);
    instance.base = `http://127.0.0.1:${port}`;
    return instance;
  }

  base = "";

  /** The ledger's last state: `syncing`, `ready` or `down`. */
  get state(): string {
    return this.#state;
  }

  waitState(state: string, timeoutMs = 10_000): Promise<void> {
    return waitFor(() => this.#state === state, timeoutMs, `instance ${this.name} to be ${state} (now ${this.#state})`);
  }

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(this.base + path, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    return { status: res.status, body, headers: res.headers };
  }

  form(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(form).toString() });
  }

  /** Log in (set-up: a 503 from a heartbeat missed on the busy shared machine is retried, a few times). */
  async login(username = "alice", password = "wonderland"): Promise<Session> {
    let res = await this.form("/token", { username, password, scope: "items me" });
    for (let retry = 0; retry < 5 && res.status === 503; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res = await this.form("/token", { username, password, scope: "items me" });
    }
    if (res.status !== 200) throw new Error(`login on ${this.name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Session;
  }

  items(token: string): Promise<Answer> {
    return this.request("/items/", { headers: { authorization: `Bearer ${token}` } });
  }

  revoke(token: string): Promise<Answer> {
    return this.form("/revoke", { token });
  }

  refresh(refreshToken: string): Promise<Answer> {
    return this.form("/token", { grant_type: "refresh_token", refresh_token: refreshToken });
  }

  revokeAll(accessToken: string): Promise<Answer> {
    return this.request("/users/me/tokens/revoke-all", { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
  }

  /** The lines printed since `from` (an index into {@link lines}). */
  since(from: number): string[] {
    return this.lines.slice(from);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
