/**
 * @module
 * The bench is the sum of its suites: every `bench/suites/*.mjs` is loaded, and each may add servers,
 * scenarios and targets. Adding a line to the bench is adding a file there, with no edit elsewhere:
 *
 * ```js
 * // bench/suites/redis.mjs
 * export default {
 *   order: 50, // where its scenarios and targets come (core 0, cold 10; default 100)
 *   servers: (context) => [{ id: "gatehouse-redis", label: "gatehouse, Redis store", cmd: gatehouse(), env: { GATEHOUSE_STORE: "redis://…" },
 *     scenarios: ["hot", "cold-valid"], stats: true }],
 *   scenarios: (context) => [],
 *   targets: (context) => [target("Redis hot path ≥ 0.9× memory", context.ratio("hot", "gatehouse-redis", "gatehouse"), (v) => v >= 0.9, x)],
 * };
 * ```
 *
 * A server: `{ id, label, cmd: [command, args], env?, cwd?, skip?: reason, startTimeout?, scenarios?: [ids],
 * compared?: true, stats?: true }`; it gets a free port in `$PORT` (and `cmd` may be a function of the port).
 * A scenario: `{ id, title, path, method?, headers?, body?, clientRequests?(k, connections), expect, probe?,
 * servers?: [ids], base?, baseLabel?, epochs? }`. A server takes part in a scenario unless one of them names
 * the other's ids and leaves it out. `compared` servers run back to back in every round; `stats` servers
 * answer the verified-token cache's counts over IPC (`bench/peers/gatehouse.ts`). Targets get a context with
 * `ratio(scenario, id, otherId)`, `runs`, `unavailable` and the suite context (`revoked`, `quick`, `config`).
 *
 * A suite that needs servers of its own making (a database, an identity provider) instead gives an `id` and
 * `run(context)`, which starts, measures, prints and stops everything itself and resolves to `{ title, rows,
 * targets? }`; it runs after the others, when `--only` names its id or nothing.
 */
import { readdirSync } from "node:fs";

const directory = new URL("../suites/", import.meta.url);

/** Every suite, in `order` (then by file name). */
export async function loadSuites() {
  const files = readdirSync(directory).filter((file) => file.endsWith(".mjs")).sort();
  const suites = await Promise.all(files.map(async (file) => ({ file, ...(await import(new URL(file, directory))).default })));
  return suites.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** Whether `server` takes part in `scenario`. */
export function takesPart(server, scenario) {
  return (!scenario.servers || scenario.servers.includes(server.id)) && (!server.scenarios || server.scenarios.includes(scenario.id));
}

/** The servers and scenarios of all suites, checked for clashing ids. */
export function collect(suites, context) {
  const servers = suites.flatMap((suite) => suite.servers?.(context) ?? []);
  const scenarios = suites.flatMap((suite) => suite.scenarios?.(context) ?? []);
  for (const [kind, list] of [["server", servers], ["scenario", scenarios]]) {
    const seen = new Set();
    for (const { id } of list) {
      if (seen.has(id)) throw new TypeError(`bench: two suites define the ${kind} "${id}"`);
      seen.add(id);
    }
  }
  return { servers, scenarios };
}
