/**
 * `npm run bench [-- --quick] [-- --only=hot,unauth] [-- --servers=raw-crypto,gatehouse] [-- --rounds=N --duration=S]`
 *
 * gatehouse against the servers a TypeScript user would write instead, one run on one machine: every server
 * in its own process, driven in turn by autocannon from this process, round-robin per scenario so that
 * noise on the shared machine hits all alike. Prints a table per scenario and the targets (PASS/FAIL), and
 * writes bench/results.json. Absolute req/s are noise on a shared 2-core box; read the ratios.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { cpuSeconds, placeForThroughput, placement, unpin } from "./lib/cpu.mjs";
import { check, measure, mintToken, scenarios } from "./lib/load.mjs";
import { median, pairRatio, printScenario, printTargets, summarize, target } from "./lib/report.mjs";
import { restart, root, serverList, sleep, start, stop } from "./lib/servers.mjs";
import * as resourceServer from "./scenarios/resource-server.mjs";

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1]?.split(",");
const quick = args.includes("--quick");
const config = quick
  ? { rounds: 2, epochs: 1, duration: 1.5, warmup: 0.75, tokenRounds: 1, tokenDuration: 2, drain: 1000, revokedRounds: 2, connections: 50 }
  : { rounds: 10, epochs: 5, duration: 3, warmup: 2, tokenRounds: 3, tokenDuration: 5, drain: 1500, revokedRounds: 10, connections: 50 };
// `--rounds=N --epochs=E --duration=S`: more, or longer, rounds of the throughput scenarios than the preset.
if (option("rounds")) config.rounds = config.revokedRounds = Number(option("rounds")[0]);
if (option("epochs")) config.epochs = Number(option("epochs")[0]);
if (option("duration")) config.duration = Number(option("duration")[0]);
const revoked = Number(process.env.GATEHOUSE_BENCH_REVOKED ?? 1_000_000);
const onlyScenarios = option("only");
const onlyServers = option("servers");
const started = Date.now();

console.log(`gatehouse bench${quick ? " (--quick)" : ""}: node ${process.version}, ${availableParallelism()} cpus (${cpus()[0]?.model.trim()}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(
  `rounds ${config.rounds} × ${config.duration} s per server and scenario, in ${config.epochs} epoch(s) of fresh server processes (scenarios 1, 2); ` +
    `${config.connections} connections, warm-up ${config.warmup} s per server and epoch`,
);
console.log(placement);

const servers = serverList({ revoked }).filter((s) => !onlyServers || onlyServers.includes(s.id) || (s.id === "gatehouse-revoked" && onlyServers.includes("gatehouse")));
const unavailable = new Map();
// The revocation server fills its set while the other scenarios run; it is awaited only before its own.
const starting = new Map(
  servers.map((server) => {
    if (server.skip) return [server.id, Promise.resolve(server.skip)];
    if (server.only && onlyScenarios && !onlyScenarios.includes(server.only)) return [server.id, Promise.resolve("not requested")];
    return [server.id, start(server).then((r) => (r.ok ? undefined : r.reason))];
  }),
);
async function ready(server) {
  const reason = await starting.get(server.id);
  if (reason && !unavailable.has(server.id)) {
    unavailable.set(server.id, reason);
    console.log(`  ${server.id}: ${reason}`);
  }
  return reason;
}
await Promise.all(servers.filter((s) => !s.only).map(ready));

const token = mintToken();
const results = { date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), loadavgStart: loadavg(), quick, config, revoked, scenarios: {}, targets: [] };
const runsBy = {};

for (const scenario of scenarios(token)) {
  if (onlyScenarios && !onlyScenarios.includes(scenario.id)) continue;
  const inScenario = servers.filter((s) => (scenario.only ? s.id === "gatehouse" || s.only === scenario.only : !s.only));
  const rows = [];
  const live = [];
  for (const server of inScenario) {
    const reason = (await ready(server)) ?? (await check(server.port, scenario).catch((e) => `request failed: ${e.message}`));
    if (reason) rows.push({ id: server.id, label: server.label, note: reason.startsWith("skipped") ? reason : `excluded: ${reason}` });
    else live.push(server);
  }
  const runs = Object.fromEntries(live.map((s) => [s.id, []]));
  runsBy[scenario.id] = runs;
  const isToken = scenario.id === "token";
  const rounds = isToken ? config.tokenRounds : scenario.id === "revoked" ? config.revokedRounds : config.rounds;
  const duration = isToken ? config.tokenDuration : config.duration;
  // One process of a server can be luckier than another of the same code (where the JIT, the allocator and
  // the caches happen to put things): spreading a scenario's rounds over several fresh processes per server
  // keeps one such draw from deciding a ratio.
  const epochs = isToken || scenario.only ? 1 : Math.min(config.epochs, rounds);
  for (let round = 0; round < rounds; round++) {
    const epoch = Math.floor((round * epochs) / rounds);
    if (round === 0 || epoch !== Math.floor(((round - 1) * epochs) / rounds)) {
      if (round > 0) await freshProcesses(live, rows);
      const pids = live.map((server) => server.child?.pid);
      if (isToken) unpin(pids);
      else placeForThroughput(pids);
      if (!isToken) for (const server of live) await measure(server.port, scenario, { duration: config.warmup, connections: config.connections });
    }
    for (const server of roundOrder(live, round)) {
      const cpuBefore = cpuSeconds(server.child?.pid);
      const run = await measure(server.port, scenario, { duration, connections: config.connections });
      // What the server itself spent per request: unlike req/s, it does not depend on the generator keeping up.
      run.cpuUs = isToken ? NaN : ((cpuSeconds(server.child?.pid) - cpuBefore) * 1e6) / run.requests;
      runs[server.id].push(run);
      // bcrypt hashes already queued go on after autocannon stops: let them finish before the next server's turn.
      if (isToken) await sleep(config.drain);
    }
  }
  const base = scenario.id === "revoked" ? "gatehouse" : "raw-crypto";
  const summary = [...summarize(runs, live, base), ...rows];
  printScenario(scenario.title.replace("revoked tokens", `${revoked.toLocaleString("en")} revoked tokens`), summary, {
    probe: isToken,
    baseLabel: scenario.id === "revoked" ? "without" : "raw",
  });
  results.scenarios[scenario.id] = { title: scenario.title, rows: summary };
}

// Scenario 5 (issue 17) starts and stops servers of its own.
if (!onlyScenarios || onlyScenarios.includes(resourceServer.id)) results.scenarios[resourceServer.id] = await resourceServer.runResourceServer(config);

/** Restart every live server; one that fails to come back leaves the scenario with a note. */
async function freshProcesses(live, rows) {
  const failed = await Promise.all(live.map(async (server) => ((await restart(server)).ok ? undefined : server)));
  for (const server of failed.filter(Boolean)) {
    live.splice(live.indexOf(server), 1);
    rows.push({ id: server.id, label: server.label, note: "excluded: did not restart for a new epoch" });
  }
}

/**
 * The servers a target compares run back to back in every round, so that one moment of the shared machine
 * weighs on both sides of a ratio; each group rotates, so that no server always runs first or after the same
 * neighbour.
 */
function roundOrder(live, round) {
  const compared = new Set(["raw-crypto", "fastify-jwt", "gatehouse", "gatehouse-revoked"]);
  const rotate = (list) => list.map((_, i) => list[(i + round) % list.length]);
  return [...rotate(live.filter((s) => compared.has(s.id))), ...rotate(live.filter((s) => !compared.has(s.id)))];
}

const probeP99 = median((runsBy.token?.gatehouse ?? []).map((r) => r.p99));
const revokedRatio = unavailable.has("gatehouse-revoked") ? NaN : pairRatio(runsBy.revoked ?? {}, "gatehouse-revoked", "gatehouse");
const x = (v) => `${v.toFixed(2)}×`;
results.targets = [
  target("hot path ≥ 1.0× Fastify + @fastify/jwt", pairRatio(runsBy.hot ?? {}, "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
  target("hot path ≥ 0.9× raw node:http + node:crypto", pairRatio(runsBy.hot ?? {}, "gatehouse", "raw-crypto"), (v) => v >= 0.9, x),
  target("401 path ≥ 1.0× Fastify's 401 path", pairRatio(runsBy.unauth ?? {}, "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
  target("GET /status/ p99 < 20 ms while /token is loaded", probeP99, (v) => v < 20, (v) => `${v} ms`),
  target(`${revoked.toLocaleString("en")} revoked: < 3 % below the hot path without them`, revokedRatio, (v) => v >= 0.97, (v) => `${x(v)} (${Math.abs((1 - v) * 100).toFixed(1)} % ${v <= 1 ? "below" : "above"})`),
];
// 5. the stores: servers, rows and targets of their own (bench/scenarios/stores.mjs).
if (!onlyScenarios || onlyScenarios.includes("stores")) {
  const { storeScenarios } = await import("./scenarios/stores.mjs");
  const part = await storeScenarios({ quick, revoked, rounds: config.revokedRounds, duration: config.duration, connections: config.connections });
  results.scenarios.stores = { title: part.title, rows: part.rows };
  results.targets.push(...part.targets);
}
printTargets(results.targets);
if (unavailable.has("gatehouse-revoked") && (!onlyScenarios || onlyScenarios.includes("revoked"))) {
  console.log(`  (scenario 4: ${unavailable.get("gatehouse-revoked")})`);
}

results.loadavgEnd = loadavg();
results.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
console.log(`\n${results.seconds} s; wrote ${new URL("./results.json", import.meta.url).pathname.replace(root, "")}`);
for (const server of servers) stop(server);
process.exit(0);
