/**
 * @module
 * The scenarios and how one run of one is driven: autocannon in this process against one server, after a
 * one-request check that the server answers what FastAPI answers (status, body, WWW-Authenticate).
 */
import { createHmac } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import { SECRET_KEY } from "./seed.mjs";

/** The seed's token for johndoe with scopes "me items", valid 30 minutes; every server accepts it. */
export function mintToken() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: "johndoe", scopes: ["me", "items"], exp: Math.floor(Date.now() / 1000) + 1800 })}`;
  return `${input}.${createHmac("sha256", SECRET_KEY).update(input).digest("base64url")}`;
}

const form = { "content-type": "application/x-www-form-urlencoded" };

export function scenarios(token) {
  const hot = {
    path: "/users/me/items/",
    headers: { authorization: `Bearer ${token}` },
    expect: { status: 200, body: [{ item_id: "Foo", owner: "johndoe" }] },
  };
  return [
    { id: "hot", title: "1. hot path: GET /users/me/items/ with a valid token (scopes me items)", ...hot },
    {
      id: "unauth",
      title: "2. 401 path: GET /status/ without a token",
      path: "/status/",
      expect: { status: 401, body: { detail: "Not authenticated" }, challenge: "Bearer" },
    },
    {
      id: "token",
      title: "3. POST /token (bcrypt cost 12), and GET /status/ without a token at the same time",
      path: "/token",
      method: "POST",
      headers: form,
      body: "username=johndoe&password=secret&scope=me+items",
      expect: { status: 200, token: true },
      probe: { path: "/status/", status: 401 },
    },
    { id: "revoked", title: "4. hot path with revoked tokens in the revocation set (same app without them: first row)", ...hot, only: "revoked" },
  ];
}

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

function cannon(port, request, options) {
  return autocannon({
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    ...options,
  });
}

/** Requests answered with another status than expected, plus errors and timeouts. */
function unexpected(result, status) {
  const total = result.requests.total;
  const good = result.statusCodeStats?.[status]?.count ?? 0;
  return total - good + result.errors + result.timeouts;
}

/** Drive one server with one scenario for `duration` seconds: `{rps, requests, p50, p99, bad}` (latencies in ms). */
export async function measure(port, scenario, { duration, connections }) {
  if (!scenario.probe) {
    const result = await cannon(port, scenario, { duration, connections });
    const requests = result.requests.total;
    return { rps: requests / result.duration, requests, p50: result.latency.p50, p99: result.latency.p99, bad: unexpected(result, scenario.expect.status) };
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
