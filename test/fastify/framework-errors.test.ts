/**
 * Issue 13 item 9, over a real socket: what Fastify answers on its own — a URL it cannot decode, a path
 * parameter past its length limit, the 503 of a closing server — comes in FastAPI's shape with a catalog
 * code's detail, never Fastify's `{"error", "code", "message", "statusCode"}`.
 */
import { connect } from "node:net";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, path } from "gatehouse";

function app() {
  const made = createApp();
  made.get("/items/{id}", { needs: { id: path(z.string()) } }, ({ id }) => ({ id }));
  return made;
}

async function listen(made: ReturnType<typeof app>): Promise<number> {
  await made.listen({ port: 0 });
  return (made.fastify.server.address() as { port: number }).port;
}

/** Write `requests` on one connection; resolves to everything the server sent back until it closed or `ms` passed. */
function exchange(port: number, requests: string, ms = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(requests));
    let data = "";
    const timer = setTimeout(() => (socket.destroy(), resolve(data)), ms);
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    socket.on("close", () => (clearTimeout(timer), resolve(data)));
    socket.on("error", reject);
  });
}

describe("Fastify's router errors", () => {
  const served = app();
  let port = 0;
  beforeAll(async () => (port = await listen(served)));
  afterAll(() => served.close());

  it("a URL with a broken percent-escape: 400 {detail: Bad Request}", async () => {
    const answer = await exchange(port, "GET /items/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    expect(answer.split("\r\n\r\n")[1]).toBe('{"detail":"Bad Request"}');
  });

  it("a path parameter over Fastify's maxParamLength: 414 {detail: URI Too Long}", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/items/${"x".repeat(200)}`);
    expect(res.status).toBe(414);
    expect(await res.json()).toEqual({ detail: "URI Too Long" });
  });

  it("a short parameter is routed as before", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/items/a%20b`);
    expect([res.status, await res.json()]).toEqual([200, { id: "a b" }]);
  });
});

describe("a request that arrives while the app closes", () => {
  it("gets 503 {detail: Service Unavailable} with Connection: close, after the request in flight is answered", async () => {
    const closing = app();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const started = new Promise<void>((resolve) => (began = resolve));
    closing.get("/slow", async () => {
      began();
      await gate;
      return { slow: true };
    });
    const port = await listen(closing);
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    const ended = new Promise((resolve) => socket.on("close", resolve));
    socket.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    await started;
    const closed = closing.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n"); // pipelined behind the slow one
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await ended;
    await closed;
    const [first, second] = data.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toContain('{"slow":true}');
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    expect(second!.split("\r\n\r\n")[1]).toBe('{"detail":"Service Unavailable"}');
  });
});
