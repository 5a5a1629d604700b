/**
 * Hostile and malformed requests get a 4xx in FastAPI's shape: never a 500, never a crash. Some go over a
 * real socket, because Node's HTTP parser rejects them before any route runs.
 */
import { request } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/seed.ts";
import { postForm } from "../helpers.ts";

let port = 0;
beforeAll(async () => {
  await app.listen({ port: 0 });
  port = (app.fastify.server.address() as { port: number }).port;
});
afterAll(() => app.close());

function raw(bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
}

describe("bad input", () => {
  it("headers over Node's limit: 431 with a FastAPI-shaped body", async () => {
    const answer = await raw(`GET /status/ HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('{"detail":"Request Header Fields Too Large"}');
  });

  it("a garbled request line: 400 with a FastAPI-shaped body", async () => {
    const answer = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('{"detail":"Bad Request"}');
  });

  it("an Authorization header of invalid UTF-8 is just not a valid token", async () => {
    const answer = await raw(Buffer.concat([Buffer.from("GET /status/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("\r\n\r\n")]));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('{"detail":"Could not validate credentials"}');
  });

  it("a form body of invalid UTF-8 and broken percent-escapes: 400 wrong password, not a crash", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: Buffer.concat([Buffer.from("username=john%ZZdoe&password="), Buffer.from([0xff, 0xc3, 0x28])]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Incorrect username or password" });
  });

  it("repeated form fields: the last wins, as Starlette reads them", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "username=nobody&username=johndoe&password=secret&scope=me",
    });
    expect(res.statusCode).toBe(200);
  });

  it("a multipart body with a broken boundary: a 4xx, not a 500", async () => {
    const res = await app.inject({ method: "POST", url: "/token", headers: { "content-type": "multipart/form-data; boundary=x" }, payload: "--y\r\ngarbage" });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toHaveProperty("detail");
  });

  it("a body over the limit: 413 in FastAPI's shape", async () => {
    const res = await postForm(app, "/token", { username: "x".repeat(2 * 1024 * 1024), password: "p" });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ detail: "Payload Too Large" });
  });

  it("any form body and any Authorization header: always a 4xx or 200 with a detail, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), async (payload, authorization) => {
        const token = await app.inject({ method: "POST", url: "/token", headers: { "content-type": "application/x-www-form-urlencoded" }, payload });
        expect(token.statusCode).toBeLessThan(500);
        const status = await new Promise<number>((resolve, reject) => {
          const safe = authorization.replace(/[^\t\x20-\x7e]/g, "");
          const req = request({ port, path: "/status/", headers: { authorization: safe } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on("error", reject);
          req.end();
        });
        expect([200, 401]).toContain(status);
      }),
      { numRuns: 60 },
    );
  });
});
