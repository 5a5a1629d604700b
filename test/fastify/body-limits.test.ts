/**
 * Issue 13 item 1, over a real socket: a body of any type is bounded by `bodyLimit` (1 MiB) while it is
 * read, multipart included (990 file parts of 1 MB once grew the server by 700 MB), file parts are
 * refused, and JSON nested 5 000 deep is a 422, not a 500. The server runs in this process, so its RSS is
 * measured here.
 */
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createApp, form, query } from "gatehouse";
import { app } from "../../examples/seed.ts";
import { multipartLength, multipartPieces, streamRequest } from "./socket.ts";

const MB = 1024 * 1024;
const boundary = "gatehouse-attack-boundary";
const multipart = { "content-type": `multipart/form-data; boundary=${boundary}` };

const echo = createApp();
echo.post("/json", { needs: { b: body(z.object({ a: z.string() })) } }, ({ b }) => b);
echo.post("/form", { needs: { f: form(z.object({ a: z.string() })) } }, ({ f }) => f);
echo.get("/query", { needs: { a: query(z.string()) } }, ({ a }) => ({ a }));

let port = 0;
let echoPort = 0;
beforeAll(async () => {
  await app.listen({ port: 0 });
  port = (app.fastify.server.address() as { port: number }).port;
  await echo.listen({ port: 0 });
  echoPort = (echo.fastify.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
  await echo.close();
});

/** Run `attack` while sampling this process's RSS; resolves to its answer and the peak growth in MB. */
async function measured<T>(attack: () => Promise<T>): Promise<{ answer: T; grewMb: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const answer = await attack();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { answer, grewMb: (peak - before) / MB };
  } finally {
    clearInterval(sampler);
  }
}

describe("multipart bodies are bounded like any body", () => {
  for (const path of ["/token", "/revoke"]) {
    for (const framing of ["Content-Length", "chunked"] as const) {
      it(`990 file parts of 1 MB to ${path} (${framing}): 413 after at most the limit, RSS bounded`, async () => {
        const length = framing === "chunked" ? undefined : multipartLength(boundary, 990, MB, true);
        const { answer, grewMb } = await measured(() => streamRequest(port, { method: "POST", path, headers: multipart, length }, multipartPieces(boundary, 990, MB, true)));
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toEqual({ detail: "Payload Too Large" });
        expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
        // Refused once the body passed 1 MiB (the socket's buffers let a few more MB through).
        expect(answer.sent).toBeLessThan(64 * MB);
        expect(grewMb).toBeLessThan(64);
      }, 60_000);
    }
  }

  it("990 field parts of 1 MB: 413 too, nothing buffered past the limit", async () => {
    const { answer, grewMb } = await measured(() => streamRequest(port, { method: "POST", path: "/token", headers: multipart }, multipartPieces(boundary, 990, MB, false)));
    expect([answer.status, JSON.parse(answer.body)]).toEqual([413, { detail: "Payload Too Large" }]);
    expect(grewMb).toBeLessThan(64);
  }, 60_000);

  it("a small file part, within the limit: 400, refused where no route declares a file", async () => {
    const answer = await streamRequest(port, { method: "POST", path: "/token", headers: multipart, length: multipartLength(boundary, 1, 10, true) }, multipartPieces(boundary, 1, 10, true));
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { detail: "File uploads are not accepted here" }]);
  });

  it("a multipart login with fields only still works", async () => {
    const data = new FormData();
    data.set("username", "johndoe");
    data.set("password", "secret");
    data.set("scope", "me");
    const res = await fetch(`http://127.0.0.1:${port}/token`, { method: "POST", body: data });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: "bearer", access_token: expect.any(String) });
  });

  it("repeated multipart fields arrive as a list, the last one read as the single value", async () => {
    const data = new FormData();
    data.append("username", "nobody");
    data.append("username", "johndoe");
    data.set("password", "secret");
    const res = await fetch(`http://127.0.0.1:${port}/token`, { method: "POST", body: data });
    expect(res.status).toBe(200);
  });
});

describe("deep nesting is a 4xx for every body type and the query string", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const post = (path: string, type: string, payload: string) =>
    fetch(`http://127.0.0.1:${echoPort}${path}`, { method: "POST", headers: { "content-type": type }, body: payload });

  it("JSON 5 000 levels deep, inside a field or as the whole body: 422 json_invalid", async () => {
    for (const payload of [`{"a":${deep(5000)}}`, deep(5000), '{"a":'.repeat(5000) + "1" + "}".repeat(5000)]) {
      const res = await post("/json", "application/json", payload);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {}, ctx: { error: "Nested deeper than 256 levels" } }] });
    }
  });

  it("JSON within the depth limit is read as before", async () => {
    const res = await post("/json", "application/json", `{"a":${deep(200)}}`);
    expect(res.status).toBe(422);
    expect((await res.json()).detail[0]).toMatchObject({ type: "string_type", loc: ["body", "a"] });
    const strings = await post("/json", "application/json", JSON.stringify({ a: "[".repeat(5000) }));
    expect([strings.status, await strings.json()]).toEqual([200, { a: "[".repeat(5000) }]);
  });

  it("brackets in form fields, multipart fields and query strings are only text", async () => {
    const nested = "a" + "[a]".repeat(5000);
    const formRes = await post("/form", "application/x-www-form-urlencoded", `${nested}=1&a=${encodeURIComponent(deep(5000))}`);
    expect([formRes.status, (await formRes.json()).a]).toEqual([200, deep(5000)]);
    const data = new FormData();
    data.set("a", deep(5000));
    const multi = await fetch(`http://127.0.0.1:${echoPort}/form`, { method: "POST", body: data });
    expect([multi.status, (await multi.json()).a]).toEqual([200, deep(5000)]);
    // A URL stays under Node's 16 KiB of headers: 2 000 levels of brackets in names and value.
    const q = await fetch(`http://127.0.0.1:${echoPort}/query?${"a" + "[a]".repeat(2000)}=1&a=${encodeURIComponent(deep(1000))}`);
    expect([q.status, await q.json()]).toEqual([200, { a: deep(1000) }]);
  });
});
