/**
 * @module
 * The servers under test: each in its own child process on a free port the OS gave, started together,
 * polled until they answer, and stopped (by their own pid) when the bench ends, however it ends. A server
 * with `stats` gets an IPC channel, over which it reports its verified-token cache's counts.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const node = process.execPath;
/** A peer of `bench/peers/`, run by node. */
export const peer = (file) => [node, [resolve(root, "bench/peers", file)]];
/** A TypeScript file of the repository, run by node through tsx. */
export const tsx = (file, ...args) => [node, ["--import", "tsx", resolve(root, file), ...args]];

/**
 * The seed app as the bench runs it (`bench/peers/gatehouse.ts`, the memory store unless `$GATEHOUSE_STORE`
 * says otherwise), with `env` on top: a server's `cmd`, `env` and `stats`.
 */
export function gatehouse(env = {}) {
  return { cmd: tsx("bench/peers/gatehouse.ts"), env: { GATEHOUSE_LOG_LEVEL: "silent", GATEHOUSE_STORE: process.env.GATEHOUSE_STORE ?? "memory", ...env }, stats: true };
}

const children = new Set();
function stopAll() {
  for (const child of children) child.kill("SIGTERM");
  children.clear();
}
process.once("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => (stopAll(), process.exit(130)));

/**
 * Start a server and resolve once it answers HTTP; resolves `{ok: false, reason}` when it exits first
 * (a wrapper may exit on purpose with its reason as the last line of stdout) or does not answer in time.
 */
export async function start(server) {
  server.port ??= await freePort();
  const [command, args] = typeof server.cmd === "function" ? server.cmd(server.port) : server.cmd;
  const child = spawn(command, args, {
    cwd: server.cwd ?? root,
    env: { ...process.env, PORT: String(server.port), HOST: "127.0.0.1", ...server.env },
    stdio: ["ignore", "pipe", "pipe", ...(server.stats ? ["ipc"] : [])],
  });
  children.add(child);
  server.child = child;
  let output = "";
  const collect = (chunk) => (output = (output + chunk).slice(-4000));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise((resolveExit) => child.once("exit", (code) => (children.delete(child), resolveExit(code))));
  server.exited = exited;
  const deadline = Date.now() + (server.startTimeout ?? 60_000);
  while (Date.now() < deadline) {
    const code = await Promise.race([exited, sleep(200).then(() => "running")]);
    if (code !== "running") {
      const last = output.trim().split("\n").at(-1) ?? "";
      return { ok: false, reason: last.startsWith("skipped:") ? last : `exited with ${code}: ${last}` };
    }
    if (await answers(server.port)) return { ok: true };
  }
  stop(server);
  return { ok: false, reason: `did not answer within ${(server.startTimeout ?? 60_000) / 1000} s: ${output.trim().split("\n").at(-1) ?? ""}` };
}

export function stop(server) {
  if (server.child && children.delete(server.child)) server.child.kill("SIGTERM");
}

/** A fresh process of a running server, on the same port once the old one has exited. */
export async function restart(server) {
  const exited = server.exited;
  stop(server);
  await exited;
  return start(server);
}

async function answers(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/status/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on now, from the OS. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** The verified-token cache's counts of a `stats` server (`{hits, misses, entries, maxEntries, …}`), or undefined. */
export function cacheStats(server) {
  const child = server.child;
  if (!server.stats || !child?.connected) return Promise.resolve(undefined);
  return new Promise((resolveStats) => {
    const timer = setTimeout(() => done(undefined), 2000);
    function done(stats) {
      clearTimeout(timer);
      child.off("message", onMessage);
      resolveStats(stats);
    }
    function onMessage(message) {
      if (message?.type === "cache-stats") done(message.stats);
    }
    child.on("message", onMessage);
    child.send({ type: "cache-stats" });
  });
}
