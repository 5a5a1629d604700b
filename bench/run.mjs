/**
 * `npm run bench [-- --quick] [-- --only=hot,cold-valid] [-- --servers=raw-crypto,gatehouse] [-- --rounds=N --epochs=E --duration=S]`
 *
 * gatehouse against the servers a TypeScript user would write instead, one run on one machine: every server
 * in its own process, driven in turn by autocannon from this process, round-robin per scenario so that
 * noise on the shared machine hits all alike. Servers, scenarios and targets come from `bench/suites/*.mjs`
 * (`lib/suites.mjs` says how to add one). Prints a table per scenario and the targets (PASS/FAIL), and
 * writes bench/results.json. Absolute req/s are noise on a shared 2-core box; read the ratios.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { cpuSeconds, placeForThroughput, placement, unpin } from "./lib/cpu.mjs";
import { check, measure } from "./lib/load.mjs";
import { median, pairRatio, printScenario, printTargets, summarize } from "./lib/report.mjs";
import { cacheStats, restart, root, sleep, start, stop } from "./lib/servers.mjs";
import { collect, loadSuites, takesPart } from "./lib/suites.mjs";

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1]?.split(",");
const quick = args.includes("--quick");
const config = quick
  ? { rounds: 2, epochs: 1, duration: 1.5, warmup: 0.75, tokenRounds: 1, tokenDuration: 2, drain: 1000, connections: 50 }
  : { rounds: 10, epochs: 5, duration: 3, warmup: 2, tokenRounds: 3, tokenDuration: 5, drain: 1500, connections: 50 };
// `--rounds=N --epochs=E --duration=S`: more, or longer, rounds of the throughput scenarios than the preset.
if (option("rounds")) config.rounds = Number(option("rounds")[0]);
if (option("epochs")) config.epochs = Number(option("epochs")[0]);
if (option("duration")) config.duration = Number(option("duration")[0]);
const revoked = Number(process.env.GATEHOUSE_BENCH_REVOKED ?? 1_000_000);
const onlyScenarios = option("only");
const onlyServers = option("servers");
const started = Date.now();

console.log(`gatehouse bench${quick ? " (--quick)" : ""}: node ${process.version}, ${availableParallelism()} cpus (${cpus()[0]?.model.trim()}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(
  `rounds ${config.rounds} × ${config.duration} s per server and scenario, in ${config.epochs} epoch(s) of fresh server processes; ` +
    `${config.connections} connections, warm-up ${config.warmup} s per server and epoch`,
);
console.log(placement);

const suites = await loadSuites();
const context = { revoked, quick, config };
const all = collect(suites, context);
const scenarios = all.scenarios.filter((s) => !onlyScenarios || onlyScenarios.includes(s.id));
// `--servers=gatehouse` keeps the other gatehouse lines too (cache off, revoked, …).
const wanted = (server) => !onlyServers || onlyServers.some((id) => server.id === id || server.id.startsWith(`${id}-`));
const servers = all.servers.filter((server) => wanted(server) && scenarios.some((scenario) => takesPart(server, scenario)));
const unavailable = new Map();
// A server of a few scenarios only (the revocation one fills its set meanwhile) is awaited only before them.
const starting = new Map(servers.map((server) => [server.id, server.skip ? Promise.resolve(server.skip) : start(server).then((r) => (r.ok ? undefined : r.reason))]));
async function ready(server) {
  const reason = await starting.get(server.id);
  if (reason && !unavailable.has(server.id)) {
    unavailable.set(server.id, reason);
    console.log(`  ${server.id}: ${reason}`);
  }
  return reason;
}
await Promise.all(servers.filter((s) => !s.scenarios).map(ready));

const results = { date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), loadavgStart: loadavg(), quick, config, revoked, scenarios: {}, targets: [] };
const runsBy = {};

for (const [index, scenario] of scenarios.entries()) {
  const rows = [];
  const live = [];
  for (const server of servers.filter((s) => takesPart(s, scenario))) {
    const reason = (await ready(server)) ?? (await check(server.port, scenario).catch((e) => `request failed: ${e.message}`));
    if (reason) rows.push({ id: server.id, label: server.label, note: reason.startsWith("skipped") ? reason : `excluded: ${reason}` });
    else live.push(server);
  }
  const runs = Object.fromEntries(live.map((s) => [s.id, []]));
  runsBy[scenario.id] = runs;
  const probe = Boolean(scenario.probe);
  const rounds = probe ? config.tokenRounds : config.rounds;
  const duration = probe ? config.tokenDuration : config.duration;
  // One process of a server can be luckier than another of the same code (where the JIT, the allocator and
  // the caches happen to put things): spreading a scenario's rounds over several fresh processes per server
  // keeps one such draw from deciding a ratio.
  const epochs = probe ? 1 : Math.min(scenario.epochs ?? config.epochs, rounds);
  for (let round = 0; round < rounds; round++) {
    const epoch = Math.floor((round * epochs) / rounds);
    if (round === 0 || epoch !== Math.floor(((round - 1) * epochs) / rounds)) {
      if (round > 0) await freshProcesses(live, rows);
      const pids = live.map((server) => server.child?.pid);
      if (probe) unpin(pids);
      else placeForThroughput(pids);
      if (!probe) for (const server of live) await measure(server.port, scenario, { duration: config.warmup, connections: config.connections, ring: ringOf(server, scenario) });
    }
    for (const server of roundOrder(live, round)) {
      const cpuBefore = cpuSeconds(server.child?.pid);
      const cacheBefore = await cacheStats(server);
      const run = await measure(server.port, scenario, { duration, connections: config.connections, ring: ringOf(server, scenario) });
      // What the server itself spent per request: unlike req/s, it does not depend on the generator keeping up.
      run.cpuUs = probe ? NaN : ((cpuSeconds(server.child?.pid) - cpuBefore) * 1e6) / run.requests;
      run.cache = cacheDelta(cacheBefore, await cacheStats(server));
      runs[server.id].push(run);
      // bcrypt hashes already queued go on after autocannon stops: let them finish before the next server's turn.
      if (probe) await sleep(config.drain);
    }
  }
  const summary = [...summarize(runs, live, scenario.base ?? "raw-crypto"), ...rows];
  printScenario(`${index + 1}. ${scenario.title}`, summary, { probe, baseLabel: scenario.baseLabel ?? "raw" });
  results.scenarios[scenario.id] = { title: scenario.title, rows: summary };
}

// Suites that start and stop servers of their own (the stores, the resource server) run after the others.
const ownRuns = [];
for (const suite of suites.filter((s) => s.run && (!onlyScenarios || onlyScenarios.includes(s.id)))) {
  const part = await suite.run({ ...context, number: scenarios.length + ownRuns.length + 1 });
  results.scenarios[suite.id] = { title: part.title, rows: part.rows };
  ownRuns.push(...(part.targets ?? []));
}

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
  const rotate = (list) => list.map((_, i) => list[(i + round) % list.length]);
  return [...rotate(live.filter((s) => s.compared)), ...rotate(live.filter((s) => !s.compared))];
}

/** Where each connection stopped in a scenario's per-connection requests, on one server (its processes included). */
function ringOf(server, scenario) {
  server.rings ??= {};
  return (server.rings[scenario.id] ??= []);
}

/** The cache's hits and misses during one run (a fresh process starts at zero), and whether it was on. */
function cacheDelta(before, after) {
  if (!after) return undefined;
  const hits = after.hits - (before?.hits ?? 0);
  const misses = after.misses - (before?.misses ?? 0);
  return { hits, misses, on: after.maxEntries > 0 };
}

const targetContext = {
  ...context,
  median,
  unavailable,
  /** The runs of one server in one scenario. */
  runs: (scenario, id) => runsBy[scenario]?.[id] ?? [],
  /** The median over rounds of `id`'s req/s over `otherId`'s in the same round. */
  ratio: (scenario, id, otherId) => pairRatio(runsBy[scenario] ?? {}, id, otherId),
};
results.targets = [...suites.flatMap((suite) => suite.targets?.(targetContext) ?? []), ...ownRuns];
printTargets(results.targets);
for (const [id, reason] of unavailable) console.log(`  (${id}: ${reason})`);

results.loadavgEnd = loadavg();
results.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
console.log(`\n${results.seconds} s; wrote ${new URL("./results.json", import.meta.url).pathname.replace(root, "")}`);
for (const server of servers) stop(server);
process.exit(0);
