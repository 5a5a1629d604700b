/**
 * @module
 * The core suite: gatehouse (the seed example) and the servers a TypeScript user would write instead, on
 * the hot path (one repeated token), the 401 path, `/token` under load, and the hot path with a million
 * revocations held.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { target } from "../lib/report.mjs";
import { gatehouse, peer, root } from "../lib/servers.mjs";
import { mintToken } from "../lib/tokens.mjs";

const oracleDir = resolve(process.env.GATEHOUSE_ORACLE_DIR ?? resolve(root, "../shared/oracle"));
const python = "/usr/bin/python3";
const x = (v) => `${v.toFixed(2)}×`;

function fastapiMissing() {
  if (!existsSync(resolve(oracleDir, "seed_app.py"))) return `skipped: no seed_app.py in ${oracleDir}`;
  if (!existsSync(python)) return `skipped: ${python} not found`;
  const probe = spawnSync(python, ["-c", "import fastapi, uvicorn, jwt, passlib, multipart"], { encoding: "utf8" });
  if (probe.status !== 0) return `skipped: ${python} lacks fastapi/uvicorn/jwt/passlib/multipart`;
  return undefined;
}

const form = { "content-type": "application/x-www-form-urlencoded" };

export default {
  order: 0,

  servers: ({ revoked }) => [
    { id: "raw-crypto", label: "raw node:http + node:crypto", cmd: peer("raw-crypto.mjs"), compared: true },
    { id: "raw-jose", label: "raw node:http + jose", cmd: peer("raw-jose.mjs") },
    { id: "fastify-jwt", label: "Fastify 5 + @fastify/jwt", cmd: peer("fastify-jwt.mjs"), compared: true },
    { id: "express-jwt", label: "Express 5 + jsonwebtoken", cmd: peer("express-jsonwebtoken.mjs") },
    { id: "hono-jwt", label: "Hono + hono/jwt", cmd: peer("hono-jwt.mjs") },
    { id: "gatehouse", label: "gatehouse (examples/seed.ts)", ...gatehouse(), compared: true },
    {
      id: "gatehouse-revoked",
      label: `gatehouse, ${revoked.toLocaleString("en")} revoked`,
      ...gatehouse({ GATEHOUSE_BENCH_REVOKED: String(revoked) }),
      scenarios: ["revoked"],
      compared: true,
      // Filling a million entries takes a while on a busy machine.
      startTimeout: 240_000,
    },
    {
      id: "fastapi",
      label: "FastAPI + uvicorn (1 worker)",
      cmd: (port) => [python, ["-m", "uvicorn", "seed_app:app", "--workers", "1", "--host", "127.0.0.1", "--port", String(port), "--no-access-log", "--log-level", "warning"]],
      cwd: oracleDir,
      skip: fastapiMissing(),
    },
  ],

  scenarios: ({ revoked }) => {
    const hot = { path: "/users/me/items/", headers: { authorization: `Bearer ${mintToken()}` }, expect: { status: 200, body: [{ item_id: "Foo", owner: "johndoe" }] } };
    return [
      { id: "hot", title: "hot path: GET /users/me/items/ with a valid token (scopes me items)", ...hot },
      { id: "unauth", title: "401 path: GET /status/ without a token", path: "/status/", expect: { status: 401, body: { detail: "Not authenticated" }, challenge: "Bearer" } },
      {
        id: "token",
        title: "POST /token (bcrypt cost 12), and GET /status/ without a token at the same time",
        path: "/token",
        method: "POST",
        headers: form,
        body: "username=johndoe&password=secret&scope=me+items",
        expect: { status: 200, token: true },
        probe: { path: "/status/", status: 401 },
      },
      {
        id: "revoked",
        title: `hot path with ${revoked.toLocaleString("en")} revoked tokens in the revocation set (same app without them: first row)`,
        ...hot,
        servers: ["gatehouse", "gatehouse-revoked"],
        base: "gatehouse",
        baseLabel: "without",
        // Its server takes minutes to fill: one process for all rounds.
        epochs: 1,
      },
    ];
  },

  targets: ({ ratio, median, runs, revoked, unavailable }) => {
    const revokedRatio = unavailable.has("gatehouse-revoked") ? NaN : ratio("revoked", "gatehouse-revoked", "gatehouse");
    return [
      target("hot path ≥ 1.0× Fastify + @fastify/jwt", ratio("hot", "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
      target("hot path ≥ 0.9× raw node:http + node:crypto", ratio("hot", "gatehouse", "raw-crypto"), (v) => v >= 0.9, x),
      target("401 path ≥ 1.0× Fastify's 401 path", ratio("unauth", "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
      target("GET /status/ p99 < 20 ms while /token is loaded", median(runs("token", "gatehouse").map((r) => r.p99)), (v) => v < 20, (v) => `${v} ms`),
      target(`${revoked.toLocaleString("en")} revoked: < 3 % below the hot path without them`, revokedRatio, (v) => v >= 0.97, (v) => `${x(v)} (${Math.abs((1 - v) * 100).toFixed(1)} % ${v <= 1 ? "below" : "above"})`),
    ];
  },
};
