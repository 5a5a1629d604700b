/**
 * @module
 * The resource-server line: `GET /items` with an ES256 access token of a real identity provider
 * (oidc-provider), on `examples/resource-server.ts` against Fastify + @fastify/jwt + get-jwks. Each server
 * fetches the provider's keys once (by discovery) and then verifies on its own; the provider idles.
 * It starts what it needs, prints its table and returns its rows for results.json (`--only=resource-server`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cpuSeconds, placeForThroughput } from "../lib/cpu.mjs";
import { check, measure } from "../lib/load.mjs";
import { printScenario, summarize } from "../lib/report.mjs";
import { freePort, root, sleep, start, stop, tsx } from "../lib/servers.mjs";

const TITLE = "resource server: GET /items with an ES256 token of oidc-provider (RFC 9068, keys by discovery)";

export default {
  id: "resource-server",
  order: 70,
  run: ({ config, number }) => runResourceServer(config, `${number}. ${TITLE}`),
};

/** Run the scenario with the bench's `config` (rounds, epochs, duration, warmup, connections). */
async function runResourceServer(config, title) {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-rs-"));
  const provider = { id: "oidc-provider", label: "oidc-provider", port: await freePort(), cmd: tsx("bench/peers/oidc-provider.ts"), env: { BENCH_TOKEN_FILE: join(dir, "token") } };
  const servers = [];
  try {
    const up = await start(provider);
    if (!up.ok) return report(title, [{ id: provider.id, label: provider.label, note: `excluded: ${up.reason}` }]);
    const issuer = `http://127.0.0.1:${provider.port}`;
    const token = await tokenFrom(join(dir, "token"));
    if (!token) return report(title, [{ id: provider.id, label: provider.label, note: "excluded: no token from the provider" }]);
    servers.push(
      { id: "fastify-jwks", label: "Fastify 5 + @fastify/jwt + get-jwks", port: await freePort(), cmd: [process.execPath, [resolve(root, "bench/peers/fastify-jwks.mjs")]], env: { OIDC_ISSUER: issuer } },
      { id: "fastify-jwks-pem", label: "… with the PEM kept per key", port: await freePort(), cmd: [process.execPath, [resolve(root, "bench/peers/fastify-jwks.mjs")]], env: { OIDC_ISSUER: issuer, BENCH_CACHE_PEM: "1" } },
      { id: "gatehouse-rs", label: "gatehouse (examples/resource-server.ts)", port: await freePort(), cmd: tsx("scripts/serve.ts", "resource-server"), env: { OIDC_ISSUER: issuer, GATEHOUSE_STORE: "memory", GATEHOUSE_LOG_LEVEL: "silent" } },
    );
    const scenario = { path: "/items", headers: { authorization: `Bearer ${token}` }, expect: { status: 200, body: [{ item_id: "Foo" }] } };
    const rows = [];
    const live = [];
    for (const server of servers) {
      const started = await start(server);
      const reason = started.ok ? await check(server.port, scenario).catch((e) => `request failed: ${e.message}`) : started.reason;
      if (reason) rows.push({ id: server.id, label: server.label, note: `excluded: ${reason}` });
      else live.push(server);
    }
    const runs = Object.fromEntries(live.map((s) => [s.id, []]));
    placeForThroughput(live.map((s) => s.child?.pid));
    for (const server of live) await measure(server.port, scenario, { duration: config.warmup, connections: config.connections });
    for (let round = 0; round < config.rounds; round++) {
      // Back to back, alternating who goes first.
      for (const server of round % 2 ? [...live].reverse() : live) {
        const before = cpuSeconds(server.child?.pid);
        const run = await measure(server.port, scenario, { duration: config.duration, connections: config.connections });
        run.cpuUs = ((cpuSeconds(server.child?.pid) - before) * 1e6) / run.requests;
        runs[server.id].push(run);
      }
    }
    return report(title, [...summarize(runs, live, "fastify-jwks"), ...rows]);
  } finally {
    for (const server of [...servers, provider]) stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The provider answers HTTP a moment before it has written its token. */
async function tokenFrom(file) {
  for (let i = 0; i < 100; i++) {
    if (existsSync(file) && readFileSync(file, "utf8")) return readFileSync(file, "utf8");
    await sleep(100);
  }
  return undefined;
}

function report(title, rows) {
  printScenario(title, rows, { baseLabel: "Fastify+get-jwks" });
  return { title, rows };
}
