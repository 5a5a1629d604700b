/**
 * @module
 * Fastify 5 with the raw peer's own node:crypto HS256 (`lib/hs256.mjs`): no JWT library, no dependency
 * graph. What any Fastify app can reach at best, so the distance from raw node:http that is the engine's.
 */
import { serveFastify } from "../lib/fastify-seed.mjs";
import { sign, verify } from "../lib/hs256.mjs";

await serveFastify("Fastify + node:crypto by hand", { sign: (_app, payload) => sign(payload), verify: (_request, token) => verify(token) });
