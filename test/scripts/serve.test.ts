/**
 * `npm start` and SIGTERM (issue 14): the server drains what is in flight, then exits, and a SIGTERM sent
 * to npm itself (which npm does not pass on) leaves no orphan serving. Real processes, a real port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../support/ports.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const started: ChildProcess[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

async function npmStart() {
  const port = await freePort();
  const npm = spawn("npm", ["start"], { cwd: root, env: { ...process.env, PORT: String(port), GATEHOUSE_STORE: "memory", GATEHOUSE_DRAIN_MS: "5000" }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(npm);
  let output = "";
  npm.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  npm.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  await waitFor(() => /pid (\d+)/.test(output), 60_000, "npm start to listen");
  const server = Number(/pid (\d+)/.exec(output)![1]);
  pids.push(server);
  const base = `http://127.0.0.1:${port}`;
  return { npm, server, base, output: () => output };
}

const serving = (base: string) => fetch(`${base}/docs`, { signal: AbortSignal.timeout(2000) }).then((res) => res.status, () => "refused");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start and SIGTERM", () => {
  it("SIGTERM to npm: the server does not stay behind as an orphan", async () => {
    const { npm, server, base } = await npmStart();
    expect(await serving(base)).toBe(200);
    npm.kill("SIGTERM");
    await waitFor(() => !alive(server), 8000, "the server process to exit");
    expect(await serving(base)).toBe("refused");
  }, 90_000);

  it("SIGTERM to the server: a login in flight (bcrypt) still gets its answer, then the process exits 0", async () => {
    const { npm, server, base, output } = await npmStart();
    const login = fetch(`${base}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=johndoe&password=secret&scope=me" });
    await new Promise((resolve) => setTimeout(resolve, 30));
    process.kill(server, "SIGTERM");
    const res = await login;
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    expect(await res.json()).toMatchObject({ token_type: "bearer" });
    const code = await new Promise((resolve) => (npm.exitCode !== null ? resolve(npm.exitCode) : npm.once("exit", resolve)));
    expect(code).toBe(0);
    expect(output()).toContain("gatehouse: SIGTERM: draining for at most 5000 ms");
    expect(await serving(base)).toBe("refused");
  }, 90_000);
});
