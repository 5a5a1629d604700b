/** What the Fastify binding reads off a real request: repeated headers and cookies, as Starlette reads them. */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { cookie, createApp, header } from "gatehouse";
import { APIKeyHeader } from "gatehouse/security";

const app = createApp({ fastify: { logger: false } });
app.get("/h", { needs: { key: new APIKeyHeader({ name: "x-key" }), tag: header(z.string()) } }, (v) => v);
app.get("/c", { needs: { session: cookie(z.string()) } }, (v) => v);
let port = 0;

beforeAll(async () => {
  await app.listen({ port: 0 });
  port = (app.fastify.server.address() as { port: number }).port;
});
afterAll(() => app.close());

function get(path: string, rawHeaders: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // A raw header list gets no Host added; Node's server rightly refuses HTTP/1.1 without one.
    const req = request({ port, path, headers: ["host", "localhost", ...rawHeaders] }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(JSON.parse(body)));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("FastifyRequestView", () => {
  it("takes the first of repeated headers, which Node would join with a comma", async () => {
    expect(await get("/h", ["x-key", "first", "x-key", "second", "tag", "a", "tag", "b"])).toEqual({ key: "first", tag: "a" });
  });

  it("keeps a single header that contains a comma whole", async () => {
    expect(await get("/h", ["x-key", "a,b", "tag", "x, y"])).toEqual({ key: "a,b", tag: "x, y" });
  });

  it("takes the last of a repeated cookie and does not URL-decode, as Starlette", async () => {
    expect(await get("/c", ["cookie", "session=first; other=1; session=a%20b"])).toEqual({ session: "a%20b" });
  });
});
