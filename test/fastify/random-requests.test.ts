/**
 * Issue 13's property, over real sockets: random requests — any method, the paths of every example app
 * (parameters filled with junk) and some that exist nowhere, random headers (credentials of every kind,
 * content types with and without boundaries), and bodies of every content type (JSON, deep JSON, forms,
 * multipart with fields and files, garbage) — never get a 5xx, always a documented error shape when they
 * fail, and the server's RSS (this process) does not grow beyond a bound.
 */
import { request } from "node:http";
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "gatehouse";
import { SECRET_KEY } from "../helpers.ts";

process.env.SECRET_KEY ??= SECRET_KEY; // the quick start and examples/notes.ts have no fallback secret
process.env.RS_SECRET ??= "random-requests-test-rs-secret";
process.env.GATEHOUSE_STORE = "memory";
// examples/resource-server.ts needs its issuer; nothing is fetched from it until a token arrives.
process.env.OIDC_ISSUER ??= "https://id.example.com";

interface Served {
  readonly name: string;
  readonly app: App;
  readonly port: number;
  /** Each route's method and path, and the docs pages. */
  readonly routes: readonly (readonly [string, string])[];
}

const names = readdirSync(new URL("../../examples/", import.meta.url)).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
const served: Served[] = [];

beforeAll(async () => {
  for (const name of names) {
    const { app } = (await import(`../../examples/${name}.ts`)) as { app: App };
    await app.listen({ port: 0 });
    const port = (app.fastify.server.address() as { port: number }).port;
    const routes = [...app.compiledRoutes.map((route) => [route.definition.method.toUpperCase(), route.definition.path] as const), ...["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"].map((p) => ["GET", p] as const)];
    served.push({ name, app, port, routes });
  }
}, 60_000);
afterAll(async () => {
  for (const { app } of served) await app.close();
});

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "SEARCH"];
const BOUNDARY = "fcboundary";

/** Header-safe text: what a client can put in a header at all. */
const headerText = fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ""));
const junk = fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s).slice(0, 120) || "x");

/** A route's own method and path (parameters filled with junk) most of the time; otherwise any method, odd suffixes, paths that exist nowhere. */
const targetArb = (routes: Served["routes"]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...routes), junk).map(([[method, path], value]) => ({ method, path: path.replace(/\{[^}]+\}/g, value) })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.constantFrom(...routes), fc.constantFrom("", "?", "?a=%ZZ&", "%", "/..", "//", "?scope[a][b]=1&")).map(([method, [, p], tail]) => ({ method, path: p.replace(/\{[^}]+\}/g, "1") + tail })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.constantFrom("/", "/%E0%A4%A", "/nope", "/users/me/tokens/" + "x".repeat(300), "/token?x=" + "%00".repeat(10))).map(([method, path]) => ({ method, path })) },
  );

const authorization = fc.oneof(
  fc.constant(undefined),
  headerText.map((t) => `Bearer ${t}`),
  headerText.map((t) => `Basic ${Buffer.from(t).toString("base64")}`),
  fc.constantFrom("Bearer", "Basic", "Basic Og==", "Digest username=x", "Bearer gatehouse_pat_0000000000000000000000000000000000000000000000000000000000", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30."),
  headerText,
);

type Body = { type: string | undefined; payload: Buffer };

const jsonBody: fc.Arbitrary<Body> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
  fc.record({ scopes: fc.array(fc.string(), { maxLength: 3 }), expires_in: fc.oneof(fc.integer(), fc.constant(null), fc.string()), name: fc.string() }).map((v) => JSON.stringify(v)),
).map((text) => ({ type: "application/json", payload: Buffer.from(text) }));

const formBody: fc.Arbitrary<Body> = fc
  .dictionary(fc.constantFrom("username", "password", "scope", "grant_type", "refresh_token", "client_id", "client_secret", "token", "q", "a[b]"), fc.string({ maxLength: 30 }), { maxKeys: 6 })
  .map((fields) => ({ type: "application/x-www-form-urlencoded", payload: Buffer.from(new URLSearchParams(fields).toString()) }));

const multipartBody: fc.Arbitrary<Body> = fc
  .array(fc.record({ name: fc.constantFrom("username", "password", "scope", "token", "__proto__", "file"), value: fc.string({ maxLength: 40 }), file: fc.boolean() }), { maxLength: 5 })
  .chain((parts) => fc.record({ parts: fc.constant(parts), boundary: fc.constantFrom(`multipart/form-data; boundary=${BOUNDARY}`, "multipart/form-data", "multipart/form-data; boundary=other") }))
  .map(({ parts, boundary }) => {
    const text = parts
      .map((p) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.file ? `; filename="${p.name}.txt"` : ""}\r\n\r\n${p.value}\r\n`)
      .join("");
    return { type: boundary, payload: Buffer.from(`${text}--${BOUNDARY}--\r\n`) };
  });

const garbageBody: fc.Arbitrary<Body> = fc
  .tuple(fc.constantFrom(undefined, "text/plain", "application/octet-stream", "application/xml", "x/y; z", "application/json; charset=latin1", "multipart/mixed"), fc.uint8Array({ maxLength: 300 }))
  .map(([type, bytes]) => ({ type, payload: Buffer.from(bytes) }));

const requestArb = (routes: Served["routes"]) =>
  fc.record({
    target: targetArb(routes),
    authorization,
    cookie: fc.option(headerText.map((t) => `session=${t}; api_key=${t}`), { nil: undefined }),
    apiKey: fc.option(headerText, { nil: undefined }),
    body: fc.option(fc.oneof(jsonBody, formBody, multipartBody, garbageBody), { nil: undefined }),
  });

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

type RandomRequest = ReturnType<typeof requestArb> extends fc.Arbitrary<infer R> ? R : never;

function send(port: number, r: RandomRequest): Promise<Answer> {
  const headers: Record<string, string> = { connection: "close" };
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  if (r.cookie !== undefined) headers.cookie = r.cookie;
  if (r.apiKey !== undefined) headers["x-api-key"] = r.apiKey;
  if (r.body?.type !== undefined) headers["content-type"] = r.body.type;
  if (r.body !== undefined) headers["content-length"] = String(r.body.payload.length);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: r.target.method, path: r.target.path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }));
    });
    req.on("error", reject);
    req.end(r.body?.payload);
  });
}

/**
 * A refusal in one of gatehouse's shapes: FastAPI's `{"detail"}` everywhere, except that an authorization
 * server's OAuth endpoints answer RFC 6749 §5.2's `{"error", "error_description"}` and its `/authorize`
 * pages are HTML.
 */
function expectRefusalShape(server: Served, path: string, answer: { type: string | undefined; body: string }, where: string): void {
  const oauth = server.name === "oauth-server";
  if (oauth && path.startsWith("/authorize") && answer.type?.startsWith("text/html")) {
    expect(answer.body, where).toMatch(/^<!DOCTYPE html>/);
    return;
  }
  expect(answer.type, where).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  if (oauth && "error" in body) expect(Object.keys(body).sort(), where).toEqual(["error", "error_description"]);
  else expect(body, where).toHaveProperty("detail");
}

describe("random requests to every example, over a real socket", () => {
  it("never a 5xx; every refusal is FastAPI-shaped JSON (RFC 6749 §5.2 on OAuth endpoints); RSS stays bounded", async () => {
    const rss = () => process.memoryUsage().rss / 2 ** 20;
    let before = 0;
    let runs = 0;
    const WARM_UP = 100;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: served.length - 1 }).chain((i) => fc.tuple(fc.constant(i), requestArb(served[i]!.routes))), async ([i, r]) => {
        if (++runs === WARM_UP) before = rss();
        const answer = await send(served[i]!.port, r);
        const where = `${served[i]!.name}: ${r.target.method} ${r.target.path} → ${answer.status} ${answer.body.slice(0, 200)}`;
        expect(answer.status, where).toBeGreaterThanOrEqual(100);
        expect(answer.status, where).toBeLessThan(500);
        if (answer.status >= 400 && r.target.method !== "HEAD") expectRefusalShape(served[i]!, r.target.path, answer, where);
      }),
      { numRuns: 600, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    // After a warm-up (JIT, caches filling), 500 more requests may not grow the server by more than this.
    expect(rss() - before).toBeLessThan(64);
  }, 240_000);
});
