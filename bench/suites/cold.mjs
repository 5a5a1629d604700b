/**
 * @module
 * The cold path (issue 15): many distinct tokens, more than gatehouse's verified-token cache holds, so that
 * every request is a full verification — real APIs see many users and short-lived tokens, a restart empties
 * the cache, and an attacker never repeats a token. Distinct valid tokens, and distinct tokens signed by a
 * key no server knows (a scanner, a forgery flood), sent by every peer's connections in disjoint rings.
 * gatehouse also runs with its cache off, on these and on the hot path, so that the cache's share shows,
 * and Fastify runs with the raw peer's own verification, so that the engine's share shows.
 */
import { target } from "../lib/report.mjs";
import { gatehouse, peer } from "../lib/servers.mjs";
import { distinctTokens, slices, WRONG_KEY } from "../lib/tokens.mjs";

/** How many distinct tokens each scenario cycles through: five times the default cache of 10 000. */
const DISTINCT = Number(process.env.GATEHOUSE_BENCH_DISTINCT ?? 50_000);
const x = (v) => `${v.toFixed(2)}×`;

export default {
  order: 10,

  servers: () => [
    { id: "gatehouse-nocache", label: "gatehouse, cache off", ...gatehouse({ GATEHOUSE_BENCH_CACHE: "0" }), scenarios: ["hot", "cold-valid", "cold-forged"], compared: true },
    // The floor of any Fastify app: the raw peer's own verification in a Fastify route. What it loses to raw
    // node:http is the engine's share, which no code on top of Fastify wins back.
    { id: "fastify-crypto", label: "Fastify 5 + node:crypto by hand", cmd: peer("fastify-crypto.mjs"), scenarios: ["cold-valid", "cold-forged"] },
  ],

  scenarios: () => {
    const ring = (secret) => {
      const tokens = distinctTokens(DISTINCT, secret);
      return { headers: { authorization: `Bearer ${tokens[0]}` }, clientRequests: slices(tokens) };
    };
    const count = DISTINCT.toLocaleString("en");
    return [
      {
        id: "cold-valid",
        title: `cold path: GET /users/me/items/ with ${count} distinct valid tokens`,
        path: "/users/me/items/",
        ...ring(),
        expect: { status: 200, body: [{ item_id: "Foo", owner: "johndoe" }] },
      },
      {
        id: "cold-forged",
        title: `forged tokens: GET /users/me/items/ with ${count} distinct tokens signed by a wrong key`,
        path: "/users/me/items/",
        ...ring(WRONG_KEY),
        expect: { status: 401, body: { detail: "Could not validate credentials" }, challenge: 'Bearer scope="items me"' },
      },
    ];
  },

  targets: ({ ratio }) => [
    target("distinct valid tokens ≥ 1.0× Fastify + @fastify/jwt", ratio("cold-valid", "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
    target("distinct valid tokens ≥ 0.9× raw node:http + node:crypto", ratio("cold-valid", "gatehouse", "raw-crypto"), (v) => v >= 0.9, x),
    target("distinct forged tokens ≥ 1.0× Fastify + @fastify/jwt", ratio("cold-forged", "gatehouse", "fastify-jwt"), (v) => v >= 1.0, x),
    target("distinct forged tokens ≥ 0.9× raw node:http + node:crypto", ratio("cold-forged", "gatehouse", "raw-crypto"), (v) => v >= 0.9, x),
  ],
};
