/**
 * @module
 * The servers under test: each in its own child process on its own 19xxx port, started together, polled
 * until they answer, and stopped (by their own pid) when the bench ends, however it ends.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const oracleDir = resolve(process.env.GATEHOUSE_ORACLE_DIR ?? resolve(root, "../shared/oracle"));
const python = "/usr/bin/python3";
const node = process.execPath;
const peer = (file) => [node, [resolve(root, "bench/peers", file)]];
const tsx = (file, ...args) => [node, ["--import", "tsx", resolve(root, file), ...args]];

/** Every server; `scenarios` lists those it takes part in (the revocation one has a server of its own). */
export function serverList({ revoked }) {
  const gatehouseEnv = { GATEHOUSE_LOG_LEVEL: "silent", GATEHOUSE_STORE: process.env.GATEHOUSE_STORE ?? "memory" };
  return [
    { id: "raw-crypto", label: "raw node:http + node:crypto", port: 19101, cmd: peer("raw-crypto.mjs") },
    { id: "raw-jose", label: "raw node:http + jose", port: 19102, cmd: peer("raw-jose.mjs") },
    { id: "fastify-jwt", label: "Fastify 5 + @fastify/jwt", port: 19103, cmd: peer("fastify-jwt.mjs") },
    { id: "express-jwt", label: "Express 5 + jsonwebtoken", port: 19104, cmd: peer("express-jsonwebtoken.mjs") },
    { id: "hono-jwt", label: "Hono + hono/jwt", port: 19105, cmd: peer("hono-jwt.mjs") },
    { id: "gatehouse", label: "gatehouse (examples/seed.ts)", port: 19110, cmd: tsx("scripts/serve.ts", "seed"), env: gatehouseEnv },
    {
      id: "gatehouse-revoked",
      label: `gatehouse, ${revoked.toLocaleString("en")} revoked`,
      port: 19111,
      cmd: tsx("bench/peers/gatehouse-revoked.ts"),
      env: { ...gatehouseEnv, GATEHOUSE_BENCH_REVOKED: String(revoked) },
      only: "revoked",
      // Filling a million entries takes a while on a busy machine.
      startTimeout: 240_000,
    },
    {
      id: "fastapi",
      label: "FastAPI + uvicorn (1 worker)",
      port: 19120,
      cmd: [python, ["-m", "uvicorn", "seed_app:app", "--workers", "1", "--host", "127.0.0.1", "--port", "19120", "--no-access-log", "--log-level", "warning"]],
      cwd: oracleDir,
      skip: fastapiMissing(),
    },
  ];
}

function fastapiMissing() {
  if (!existsSync(resolve(oracleDir, "seed_app.py"))) return `skipped: no seed_app.py in ${oracleDir}`;
  if (!existsSync(python)) return `skipped: ${python} not found`;
  const probe = spawnSync(python, ["-c", "import fastapi, uvicorn, jwt, passlib, multipart"], { encoding: "utf8" });
  if (probe.status !== 0) return `skipped: ${python} lacks fastapi/uvicorn/jwt/passlib/multipart`;
  return undefined;
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
  const [command, args] = server.cmd;
  const child = spawn(command, args, {
    cwd: server.cwd ?? root,
    env: { ...process.env, PORT: String(server.port), HOST: "127.0.0.1", ...server.env },
    stdio: ["ignore", "pipe", "pipe"],
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
