/**
 * @module
 * The store lines of `npm run bench`: for each store gatehouse ships — SQLite, Redis,
 * PostgreSQL — two seed servers (examples/seed.ts) on one store that holds `revoked` revocations
 * (default 1 000 000, filled in bulk by bench/peers/fill-store.ts and loaded by each server at start-up),
 * then: revocation propagation between the two (a token revoked on A, polled on B until refused: p50/p99 from
 * A's answer), and the hot path on A against the same seed on the memory store without revocations, round
 * by round. Redis is a redis-server of the bench's own (AOF on, so that it is not refused); PostgreSQL a
 * database of its own on `$GATEHOUSE_BENCH_POSTGRES` (default the machine's 127.0.0.1:5432), dropped after.
 * `$GATEHOUSE_BENCH_STORES=sqlite,redis` narrows the stores (`--only=stores` runs only these lines). It prints
 * its table and returns its rows and targets, which `bench/run.mjs` records.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { placeForThroughput } from "../lib/cpu.mjs";
import { measure } from "../lib/load.mjs";
import { median, printScenario, target } from "../lib/report.mjs";
import { SECRET_KEY } from "../lib/seed.mjs";
import { freePort, root, sleep, start, stop } from "../lib/servers.mjs";
import core from "./core.mjs";

const PG_ADMIN = process.env.GATEHOUSE_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";

export default {
  id: "stores",
  order: 60,
  run: ({ quick, revoked, config, number }) => storeScenarios({ quick, revoked, rounds: config.rounds, duration: config.duration, connections: config.connections, number }),
};

/** Run the store lines; `{ title, rows, targets }`. */
async function storeScenarios({ quick, revoked, rounds, duration, connections, number }) {
  const count = quick ? Math.min(revoked, 100_000) : revoked;
  const title = `${number}. the stores: propagation between two instances, and the hot path with ${count.toLocaleString("en")} revoked (× the memory store without them)`;
  const rows = [];
  const targets = [];
  const baseline = await server("gatehouse-memory", "gatehouse on memory, none revoked", { GATEHOUSE_STORE: "memory" });
  if (!baseline.ok) return { title, rows: [{ label: "gatehouse on memory", note: `excluded: ${baseline.reason}` }], targets };
  const kinds = process.env.GATEHOUSE_BENCH_STORES?.split(",") ?? ["sqlite", "redis", "postgres"];
  for (const kind of kinds) {
    const backend = await BACKENDS[kind]().catch((error) => ({ skip: error.message }));
    if (backend.skip) {
      rows.push({ label: `gatehouse on ${kind}`, note: `skipped: ${backend.skip}` });
      continue;
    }
    try {
      await fill(backend.url, count);
      await measureStore(kind, backend, count, { quick, rounds, duration, connections, baseline, rows, targets });
    } catch (error) {
      rows.push({ label: `gatehouse on ${kind}`, note: `excluded: ${error.message}` });
    } finally {
      await backend.close();
    }
  }
  stop(baseline.server);
  printScenario(title, rows.map((row) => (row.note ? row : { ...row, label: `${row.label}; propagation p50 ${row.propagation.p50.toFixed(1)} ms, p99 ${row.propagation.p99.toFixed(1)} ms` })), { baseLabel: "memory" });
  return { title, rows: rows.map(({ runs: _runs, ...row }) => row), targets };
}

/** Two servers on one filled store: propagation between them, the hot path of one against the baseline. */
async function measureStore(kind, backend, count, { quick, rounds, duration, connections, baseline, rows, targets }) {
  const a = await server(`${kind}-a`, `gatehouse on ${kind}, ${count.toLocaleString("en")} revoked`, { GATEHOUSE_STORE: backend.url });
  const b = await server(`${kind}-b`, `gatehouse on ${kind} (B)`, { GATEHOUSE_STORE: backend.url });
  try {
    if (!a.ok || !b.ok) throw new Error(a.reason ?? b.reason);
    // Listening is not yet serving: each loads its revocations first (and Redis waits out a new epoch).
    await Promise.all([a, b].map((s) => accepting(s.server.port)));
    // Let the store's own aftermath of the bulk fill (AOF rewrite, autovacuum, WAL checkpoint) pass first.
    await sleep(3000);
    const propagation = await propagate(a.server.port, b.server.port, quick ? 20 : 100);
    const hot = await hotPath(a.server, baseline.server, { rounds, duration, connections });
    rows.push({ ...hot, label: a.server.label, propagation });
    targets.push(target(`${kind}: revocation propagation p99 between two instances < 100 ms`, propagation.p99, (v) => v < 100, (v) => `${v.toFixed(1)} ms (p50 ${propagation.p50.toFixed(1)} ms)`));
    targets.push(target(`${kind}: hot path with ${count.toLocaleString("en")} revoked < 3 % below the memory store without`, hot.ratio, (v) => v >= 0.97, (v) => `${v.toFixed(2)}× (${Math.abs((1 - v) * 100).toFixed(1)} % ${v <= 1 ? "below" : "above"})`));
  } finally {
    for (const s of [a, b]) stop(s.server);
    await sleep(500);
  }
}

/** Resolve once the server on `port` accepts a fresh token (its store loaded), or fail after 120 s. */
async function accepting(port) {
  const deadline = Date.now() + 120_000;
  const token = tokenWithId();
  while ((await fetch(`http://127.0.0.1:${port}/users/me/items/`, { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`the server on ${port} does not accept a fresh token after 120 s`);
    await sleep(100);
  }
}

const BACKENDS = {
  async sqlite() {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-sqlite-"));
    return { url: `sqlite:${join(dir, "tokens.db")}`, close: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  async redis() {
    if (spawnSync("redis-server", ["--version"]).status !== 0) return { skip: "redis-server is not installed" };
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-redis-"));
    const port = await freePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", dir], { stdio: "ignore" });
    await sleep(500);
    return {
      url: `redis://127.0.0.1:${port}/0`,
      async close() {
        child.kill("SIGKILL");
        await sleep(200);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async postgres() {
    const database = `gatehouse_bench_${process.pid}`;
    const admin = postgres(PG_ADMIN, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await admin`CREATE DATABASE ${admin(database)}`;
    } catch (error) {
      await admin.end({ timeout: 0 });
      return { skip: `PostgreSQL at ${PG_ADMIN}: ${error.message}` };
    }
    return {
      url: PG_ADMIN.replace(/\/[^/]*$/, `/${database}`),
      async close() {
        await admin`DROP DATABASE IF EXISTS ${admin(database)} WITH (FORCE)`.catch(() => {});
        await admin.end({ timeout: 1 });
      },
    };
  },
};

async function fill(url, count) {
  const child = spawn(process.execPath, ["--import", "tsx", resolve(root, "bench/peers/fill-store.ts")], { cwd: root, env: { ...process.env, GATEHOUSE_STORE: url, GATEHOUSE_BENCH_REVOKED: String(count) }, stdio: ["ignore", "inherit", "inherit"] });
  const code = await new Promise((done) => child.once("exit", done));
  if (code !== 0) throw new Error(`filling ${url} failed (${code})`);
}

async function server(id, label, env) {
  const entry = { id, label, port: await freePort(), cmd: [process.execPath, ["--import", "tsx", resolve(root, "scripts/serve.ts"), "seed"]], env: { GATEHOUSE_LOG_LEVEL: "silent", GATEHOUSE_STARTUP_TIMEOUT_MS: "240000", ...env }, startTimeout: 240_000 };
  const started = await start(entry);
  return started.ok ? { ok: true, server: entry } : { ok: false, reason: started.reason, server: entry };
}

/** The seed's token with a `jti` of its own (so that /revoke can revoke it): johndoe, scopes "me items". */
function tokenWithId() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: "johndoe", scopes: ["me", "items"], exp: Math.floor(Date.now() / 1000) + 1800, jti: randomUUID() })}`;
  return `${input}.${createHmac("sha256", SECRET_KEY).update(input).digest("base64url")}`;
}

/** Revoke `n` tokens on A one by one; for each, the time from A's answer until B refuses it. */
async function propagate(portA, portB, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const token = tokenWithId();
    const items = () => fetch(`http://127.0.0.1:${portB}/users/me/items/`, { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status);
    if ((await items()) !== 200) throw new Error("B does not accept a fresh token");
    const revoke = await fetch(`http://127.0.0.1:${portA}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${token}` });
    if (revoke.status !== 200) throw new Error(`A answered /revoke with ${revoke.status}`);
    const returned = performance.now();
    while ((await items()) === 200) if (performance.now() - returned > 5000) throw new Error("B still accepts after 5 s");
    times.push(performance.now() - returned);
  }
  times.sort((x, y) => x - y);
  return { p50: times[Math.ceil(0.5 * n) - 1], p99: times[Math.ceil(0.99 * n) - 1], n };
}

/** The hot path on `a` and on `base`, back to back each round; the row of `a` with its median ratio. */
async function hotPath(a, base, { rounds, duration, connections }) {
  const hot = core.scenarios({ revoked: 0 }).find((scenario) => scenario.id === "hot");
  placeForThroughput([a.child?.pid, base.child?.pid]);
  for (const s of [a, base]) await measure(s.port, hot, { duration: 2, connections });
  const mine = [];
  const ratios = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [base, a] : [a, base];
    const [first, second] = [await measure(order[0].port, hot, { duration, connections }), await measure(order[1].port, hot, { duration, connections })];
    const [ofA, ofBase] = round % 2 ? [second, first] : [first, second];
    mine.push(ofA);
    ratios.push(ofA.rps / ofBase.rps);
  }
  return {
    rps: median(mine.map((r) => r.rps)),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    worstP99: Math.max(...mine.map((r) => r.p99)),
    cpuUs: NaN,
    ratio: median(ratios),
    bad: mine.reduce((n, r) => n + r.bad, 0),
    runs: mine,
  };
}

