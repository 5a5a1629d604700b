/**
 * @module
 * How one run of one scenario is driven: autocannon in this process against one server, after a
 * one-request check that the server answers what FastAPI answers (status, body, WWW-Authenticate). A
 * scenario whose requests differ per connection (`clientRequests`) has them built per connection as a run
 * starts (that time is left out of its req/s), so that the generator then spends no more per request
 * than with one fixed request.
 */
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";

/** One request: does the server answer as the seed does? Returns undefined or what differs. */
export async function check(port, scenario) {
  const res = await fetch(`http://127.0.0.1:${port}${scenario.path}`, { method: scenario.method ?? "GET", headers: scenario.headers, body: scenario.body });
  const body = await res.json().catch(() => "(not JSON)");
  const { status, challenge } = scenario.expect;
  if (res.status !== status) return `status ${res.status}, expected ${status}: ${JSON.stringify(body).slice(0, 100)}`;
  if (scenario.expect.token) {
    if (body?.token_type !== "bearer" || typeof body?.access_token !== "string") return `token body ${JSON.stringify(body).slice(0, 100)}`;
    const hot = await fetch(`http://127.0.0.1:${port}/users/me/items/`, { headers: { authorization: `Bearer ${body.access_token}` } });
    if (hot.status !== 200) return `its token gets ${hot.status} on /users/me/items/`;
    return undefined;
  }
  if (!isDeepStrictEqual(body, scenario.expect.body)) return `body ${JSON.stringify(body).slice(0, 100)}`;
  if ((res.headers.get("www-authenticate") ?? undefined) !== challenge) return `WWW-Authenticate ${res.headers.get("www-authenticate")}`;
  return undefined;
}

/**
 * One autocannon run; `setupSeconds` is the time spent building per-connection requests, inside autocannon's
 * duration. With `clientRequests`, connection k starts where connection k of the previous run on the same
 * `ring` (one per server and scenario) stopped, one request further: no token comes back early.
 */
async function cannon(port, request, options) {
  const { ring = [], ...rest } = options;
  const perClient = request.clientRequests;
  const answered = [];
  let setupMs = 0;
  const setupClient = (client) => {
    const started = performance.now();
    const k = answered.push(0) - 1;
    client.setRequests(perClient(k, options.connections, ring[k] ?? 0));
    client.on("response", () => answered[k]++);
    setupMs += performance.now() - started;
  };
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    ...(perClient ? { setupClient } : {}),
    ...rest,
  });
  // The request in flight when the run stopped may have been answered after all: skip it.
  answered.forEach((n, k) => (ring[k] = (ring[k] ?? 0) + n + 1));
  return Object.assign(result, { setupSeconds: setupMs / 1000 });
}

/** Requests answered with another status than expected, plus errors and timeouts. */
function unexpected(result, status) {
  const total = result.requests.total;
  const good = result.statusCodeStats?.[status]?.count ?? 0;
  return total - good + result.errors + result.timeouts;
}

/**
 * Drive one server with one scenario for `duration` seconds: `{rps, requests, p50, p99, bad}` (latencies in
 * ms). `ring`: where each connection of this server stopped in this scenario's per-connection requests.
 */
export async function measure(port, scenario, { duration, connections, ring }) {
  if (!scenario.probe) {
    const result = await cannon(port, scenario, { duration, connections, ring });
    const requests = result.requests.total;
    const seconds = result.duration - result.setupSeconds;
    return { rps: requests / seconds, requests, p50: result.latency.p50, p99: result.latency.p99, bad: unexpected(result, scenario.expect.status) };
  }
  // bcrypt runs on libuv's 4 threads: 4 connections keep them all busy; the probe's latency shows the event loop.
  const [load, probe] = await Promise.all([
    cannon(port, scenario, { duration, connections: 4, timeout: 30 }),
    cannon(port, scenario.probe, { duration, connections: 4, overallRate: 100, timeout: 30 }),
  ]);
  return {
    rps: load.requests.total / load.duration,
    requests: load.requests.total,
    p50: probe.latency.p50,
    p99: probe.latency.p99,
    bad: unexpected(load, 200) + unexpected(probe, scenario.probe.status),
  };
}
