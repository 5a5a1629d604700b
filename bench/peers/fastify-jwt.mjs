/**
 * @module
 * Fastify 5 with @fastify/jwt (fast-jwt) and @fastify/formbody: the seed app as a Fastify user writes it.
 */
import jwt from "@fastify/jwt";
import { serveFastify } from "../lib/fastify-seed.mjs";
import { SECRET_KEY } from "../lib/seed.mjs";

await serveFastify("Fastify + @fastify/jwt", {
  setup: (app) => app.register(jwt, { secret: SECRET_KEY, verify: { algorithms: ["HS256"] } }),
  sign: (app, payload) => app.jwt.sign(payload),
  verify: (request) => request.jwtVerify().catch(() => undefined),
});
