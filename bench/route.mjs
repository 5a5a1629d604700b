/**
 * `node --import tsx bench/route.mjs`: gatehouse's own share of a cold request, without HTTP — the seed's
 * `GET /users/me/items/` plan (scheme, `getCurrentUser`, `getCurrentActiveUser`, handler, `tokens.verify`)
 * solved on a bare request view, against what the floor peers run per request (`lib/hs256.mjs`'s verify and
 * the seed's answer), on the same distinct valid and forged tokens; 50 requests in flight. Prints the best
 * and the median of 8 rounds of CPU µs per request. The difference is what gatehouse adds on top of the
 * cheapest code that answers the same; under HTTP the same work costs about twice as much (colder caches).
 */
import { RequestContext } from "../src/core/context.ts";
import { isThenable, solve } from "../src/core/solve.ts";
import { verify } from "./lib/hs256.mjs";
import { measureCases } from "./lib/in-flight.mjs";
import { answer, bearerToken, routes } from "./lib/seed.mjs";
import { distinctTokens, WRONG_KEY } from "./lib/tokens.mjs";

process.env.GATEHOUSE_STORE = "memory";
process.env.GATEHOUSE_LOG_LEVEL = "silent";
const { app, tokens } = await import("../examples/seed.ts");
await app.ready();
const route = app.compiledRoutes.find((r) => r.definition.method === "GET" && r.definition.path === "/users/me/items/");

/** The fields of a request the plan reads; the header is sliced per request, as the scheme does with a real one. */
class View {
  method = "GET";
  path = "/users/me/items/";
  query = {};
  params = {};
  cookies = {};
  body = undefined;
  ip = "127.0.0.1";
  constructor(authorization) {
    this.headers = { authorization };
  }
  header(name) {
    return this.headers[name];
  }
}

async function gatehouse(authorization) {
  const ctx = new RequestContext(new View(authorization), route.plan.slots);
  try {
    const result = solve(route.plan, ctx);
    return isThenable(result) ? await result : result;
  } catch (error) {
    return error;
  }
}

async function floor(authorization) {
  return answer(routes["/users/me/items/"], verify(bearerToken(authorization)));
}

const valid = distinctTokens(50_000).map((token) => `Bearer ${token}`);
const forged = distinctTokens(50_000, WRONG_KEY).map((token) => `Bearer ${token}`);
const cases = [
  ["distinct valid, gatehouse", gatehouse, valid],
  ["distinct valid, floor", floor, valid],
  ["distinct forged, gatehouse", gatehouse, forged],
  ["distinct forged, floor", floor, forged],
];
await measureCases(cases, { count: 20_000, unit: "request" });
console.log(`cache: ${JSON.stringify(tokens.verifiedCache.stats)}`);
await app.close();
